package io.smeflow.secrets.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smeflow.secrets.testing.TestConfigs;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureBackoffTest {

    private static final int SAMPLES = 2_000;

    private final FailureBackoff backoff =
            new FailureBackoff(
                    TestConfigs.of(
                            Map.of(
                                    "smeflow.backoff.initial", "1s",
                                    "smeflow.backoff.max", "60s",
                                    "smeflow.backoff.jitter", "0.2")));

    private static void assertWithinJitter(Duration base, Duration actual) {
        long lo = (long) (base.toMillis() * 0.8);
        long hi = (long) (base.toMillis() * 1.2);
        assertTrue(
                actual.toMillis() >= lo && actual.toMillis() <= hi,
                actual + " is not within 20% of " + base);
    }

    @Test
    void baseDelaysGrowExponentiallyFromInitial() {
        long[] seconds = {1, 2, 4, 8, 16, 32};
        for (int attempt = 1; attempt <= seconds.length; attempt++) {
            assertEquals(
                    Duration.ofSeconds(seconds[attempt - 1]),
                    backoff.delayFor(attempt),
                    "attempt " + attempt);
        }
    }

    @Test
    void baseDelaysAreCappedAtMax() {
        assertEquals(Duration.ofSeconds(60), backoff.delayFor(7));
        assertEquals(Duration.ofSeconds(60), backoff.delayFor(8));
        assertEquals(Duration.ofSeconds(60), backoff.delayFor(31));
        assertEquals(Duration.ofSeconds(60), backoff.delayFor(32));
        assertEquals(Duration.ofSeconds(60), backoff.delayFor(1_000));
        assertEquals(Duration.ofSeconds(60), backoff.delayFor(Integer.MAX_VALUE));
    }

    @Test
    void baseDelaysNeverDecreaseAndNeverExceedMax() {
        Duration previous = Duration.ZERO;
        for (int attempt = 1; attempt <= 200; attempt++) {
            Duration d = backoff.delayFor(attempt);
            assertTrue(d.compareTo(previous) >= 0, "attempt " + attempt + ": " + d);
            assertTrue(d.compareTo(Duration.ofSeconds(60)) <= 0, "attempt " + attempt + ": " + d);
            assertTrue(!d.isNegative() && !d.isZero(), "attempt " + attempt + ": " + d);
            previous = d;
        }
    }

    @Test
    void nextDelayFollowsTheExponentialSequenceWithinJitter() {
        long[] seconds = {1, 2, 4, 8, 16, 32, 60, 60, 60};
        for (int i = 0; i < seconds.length; i++) {
            assertWithinJitter(Duration.ofSeconds(seconds[i]), backoff.nextDelay("ns/a"));
            assertEquals(i + 1, backoff.failures("ns/a"));
        }
    }

    @Test
    void jitterStaysWithinTwentyPercentAndActuallyVaries() {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < SAMPLES; i++) {
            String key = "k" + i;
            Duration d = backoff.nextDelay(key); // first failure of each key: base 1s
            assertWithinJitter(Duration.ofSeconds(1), d);
            min = Math.min(min, d.toMillis());
            max = Math.max(max, d.toMillis());
        }
        // With 2000 uniform samples over [800, 1200], both ends are reached within 5%
        // except with negligible probability.
        assertTrue(min < 900, "min " + min);
        assertTrue(max > 1100, "max " + max);
    }

    @Test
    void jitterAtTheCapStaysWithinTwentyPercentOfMax() {
        for (int i = 0; i < 50; i++) {
            backoff.nextDelay("capped");
        }
        for (int i = 0; i < SAMPLES; i++) {
            assertWithinJitter(Duration.ofSeconds(60), backoff.nextDelay("capped"));
        }
    }

    @Test
    void resetRestartsTheSequence() {
        for (int i = 0; i < 5; i++) {
            backoff.nextDelay("ns/a");
        }
        assertEquals(5, backoff.failures("ns/a"));

        backoff.reset("ns/a");

        assertEquals(0, backoff.failures("ns/a"));
        assertWithinJitter(Duration.ofSeconds(1), backoff.nextDelay("ns/a"));
        assertEquals(1, backoff.failures("ns/a"));
    }

    @Test
    void resetOfAnUnknownKeyIsHarmless() {
        backoff.reset("never-failed");
        assertEquals(0, backoff.failures("never-failed"));
    }

    @Test
    void keysAreIndependent() {
        for (int i = 0; i < 4; i++) {
            backoff.nextDelay("ns/a");
        }
        assertWithinJitter(Duration.ofSeconds(1), backoff.nextDelay("ns/b"));
        assertEquals(4, backoff.failures("ns/a"));
        assertEquals(1, backoff.failures("ns/b"));

        backoff.reset("ns/b");
        assertEquals(4, backoff.failures("ns/a"));
        assertWithinJitter(Duration.ofSeconds(16), backoff.nextDelay("ns/a"));
    }

    @Test
    void hundredsOfFailuresDoNotOverflow() {
        for (int i = 1; i <= 100; i++) {
            Duration d = backoff.nextDelay("ns/down");
            assertTrue(!d.isNegative() && !d.isZero(), "failure " + i + ": " + d);
            assertTrue(d.compareTo(Duration.ofSeconds(72)) <= 0, "failure " + i + ": " + d);
        }
        assertEquals(100, backoff.failures("ns/down"));
        assertWithinJitter(Duration.ofSeconds(60), backoff.nextDelay("ns/down"));
    }

    @Test
    void largeInitialDelayDoesNotOverflowIntoShortDelays() {
        FailureBackoff slow =
                new FailureBackoff(
                        TestConfigs.of(
                                Map.of(
                                        "smeflow.backoff.initial", "10m",
                                        "smeflow.backoff.max", "1h",
                                        "smeflow.backoff.jitter", "0")));
        assertEquals(Duration.ofMinutes(10), slow.delayFor(1));
        assertEquals(Duration.ofMinutes(40), slow.delayFor(3));
        for (int attempt = 4; attempt <= 100; attempt++) {
            assertEquals(Duration.ofHours(1), slow.delayFor(attempt), "attempt " + attempt);
        }
        assertEquals(Duration.ofMinutes(10), slow.nextDelay("x"));
    }

    @Test
    void retainOnlyForgetsResourcesThatNoLongerExist() {
        backoff.nextDelay("uid-live");
        backoff.nextDelay("uid-deleted");

        backoff.retainOnly(java.util.Set.of("uid-live"));

        assertEquals(1, backoff.failures("uid-live"));
        assertEquals(0, backoff.failures("uid-deleted"));
    }
}
