package io.smeflow.secrets.reconcile;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.smeflow.secrets.api.v1alpha1.DeletionPolicy;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one code path that writes Kubernetes Secrets. A sync, a rotation and a crash recovery all end
 * here, so they converge the same way. It writes only when something differs, and never touches a
 * Secret the operator did not create.
 */
@ApplicationScoped
public class ManagedSecrets {

    public static final String MANAGER = "smeflow-secrets-operator";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_SELECTOR = MANAGED_BY_LABEL + "=" + MANAGER;
    public static final String OWNER_ANNOTATION = "secrets.smeflow.io/tenantsecret";
    public static final String DATA_HASH_ANNOTATION = "secrets.smeflow.io/data-hash";
    public static final String VAULT_VERSION_ANNOTATION = "secrets.smeflow.io/vault-version";
    public static final String TENANT_LABEL = "secrets.smeflow.io/tenant";

    /** What {@link #apply} did. */
    public enum Change {
        CREATED,
        UPDATED,
        UNCHANGED
    }

    private final KubernetesClient kubernetes;

    public ManagedSecrets(KubernetesClient kubernetes) {
        this.kubernetes = kubernetes;
    }

    /** The name of the Secret a TenantSecret writes. */
    public static String targetName(TenantSecret resource) {
        String name = resource.getSpec().getTarget().getName();
        return name == null || name.isEmpty() ? resource.getMetadata().getName() : name;
    }

    /** The Secret's data, decoded. */
    public static Map<String, String> decodedData(Secret secret) {
        Map<String, String> decoded = new HashMap<>();
        if (secret.getData() != null) {
            secret.getData()
                    .forEach(
                            (k, v) ->
                                    decoded.put(
                                            k,
                                            new String(
                                                    Base64.getDecoder().decode(v),
                                                    StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            decoded.putAll(secret.getStringData());
        }
        return decoded;
    }

    /**
     * Finds the target Secret: from the informer cache when the operator manages it, otherwise by
     * asking the API server (only then can an unmanaged Secret of that name be found).
     */
    public Secret current(TenantSecret resource, Secret cached) {
        if (cached != null) {
            return cached;
        }
        return kubernetes
                .secrets()
                .inNamespace(resource.getMetadata().getNamespace())
                .withName(targetName(resource))
                .get();
    }

    /** Fails if {@code existing} is not this TenantSecret's to write. */
    public static void checkOwnership(TenantSecret resource, Secret existing)
            throws SecretConflictException {
        if (existing == null) {
            return;
        }
        ObjectMeta meta = existing.getMetadata();
        String name = meta.getName();
        boolean managed = MANAGER.equals(labels(meta).get(MANAGED_BY_LABEL));
        if (!managed) {
            throw new SecretConflictException(
                    "Secret "
                            + name
                            + " already exists and was not"
                            + " created by the operator; it is left untouched. Delete it, or set"
                            + " spec.target.name to another name");
        }
        String owner = annotations(meta).get(OWNER_ANNOTATION);
        if (!resource.getMetadata().getName().equals(owner)) {
            throw new SecretConflictException(
                    "Secret "
                            + name
                            + " is managed by TenantSecret "
                            + owner
                            + "; two TenantSecrets cannot write the same Secret");
        }
    }

    /** Makes the target Secret hold exactly {@code data}; writes nothing if it already does. */
    public Change apply(
            TenantSecret resource,
            Secret existing,
            Map<String, String> data,
            String dataHash,
            int vaultVersion)
            throws SecretConflictException {
        checkOwnership(resource, existing);
        Secret desired = desired(resource, existing, data, dataHash, vaultVersion);
        if (existing == null) {
            kubernetes.secrets().inNamespace(namespace(resource)).resource(desired).create();
            return Change.CREATED;
        }
        if (sameContent(existing, desired)) {
            return Change.UNCHANGED;
        }
        kubernetes.secrets().inNamespace(namespace(resource)).resource(desired).update();
        return Change.UPDATED;
    }

    private Secret desired(
            TenantSecret resource,
            Secret existing,
            Map<String, String> data,
            String dataHash,
            int vaultVersion) {
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> annotations = new LinkedHashMap<>();
        if (existing != null) {
            labels.putAll(labels(existing.getMetadata()));
            annotations.putAll(annotations(existing.getMetadata()));
        }
        labels.put(MANAGED_BY_LABEL, MANAGER);
        labels.put(TENANT_LABEL, resource.getSpec().getTenantId());
        annotations.put(OWNER_ANNOTATION, resource.getMetadata().getName());
        annotations.put(DATA_HASH_ANNOTATION, dataHash);
        annotations.put(VAULT_VERSION_ANNOTATION, Integer.toString(vaultVersion));
        Map<String, String> encoded = new LinkedHashMap<>();
        data.forEach(
                (k, v) ->
                        encoded.put(
                                k,
                                Base64.getEncoder()
                                        .encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        SecretBuilder builder =
                existing == null
                        ? new SecretBuilder().withType("Opaque")
                        : new SecretBuilder(existing);
        return builder.editOrNewMetadata()
                .withName(targetName(resource))
                .withNamespace(namespace(resource))
                .withLabels(labels)
                .withAnnotations(annotations)
                .withOwnerReferences(ownerReferences(resource, existing))
                .endMetadata()
                .withData(encoded)
                .withStringData(null)
                .build();
    }

    /** Owner reference only with deletionPolicy Delete; other owners are kept as they are. */
    private static List<OwnerReference> ownerReferences(TenantSecret resource, Secret existing) {
        List<OwnerReference> refs =
                existing == null || existing.getMetadata().getOwnerReferences() == null
                        ? new java.util.ArrayList<>()
                        : new java.util.ArrayList<>(existing.getMetadata().getOwnerReferences());
        refs.removeIf(r -> Objects.equals(r.getUid(), resource.getMetadata().getUid()));
        if (resource.getSpec().getTarget().getDeletionPolicy() == DeletionPolicy.Delete) {
            refs.add(
                    new OwnerReferenceBuilder()
                            .withApiVersion(resource.getApiVersion())
                            .withKind(resource.getKind())
                            .withName(resource.getMetadata().getName())
                            .withUid(resource.getMetadata().getUid())
                            .withController(true)
                            .withBlockOwnerDeletion(false)
                            .build());
        }
        return refs;
    }

    private static boolean sameContent(Secret existing, Secret desired) {
        return decodedData(existing).equals(decodedData(desired))
                && labels(existing.getMetadata()).equals(labels(desired.getMetadata()))
                && annotations(existing.getMetadata()).equals(annotations(desired.getMetadata()))
                && Objects.equals(
                        refsOrEmpty(existing.getMetadata()), refsOrEmpty(desired.getMetadata()));
    }

    private static List<OwnerReference> refsOrEmpty(ObjectMeta meta) {
        return meta.getOwnerReferences() == null ? List.of() : meta.getOwnerReferences();
    }

    private static Map<String, String> labels(ObjectMeta meta) {
        return meta.getLabels() == null ? Map.of() : meta.getLabels();
    }

    private static Map<String, String> annotations(ObjectMeta meta) {
        return meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    }

    private static String namespace(TenantSecret resource) {
        return resource.getMetadata().getNamespace();
    }
}
