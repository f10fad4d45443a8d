package io.smeflow.secrets.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.DeletionPolicy;
import io.smeflow.secrets.api.v1alpha1.KeyMapping;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.testing.Cluster;
import io.smeflow.secrets.testing.Fixtures;
import io.smeflow.secrets.testing.OpenBaoServer;
import io.smeflow.secrets.testing.OpenBaoTestResource;
import io.smeflow.secrets.testing.TestLogs;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Sync from a real OpenBao into Secrets on the Fabric8 mock API server. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(OpenBaoTestResource.class)
class TenantSecretSyncTest {

    @Inject KubernetesClient client;

    private final OpenBaoServer ng = OpenBaoServer.published("openbao.ng");

    private Cluster cluster() {
        return new Cluster(client);
    }

    @Test
    void syncsVaultDataIntoManagedSecretWithoutOwnerReference() throws Exception {
        ng.put(
                "smeflow/tenants/sync1/payments/mpesa",
                Map.of("consumer_key", "ck-1", "consumer_secret", "cs-1"));
        Fixtures.tenantNamespace(client, "sync1", "sync1", "NG");
        client.resource(
                        Fixtures.tenantSecret(
                                "sync1",
                                "mpesa",
                                "sync1",
                                Region.NG,
                                Category.PAYMENTS,
                                "payments/mpesa"))
                .create();

        Secret secret = cluster().awaitSecret("sync1", "mpesa");
        assertEquals(
                Map.of("consumer_key", "ck-1", "consumer_secret", "cs-1"),
                ManagedSecrets.decodedData(secret));
        assertEquals(
                ManagedSecrets.MANAGER,
                secret.getMetadata().getLabels().get(ManagedSecrets.MANAGED_BY_LABEL));
        assertEquals(
                "mpesa",
                secret.getMetadata().getAnnotations().get(ManagedSecrets.OWNER_ANNOTATION));
        assertTrue(
                secret.getMetadata().getOwnerReferences() == null
                        || secret.getMetadata().getOwnerReferences().isEmpty(),
                "Retain (the default) must not make the TenantSecret the Secret's owner");

        cluster()
                .awaitCondition(
                        "sync1", "mpesa", Conditions.READY, "True", Conditions.REASON_SYNCED);
        TenantSecret synced = cluster().tenantSecret("sync1", "mpesa");
        assertEquals(1, synced.getStatus().getVaultVersion());
        assertEquals(ng.address(), synced.getStatus().getVaultAddress());
        assertEquals(
                synced.getMetadata().getGeneration(), synced.getStatus().getObservedGeneration());
        assertNotNull(synced.getStatus().getLastSyncTime());
    }

    @Test
    void deletePolicyMakesTheTenantSecretTheOwner() throws Exception {
        ng.put("smeflow/tenants/sync2/db/main", Map.of("url", "postgres://x"));
        Fixtures.tenantNamespace(client, "sync2", "sync2", "NG");
        TenantSecret ts =
                Fixtures.tenantSecret(
                        "sync2", "db", "sync2", Region.NG, Category.DATABASE, "db/main");
        ts.getSpec().getTarget().setDeletionPolicy(DeletionPolicy.Delete);
        ts.getSpec().getTarget().setName("db-creds");
        TenantSecret created = client.resource(ts).create();

        Secret secret = cluster().awaitSecret("sync2", "db-creds");
        assertEquals(1, secret.getMetadata().getOwnerReferences().size());
        assertEquals(
                created.getMetadata().getUid(),
                secret.getMetadata().getOwnerReferences().get(0).getUid());
    }

    @Test
    void keyMappingCopiesOnlyTheNamedKeysUnderTheirSecretNames() throws Exception {
        ng.put(
                "smeflow/tenants/sync3/llm/openai",
                Map.of("api_key", "sk-test", "org", "org-1", "unused", "u"));
        Fixtures.tenantNamespace(client, "sync3", "sync3", "NG");
        TenantSecret ts =
                Fixtures.tenantSecret(
                        "sync3", "openai", "sync3", Region.NG, Category.LLM, "llm/openai");
        ts.getSpec()
                .setKeys(
                        List.of(
                                new KeyMapping("api_key", "OPENAI_API_KEY"),
                                new KeyMapping("org", null)));
        client.resource(ts).create();

        Secret secret = cluster().awaitSecret("sync3", "openai");
        assertEquals(
                Map.of("OPENAI_API_KEY", "sk-test", "org", "org-1"),
                ManagedSecrets.decodedData(secret));
    }

