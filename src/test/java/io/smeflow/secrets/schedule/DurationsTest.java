package io.smeflow.secrets.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smeflow.secrets.api.v1alpha1.ApiPatterns;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    private static final Pattern API_PATTERN = Pattern.compile(ApiPatterns.DURATION);

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "0s, 0",
        "90s, 90",
        "15m, 900",
        "1h30m, 5400",
        "30d, 2592000",
        "720h, 2592000",
        "1d, 86400",
        "1d2h3m4s, 93784",
        "4s3m2h1d, 93784",
        "1h1h, 7200",
        "007s, 7",
        "00h, 0",
        "36500d, 3153600000",
    })
    void parsesEveryFormOfTheGrammar(String text, long seconds) {
        assertTrue(API_PATTERN.matcher(text).matches(), "corpus entry must be in the API grammar");
        assertEquals(Duration.ofSeconds(seconds), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "1",
                "00",
                "h",
                "1.5h",
                "-1h",
                "+1h",
                "1H",
                "1w",
                "1y",
                "1ms",
                "1us",
                "1 h",
                " 1h",
                "1h ",
                "1h30",
                "h30m",
                "PT1H",
                "1d-1h",
                "one hour",
                "1h\n",
                "１h"
            })
    void rejectsTextOutsideTheGrammarAndSaysHowToFixIt(String text) {
        assertFalse(
                API_PATTERN.matcher(text).matches(), "corpus entry must be outside the grammar");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("is not a valid duration"), e.getMessage());
        assertTrue(e.getMessage().contains("e.g. 30d, 1h30m"), e.getMessage());
    }

    @Test
    void rejectsNullAndBlankAsEmpty() {
        for (String text : new String[] {null, "", "   ", "\t"}) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
            assertTrue(e.getMessage().startsWith("duration is empty"), e.getMessage());
            assertTrue(e.getMessage().contains("e.g. 30d"), e.getMessage());
        }
    }

    @Test
    void namesTheFieldInMessages() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> Durations.parse("interval", "30x"));
        assertTrue(e.getMessage().startsWith("interval \"30x\" is not a valid duration"));
    }

    @Test
    void rejectsOverflowWithoutArithmeticErrors() {
        List<String> huge =
                List.of(
                        "36501d",
                        "876025h",
                        "99999999999999999999999999s",
                        "9223372036854775807d",
                        "9223372036854775807s9223372036854775807s",
                        "36500d1s");
        for (String text : huge) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
            assertTrue(e.getMessage().contains("is too long"), e.getMessage());
            assertTrue(e.getMessage().contains("36500d"), e.getMessage());
        }
    }

    @Test
    void echoesOnlyTheOffendingTextCutShortAndWithoutControlCharacters() {
        String longGarbage = "x".repeat(500);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Durations.parse(longGarbage));
        assertTrue(e.getMessage().contains("\"" + "x".repeat(64) + "...\""), e.getMessage());
        assertFalse(e.getMessage().contains("x".repeat(65)), e.getMessage());

        IllegalArgumentException withNewline =
                assertThrows(
                        IllegalArgumentException.class, () -> Durations.parse("1h\nInjected: yes"));
        assertFalse(withNewline.getMessage().contains("\n"));
        assertTrue(withNewline.getMessage().contains("\"1h?Injected: yes\""));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "1, 1s",
        "90, 1m30s",
        "900, 15m",
        "5400, 1h30m",
        "86400, 1d",
        "2592000, 30d",
        "129600, 1d12h",
        "93784, 1d2h3m4s",
        "3600, 1h",
    })
    void formatsCanonicallyLargestUnitsFirst(long seconds, String text) {
        assertEquals(text, Durations.format(Duration.ofSeconds(seconds)));
    }

    @Test
    void formatDropsFractionsOfASecondAndRejectsNegatives() {
        assertEquals("1s", Durations.format(Duration.ofMillis(1999)));
        assertEquals("0", Durations.format(Duration.ofNanos(1)));
        assertThrows(
                IllegalArgumentException.class, () -> Durations.format(Duration.ofSeconds(-1)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"0", "1s", "1m30s", "15m", "1h30m", "30d", "1d12h", "1d2h3m4s", "36500d"})
    void canonicalTextRoundTripsExactly(String text) {
        assertEquals(text, Durations.format(Durations.parse(text)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "90s", "720h", "90m", "3600s", "1h1h", "007s", "4s3m2h1d", "48h"})
    void nonCanonicalTextRoundTripsToTheSameDuration(String text) {
        Duration parsed = Durations.parse(text);
        String formatted = Durations.format(parsed);
        assertTrue(API_PATTERN.matcher(formatted).matches(), formatted);
        assertEquals(parsed, Durations.parse(formatted));
        assertEquals(formatted, Durations.format(Durations.parse(formatted)));
    }

    @Test
    void formatOutputIsAlwaysInTheGrammarAndParsesBack() {
        for (long seconds = 0; seconds < 200_000; seconds += 37) {
            Duration d = Duration.ofSeconds(seconds);
            String text = Durations.format(d);
            assertTrue(API_PATTERN.matcher(text).matches(), text);
            assertEquals(d, Durations.parse(text));
        }
    }
}
