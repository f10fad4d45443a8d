package io.smeflow.secrets.rotation.generate;

import io.smeflow.secrets.api.v1alpha1.Encoding;
import io.smeflow.secrets.api.v1alpha1.GeneratorSpec;
import io.smeflow.secrets.api.v1alpha1.GeneratorType;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Makes new secret values for the Generate strategy from a {@link GeneratorSpec}.
 *
 * <p>Passwords are drawn from lower-case letters, upper-case letters, digits and, if {@code
 * symbols} is on, the symbols {@value #SYMBOLS}. Those four are RFC 3986 "unreserved" characters:
 * they never need percent-encoding in a URL (e.g. a database connection string), quoting in a POSIX
 * shell, or escaping in YAML. A password contains at least one character of every enabled class and
 * never starts with a symbol (so it cannot look like a command-line option or start a shell tilde
 * expansion); otherwise every character is chosen uniformly ({@link SecureRandom#nextInt(int)}, no
 * modulo bias), by rejection sampling: whole candidates are drawn until one covers every class, so
 * all valid passwords are equally likely. {@code excludeAmbiguous} leaves out {@value #AMBIGUOUS}.
 *
 * <p>Generated values never appear in exception messages or logs. Instances are thread-safe if the
 * {@link SecureRandom} is (the JDK's are).
 */
public class SecretGenerator {

    public static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    public static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public static final String DIGITS = "0123456789";

    /** Password symbols: RFC 3986 unreserved punctuation. */
    public static final String SYMBOLS = "-_.~";

    /** Characters {@code excludeAmbiguous} leaves out: look-alikes of 0 and of 1. */
    public static final String AMBIGUOUS = "0OoQD1lIi|";

    public static final int DEFAULT_PASSWORD_LENGTH = 32;
    public static final int DEFAULT_RANDOM_BYTES = 32;
    public static final int DEFAULT_RSA_BITS = 3072;
    public static final int DEFAULT_EC_BITS = 256;

    public static final List<String> DEFAULT_VALUE_KEYS = List.of("value");
    public static final List<String> DEFAULT_KEY_PAIR_KEYS = List.of("private_key", "public_key");

    /** Password candidates tried before giving up; each succeeds with probability over 0.3. */
    private static final int MAX_PASSWORD_ATTEMPTS = 1000;

    private static final byte[] PEM_LINE_SEPARATOR = "\n".getBytes(StandardCharsets.US_ASCII);

    private final SecureRandom random;

    public SecretGenerator() {
        this(new SecureRandom());
    }

    public SecretGenerator(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * New values for {@code spec}, key to value, in key order.
     *
     * @throws IllegalArgumentException if {@link GeneratorSpecValidator#problems(GeneratorSpec)}
     *     finds any; the message lists them all
     */
    public Map<String, String> generate(GeneratorSpec spec) {
        List<String> problems = GeneratorSpecValidator.problems(spec);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid generator: " + String.join("; ", problems));
        }
        GeneratorType type = spec.getType();
        switch (type) {
            case Password:
                return passwords(spec);
            case RandomBytes:
                return randomBytes(spec);
            case RSAKeyPair:
                return keyPair(spec, rsa(orDefault(spec.getLength(), DEFAULT_RSA_BITS)));
            case ECKeyPair:
                return keyPair(spec, ec(orDefault(spec.getLength(), DEFAULT_EC_BITS)));
            default:
                throw new IllegalStateException("unknown generator type " + type);
        }
    }

    private Map<String, String> passwords(GeneratorSpec spec) {
        int length = orDefault(spec.getLength(), DEFAULT_PASSWORD_LENGTH);
        boolean symbols = !Boolean.FALSE.equals(spec.getSymbols());
        boolean excludeAmbiguous = Boolean.TRUE.equals(spec.getExcludeAmbiguous());
        List<String> classes = new ArrayList<>();
        classes.add(filter(LOWER, excludeAmbiguous));
        classes.add(filter(UPPER, excludeAmbiguous));
        classes.add(filter(DIGITS, excludeAmbiguous));
        String first = String.join("", classes);
        if (symbols) {
            classes.add(filter(SYMBOLS, excludeAmbiguous));
        }
        String all = String.join("", classes);
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : keys(spec, DEFAULT_VALUE_KEYS)) {
            values.put(key, password(length, first, all, classes));
        }
        return values;
    }

    private String password(int length, String first, String all, List<String> classes) {
        char[] candidate = new char[length];
        try {
            for (int attempt = 0; attempt < MAX_PASSWORD_ATTEMPTS; attempt++) {
                candidate[0] = first.charAt(random.nextInt(first.length()));
                for (int i = 1; i < length; i++) {
                    candidate[i] = all.charAt(random.nextInt(all.length()));
                }
                if (coversEvery(candidate, classes)) {
                    return new String(candidate);
                }
            }
        } finally {
            Arrays.fill(candidate, '\0');
        }
        throw new IllegalStateException(
                "could not generate a password with a character of every class");
    }

    private static boolean coversEvery(char[] candidate, List<String> classes) {
        for (String charClass : classes) {
            boolean found = false;
            for (char c : candidate) {
                if (charClass.indexOf(c) >= 0) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static String filter(String chars, boolean excludeAmbiguous) {
        if (!excludeAmbiguous) {
            return chars;
        }
        StringBuilder out = new StringBuilder(chars.length());
        for (char c : chars.toCharArray()) {
            if (AMBIGUOUS.indexOf(c) < 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private Map<String, String> randomBytes(GeneratorSpec spec) {
        int length = orDefault(spec.getLength(), DEFAULT_RANDOM_BYTES);
        boolean hex = spec.getEncoding() == Encoding.hex;
        Map<String, String> values = new LinkedHashMap<>();
        byte[] bytes = new byte[length];
        try {
            for (String key : keys(spec, DEFAULT_VALUE_KEYS)) {
                random.nextBytes(bytes);
                values.put(
                        key,
                        hex
                                ? HexFormat.of().formatHex(bytes)
                                : Base64.getEncoder().encodeToString(bytes));
            }
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        return values;
    }

    private KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(
                    new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + bits + "-bit RSA key pair", e);
        }
    }

    private KeyPair ec(int bits) {
        String curve = "secp" + bits + "r1";
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve), random);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an EC key pair on " + curve, e);
        }
    }

    private static Map<String, String> keyPair(GeneratorSpec spec, KeyPair pair) {
        List<String> keys = keys(spec, DEFAULT_KEY_PAIR_KEYS);
        Map<String, String> values = new LinkedHashMap<>();
        byte[] privateDer = pair.getPrivate().getEncoded();
        try {
            values.put(keys.get(0), pem("PRIVATE KEY", privateDer));
        } finally {
            Arrays.fill(privateDer, (byte) 0);
        }
        values.put(keys.get(1), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        return values;
    }

    /**
     * PEM text: the DER bytes ({@code PRIVATE KEY}: PKCS#8; {@code PUBLIC KEY}: X.509
     * SubjectPublicKeyInfo) in base64 lines of 64 characters, ending in a newline.
     */
    static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, PEM_LINE_SEPARATOR).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static List<String> keys(GeneratorSpec spec, List<String> defaults) {
        List<String> keys = spec.getKeys();
        return keys == null || keys.isEmpty() ? defaults : keys;
    }

    private static int orDefault(Integer value, int defaultValue) {
        return value == null ? defaultValue : value;
    }
}