    @Test
    void refreshCarriesANewVaultVersionIntoTheSecret() throws Exception {
        ng.put("smeflow/tenants/sync4/payments/paystack", Map.of("secret_key", "v1"));
        Fixtures.tenantNamespace(client, "sync4", "sync4", "NG");
        TenantSecret ts =
                Fixtures.tenantSecret(
                        "sync4",
                        "paystack",
                        "sync4",
                        Region.NG,
                        Category.PAYMENTS,
                        "payments/paystack");
        ts.getSpec().setRefreshInterval("1s");
        client.resource(ts).create();
        cluster().awaitSecret("sync4", "paystack");

        ng.put("smeflow/tenants/sync4/payments/paystack", Map.of("secret_key", "v2"));

        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                "v2"
                                        .equals(
                                                ManagedSecrets.decodedData(
                                                                cluster()
                                                                        .secret(
                                                                                "sync4",
                                                                                "paystack"))
                                                        .get("secret_key")));
        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                Integer.valueOf(2)
                                        .equals(
                                                cluster()
                                                        .tenantSecret("sync4", "paystack")
                                                        .getStatus()
                                                        .getVaultVersion()));
    }

    @Test
    void anUnchangedRefreshWritesNothingToTheApiServer() throws Exception {
        ng.put("smeflow/tenants/sync5/auth/session", Map.of("key", "k"));
        Fixtures.tenantNamespace(client, "sync5", "sync5", "NG");
        TenantSecret ts =
                Fixtures.tenantSecret(
                        "sync5", "session", "sync5", Region.NG, Category.AUTH, "auth/session");
        ts.getSpec().setRefreshInterval("1s");
        client.resource(ts).create();
        cluster().awaitSynced("sync5", "session");
        String resourceVersion =
                cluster().secret("sync5", "session").getMetadata().getResourceVersion();
        String firstSync = cluster().tenantSecret("sync5", "session").getStatus().getLastSyncTime();

        // Three refreshes read Vault again (lastSyncTime moves) ...
        String[] seen = {firstSync};
        int[] refreshes = {0};
        await().atMost(Cluster.WAIT)
                .until(
                        () -> {
                            String now =
                                    cluster()
                                            .tenantSecret("sync5", "session")
                                            .getStatus()
                                            .getLastSyncTime();
                            if (!now.equals(seen[0])) {
                                seen[0] = now;
                                refreshes[0]++;
                            }
                            return refreshes[0] >= 3;
                        });
        // ... but the Secret was never written again.
        assertEquals(
                resourceVersion,
                cluster().secret("sync5", "session").getMetadata().getResourceVersion());
    }

    @Test
    void aManualEditIsUndoneAndADeletedSecretIsRecreated() throws Exception {
        ng.put("smeflow/tenants/sync6/n8n/encryption", Map.of("encryption_key", "n8n-key"));
        Fixtures.tenantNamespace(client, "sync6", "sync6", "NG");
        client.resource(
                        Fixtures.tenantSecret(
                                "sync6", "n8n", "sync6", Region.NG, Category.N8N, "n8n/encryption"))
                .create();
        cluster().awaitSecret("sync6", "n8n");
        cluster().awaitSynced("sync6", "n8n");

        Secret edited =
                new SecretBuilder(cluster().secret("sync6", "n8n"))
                        .withData(Map.of("encryption_key", b64("tampered"), "extra", b64("x")))
                        .build();
        client.secrets().inNamespace("sync6").resource(edited).update();
        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                Map.of("encryption_key", "n8n-key")
                                        .equals(
                                                ManagedSecrets.decodedData(
                                                        cluster().secret("sync6", "n8n"))));

        client.secrets().inNamespace("sync6").withName("n8n").delete();
        await().atMost(Cluster.WAIT)
                .until(
                        () -> {
                            Secret s = cluster().secret("sync6", "n8n");
                            return s != null
                                    && Map.of("encryption_key", "n8n-key")
                                            .equals(ManagedSecrets.decodedData(s));
                        });
        assertTrue(
                cluster().events("sync6").stream()
                        .anyMatch(e -> "DriftRepaired".equals(e.getReason())));
    }

    @Test
    void aSecretTheOperatorDidNotCreateIsNeverOverwritten() throws Exception {
        ng.put("smeflow/tenants/sync7/payments/mpesa", Map.of("consumer_key", "from-vault"));
        Fixtures.tenantNamespace(client, "sync7", "sync7", "NG");
        client.secrets()
                .inNamespace("sync7")
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("mpesa")
                                .withNamespace("sync7")
                                .endMetadata()
                                .withData(Map.of("consumer_key", b64("hand-made")))
                                .build())
                .create();
        client.resource(
                        Fixtures.tenantSecret(
                                "sync7",
                                "mpesa",
                                "sync7",
                                Region.NG,
                                Category.PAYMENTS,
                                "payments/mpesa"))
                .create();

        var synced =
                cluster()
                        .awaitCondition(
                                "sync7",
                                "mpesa",
                                Conditions.SYNCED,
                                "False",
                                Conditions.REASON_SECRET_CONFLICT);
        assertTrue(
                synced.getMessage().contains("not created by the operator"), synced.getMessage());
        assertEquals(
                Map.of("consumer_key", "hand-made"),
                ManagedSecrets.decodedData(cluster().secret("sync7", "mpesa")));
        assertTrue(
                TestLogs.auditLinesWith("tenants/sync7/").isEmpty(),
                "a conflicting Secret must stop the sync before Vault is read");
    }

    @Test
    void deletingATenantSecretKeepsTheRetainedSecretAndTheVaultData() throws Exception {
        ng.put("smeflow/tenants/sync8/payments/mpesa", Map.of("consumer_key", "keep-me"));
        Fixtures.tenantNamespace(client, "sync8", "sync8", "NG");
        client.resource(
                        Fixtures.tenantSecret(
                                "sync8",
                                "mpesa",
                                "sync8",
                                Region.NG,
                                Category.PAYMENTS,
                                "payments/mpesa"))
                .create();
        cluster().awaitSecret("sync8", "mpesa");

        client.resources(TenantSecret.class).inNamespace("sync8").withName("mpesa").delete();
        await().atMost(Cluster.WAIT).until(() -> cluster().tenantSecret("sync8", "mpesa") == null);

        assertEquals(
                Map.of("consumer_key", "keep-me"),
                ManagedSecrets.decodedData(cluster().secret("sync8", "mpesa")));
        assertEquals(
                Map.of("consumer_key", "keep-me"), ng.get("smeflow/tenants/sync8/payments/mpesa"));
    }

    @Test
    void statusDataHashIsAnHmacNotAPlainDigest() throws Exception {
        ng.put("smeflow/tenants/sync9/auth/jwt", Map.of("private_key", "pk"));
        Fixtures.tenantNamespace(client, "sync9", "sync9", "NG");
        client.resource(
                        Fixtures.tenantSecret(
                                "sync9", "jwt", "sync9", Region.NG, Category.AUTH, "auth/jwt"))
                .create();
        cluster().awaitSynced("sync9", "jwt");

        String hash = cluster().tenantSecret("sync9", "jwt").getStatus().getDataHash();
        assertTrue(hash.startsWith("hmac-sha256:"), hash);
        String plain =
                HexFormat.of()
                        .formatHex(
                                MessageDigest.getInstance("SHA-256")
                                        .digest(
                                                new TreeMap<>(Map.of("private_key", "pk"))
                                                        .toString()
                                                        .getBytes(StandardCharsets.UTF_8)));
        assertNotEquals("hmac-sha256:" + plain, hash);
        assertEquals(
                hash,
                cluster()
                        .secret("sync9", "jwt")
                        .getMetadata()
                        .getAnnotations()
                        .get(ManagedSecrets.DATA_HASH_ANNOTATION));
    }

    static String b64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
