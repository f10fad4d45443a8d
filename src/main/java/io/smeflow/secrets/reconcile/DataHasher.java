package io.smeflow.secrets.reconcile;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 over secret data under the operator-held key. Unlike a plain digest, the result
 * cannot be used to confirm a guessed value by anyone who can read status.
 */
@ApplicationScoped
public class DataHasher {

    private final HmacKey key;

    public DataHasher(HmacKey key) {
        this.key = key;
    }

    /** A stable hash of the map: keys sorted, each key and value length-prefixed. */
    public String hash(Map<String, String> data) {
        Mac mac = newMac();
        for (Map.Entry<String, String> e : new TreeMap<>(data).entrySet()) {
            update(mac, e.getKey());
            update(mac, e.getValue());
        }
        return "hmac-sha256:" + HexFormat.of().formatHex(mac.doFinal());
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static void update(Mac mac, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        mac.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) ':');
        mac.update(bytes);
    }
}
