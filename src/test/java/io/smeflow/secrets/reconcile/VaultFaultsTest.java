package io.smeflow.secrets.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.testing.Cluster;
import io.smeflow.secrets.testing.Fixtures;
import io.smeflow.secrets.testing.OpenBaoServer;
import io.smeflow.secrets.testing.OpenBaoTestResource;
import io.smeflow.secrets.testing.TestLogs;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Vault faults injected on a real OpenBao: sealed, policy denial, data gone, unreachable. The
 * Secret stays exactly as it was, the condition names the cause, and sync resumes by itself.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(OpenBaoTestResource.class)
class VaultFaultsTest {

    @Inject KubernetesClient client;

    private final OpenBaoServer ng = OpenBaoServer.published("openbao.ng");
    private final OpenBaoServer za = OpenBaoServer.published("openbao.za");

    private Cluster cluster() {
        return new Cluster(client);
    }

    @Test
    void aSealedVaultLeavesTheSecretIntactAndSyncResumesAfterUnseal() throws Exception {
        ng.put("smeflow/tenants/seal/payments/mpesa", Map.of("consumer_key", "v1"));
        Fixtures.tenantNamespace(client, "seal", "seal", "NG");
        TenantSecret ts =
                Fixtures.tenantSecret(
                        "seal", "mpesa", "seal", Region.NG, Category.PAYMENTS, "payments/mpesa");
        ts.getSpec().setRefreshInterval("1s");
        client.resource(ts).create();
        cluster().awaitSynced("seal", "mpesa");
        Secret before = cluster().secret("seal", "mpesa");

        ng.seal();
        try {
            Condition c =
                    cluster()
                            .awaitCondition(
                                    "seal",
                                    "mpesa",
                                    Conditions.SYNCED,
                                    "False",
                                    Conditions.REASON_VAULT_UNAVAILABLE);
            assertTrue(c.getMessage().contains("503"), c.getMessage());
            Secret during = cluster().secret("seal", "mpesa");
            assertEquals(before.getData(), during.getData());
            assertEquals(
                    before.getMetadata().getResourceVersion(),
                    during.getMetadata().getResourceVersion());
        } finally {
            ng.unseal();
        }
        ng.put("smeflow/tenants/seal/payments/mpesa", Map.of("consumer_key", "v2"));

        cluster()
                .awaitCondition(
                        "seal", "mpesa", Conditions.READY, "True", Conditions.REASON_SYNCED);
        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                "v2"
                                        .equals(
                                                ManagedSecrets.decodedData(
                                                                cluster().secret("seal", "mpesa"))
                                                        .get("consumer_key")));
        assertTrue(
                cluster().events("seal").stream()
                        .anyMatch(e -> "SyncRecovered".equals(e.getReason())));
        assertTrue(
                cluster().events("seal").stream()
                        .anyMatch(e -> Conditions.REASON_VAULT_UNAVAILABLE.equals(e.getReason())));
    }

    @Test
    void aPolicyDenialIsAccessDeniedAndBacksOffInsteadOfFlooding() throws Exception {
        za.put("smeflow/tenants/deny/restricted/keys", Map.of("k", "v"));
        Fixtures.tenantNamespace(client, "deny", "deny", "ZA");
        client.resource(
                        Fixtures.tenantSecret(
                                "deny",
                                "keys",
                                "deny",
                                Region.ZA,
                                Category.AUTH,
                                "restricted/keys"))
                .create();

        Condition c =
                cluster()
                        .awaitCondition(
                                "deny",
                                "keys",
                                Conditions.SYNCED,
                                "False",
                                Conditions.REASON_ACCESS_DENIED);
        assertTrue(c.getMessage().contains("denied (HTTP 403)"), c.getMessage());

        // Backoff (200ms doubling to 2s in the test profile) bounds the attempts in a 6 s window:
        // about 7. Without it, a reconcile loop would send hundreds.
        int before = TestLogs.auditLinesWith("tenants/deny/restricted/keys").size();
        Thread.sleep(6000);
        int attempts = TestLogs.auditLinesWith("tenants/deny/restricted/keys").size() - before;
        assertTrue(attempts <= 12, "denied reads in 6 s: " + attempts);
        assertTrue(
                TestLogs.auditLinesWith("tenants/deny/restricted/keys").stream()
                        .allMatch(l -> l.contains("\"success\":false")));
    }

    @Test
    void vaultDataGoneIsNotFoundAndTheSecretStays() throws Exception {
        ng.put("smeflow/tenants/gone/llm/openai", Map.of("api_key", "still-here"));
        Fixtures.tenantNamespace(client, "gone", "gone", "NG");
        TenantSecret ts =
                Fixtures.tenantSecret(
                        "gone", "openai", "gone", Region.NG, Category.LLM, "llm/openai");
        ts.getSpec().setRefreshInterval("1s");
        client.resource(ts).create();
        cluster().awaitSynced("gone", "openai");

        ng.deleteLatest("smeflow/tenants/gone/llm/openai");

        cluster()
                .awaitCondition(
                        "gone", "openai", Conditions.SYNCED, "False", Conditions.REASON_NOT_FOUND);
        assertEquals(
                Map.of("api_key", "still-here"),
                ManagedSecrets.decodedData(cluster().secret("gone", "openai")));
    }

    @Test
    void anUnreachableVaultIsVaultUnavailable() {
        Fixtures.tenantNamespace(client, "eu-tenant", "eu-tenant", "EU");
        client.resource(
                        Fixtures.tenantSecret(
                                "eu-tenant",
                                "db",
                                "eu-tenant",
                                Region.EU,
                                Category.DATABASE,
                                "db/main"))
                .create();

        Condition c =
                cluster()
                        .awaitCondition(
                                "eu-tenant",
                                "db",
                                Conditions.SYNCED,
                                "False",
                                Conditions.REASON_VAULT_UNAVAILABLE);
        assertTrue(c.getMessage().contains("did not answer"), c.getMessage());
        assertEquals(null, cluster().secret("eu-tenant", "db"));
    }

    @Test
    void aMissingKeyNamedInSpecKeysIsNotFoundWithTheKeyName() throws Exception {
        ng.put("smeflow/tenants/nokey/payments/mpesa", Map.of("consumer_key", "x"));
        Fixtures.tenantNamespace(client, "nokey", "nokey", "NG");
        TenantSecret ts =
                Fixtures.tenantSecret(
                        "nokey", "mpesa", "nokey", Region.NG, Category.PAYMENTS, "payments/mpesa");
        ts.getSpec()
                .setKeys(
                        java.util.List.of(
                                new io.smeflow.secrets.api.v1alpha1.KeyMapping("passkey", null)));
        client.resource(ts).create();

        Condition c =
                cluster()
                        .awaitCondition(
                                "nokey",
                                "mpesa",
                                Conditions.SYNCED,
                                "False",
                                Conditions.REASON_NOT_FOUND);
        assertTrue(c.getMessage().contains("has no key 'passkey'"), c.getMessage());
    }
}
