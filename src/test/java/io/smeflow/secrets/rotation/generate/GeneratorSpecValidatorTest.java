package io.smeflow.secrets.rotation.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smeflow.secrets.api.v1alpha1.GeneratorSpec;
import io.smeflow.secrets.api.v1alpha1.GeneratorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class GeneratorSpecValidatorTest {

    static GeneratorSpec spec(GeneratorType type, Integer length, String... keys) {
        GeneratorSpec spec = new GeneratorSpec();
        spec.setType(type);
        spec.setLength(length);
        spec.setKeys(new ArrayList<>(Arrays.asList(keys)));
        return spec;
    }

    @ParameterizedTest
    @EnumSource(GeneratorType.class)
    void defaultsAreValid(GeneratorType type) {
        assertEquals(List.of(), GeneratorSpecValidator.problems(spec(type, null)));
    }

    @ParameterizedTest
    @CsvSource({
        "Password, 12",
        "Password, 32",
        "Password, 4096",
        "RandomBytes, 16",
        "RandomBytes, 4096",
        "RSAKeyPair, 2048",
        "RSAKeyPair, 3072",
        "RSAKeyPair, 4096",
        "ECKeyPair, 256",
        "ECKeyPair, 384",
        "ECKeyPair, 521",
    })
    void lengthsWithinBoundsAreValid(GeneratorType type, int length) {
        assertEquals(List.of(), GeneratorSpecValidator.problems(spec(type, length)));
    }

    @ParameterizedTest
    @CsvSource({
        "Password, 11, 'generator.length must be between 12 and 4096 for Password, got 11'",
        "Password, 8, 'generator.length must be between 12 and 4096 for Password, got 8'",
        "Password, 4097, 'generator.length must be between 12 and 4096 for Password, got 4097'",
        "RandomBytes, 15, 'generator.length must be between 16 and 4096 for RandomBytes, got 15'",
        "RandomBytes, 0, 'generator.length must be between 16 and 4096 for RandomBytes, got 0'",
        "RSAKeyPair, 1024, 'generator.length must be between 2048 and 4096 for RSAKeyPair, got"
                + " 1024'",
        "RSAKeyPair, 8192, 'generator.length must be between 2048 and 4096 for RSAKeyPair, got"
                + " 8192'",
        "RSAKeyPair, 2050, 'generator.length must be a multiple of 8 for RSAKeyPair, e.g. 2048,"
                + " 3072 or 4096, got 2050'",
        "ECKeyPair, 255, 'generator.length must be 256, 384 or 521 for ECKeyPair, got 255'",
        "ECKeyPair, 512, 'generator.length must be 256, 384 or 521 for ECKeyPair, got 512'",
        "ECKeyPair, -1, 'generator.length must be 256, 384 or 521 for ECKeyPair, got -1'",
    })
    void lengthOutOfBoundsSaysWhatToFix(GeneratorType type, int length, String message) {
        assertEquals(List.of(message), GeneratorSpecValidator.problems(spec(type, length)));
    }

    @ParameterizedTest
    @EnumSource(
            value = GeneratorType.class,
            names = {"RSAKeyPair", "ECKeyPair"})
    void keyPairsNeedExactlyTwoKeysWhenKeysAreGiven(GeneratorType type) {
        assertEquals(
                List.of(), GeneratorSpecValidator.problems(spec(type, null, "tls.key", "tls.crt")));
        String expected =
                "generator.keys must list exactly 2 keys for "
                        + type
                        + " (the private key, then the public key), got ";
        assertEquals(
                List.of(expected + "1"), GeneratorSpecValidator.problems(spec(type, null, "key")));
        assertEquals(
                List.of(expected + "3"),
                GeneratorSpecValidator.problems(spec(type, null, "a", "b", "c")));
    }

    @Test
    void passwordsAndBytesTakeAnyNumberOfKeysUpToSixteen() {
        String[] sixteen = new String[16];
        for (int i = 0; i < 16; i++) {
            sixteen[i] = "k" + i;
        }
        assertEquals(
                List.of(),
                GeneratorSpecValidator.problems(spec(GeneratorType.Password, null, "a")));
        assertEquals(
                List.of(),
                GeneratorSpecValidator.problems(spec(GeneratorType.RandomBytes, null, sixteen)));
        String[] seventeen = Arrays.copyOf(sixteen, 17);
        seventeen[16] = "k16";
        assertEquals(
                List.of("generator.keys may list at most 16, got 17"),
                GeneratorSpecValidator.problems(spec(GeneratorType.Password, null, seventeen)));
    }

    @Test
    void duplicateKeysAreReportedOncePerKey() {
        assertEquals(
                List.of("generator.keys lists \"password\" more than once; list each once"),
                GeneratorSpecValidator.problems(
                        spec(
                                GeneratorType.Password,
                                null,
                                "password",
                                "other",
                                "password",
                                "password")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"value_previous", "_previous", "api.key_previous"})
    void keysEndingInPreviousAreReserved(String key) {
        assertEquals(
                List.of(
                        "generator.keys[1] \""
                                + key
                                + "\" must not end in \"_previous\"; that suffix is reserved for"
                                + " the previous value kept during previousVersionGrace"),
                GeneratorSpecValidator.problems(spec(GeneratorType.Password, null, "value", key)));
    }

    @Test
    void previousInTheMiddleOfAKeyIsFine() {
        assertEquals(
                List.of(),
                GeneratorSpecValidator.problems(
                        spec(GeneratorType.Password, null, "value_previously", "previous")));
    }

    @Test
    void keysMustBeValidSecretDataKeys() {
        assertEquals(
                List.of(
                        "generator.keys[0] \"a/b\" may contain only letters, digits, '-', '_'"
                                + " and '.'"),
                GeneratorSpecValidator.problems(spec(GeneratorType.Password, null, "a/b")));
        assertEquals(
                List.of("generator.keys[0] is empty; give a key name such as value or password"),
                GeneratorSpecValidator.problems(spec(GeneratorType.Password, null, "")));
        GeneratorSpec withNull = spec(GeneratorType.Password, null, "value");
        withNull.getKeys().add(null);
        assertEquals(
                List.of("generator.keys[1] is empty; give a key name such as value or password"),
                GeneratorSpecValidator.problems(withNull));
    }

    @Test
    void missingTypeAndMissingSpecAreReported() {
        assertEquals(
                List.of(
                        "generator.type is required: one of Password, RandomBytes, RSAKeyPair,"
                                + " ECKeyPair"),
                GeneratorSpecValidator.problems(spec(null, 32)));
        assertEquals(
                List.of("generator is required when strategy is Generate"),
                GeneratorSpecValidator.problems(null));
    }

    @Test
    void everyProblemIsReportedTogether() {
        List<String> problems =
                GeneratorSpecValidator.problems(
                        spec(GeneratorType.RSAKeyPair, 1024, "key", "key", "key_previous"));
        assertEquals(4, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("generator.length must be between 2048 and 4096"));
        assertTrue(problems.get(1).startsWith("generator.keys must list exactly 2 keys"));
        assertTrue(problems.get(2).startsWith("generator.keys lists \"key\" more than once"));
        assertTrue(problems.get(3).startsWith("generator.keys[2] \"key_previous\" must not end"));
    }
}
