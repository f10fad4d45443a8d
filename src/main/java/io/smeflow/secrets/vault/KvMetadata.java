package io.smeflow.secrets.vault;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The metadata of a KV v2 secret: which version is current, when each version was made and the
 * custom metadata the operator records on rotation.
 */
public record KvMetadata(
        int currentVersion,
        Map<Integer, Instant> createdTimes,
        Map<String, String> customMetadata) {

    public KvMetadata {
        createdTimes = Map.copyOf(createdTimes);
        customMetadata = Map.copyOf(customMetadata);
    }

    public Optional<Instant> createdTime(int version) {
        return Optional.ofNullable(createdTimes.get(version));
    }
}
