package io.smeflow.secrets.rotation.generate;

import static io.smeflow.secrets.rotation.generate.GeneratorSpecValidatorTest.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smeflow.secrets.api.v1alpha1.Encoding;
import io.smeflow.secrets.api.v1alpha1.GeneratorSpec;
import io.smeflow.secrets.api.v1alpha1.GeneratorType;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretGeneratorTest {

    private static final Pattern PEM_BASE64_LINE = Pattern.compile("[A-Za-z0-9+/=]{1,64}");

    static SecureRandom seeded(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Counts the random bytes drawn, to show whether anything was generated. */
    static final class CountingSecureRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final SecureRandom delegate = seeded(7);
        long bytesDrawn;

        @Override
        public synchronized void nextBytes(byte[] bytes) {
            bytesDrawn += bytes.length;
            delegate.nextBytes(bytes);
        }
    }

    private final SecretGenerator generator = new SecretGenerator(seeded(20260329));

    private static GeneratorSpec password(Integer length, boolean symbols, boolean unambiguous) {
        GeneratorSpec spec = spec(GeneratorType.Password, length);
        spec.setSymbols(symbols);
        spec.setExcludeAmbiguous(unambiguous);
        return spec;
    }

    private static boolean containsAny(String value, String chars) {
        return value.chars().anyMatch(c -> chars.indexOf(c) >= 0);
    }

    // ---- Password ----

    @Test
    void passwordDefaultsTo32CharactersUnderKeyValue() {
        Map<String, String> values = generator.generate(spec(GeneratorType.Password, null));
        assertEquals(Set.of("value"), values.keySet());
        assertEquals(32, values.get("value").length());
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 13, 64, 4096})
    void passwordHasTheRequestedLength(int length) {
        assertEquals(
                length, generator.generate(password(length, true, false)).get("value").length());
    }

    @Test
    void everyPasswordHasEveryClassAndOnlyAllowedCharacters() {
        String allowed =
                SecretGenerator.LOWER
                        + SecretGenerator.UPPER
                        + SecretGenerator.DIGITS
                        + SecretGenerator.SYMBOLS;
        for (int i = 0; i < 300; i++) {
            String value = generator.generate(password(12, true, false)).get("value");
            assertTrue(containsAny(value, SecretGenerator.LOWER), "no lower-case letter");
            assertTrue(containsAny(value, SecretGenerator.UPPER), "no upper-case letter");
            assertTrue(containsAny(value, SecretGenerator.DIGITS), "no digit");
            assertTrue(containsAny(value, SecretGenerator.SYMBOLS), "no symbol");
            assertTrue(value.chars().allMatch(c -> allowed.indexOf(c) >= 0), "disallowed char");
        }
    }

    @Test
    void passwordWithoutSymbolsIsLettersAndDigitsOfEveryClass() {
        for (int i = 0; i < 300; i++) {
            String value = generator.generate(password(12, false, false)).get("value");
            assertTrue(value.chars().allMatch(Character::isLetterOrDigit), "non-alphanumeric");
            assertTrue(containsAny(value, SecretGenerator.LOWER), "no lower-case letter");
            assertTrue(containsAny(value, SecretGenerator.UPPER), "no upper-case letter");
            assertTrue(containsAny(value, SecretGenerator.DIGITS), "no digit");
        }
    }

    @Test
    void excludeAmbiguousNeverYieldsLookAlikes() {
        for (char c : "0Oo1lI|".toCharArray()) {
            assertTrue(SecretGenerator.AMBIGUOUS.indexOf(c) >= 0, "AMBIGUOUS lacks " + c);
        }
        for (boolean symbols : new boolean[] {true, false}) {
            for (int i = 0; i < 200; i++) {
                String value = generator.generate(password(32, symbols, true)).get("value");
                assertFalse(containsAny(value, SecretGenerator.AMBIGUOUS), "ambiguous char");
                assertTrue(containsAny(value, SecretGenerator.DIGITS), "no digit");
            }
        }
    }

    @Test
    void passwordNeverStartsWithASymbol() {
        for (int i = 0; i < 500; i++) {
            String value = generator.generate(password(12, true, false)).get("value");
            assertTrue(Character.isLetterOrDigit(value.charAt(0)), "starts with a symbol");
        }
    }

    @Test
    void symbolsNeedNoEscapingInUrlsShellsOrYaml() {
        // RFC 3986 unreserved: never percent-encoded; none is a shell or YAML metacharacter
        // inside a word.
        assertTrue(SecretGenerator.SYMBOLS.matches("[-._~]+"));
        assertEquals(4, SecretGenerator.SYMBOLS.chars().distinct().count());
    }

    @Test
    void charactersOfEachClassAreEquallyLikely() {
        // Requiring one character of every class favours the small symbol class as a whole,
        // but within a class every character must be equally likely.
        int[] counts = new int[128];
        for (int i = 0; i < 1000; i++) {
            String value = generator.generate(password(32, true, false)).get("value");
            value.chars().forEach(c -> counts[c]++);
        }
        for (String charClass :
                List.of(
                        SecretGenerator.LOWER,
                        SecretGenerator.UPPER,
                        SecretGenerator.DIGITS,
                        SecretGenerator.SYMBOLS)) {
            double mean = charClass.chars().map(c -> counts[c]).average().orElseThrow();
            assertTrue(mean > 100, "too few samples of " + charClass);
            for (char c : charClass.toCharArray()) {
                assertTrue(
                        Math.abs(counts[c] - mean) < mean * 0.2,
                        "'" + c + "' seen " + counts[c] + " times, class mean " + mean);
            }
        }
    }

    @Test
    void everyKeyGetsAnIndependentValueAndCallsDiffer() {
        GeneratorSpec spec = spec(GeneratorType.Password, 16, "a", "b", "c");
        Map<String, String> first = generator.generate(spec);
        Map<String, String> second = generator.generate(spec);
        assertEquals(List.of("a", "b", "c"), List.copyOf(first.keySet()));
        Set<String> all = new HashSet<>(first.values());
        all.addAll(second.values());
        assertEquals(6, all.size());
    }

    @Test
    void theInjectedRandomIsTheOnlySourceOfRandomness() {
        GeneratorSpec spec = spec(GeneratorType.Password, null, "x", "y");
        assertEquals(
                new SecretGenerator(seeded(99)).generate(spec),
                new SecretGenerator(seeded(99)).generate(spec));
        assertNotEquals(
                new SecretGenerator(seeded(99)).generate(spec),
                new SecretGenerator(seeded(100)).generate(spec));
    }

    @Test
    void defaultConstructorGenerates() {
        assertEquals(
                32,
                new SecretGenerator()
                        .generate(spec(GeneratorType.Password, null))
                        .get("value")
                        .length());
    }

    // ---- RandomBytes ----

    @ParameterizedTest
    @ValueSource(ints = {16, 17, 32, 100, 4096})
    void hexIsLowerCaseAndDecodesToTheRequestedByteCount(int length) {
        GeneratorSpec spec = spec(GeneratorType.RandomBytes, length);
        spec.setEncoding(Encoding.hex);
        String value = generator.generate(spec).get("value");
        assertTrue(value.matches("[0-9a-f]{" + 2 * length + "}"), value.length() + " chars");
        assertEquals(length, HexFormat.of().parseHex(value).length);
    }

    @ParameterizedTest
    @CsvSource({"16, 24", "17, 24", "18, 24", "32, 44", "100, 136"})
    void base64IsStandardPaddedAndDecodesToTheRequestedByteCount(int length, int chars) {
        GeneratorSpec spec = spec(GeneratorType.RandomBytes, length);
        spec.setEncoding(Encoding.base64);
        String value = generator.generate(spec).get("value");
        assertEquals(chars, value.length());
        assertTrue(value.matches("[A-Za-z0-9+/]*={0,2}"), "standard alphabet, padded");
        assertEquals(length, Base64.getDecoder().decode(value).length);
    }

    @Test
    void randomBytesDefaultTo32BytesOfBase64UnderValue() {
        GeneratorSpec spec = spec(GeneratorType.RandomBytes, null);
        spec.setEncoding(null);
        Map<String, String> values = generator.generate(spec);
        assertEquals(Set.of("value"), values.keySet());
        assertEquals(32, Base64.getDecoder().decode(values.get("value")).length);
    }

    @Test
    void randomBytesAreDistinctAcrossKeysAndCalls() {
        GeneratorSpec spec = spec(GeneratorType.RandomBytes, 16, "k1", "k2", "k3");
        spec.setEncoding(Encoding.hex);
        Set<String> all = new HashSet<>(generator.generate(spec).values());
        all.addAll(generator.generate(spec).values());
        assertEquals(6, all.size());
    }

    // ---- Key pairs ----

    private static byte[] pemBody(String pem, String label) {
        String begin = "-----BEGIN " + label + "-----\n";
        String end = "-----END " + label + "-----\n";
        assertTrue(pem.startsWith(begin), "PEM header");
        assertTrue(pem.endsWith(end), "PEM footer");
        String[] lines = pem.substring(begin.length(), pem.length() - end.length()).split("\n");
        for (int i = 0; i < lines.length; i++) {
            assertTrue(PEM_BASE64_LINE.matcher(lines[i]).matches(), "line " + i);
            if (i < lines.length - 1) {
                assertEquals(64, lines[i].length(), "line " + i + " length");
            }
        }
        return Base64.getDecoder().decode(String.join("", lines));
    }

    private static PrivateKey privateKey(String algorithm, String pem)
            throws GeneralSecurityException {
        return KeyFactory.getInstance(algorithm)
                .generatePrivate(new PKCS8EncodedKeySpec(pemBody(pem, "PRIVATE KEY")));
    }

    private static PublicKey publicKey(String algorithm, String pem)
            throws GeneralSecurityException {
        return KeyFactory.getInstance(algorithm)
                .generatePublic(new X509EncodedKeySpec(pemBody(pem, "PUBLIC KEY")));
    }

    private static boolean signAndVerify(
            String signatureAlgorithm, PrivateKey privateKey, PublicKey publicKey)
            throws GeneralSecurityException {
        byte[] message = "rotate me".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance(signatureAlgorithm);
        signer.initSign(privateKey);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(signatureAlgorithm);
        verifier.initVerify(publicKey);
        verifier.update(message);
        return verifier.verify(signature);
    }

    @Test
    void rsaPairIsPkcs8AndX509PemOfAMatchingPairWithTheRequestedModulus() throws Exception {
        Map<String, String> values =
                generator.generate(spec(GeneratorType.RSAKeyPair, 2048, "tls.key", "tls.pub"));
        assertEquals(List.of("tls.key", "tls.pub"), List.copyOf(values.keySet()));
        PrivateKey privateKey = privateKey("RSA", values.get("tls.key"));
        PublicKey publicKey = publicKey("RSA", values.get("tls.pub"));
        RSAPublicKey rsaPublic = (RSAPublicKey) publicKey;
        assertEquals(2048, rsaPublic.getModulus().bitLength());
        assertEquals(BigInteger.valueOf(65537), rsaPublic.getPublicExponent());
        assertEquals(rsaPublic.getModulus(), ((RSAPrivateCrtKey) privateKey).getModulus());
        assertTrue(signAndVerify("SHA256withRSA", privateKey, publicKey));
    }

    @Test
    void rsaDefaultsTo3072BitsUnderPrivateKeyAndPublicKey() throws Exception {
        Map<String, String> values = generator.generate(spec(GeneratorType.RSAKeyPair, null));
        assertEquals(List.of("private_key", "public_key"), List.copyOf(values.keySet()));
        RSAPublicKey publicKey = (RSAPublicKey) publicKey("RSA", values.get("public_key"));
        assertEquals(3072, publicKey.getModulus().bitLength());
        assertTrue(
                signAndVerify(
                        "SHA256withRSA", privateKey("RSA", values.get("private_key")), publicKey));
    }

    @Test
    void keysOfDifferentPairsDoNotVerifyEachOther() throws Exception {
        GeneratorSpec spec = spec(GeneratorType.ECKeyPair, 256);
        Map<String, String> first = generator.generate(spec);
        Map<String, String> second = generator.generate(spec);
        assertNotEquals(first.get("private_key"), second.get("private_key"));
        assertFalse(
                signAndVerify(
                        "SHA256withECDSA",
                        privateKey("EC", first.get("private_key")),
                        publicKey("EC", second.get("public_key"))));
    }

    @ParameterizedTest
    @CsvSource({"256, secp256r1", "384, secp384r1", "521, secp521r1"})
    void ecPairIsPemOfAMatchingPairOnTheNamedCurve(int bits, String curve) throws Exception {
        Map<String, String> values = generator.generate(spec(GeneratorType.ECKeyPair, bits));
        ECPrivateKey privateKey = (ECPrivateKey) privateKey("EC", values.get("private_key"));
        ECPublicKey publicKey = (ECPublicKey) publicKey("EC", values.get("public_key"));

        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec(curve));
        ECParameterSpec expected = parameters.getParameterSpec(ECParameterSpec.class);
        for (ECParameterSpec actual : List.of(privateKey.getParams(), publicKey.getParams())) {
            assertEquals(bits, actual.getCurve().getField().getFieldSize());
            assertEquals(expected.getOrder(), actual.getOrder());
            assertEquals(expected.getGenerator(), actual.getGenerator());
        }
        assertTrue(signAndVerify("SHA256withECDSA", privateKey, publicKey));
    }

    // ---- Invalid specs ----

    @Test
    void invalidSpecThrowsWithEveryProblemBeforeGeneratingAnything() {
        CountingSecureRandom random = new CountingSecureRandom();
        SecretGenerator counting = new SecretGenerator(random);
        GeneratorSpec spec = spec(GeneratorType.RSAKeyPair, 1024, "a", "b", "c");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> counting.generate(spec));
        assertEquals(
                "invalid generator: generator.length must be between 2048 and 4096 for RSAKeyPair,"
                        + " got 1024; generator.keys must list exactly 2 keys for RSAKeyPair (the"
                        + " private key, then the public key), got 3",
                e.getMessage());
        assertEquals(0, random.bytesDrawn, "no value was generated");
    }

    @Test
    void invalidSpecMessageContainsNoValueTheGeneratorWouldHaveMade() {
        // The value the same random source makes for the valid part of the spec...
        String wouldBe =
                new SecretGenerator(seeded(5))
                        .generate(spec(GeneratorType.Password, 12, "value"))
                        .get("value");
        // ...does not appear when the spec is invalid.
        GeneratorSpec invalid = spec(GeneratorType.Password, 12, "value", "value_previous");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new SecretGenerator(seeded(5)).generate(invalid));
        assertTrue(e.getMessage().startsWith("invalid generator: generator.keys[1]"));
        assertFalse(e.getMessage().contains(wouldBe));
    }

    @Test
    void nullSpecOrTypeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> generator.generate(null));
        assertThrows(IllegalArgumentException.class, () -> generator.generate(spec(null, null)));
    }
}
