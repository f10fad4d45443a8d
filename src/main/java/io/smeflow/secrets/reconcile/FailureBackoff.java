package io.smeflow.secrets.reconcile;

import io.smeflow.secrets.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter for expected failures, per resource. A persistent 403 or outage
 * thus costs one attempt per growing interval (capped), and jitter keeps many secrets of one failed
 * region from retrying in lockstep when it comes back.
 */
@ApplicationScoped
public class FailureBackoff {

    private final OperatorConfig.BackoffConfig config;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    public FailureBackoff(OperatorConfig config) {
        this.config = config.backoff();
    }

    /** Counts one more failure for {@code key} and returns how long to wait before retrying. */
    public Duration nextDelay(String key) {
        int attempt = failures.merge(key, 1, Integer::sum);
        return jittered(delayFor(attempt));
    }

    /** Forgets the failures of {@code key} after a success. */
    public void reset(String key) {
        failures.remove(key);
    }

    /** Forgets every key not in {@code live} (resources deleted while failing). */
    public void retainOnly(Set<String> live) {
        failures.keySet().retainAll(live);
    }

    /** Consecutive failures recorded for {@code key}. */
    public int failures(String key) {
        return failures.getOrDefault(key, 0);
    }

    Duration delayFor(int attempt) {
        long initial = config.initial().toMillis();
        long max = config.max().toMillis();
        int shift = Math.min(attempt - 1, 30);
        long millis = initial << shift;
        return Duration.ofMillis(millis <= 0 || millis > max ? max : millis);
    }

    private Duration jittered(Duration base) {
        double factor = 1 + config.jitter() * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofMillis(Math.max(1, (long) (base.toMillis() * factor)));
    }
}
