package io.smeflow.secrets.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smeflow.secrets.testing.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DataHasherTest {

    private static final String PREFIX = "hmac-sha256:";

    private static DataHasher hasher(String key) {
        return new DataHasher(new HmacKey(TestConfigs.of(Map.of("smeflow.hash.key", key)), null));
    }

    private final DataHasher k1 = hasher("k1");

    private static String sha256Hex(String text) throws Exception {
        return HexFormat.of()
                .formatHex(
                        MessageDigest.getInstance("SHA-256")
                                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void sameMapGivesSameHash() {
        Map<String, String> data = Map.of("user", "admin", "password", "s3cret");
        assertEquals(k1.hash(data), k1.hash(Map.copyOf(data)));
        assertEquals(k1.hash(data), hasher("k1").hash(data));
    }

    @Test
    void keyOrderIsIrrelevant() {
        Map<String, String> forward = new LinkedHashMap<>();
        forward.put("a", "1");
        forward.put("b", "2");
        forward.put("c", "3");
        Map<String, String> backward = new LinkedHashMap<>();
        backward.put("c", "3");
        backward.put("b", "2");
        backward.put("a", "1");
        assertEquals(k1.hash(forward), k1.hash(backward));
    }

    @Test
    void differentValueGivesDifferentHash() {
        assertNotEquals(
                k1.hash(Map.of("password", "s3cret")), k1.hash(Map.of("password", "s3cret2")));
        assertNotEquals(k1.hash(Map.of("password", "s3cret")), k1.hash(Map.of("password", "")));
    }

    @Test
    void differentDataKeyGivesDifferentHash() {
        assertNotEquals(k1.hash(Map.of("user", "x")), k1.hash(Map.of("name", "x")));
    }

    @Test
    void addingAnEntryChangesTheHash() {
        assertNotEquals(k1.hash(Map.of("a", "1")), k1.hash(Map.of("a", "1", "b", "")));
        assertNotEquals(k1.hash(Map.of()), k1.hash(Map.of("", "")));
    }

    @Test
    void differentHmacKeyGivesDifferentHash() {
        Map<String, String> data = Map.of("user", "admin", "password", "s3cret");
        assertNotEquals(k1.hash(data), hasher("k2").hash(data));
        assertNotEquals(k1.hash(Map.of()), hasher("k2").hash(Map.of()));
    }

    @Test
    void hashHasThePrefixAndA256BitHexDigest() {
        String hash = k1.hash(Map.of("a", "b"));
        assertTrue(hash.startsWith(PREFIX), hash);
        assertTrue(hash.substring(PREFIX.length()).matches("[0-9a-f]{64}"), hash);
    }

    @Test
    void hashIsNotAPlainSha256OfASimpleEncoding() throws Exception {
        Map<String, String> data = new TreeMap<>(Map.of("a", "b", "c", "d"));
        String digest = k1.hash(data).substring(PREFIX.length());
        List<String> encodings =
                List.of(
                        "",
                        "a=b;c=d",
                        "a=b\nc=d",
                        "a=b\nc=d\n",
                        "a:b,c:d",
                        "abcd",
                        "bd",
                        "{a=b, c=d}",
                        "{\"a\":\"b\",\"c\":\"d\"}",
                        "1:a1:b1:c1:d",
                        "k11:a1:b1:c1:d",
                        "1:a1:b1:c1:dk1");
        for (String encoding : encodings) {
            assertNotEquals(sha256Hex(encoding), digest, "plain SHA-256 of " + encoding);
        }
    }

    @Test
    void keyAndValueBoundariesCannotBeShifted() {
        assertNotEquals(k1.hash(Map.of("a", "bc")), k1.hash(Map.of("ab", "c")));
        assertNotEquals(k1.hash(Map.of("a", "")), k1.hash(Map.of("", "a")));
        assertNotEquals(k1.hash(Map.of("a", "1:b")), k1.hash(Map.of("a:1", "b")));
    }

    @Test
    void entriesCannotBeForgedInsideAValue() {
        assertNotEquals(k1.hash(Map.of("a", "b", "c", "d")), k1.hash(Map.of("a", "b;c=d")));
        assertNotEquals(k1.hash(Map.of("a", "b", "c", "d")), k1.hash(Map.of("a", "b1:c1:d")));
        assertNotEquals(k1.hash(Map.of("a", "b", "c", "d")), k1.hash(Map.of("a", "bcd")));
    }

    @Test
    void hashNeverContainsTheValueText() {
        for (String value : List.of("hunter2", "s3cret", "p@ss word", "x".repeat(200))) {
            String hash = k1.hash(Map.of("password", value));
            assertFalse(hash.contains(value), hash + " contains " + value);
            assertFalse(hash.contains("password"), hash);
        }
    }

    @Test
    void unicodeValuesAreHashedByTheirExactBytes() {
        assertEquals(k1.hash(Map.of("k", "caf\u00e9")), k1.hash(Map.of("k", "caf\u00e9")));
        // NFC and NFD forms render alike but are different data.
        assertNotEquals(k1.hash(Map.of("k", "caf\u00e9")), k1.hash(Map.of("k", "cafe\u0301")));
    }
}
