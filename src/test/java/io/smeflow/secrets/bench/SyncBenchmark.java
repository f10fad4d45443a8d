package io.smeflow.secrets.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.api.v1alpha1.RolloutTarget;
import io.smeflow.secrets.api.v1alpha1.RotationPolicyRef;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.api.v1alpha1.WorkloadKind;
import io.smeflow.secrets.metrics.OperatorMetrics;
import io.smeflow.secrets.reconcile.Conditions;
import io.smeflow.secrets.testing.Cluster;
import io.smeflow.secrets.testing.Fixtures;
import io.smeflow.secrets.testing.OpenBaoServer;
import io.smeflow.secrets.testing.OpenBaoTestResource;
import io.smeflow.secrets.testing.ShiftableClock;
import io.smeflow.secrets.testing.Workloads;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench}: figures for sync throughput, reconcile time, steady-state cost, rotation to
 * rollout latency and memory per TenantSecret, on a real OpenBao and the mock API server. It prints
 * figures and asserts nothing about time. Runs only with -Dbench=true.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(OpenBaoTestResource.class)
class SyncBenchmark {

    private static final int SECRETS = 200;
    private static final int ROTATIONS = 10;

    @Inject KubernetesClient client;
    @Inject MeterRegistry registry;
    @Inject ShiftableClock clock;

    private final OpenBaoServer ng = OpenBaoServer.published("openbao.ng");

    @Test
    void figures() throws Exception {
        assumeTrue(Boolean.getBoolean("bench"), "run with make bench");
        String ns = "bench";
        Fixtures.tenantNamespace(client, ns, ns, "NG");
        for (int i = 0; i < SECRETS; i++) {
            ng.put("smeflow/tenants/bench/llm/key" + i, Map.of("api_key", "k" + i, "org", "o" + i));
        }
        long heapBefore = usedHeap();
        double readsBefore = vaultReads();

        Instant start = Instant.now();
        for (int i = 0; i < SECRETS; i++) {
            TenantSecret ts =
                    Fixtures.tenantSecret(
                            ns, "key" + i, ns, Region.NG, Category.LLM, "llm/key" + i);
            ts.getSpec().setRefreshInterval("10s");
            client.resource(ts).create();
        }
        await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> synced(ns) == SECRETS);
        Duration firstSync = Duration.between(start, Instant.now());
        long heapAfter = usedHeap();
        double readsForSync = vaultReads() - readsBefore;

        print(
                "initial sync of %d TenantSecrets: %.1f s, %.1f secrets/s, %.0f Vault reads",
                SECRETS,
                firstSync.toMillis() / 1000.0,
                SECRETS * 1000.0 / firstSync.toMillis(),
                readsForSync);
        Timer sync = registry.find(OperatorMetrics.SYNC_DURATION).timer();
        print(
                "sync duration (all syncs so far): mean %.1f ms, max %.1f ms over %d syncs",
                sync.mean(TimeUnit.MILLISECONDS), sync.max(TimeUnit.MILLISECONDS), sync.count());
        print(
                "heap per TenantSecret (incl. its Secret in the informer cache): %.1f KiB",
                (heapAfter - heapBefore) / 1024.0 / SECRETS);

        steadyState(ns);
        rotationToRollout();
    }

    /** 30 s of 10-second refreshes: Vault reads happen, Secret writes must not. */
    private void steadyState(String ns) throws Exception {
        double reads = vaultReads();
        double updated = syncs("updated") + syncs("created");
        Thread.sleep(30_000);
        print(
                "steady state, 30 s, refresh every 10 s: %.0f Vault reads, %.0f Secret writes",
                vaultReads() - reads, syncs("updated") + syncs("created") - updated);
    }

    /** Emergency and scheduled rotations: time from the trigger to the workload's restart. */
    private void rotationToRollout() throws Exception {
        client.resource(Fixtures.generatePolicy("bench-policy", "30d", "secret")).create();
        List<Long> emergency = new ArrayList<>();
        for (int i = 0; i < ROTATIONS; i++) {
            String ns = "bench-rot-" + i;
            prepareRotatingSecret(ns);
            Instant asked = Instant.now();
            new Cluster(client).rotateNow(ns, "signing", "bench");
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> Workloads.restartedAt(client, ns, "smeflow-api") != null);
            emergency.add(Duration.between(asked, Instant.now()).toMillis());
        }
        Collections.sort(emergency);
        print(
                "emergency rotation -> rollout restart (%d runs, coalescing window 1 s): p50 %d"
                        + " ms, max %d ms",
                ROTATIONS, emergency.get(ROTATIONS / 2), emergency.get(ROTATIONS - 1));

        String ns = "bench-scheduled";
        prepareRotatingSecret(ns);
        Instant due = Instant.now();
        clock.shift(Duration.ofDays(31));
        try {
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> Workloads.restartedAt(client, ns, "smeflow-api") != null);
            print(
                    "scheduled rotation due -> rollout restart (refresh 1 s, window 1 s): %d ms",
                    Duration.between(due, Instant.now()).toMillis());
        } finally {
            clock.reset();
        }
    }

    private void prepareRotatingSecret(String ns) throws Exception {
        Fixtures.tenantNamespace(client, ns, ns, "NG");
        ng.put("smeflow/tenants/" + ns + "/auth/signing", Map.of("secret", "s"));
        Workloads.deployment(client, ns, "smeflow-api");
        TenantSecret ts =
                Fixtures.tenantSecret(ns, "signing", ns, Region.NG, Category.AUTH, "auth/signing");
        ts.getSpec().setRotationPolicyRef(new RotationPolicyRef("bench-policy"));
        ts.getSpec().setRefreshInterval("1s");
        ts.getSpec()
                .setRolloutTargets(
                        List.of(new RolloutTarget(WorkloadKind.Deployment, "smeflow-api")));
        client.resource(ts).create();
        await().atMost(Duration.ofMinutes(1))
                .until(() -> Workloads.consumedHash(client, ns, "smeflow-api") != null);
    }

    private long synced(String ns) {
        return client.resources(TenantSecret.class).inNamespace(ns).list().getItems().stream()
                .filter(
                        ts ->
                                ts.getStatus() != null
                                        && Conditions.isTrue(
                                                ts.getStatus().getConditions(), Conditions.SYNCED))
                .count();
    }

    private double vaultReads() {
        return registry
                .find(OperatorMetrics.VAULT_ACCESS)
                .tags("action", "read")
                .counters()
                .stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private double syncs(String outcome) {
        Counter c = registry.find(OperatorMetrics.SYNC).tags("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static void print(String format, Object... args) {
        System.out.println("BENCH " + String.format(format, args));
    }
}
