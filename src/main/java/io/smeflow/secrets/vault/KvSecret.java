package io.smeflow.secrets.vault;

import java.time.Instant;
import java.util.Map;

/**
 * One version of a KV v2 secret. {@link #toString()} never shows the data.
 *
 * @param data the key/value pairs
 * @param version the KV v2 version number
 * @param createdTime when Vault created this version
 */
public record KvSecret(Map<String, String> data, int version, Instant createdTime) {

    public KvSecret {
        data = Map.copyOf(data);
    }

    @Override
    public String toString() {
        return "KvSecret[version=" + version + ", keys=" + data.keySet() + "]";
    }
}
