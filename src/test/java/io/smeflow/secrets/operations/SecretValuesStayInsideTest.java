package io.smeflow.secrets.operations;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.KeyMapping;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.api.v1alpha1.RolloutTarget;
import io.smeflow.secrets.api.v1alpha1.RotationPolicy;
import io.smeflow.secrets.api.v1alpha1.RotationPolicyRef;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.api.v1alpha1.WorkloadKind;
import io.smeflow.secrets.reconcile.Conditions;
import io.smeflow.secrets.reconcile.ManagedSecrets;
import io.smeflow.secrets.testing.Cluster;
import io.smeflow.secrets.testing.Fixtures;
import io.smeflow.secrets.testing.OpenBaoServer;
import io.smeflow.secrets.testing.OpenBaoTestResource;
import io.smeflow.secrets.testing.TestLogs;
import io.smeflow.secrets.testing.Workloads;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Canary values planted in Vault (and values the operator generates) travel through sync, rotation,
 * failures and conflicts, then are searched for everywhere the operator writes besides Vault and
 * the Secret: its log and audit trail, Events, statuses and metrics. Zero hits.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(OpenBaoTestResource.class)
class SecretValuesStayInsideTest {

    @Inject KubernetesClient client;

    private final OpenBaoServer ng = OpenBaoServer.published("openbao.ng");

    @Test
    void noSecretValueLeavesVaultAndTheSecret() throws Exception {
        String canary = "CANARY-" + UUID.randomUUID();
        String ns = "canary";
        Fixtures.tenantNamespace(client, ns, ns, "NG");
        ng.put(
                "smeflow/tenants/canary/payments/mpesa",
                Map.of("consumer_key", canary, "passkey", canary + "-pk"));
        ng.put("smeflow/tenants/canary/auth/signing", Map.of("secret", canary + "-signing"));
        client.resource(Fixtures.generatePolicy("canary-policy", "30d", "secret")).create();
        Workloads.deployment(client, ns, "smeflow-api");

        // Sync with key mapping, then a manual edit that must be repaired.
        TenantSecret mpesa =
                Fixtures.tenantSecret(
                        ns, "mpesa", ns, Region.NG, Category.PAYMENTS, "payments/mpesa");
        mpesa.getSpec()
                .setKeys(
                        List.of(
                                new KeyMapping("consumer_key", "MPESA_KEY"),
                                new KeyMapping("passkey", null)));
        client.resource(mpesa).create();
        Cluster cluster = new Cluster(client);
        cluster.awaitSynced(ns, "mpesa");
        assertEquals(
                canary, ManagedSecrets.decodedData(cluster.secret(ns, "mpesa")).get("MPESA_KEY"));
        client.secrets()
                .inNamespace(ns)
                .resource(
                        new SecretBuilder(cluster.secret(ns, "mpesa"))
                                .withStringData(Map.of("MPESA_KEY", canary + "-tampered"))
                                .build())
                .update();
        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                canary.equals(
                                        ManagedSecrets.decodedData(cluster.secret(ns, "mpesa"))
                                                .get("MPESA_KEY")));

        // A missing key, a conflict with an unmanaged Secret holding the canary.
        TenantSecret missingKey =
                Fixtures.tenantSecret(
                        ns, "missing", ns, Region.NG, Category.PAYMENTS, "payments/mpesa");
        missingKey.getSpec().setKeys(List.of(new KeyMapping("no_such_key", null)));
        client.resource(missingKey).create();
        cluster.awaitCondition(
                ns, "missing", Conditions.SYNCED, "False", Conditions.REASON_NOT_FOUND);
        client.secrets()
                .inNamespace(ns)
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("taken")
                                .withNamespace(ns)
                                .endMetadata()
                                .withStringData(Map.of("x", canary + "-unmanaged"))
                                .build())
                .create();
        TenantSecret conflict =
                Fixtures.tenantSecret(
                        ns, "taken", ns, Region.NG, Category.PAYMENTS, "payments/mpesa");
        client.resource(conflict).create();
        cluster.awaitCondition(
                ns, "taken", Conditions.SYNCED, "False", Conditions.REASON_SECRET_CONFLICT);

        // Scheduled-policy secret rotated in an emergency: the generated value is secret too.
        TenantSecret signing =
                Fixtures.tenantSecret(ns, "signing", ns, Region.NG, Category.AUTH, "auth/signing");
        signing.getSpec().setRotationPolicyRef(new RotationPolicyRef("canary-policy"));
        signing.getSpec()
                .setRolloutTargets(
                        List.of(new RolloutTarget(WorkloadKind.Deployment, "smeflow-api")));
        client.resource(signing).create();
        cluster.awaitSynced(ns, "signing");
        new Cluster(client).rotateNow(ns, "signing", "canary-incident");
        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                ng.metadata("smeflow/tenants/canary/auth/signing")
                                                .path("current_version")
                                                .asInt()
                                        == 2);
        String generated = ng.get("smeflow/tenants/canary/auth/signing").get("secret");
        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                generated.equals(
                                        ManagedSecrets.decodedData(cluster.secret(ns, "signing"))
                                                .get("secret")));

        List<String> secrets = List.of(canary, generated);
        List<String> leaks = new ArrayList<>();
        scan("operator log and audit trail", TestLogs.all(), secrets, leaks);
        scan(
                "Events",
                Serialization.asJson(client.v1().events().inAnyNamespace().list()),
                secrets,
                leaks);
        scan(
                "TenantSecret statuses",
                Serialization.asJson(client.resources(TenantSecret.class).inAnyNamespace().list()),
                secrets,
                leaks);
        scan(
                "RotationPolicy statuses",
                Serialization.asJson(client.resources(RotationPolicy.class).list()),
                secrets,
                leaks);
        scan(
                "metrics",
                given().when().get("/q/metrics").then().extract().asString(),
                secrets,
                leaks);
        scan(
                "Deployment annotations",
                Serialization.asJson(client.apps().deployments().inNamespace(ns).list()),
                secrets,
                leaks);
        assertTrue(leaks.isEmpty(), "secret values found in: " + leaks);
    }

    private static void scan(String where, String text, List<String> secrets, List<String> leaks) {
        for (int i = 0; i < secrets.size(); i++) {
            if (text.contains(secrets.get(i))) {
                leaks.add(where + " (value #" + i + ")");
            }
        }
    }
}
