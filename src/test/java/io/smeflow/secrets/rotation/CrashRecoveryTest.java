package io.smeflow.secrets.rotation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import io.smeflow.secrets.reconcile.ManagedSecrets;
import io.smeflow.secrets.rotation.RotationCheckpoints.Checkpoint;
import io.smeflow.secrets.testing.Cluster;
import io.smeflow.secrets.testing.CrashingCheckpoints;
import io.smeflow.secrets.testing.Fixtures;
import io.smeflow.secrets.testing.OpenBaoServer;
import io.smeflow.secrets.testing.OpenBaoTestResource;
import io.smeflow.secrets.testing.Workloads;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operator "crashes" at each step of a rotation (what it held in memory is lost and the
 * reconcile fails) and must converge on retry: exactly one new Vault version, the Secret holding
 * it, each workload restarted once.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(OpenBaoTestResource.class)
class CrashRecoveryTest {

    @Inject KubernetesClient client;
    @Inject MeterRegistry registry;
    @Inject CrashingCheckpoints crashes;

    private final OpenBaoServer ng = OpenBaoServer.published("openbao.ng");

    private Cluster cluster() {
        return new Cluster(client);
    }

    @ParameterizedTest
    @EnumSource(Checkpoint.class)
    void anEmergencyRotationInterruptedAtAnyStepConvergesToOneVersionAndOneRestart(Checkpoint step)
            throws Exception {
        String ns = "crash-" + step.name().toLowerCase().replace('_', '-');
        String path = "smeflow/tenants/" + ns + "/auth/signing";
        ng.put(path, Map.of("secret", "before"));
        client.resource(Fixtures.generatePolicy("crash-policy-" + ns, "30d", "secret")).create();
        Workloads.deployment(client, ns, "smeflow-api");
        TenantSecret ts = secret(ns, "crash-policy-" + ns);
        client.resource(ts).create();
        cluster().awaitSynced(ns, "signing");
        await().atMost(Cluster.WAIT)
                .until(() -> Workloads.consumedHash(client, ns, "smeflow-api") != null);

        crashes.arm(step);
        new Cluster(client).rotateNow(ns, "signing", "incident-" + step);

        await().atMost(Cluster.WAIT).until(crashes::fired);
        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                ("incident-" + step)
                                        .equals(
                                                cluster()
                                                        .tenantSecret(ns, "signing")
                                                        .getStatus()
                                                        .getLastRotateNowToken()));
        await().atMost(Cluster.WAIT).until(() -> Workloads.restarts(registry, ns) >= 1.0);
        Thread.sleep(2500);

        int version = ng.metadata(path).path("current_version").asInt();
        assertEquals(2, version, "exactly one new version after a crash at " + step);
        assertEquals(ng.get(path), ManagedSecrets.decodedData(cluster().secret(ns, "signing")));
        assertEquals(1.0, Workloads.restarts(registry, ns), "one restart after a crash at " + step);
    }

    @Test
    void aWriteBySomeoneElseDuringRotationIsNotOverwrittenNorRotatedAgain() throws Exception {
        String ns = "crash-race";
        String path = "smeflow/tenants/" + ns + "/auth/signing";
        ng.put(path, Map.of("secret", "before"));
        client.resource(Fixtures.generatePolicy("race-policy", "30d", "secret")).create();
        Workloads.deployment(client, ns, "smeflow-api");
        client.resource(secret(ns, "race-policy")).create();
        cluster().awaitSynced(ns, "signing");

        crashes.armAction(
                Checkpoint.INTENT_RECORDED,
                () -> {
                    try {
                        ng.put(path, Map.of("secret", "written-by-a-person"));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        new Cluster(client).rotateNow(ns, "signing", "race-1");

        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                "race-1"
                                        .equals(
                                                cluster()
                                                        .tenantSecret(ns, "signing")
                                                        .getStatus()
                                                        .getLastRotateNowToken()));
        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                "written-by-a-person"
                                        .equals(
                                                ManagedSecrets.decodedData(
                                                                cluster().secret(ns, "signing"))
                                                        .get("secret")));
        Thread.sleep(2000);
        assertEquals(
                2,
                ng.metadata(path).path("current_version").asInt(),
                "the lost race wrote nothing");
        assertEquals(Map.of("secret", "written-by-a-person"), ng.get(path));
        assertTrue(
                cluster().events(ns).stream()
                        .anyMatch(e -> "RotationSkipped".equals(e.getReason())));
    }

    private TenantSecret secret(String ns, String policy) {
        Fixtures.tenantNamespace(client, ns, ns, "NG");
        TenantSecret ts =
                Fixtures.tenantSecret(ns, "signing", ns, Region.NG, Category.AUTH, "auth/signing");
        ts.getSpec().setRotationPolicyRef(new RotationPolicyRef(policy));
        ts.getSpec()
                .setRolloutTargets(
                        List.of(new RolloutTarget(WorkloadKind.Deployment, "smeflow-api")));
        return ts;
    }
}
