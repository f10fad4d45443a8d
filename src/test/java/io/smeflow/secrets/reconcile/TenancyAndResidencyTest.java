package io.smeflow.secrets.reconcile;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.tenancy.Refusal;
import io.smeflow.secrets.testing.Cluster;
import io.smeflow.secrets.testing.Fixtures;
import io.smeflow.secrets.testing.OpenBaoServer;
import io.smeflow.secrets.testing.OpenBaoTestResource;
import io.smeflow.secrets.testing.TestLogs;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A TenantSecret may act only for its namespace's tenant and region. Every refusal is a condition
 * that says what to fix, and nothing is read from any Vault for a refused resource.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(OpenBaoTestResource.class)
class TenancyAndResidencyTest {

    @Inject KubernetesClient client;

    private final OpenBaoServer ng = OpenBaoServer.published("openbao.ng");
    private final OpenBaoServer za = OpenBaoServer.published("openbao.za");

    private Cluster cluster() {
        return new Cluster(client);
    }

    @Test
    void anotherTenantsIdIsRefusedAndNothingIsRead() throws Exception {
        ng.put("smeflow/tenants/victim/payments/mpesa", Map.of("consumer_key", "victim-key"));
        Fixtures.tenantNamespace(client, "attacker", "attacker", "NG");
        client.resource(
                        Fixtures.tenantSecret(
                                "attacker",
                                "steal",
                                "victim",
                                Region.NG,
                                Category.PAYMENTS,
                                "payments/mpesa"))
                .create();

        Condition c =
                cluster()
                        .awaitCondition(
                                "attacker",
                                "steal",
                                Refusal.TENANCY_VIOLATION,
                                "True",
                                Refusal.TENANCY_VIOLATION);
        assertTrue(c.getMessage().contains("belongs to tenant 'attacker'"), c.getMessage());
        cluster()
                .awaitCondition(
                        "attacker", "steal", Conditions.READY, "False", Refusal.TENANCY_VIOLATION);
        assertNull(cluster().secret("attacker", "steal"));
        assertTrue(
                TestLogs.auditLinesWith("tenants/victim/").isEmpty(),
                "no Vault request for a refused resource");
    }

    @Test
    void aNamespaceWithoutTenantLabelIsRefused() {
        Fixtures.tenantNamespace(client, "unlabelled", null, "NG");
        client.resource(
                        Fixtures.tenantSecret(
                                "unlabelled",
                                "x",
                                "someone",
                                Region.NG,
                                Category.LLM,
                                "llm/openai"))
                .create();

        Condition c =
                cluster()
                        .awaitCondition(
                                "unlabelled",
                                "x",
                                Refusal.TENANCY_VIOLATION,
                                "True",
                                Refusal.TENANCY_VIOLATION);
        assertTrue(
                c.getMessage().contains("has no secrets.smeflow.io/tenant label"), c.getMessage());
    }

    @Test
    void platformSecretsAreRefusedInTenantNamespaces() throws Exception {
        Fixtures.tenantNamespace(client, "sneaky", "sneaky", "NG");
        client.resource(
                        Fixtures.tenantSecret(
                                "sneaky",
                                "db",
                                "platform",
                                Region.NG,
                                Category.DATABASE,
                                "database/replica"))
                .create();

        Condition c =
                cluster()
                        .awaitCondition(
                                "sneaky",
                                "db",
                                Refusal.TENANCY_VIOLATION,
                                "True",
                                Refusal.TENANCY_VIOLATION);
        assertTrue(c.getMessage().contains("allowed only in namespaces labelled"), c.getMessage());
        assertTrue(TestLogs.auditLinesWith("secret/smeflow/database/replica").isEmpty());
    }

    @Test
    void platformNamespacesReadFromThePlatformRoot() throws Exception {
        ng.put("smeflow/database/main", Map.of("url", "postgres://platform"));
        Fixtures.platformNamespace(client, "smeflow-platform", "NG");
        client.resource(
                        Fixtures.tenantSecret(
                                "smeflow-platform",
                                "db",
                                "platform",
                                Region.NG,
                                Category.DATABASE,
                                "database/main"))
                .create();

        cluster().awaitSynced("smeflow-platform", "db");
        assertTrue(
                ManagedSecrets.decodedData(cluster().secret("smeflow-platform", "db"))
                        .containsKey("url"));
    }

