package io.smeflow.secrets.rotation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rotation gauges per TenantSecret, named so the security policy's alert rules work as written,
 * e.g. {@code (time() - secret_last_rotation_timestamp) > (30 * 24 * 3600)}. Labels are names the
 * platform controls; never values.
 */
@ApplicationScoped
public class RotationMetrics {

    public static final String LAST_ROTATION = "secret.last.rotation.timestamp";
    public static final String NEXT_ROTATION = "secret.next.rotation.timestamp";
    public static final String OVERDUE = "secret.rotation.overdue";
    public static final String EXPIRING_SOON = "secret.expiring.soon";
    public static final String ROTATIONS = "smeflow.rotations";

    private final MeterRegistry registry;
    private final Map<Key, Published> published = new ConcurrentHashMap<>();

    /** Identifies one TenantSecret. */
    public record Key(String namespace, String name) {}

    private record Published(
            Tags tags,
            AtomicLong last,
            AtomicLong next,
            AtomicLong overdue,
            AtomicLong expiring,
            List<Meter> meters) {}

    public RotationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Publishes the rotation state of one TenantSecret. */
    public void publish(
            TenantSecret resource,
            String secretPath,
            Instant lastRotation,
            Instant nextRotation,
            boolean overdue,
            boolean expiringSoon) {
        var spec = resource.getSpec();
        Key key = new Key(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
        Tags tags =
                Tags.of(
                        "namespace",
                        key.namespace(),
                        "name",
                        key.name(),
                        "tenant",
                        spec.getTenantId(),
                        "category",
                        spec.getCategory().value(),
                        "region",
                        spec.getRegion().name());
        Published p =
                published.compute(
                        key,
                        (k, existing) -> {
                            if (existing != null && existing.tags().equals(tags)) {
                                return existing;
                            }
                            if (existing != null) {
                                existing.meters().forEach(registry::remove);
                            }
                            return register(tags, secretPath);
                        });
        p.last().set(lastRotation.getEpochSecond());
        p.next().set(nextRotation.getEpochSecond());
        p.overdue().set(overdue ? 1 : 0);
        p.expiring().set(expiringSoon ? 1 : 0);
    }

    /** Counts one rotation attempt. */
    public void rotation(TenantSecret resource, RotationRequest.Trigger trigger, String outcome) {
        Counter.builder(ROTATIONS)
                .description("Rotations by trigger and outcome")
                .tags(
                        "region",
                        resource.getSpec().getRegion().name(),
                        "category",
                        resource.getSpec().getCategory().value(),
                        "trigger",
                        trigger.label(),
                        "outcome",
                        outcome)
                .register(registry)
                .increment();
    }

    /** Drops the gauges of TenantSecrets that no longer exist. */
    public void retainOnly(Set<Key> live) {
        published
                .keySet()
                .removeIf(
                        key -> {
                            if (live.contains(key)) {
                                return false;
                            }
                            published.get(key).meters().forEach(registry::remove);
                            return true;
                        });
    }

    private Published register(Tags tags, String secretPath) {
        AtomicLong last = new AtomicLong();
        AtomicLong next = new AtomicLong();
        AtomicLong overdue = new AtomicLong();
        AtomicLong expiring = new AtomicLong();
        List<Meter> meters =
                List.of(
                        Gauge.builder(LAST_ROTATION, last, AtomicLong::get)
                                .description(
                                        "Unix time the secret last rotated, from Vault's metadata")
                                .tags(tags.and("secret_path", secretPath))
                                .register(registry),
                        Gauge.builder(NEXT_ROTATION, next, AtomicLong::get)
                                .description("Unix time the next scheduled rotation is due")
                                .tags(tags)
                                .register(registry),
                        Gauge.builder(OVERDUE, overdue, AtomicLong::get)
                                .description("1 when the secret's rotation is overdue")
                                .tags(tags)
                                .register(registry),
                        Gauge.builder(EXPIRING_SOON, expiring, AtomicLong::get)
                                .description(
                                        "1 when the secret is due to rotate within the warning"
                                                + " period")
                                .tags(tags)
                                .register(registry));
        return new Published(tags, last, next, overdue, expiring, meters);
    }
}
