package io.smeflow.secrets.rotation.generate;

import io.smeflow.secrets.api.v1alpha1.ApiPatterns;
import io.smeflow.secrets.api.v1alpha1.GeneratorSpec;
import io.smeflow.secrets.api.v1alpha1.GeneratorType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a {@link GeneratorSpec} beyond what the schema enforces. Each problem is a sentence that
 * names the field and says what to change; no problems means the spec can be generated.
 */
public final class GeneratorSpecValidator {

    /** Suffix reserved for the previous value kept during previousVersionGrace. */
    public static final String PREVIOUS_SUFFIX = "_previous";

    /** Shortest generated password, in characters. */
    public static final int MIN_PASSWORD_LENGTH = 12;

    /** Fewest random bytes. */
    public static final int MIN_RANDOM_BYTES = 16;

    /** RSA modulus bounds, in bits. */
    public static final int MIN_RSA_BITS = 2048;

    public static final int MAX_RSA_BITS = 4096;

    /** Longest password, in characters, and most random bytes (the schema's maximum). */
    public static final int MAX_LENGTH = 4096;

    /** Most keys (the schema's maximum). */
    public static final int MAX_KEYS = 16;

    private static final Pattern DATA_KEY = Pattern.compile(ApiPatterns.DATA_KEY);
    private static final int MAX_KEY_ECHO = 64;

    private GeneratorSpecValidator() {}

    /** What is wrong with {@code spec}; empty if it is valid. */
    public static List<String> problems(GeneratorSpec spec) {
        List<String> problems = new ArrayList<>();
        if (spec == null) {
            problems.add("generator is required when strategy is Generate");
            return problems;
        }
        GeneratorType type = spec.getType();
        if (type == null) {
            problems.add(
                    "generator.type is required: one of Password, RandomBytes, RSAKeyPair,"
                            + " ECKeyPair");
        } else {
            lengthProblem(type, spec.getLength(), problems);
        }
        keyProblems(type, spec.getKeys(), problems);
        return problems;
    }

    private static void lengthProblem(GeneratorType type, Integer length, List<String> problems) {
        if (length == null) {
            return;
        }
        switch (type) {
            case Password:
                between(type, length, MIN_PASSWORD_LENGTH, MAX_LENGTH, problems);
                break;
            case RandomBytes:
                between(type, length, MIN_RANDOM_BYTES, MAX_LENGTH, problems);
                break;
            case RSAKeyPair:
                if (between(type, length, MIN_RSA_BITS, MAX_RSA_BITS, problems)
                        && length % 8 != 0) {
                    problems.add(
                            "generator.length must be a multiple of 8 for RSAKeyPair, e.g. 2048,"
                                    + " 3072 or 4096, got "
                                    + length);
                }
                break;
            case ECKeyPair:
                if (length != 256 && length != 384 && length != 521) {
                    problems.add(
                            "generator.length must be 256, 384 or 521 for ECKeyPair, got "
                                    + length);
                }
                break;
            default:
                throw new IllegalStateException("unknown generator type " + type);
        }
    }

    private static boolean between(
            GeneratorType type, int length, int min, int max, List<String> problems) {
        if (length < min || length > max) {
            problems.add(
                    "generator.length must be between "
                            + min
                            + " and "
                            + max
                            + " for "
                            + type
                            + ", got "
                            + length);
            return false;
        }
        return true;
    }

    private static void keyProblems(GeneratorType type, List<String> keys, List<String> problems) {
        if (keys == null || keys.isEmpty()) {
            return;
        }
        boolean keyPair = type == GeneratorType.RSAKeyPair || type == GeneratorType.ECKeyPair;
        if (keyPair && keys.size() != 2) {
            problems.add(
                    "generator.keys must list exactly 2 keys for "
                            + type
                            + " (the private key, then the public key), got "
                            + keys.size());
        } else if (keys.size() > MAX_KEYS) {
            problems.add("generator.keys may list at most " + MAX_KEYS + ", got " + keys.size());
        }
        Set<String> seen = new HashSet<>();
        Set<String> reported = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            String field = "generator.keys[" + i + "]";
            if (key == null || key.isEmpty()) {
                problems.add(field + " is empty; give a key name such as value or password");
                continue;
            }
            String shown = "\"" + echo(key) + "\"";
            if (!DATA_KEY.matcher(key).matches()) {
                problems.add(
                        field
                                + " "
                                + shown
                                + " may contain only letters, digits, '-', '_' and '.'");
            }
            if (key.endsWith(PREVIOUS_SUFFIX)) {
                problems.add(
                        field
                                + " "
                                + shown
                                + " must not end in \""
                                + PREVIOUS_SUFFIX
                                + "\"; that suffix is reserved for the previous value kept"
                                + " during previousVersionGrace");
            }
            if (!seen.add(key) && reported.add(key)) {
                problems.add("generator.keys lists " + shown + " more than once; list each once");
            }
        }
    }

    private static String echo(String key) {
        String cut = key.length() > MAX_KEY_ECHO ? key.substring(0, MAX_KEY_ECHO) + "..." : key;
        StringBuilder out = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return out.toString();
    }
}