    @Test
    void aRegionOtherThanTheNamespacesIsAResidencyViolation() throws Exception {
        za.put("smeflow/tenants/naija/payments/paystack", Map.of("secret_key", "za-copy"));
        Fixtures.tenantNamespace(client, "naija", "naija", "NG");
        client.resource(
                        Fixtures.tenantSecret(
                                "naija",
                                "paystack",
                                "naija",
                                Region.ZA,
                                Category.PAYMENTS,
                                "payments/paystack"))
                .create();

        Condition c =
                cluster()
                        .awaitCondition(
                                "naija",
                                "paystack",
                                Refusal.RESIDENCY_VIOLATION,
                                "True",
                                Refusal.RESIDENCY_VIOLATION);
        assertTrue(c.getMessage().contains("must stay in NG"), c.getMessage());
        assertTrue(TestLogs.auditLinesWith("tenants/naija/").isEmpty());
    }

    @Test
    void aRegionWithoutAVaultIsReportedAndNeverServedByAnother() throws Exception {
        ng.put("smeflow/tenants/kenya/payments/mpesa", Map.of("consumer_key", "ng-copy"));
        Fixtures.tenantNamespace(client, "kenya", "kenya", "KE");
        client.resource(
                        Fixtures.tenantSecret(
                                "kenya",
                                "mpesa",
                                "kenya",
                                Region.KE,
                                Category.PAYMENTS,
                                "payments/mpesa"))
                .create();

        Condition c =
                cluster()
                        .awaitCondition(
                                "kenya",
                                "mpesa",
                                Conditions.SYNCED,
                                "False",
                                Conditions.REASON_REGION_NOT_CONFIGURED);
        assertTrue(c.getMessage().contains("no Vault is configured for region KE"), c.getMessage());
        assertNull(cluster().secret("kenya", "mpesa"));
        assertTrue(
                TestLogs.auditLinesWith("\"compliance_region\":\"NG\"").stream()
                        .noneMatch(l -> l.contains("tenants/kenya/")),
                "a Kenyan secret must never be looked up in the Nigerian Vault");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../other/payments",
                "payments/../../other",
                "/etc/passwd",
                "payments//mpesa",
                "payments/%2e%2e/x",
                "payments/mpesa/",
                "a\\b",
                "."
            })
    void pathsThatCouldLeaveTheTenantRootAreInvalid(String path) throws Exception {
        String ns = "paths-" + Integer.toHexString(path.hashCode());
        Fixtures.tenantNamespace(client, ns, ns, "NG");
        TenantSecret ts = Fixtures.tenantSecret(ns, "bad", ns, Region.NG, Category.AUTH, path);
        client.resource(ts).create();

        Condition c =
                cluster()
                        .awaitCondition(
                                ns, "bad", Refusal.INVALID_SPEC, "True", Refusal.INVALID_SPEC);
        assertTrue(c.getMessage().startsWith("spec.path"), c.getMessage());
        assertTrue(TestLogs.auditLinesWith("tenants/" + ns).isEmpty());
    }

    @Test
    void fixingTheNamespaceLabelsLetsTheSecretSync() throws Exception {
        ng.put("smeflow/tenants/late/llm/openai", Map.of("api_key", "k"));
        Fixtures.tenantNamespace(client, "late", "someone-else", "NG");
        client.resource(
                        Fixtures.tenantSecret(
                                "late", "openai", "late", Region.NG, Category.LLM, "llm/openai"))
                .create();
        cluster()
                .awaitCondition(
                        "late",
                        "openai",
                        Refusal.TENANCY_VIOLATION,
                        "True",
                        Refusal.TENANCY_VIOLATION);

        Fixtures.tenantNamespace(client, "late", "late", "NG");

        cluster()
                .awaitCondition(
                        "late", "openai", Conditions.READY, "True", Conditions.REASON_SYNCED);
        assertTrue(cluster().condition("late", "openai", Refusal.TENANCY_VIOLATION).isEmpty());
    }
}
