package io.smeflow.secrets.health;

import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.HealthResponse;
import io.smallrye.health.api.HealthGroup;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.config.OperatorConfig;
import io.smeflow.secrets.vault.RegionalVaults;
import io.smeflow.secrets.vault.VaultAccessException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports each configured region's Vault. In the readiness check a region that is down shows up as
 * data but keeps the check UP: one region's outage must not take the operator out of service for
 * the other regions, nor make Kubernetes restart it. The {@code vault} health group
 * (/q/health/group/vault) is DOWN while any region is down, for dashboards and alerts.
 */
@ApplicationScoped
public class VaultRegionsHealthCheck {

    private final RegionalVaults vaults;
    private final OperatorConfig config;
    private final Clock clock;
    private volatile Map<Region, String> lastProbe = Map.of();
    private volatile Instant lastProbeTime = Instant.EPOCH;

    public VaultRegionsHealthCheck(RegionalVaults vaults, OperatorConfig config, Clock clock) {
        this.vaults = vaults;
        this.config = config;
        this.clock = clock;
    }

    @Readiness
    @ApplicationScoped
    HealthCheck readiness() {
        return () -> respond("vault-regions", true);
    }

    @HealthGroup("vault")
    @ApplicationScoped
    HealthCheck allRegions() {
        return () -> respond("vault-regions-all", false);
    }

    private HealthCheckResponse respond(String name, boolean alwaysUp) {
        Map<Region, String> states = probe();
        boolean allUp = states.values().stream().allMatch("up"::equals);
        HealthCheckResponseBuilder builder =
                HealthCheckResponse.named(name).status(alwaysUp || allUp);
        states.forEach((region, state) -> builder.withData(region.name(), state));
        return builder.build();
    }

    /** Probes each configured region at most once per cache period. */
    synchronized Map<Region, String> probe() {
        Instant now = clock.instant();
        if (now.isBefore(lastProbeTime.plus(config.vault().healthCacheTtl()))) {
            return lastProbe;
        }
        Map<Region, String> states = new EnumMap<>(Region.class);
        for (Region region : Region.values()) {
            if (vaults.region(region).isPresent()) {
                states.put(region, stateOf(region));
            }
        }
        lastProbe = states;
        lastProbeTime = now;
        return states;
    }

    private String stateOf(Region region) {
        try {
            HealthResponse health = vaults.client(region, null).debug().health();
            if (Boolean.TRUE.equals(health.getSealed())) {
                return "sealed";
            }
            return "up";
        } catch (VaultException e) {
            return e.getHttpStatusCode() == 503 ? "sealed" : "down";
        } catch (VaultAccessException e) {
            return "misconfigured";
        }
    }
}
