package io.smeflow.secrets.rotation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.api.v1alpha1.RolloutTarget;
import io.smeflow.secrets.api.v1alpha1.RotationPolicyRef;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.api.v1alpha1.WorkloadKind;
import io.smeflow.secrets.reconcile.Conditions;
import io.smeflow.secrets.testing.Cluster;
import io.smeflow.secrets.testing.Fixtures;
import io.smeflow.secrets.testing.OpenBaoServer;
import io.smeflow.secrets.testing.OpenBaoTestResource;
import io.smeflow.secrets.testing.Workloads;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Restarts are coalesced per workload and decided only by a change in the data it consumes. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(OpenBaoTestResource.class)
class RolloutCoalescingTest {

    @Inject KubernetesClient client;
    @Inject MeterRegistry registry;
    @Inject RolloutRestarter restarter;

    private final OpenBaoServer ng = OpenBaoServer.published("openbao.ng");

    @Test
    void fiveSecretsOfOneDeploymentRotatedTogetherRestartItOnce() throws Exception {
        String ns = "coalesce";
        Fixtures.tenantNamespace(client, ns, ns, "NG");
        client.resource(Fixtures.generatePolicy("coalesce-policy", "30d", "value")).create();
        Workloads.deployment(client, ns, "smeflow-api");
        for (int i = 0; i < 5; i++) {
            ng.put("smeflow/tenants/" + ns + "/auth/k" + i, Map.of("value", "v0-" + i));
            client.resource(secret(ns, "k" + i, "auth/k" + i, "coalesce-policy", "smeflow-api"))
                    .create();
        }
        for (int i = 0; i < 5; i++) {
            new Cluster(client).awaitSynced(ns, "k" + i);
        }
        await().atMost(Cluster.WAIT)
                .until(() -> Workloads.consumedHash(client, ns, "smeflow-api") != null);

        for (int i = 0; i < 5; i++) {
            new Cluster(client).rotateNow(ns, "k" + i, "rotate-all");
        }

        for (int i = 0; i < 5; i++) {
            String path = "smeflow/tenants/" + ns + "/auth/k" + i;
            await().atMost(Cluster.WAIT)
                    .until(() -> ng.metadata(path).path("current_version").asInt() == 2);
        }
        await().atMost(Cluster.WAIT)
                .until(() -> Workloads.restarts(registry, ns) >= 1.0 && restarter.idle());
        Thread.sleep(2500);
        assertEquals(
                1.0,
                Workloads.restarts(registry, ns),
                "five secrets changed together: one restart");
    }

    @Test
    void reconcilingAHundredHealthySecretsAgainRestartsNothing() throws Exception {
        String ns = "hundred";
        Fixtures.tenantNamespace(client, ns, ns, "NG");
        for (int d = 0; d < 10; d++) {
            Workloads.deployment(client, ns, "app-" + d);
        }
        for (int i = 0; i < 100; i++) {
            ng.put("smeflow/tenants/" + ns + "/llm/key" + i, Map.of("api_key", "k" + i));
            TenantSecret ts = secret(ns, "key" + i, "llm/key" + i, null, "app-" + (i % 10));
            ts.getSpec().setCategory(Category.LLM);
            client.resource(ts).create();
        }
        await().atMost(Duration.ofSeconds(120))
                .until(
                        () ->
                                client
                                        .resources(TenantSecret.class)
                                        .inNamespace(ns)
                                        .list()
                                        .getItems()
                                        .stream()
                                        .allMatch(
                                                ts ->
                                                        ts.getStatus() != null
                                                                && Conditions.isTrue(
                                                                        ts.getStatus()
                                                                                .getConditions(),
                                                                        Conditions.SYNCED)));
        await().atMost(Cluster.WAIT).until(() -> restarter.idle());
        for (int d = 0; d < 10; d++) {
            int app = d;
            await().atMost(Cluster.WAIT)
                    .until(() -> Workloads.consumedHash(client, ns, "app-" + app) != null);
        }

        // What an operator restart does: in-memory state gone, every resource reconciled again.
        restarter.forgetPending();
        for (TenantSecret ts :
                client.resources(TenantSecret.class).inNamespace(ns).list().getItems()) {
            ts.getSpec().setRefreshInterval("30m");
            client.resource(ts).update();
        }
        await().atMost(Duration.ofSeconds(120)).until(() -> allObserved(ns));
        await().atMost(Cluster.WAIT).until(() -> restarter.idle());
        Thread.sleep(2000);

        assertEquals(
                0.0,
                Workloads.restarts(registry, ns),
                "a re-reconcile of unchanged secrets restarts nothing");
        for (int d = 0; d < 10; d++) {
            assertEquals(null, Workloads.restartedAt(client, ns, "app-" + d));
        }
    }

    /** Whether every TenantSecret in {@code ns} has a status for its current generation. */
    private boolean allObserved(String ns) {
        return client.resources(TenantSecret.class).inNamespace(ns).list().getItems().stream()
                .allMatch(
                        ts ->
                                ts.getStatus() != null
                                        && ts.getMetadata()
                                                .getGeneration()
                                                .equals(ts.getStatus().getObservedGeneration()));
    }

    private TenantSecret secret(
            String ns, String name, String path, String policy, String deployment) {
        TenantSecret ts = Fixtures.tenantSecret(ns, name, ns, Region.NG, Category.AUTH, path);
        if (policy != null) {
            ts.getSpec().setRotationPolicyRef(new RotationPolicyRef(policy));
        }
        ts.getSpec()
                .setRolloutTargets(List.of(new RolloutTarget(WorkloadKind.Deployment, deployment)));
        return ts;
    }
}
