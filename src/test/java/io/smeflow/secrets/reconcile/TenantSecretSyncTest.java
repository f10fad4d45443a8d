package io.smeflow.secrets.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.testing.Fixtures;
import io.smeflow.secrets.testing.OpenBaoServer;
import io.smeflow.secrets.testing.OpenBaoTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(OpenBaoTestResource.class)
class TenantSecretSyncTest {

    @Inject KubernetesClient client;

    private final OpenBaoServer ng = OpenBaoServer.published("openbao.ng");

    @Test
    void syncsVaultDataIntoManagedSecretWithoutOwnerReference() throws Exception {
        ng.put(
                "smeflow/tenants/acme/payments/mpesa",
                Map.of("consumer_key", "ck-1", "consumer_secret", "cs-1"));
        Fixtures.tenantNamespace(client, "acme", "acme", "NG");
        TenantSecret ts =
                Fixtures.tenantSecret(
                        "acme", "mpesa", "acme", Region.NG, Category.PAYMENTS, "payments/mpesa");
        client.resource(ts).create();

        Secret secret = awaitSecret("acme", "mpesa");
        assertEquals(
                Map.of("consumer_key", "ck-1", "consumer_secret", "cs-1"),
                ManagedSecrets.decodedData(secret));
        assertEquals(
                ManagedSecrets.MANAGER,
                secret.getMetadata().getLabels().get(ManagedSecrets.MANAGED_BY_LABEL));
        assertTrue(
                secret.getMetadata().getOwnerReferences() == null
                        || secret.getMetadata().getOwnerReferences().isEmpty());
        TenantSecret synced =
                client.resources(TenantSecret.class).inNamespace("acme").withName("mpesa").get();
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () ->
                                Conditions.isTrue(
                                        client.resources(TenantSecret.class)
                                                .inNamespace("acme")
                                                .withName("mpesa")
                                                .get()
                                                .getStatus()
                                                .getConditions(),
                                        Conditions.READY));
        assertNotNull(synced);
    }

    private Secret awaitSecret(String namespace, String name) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.secrets().inNamespace(namespace).withName(name).get() != null);
        return client.secrets().inNamespace(namespace).withName(name).get();
    }
}
