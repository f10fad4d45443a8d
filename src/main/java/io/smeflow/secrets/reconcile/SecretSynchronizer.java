package io.smeflow.secrets.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.smeflow.secrets.api.v1alpha1.KeyMapping;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.rotation.EffectivePolicy;
import io.smeflow.secrets.rotation.Rotator;
import io.smeflow.secrets.rotation.generate.GeneratorSpecValidator;
import io.smeflow.secrets.tenancy.SecretLocations;
import io.smeflow.secrets.vault.KvMetadata;
import io.smeflow.secrets.vault.KvSecret;
import io.smeflow.secrets.vault.SecretLocation;
import io.smeflow.secrets.vault.VaultAccessException;
import io.smeflow.secrets.vault.VaultFailure;
import io.smeflow.secrets.vault.VaultKvClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries the current Vault version of a TenantSecret into its Kubernetes Secret. Any failure
 * leaves the Secret exactly as it was: it is written only after everything was read.
 */
@ApplicationScoped
public class SecretSynchronizer {

    private final SecretLocations locations;
    private final VaultKvClient vault;
    private final ManagedSecrets secrets;
    private final DataHasher hasher;

    public SecretSynchronizer(
            SecretLocations locations,
            VaultKvClient vault,
            ManagedSecrets secrets,
            DataHasher hasher) {
        this.locations = locations;
        this.vault = vault;
        this.secrets = secrets;
        this.hasher = hasher;
    }

    /**
     * Reads Vault and makes the Secret match. {@code cached} is the informer's copy, if any. Within
     * the policy's previous-version grace after a new version, the previous values stay beside the
     * new ones as {@code <key>_previous}.
     */
    public SyncResult sync(
            TenantSecret resource, Secret cached, EffectivePolicy policy, Instant now)
            throws VaultAccessException, SecretConflictException {
        Secret current = secrets.current(resource, cached);
        ManagedSecrets.checkOwnership(resource, current);
        SecretLocation location = locations.of(resource);
        KvSecret secret = vault.read(location);
        Map<String, String> data = select(secret, resource.getSpec().getKeys(), location);
        Optional<KvMetadata> metadata =
                policy.generates() ? Optional.of(vault.readMetadata(location)) : Optional.empty();
        Instant lastRotation =
                metadata.flatMap(m -> Rotator.rotationDateOf(m, secret.version()))
                        .orElse(secret.createdTime());
        boolean withPrevious = inGrace(secret, lastRotation, metadata, policy, now);
        if (withPrevious) {
            KvSecret previous = vault.readVersion(location, secret.version() - 1);
            selectPresent(previous, resource.getSpec().getKeys())
                    .forEach((k, v) -> data.put(k + GeneratorSpecValidator.PREVIOUS_SUFFIX, v));
        }
        String hash = hasher.hash(data);
        ManagedSecrets.Change change =
                secrets.apply(resource, current, data, hash, secret.version());
        return new SyncResult(secret, hash, change, withPrevious, lastRotation);
    }

    /**
     * Whether {@code secret} is recent enough that its previous version is still kept. Never after
     * an emergency rotation: the old value is presumed compromised and goes at once.
     */
    static boolean inGrace(
            KvSecret secret,
            Instant lastRotation,
            Optional<KvMetadata> metadata,
            EffectivePolicy policy,
            Instant now) {
        boolean emergency =
                metadata.map(m -> Rotator.wasEmergency(m, secret.version())).orElse(false);
        return secret.version() > 1
                && !emergency
                && !policy.previousVersionGrace().isZero()
                && now.isBefore(lastRotation.plus(policy.previousVersionGrace()));
    }

    /** Like {@link #select} but skips keys the older version did not have. */
    private static Map<String, String> selectPresent(KvSecret secret, List<KeyMapping> keys) {
        if (keys.isEmpty()) {
            return new LinkedHashMap<>(secret.data());
        }
        Map<String, String> selected = new LinkedHashMap<>();
        for (KeyMapping key : keys) {
            String value = secret.data().get(key.getVaultKey());
            if (value != null) {
                selected.put(key.effectiveSecretKey(), value);
            }
        }
        return selected;
    }

    /** Whether the cached Secret still holds exactly what was last synced, per its HMAC. */
    public boolean holdsSyncedData(TenantSecret resource, Secret cached) {
        if (cached == null || resource.getStatus() == null) {
            return false;
        }
        String expected = resource.getStatus().getDataHash();
        return expected != null
                && resource.getMetadata()
                        .getName()
                        .equals(annotation(cached, ManagedSecrets.OWNER_ANNOTATION))
                && expected.equals(annotation(cached, ManagedSecrets.DATA_HASH_ANNOTATION))
                && expected.equals(hasher.hash(ManagedSecrets.decodedData(cached)));
    }

    private static String annotation(Secret secret, String key) {
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }

    /** The data to write: every key, or the mapped ones under their Secret names. */
    static Map<String, String> select(
            KvSecret secret, List<KeyMapping> keys, SecretLocation location)
            throws VaultAccessException {
        if (keys.isEmpty()) {
            return new LinkedHashMap<>(secret.data());
        }
        Map<String, String> selected = new LinkedHashMap<>();
        for (KeyMapping key : keys) {
            String value = secret.data().get(key.getVaultKey());
            if (value == null) {
                throw new VaultAccessException(
                        VaultFailure.NOT_FOUND,
                        0,
                        "Vault secret "
                                + location.path()
                                + " (version "
                                + secret.version()
                                + ") has no key '"
                                + key.getVaultKey()
                                + "' named in spec.keys");
            }
            selected.put(key.effectiveSecretKey(), value);
        }
        return selected;
    }
}
