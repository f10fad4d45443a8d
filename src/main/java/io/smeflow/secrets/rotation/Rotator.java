package io.smeflow.secrets.rotation;

import io.smeflow.secrets.config.OperatorConfig;
import io.smeflow.secrets.rotation.RotationCheckpoints.Checkpoint;
import io.smeflow.secrets.rotation.generate.SecretGenerator;
import io.smeflow.secrets.vault.KvMetadata;
import io.smeflow.secrets.vault.KvSecret;
import io.smeflow.secrets.vault.SecretLocation;
import io.smeflow.secrets.vault.VaultAccessException;
import io.smeflow.secrets.vault.VaultFailure;
import io.smeflow.secrets.vault.VaultKvClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Produces a new Vault version, and nothing else: carrying it to the Secret and the workloads is
 * the ordinary sync path. The order makes a crash at any point converge to exactly one rotation:
 *
 * <ol>
 *   <li>record the rotation's id and the version it will create in the custom metadata;
 *   <li>write the new value with check-and-set on the version read.
 * </ol>
 *
 * After a crash, metadata naming the current version as this rotation's result proves it done;
 * metadata naming a version that does not exist yet means the write never happened. A lost
 * check-and-set means someone else wrote first: nothing is retried.
 */
@ApplicationScoped
public class Rotator {

    public static final String ROTATION_ID = "rotation_id";
    public static final String ROTATION_VERSION = "rotation_version";
    public static final String ROTATION_DATE = "rotation_date";
    public static final String ROTATED_BY = "rotated_by";
    public static final String ROTATION_TRIGGER = "rotation_trigger";

    /** What a rotation attempt did. */
    public enum Result {
        /** A new version was written. */
        ROTATED,
        /** Vault's metadata shows this rotation already produced the current version. */
        ALREADY_DONE,
        /** Someone else wrote a version first; not rotated again. */
        LOST_RACE
    }

    /**
     * @param result what happened
     * @param version the current Vault version afterwards
     */
    public record Outcome(Result result, int version) {}

    private final VaultKvClient vault;
    private final SecretGenerator generator;
    private final RotationCheckpoints checkpoints;
    private final OperatorConfig config;
    private final Clock clock;

    public Rotator(
            VaultKvClient vault,
            RotationCheckpoints checkpoints,
            OperatorConfig config,
            Clock clock) {
        this.vault = vault;
        this.generator = new SecretGenerator();
        this.checkpoints = checkpoints;
        this.config = config;
        this.clock = clock;
    }

    /** Whether Vault's metadata shows {@code request} already produced a version up to current. */
    public static boolean alreadyDone(KvMetadata metadata, RotationRequest request) {
        Map<String, String> custom = metadata.customMetadata();
        if (!request.rotationId().equals(custom.get(ROTATION_ID))) {
            return false;
        }
        String produced = custom.get(ROTATION_VERSION);
        return produced != null && Integer.parseInt(produced) <= metadata.currentVersion();
    }

    /** The rotation date recorded for {@code version}, if the operator's rotation produced it. */
    public static Optional<Instant> rotationDateOf(KvMetadata metadata, int version) {
        Map<String, String> custom = metadata.customMetadata();
        if (!Integer.toString(version).equals(custom.get(ROTATION_VERSION))
                || custom.get(ROTATION_DATE) == null) {
            return Optional.empty();
        }
        return Optional.of(Instant.parse(custom.get(ROTATION_DATE)));
    }

    /** Whether {@code version} was produced by an emergency rotation. */
    public static boolean wasEmergency(KvMetadata metadata, int version) {
        Map<String, String> custom = metadata.customMetadata();
        return Integer.toString(version).equals(custom.get(ROTATION_VERSION))
                && RotationRequest.Trigger.EMERGENCY.label().equals(custom.get(ROTATION_TRIGGER));
    }

    /**
     * Rotates the secret at {@code location}, whose current version was read as {@code current}.
     */
    public Outcome rotate(
            SecretLocation location,
            KvSecret current,
            EffectivePolicy policy,
            RotationRequest request)
            throws VaultAccessException {
        KvMetadata metadata = vault.readMetadata(location);
        if (alreadyDone(metadata, request)) {
            return new Outcome(Result.ALREADY_DONE, metadata.currentVersion());
        }
        if (metadata.currentVersion() != current.version()) {
            return new Outcome(Result.LOST_RACE, metadata.currentVersion());
        }
        int next = current.version() + 1;
        vault.writeCustomMetadata(location, intent(metadata, request, next));
        checkpoints.reached(Checkpoint.INTENT_RECORDED);

        Map<String, String> data = new LinkedHashMap<>(current.data());
        data.putAll(generator.generate(policy.generator()));
        try {
            int written = vault.writeIfVersion(location, data, current.version());
            checkpoints.reached(Checkpoint.VAULT_WRITTEN);
            return new Outcome(Result.ROTATED, written);
        } catch (VaultAccessException e) {
            if (e.failure() == VaultFailure.CAS_CONFLICT) {
                return new Outcome(Result.LOST_RACE, current.version() + 1);
            }
            throw e;
        }
    }

    private Map<String, String> intent(KvMetadata metadata, RotationRequest request, int next) {
        Map<String, String> custom = new HashMap<>(metadata.customMetadata());
        custom.put(ROTATION_ID, request.rotationId());
        custom.put(ROTATION_VERSION, Integer.toString(next));
        custom.put(ROTATION_DATE, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        custom.put(ROTATED_BY, config.audit().userId());
        custom.put(ROTATION_TRIGGER, request.trigger().label());
        return custom;
    }
}
