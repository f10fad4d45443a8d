package io.smeflow.secrets.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The operator's own Prometheus metrics. Names are fixed by the security policy's alert rules;
 * label values are enum constants and names the platform controls, never tenant free text or secret
 * values.
 */
@ApplicationScoped
public class OperatorMetrics {

    /** Prometheus: {@code vault_secret_access_total{region,action,outcome}}. */
    public static final String VAULT_ACCESS = "vault.secret.access";

    /** Prometheus: {@code vault_secret_access_denied_total{region}}. */
    public static final String VAULT_ACCESS_DENIED = "vault.secret.access.denied";

    /** Prometheus: {@code smeflow_sync_total{outcome}}. */
    public static final String SYNC = "smeflow.sync";

    /** Prometheus: {@code smeflow_sync_duration_seconds}. */
    public static final String SYNC_DURATION = "smeflow.sync.duration";

    private final MeterRegistry registry;

    public OperatorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void vaultAccess(String region, String action, String outcome) {
        Counter.builder(VAULT_ACCESS)
                .description("Requests the operator made to a regional Vault")
                .tags(Tags.of("region", region, "action", action, "outcome", outcome))
                .register(registry)
                .increment();
        if ("denied".equals(outcome)) {
            Counter.builder(VAULT_ACCESS_DENIED)
                    .description("Vault requests refused by policy")
                    .tag("region", region)
                    .register(registry)
                    .increment();
        }
    }

    public void sync(String outcome, Duration took) {
        Counter.builder(SYNC)
                .description("TenantSecret sync attempts by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
        Timer.builder(SYNC_DURATION)
                .description("Time one TenantSecret sync took")
                .register(registry)
                .record(took);
    }
}
