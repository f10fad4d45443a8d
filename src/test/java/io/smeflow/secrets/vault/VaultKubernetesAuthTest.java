package io.smeflow.secrets.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.audit.AuditLog;
import io.smeflow.secrets.config.OperatorConfig;
import io.smeflow.secrets.metrics.OperatorMetrics;
import io.smeflow.secrets.testing.FakeTokenReviewer;
import io.smeflow.secrets.testing.MutableClock;
import io.smeflow.secrets.testing.OpenBaoServer;
import io.smeflow.secrets.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes auth against a real OpenBao: the operator's JWT is exchanged for a short-lived token
 * that is cached, renewed before expiry and re-issued when Vault no longer honours it. Time in the
 * operator is a hand-moved clock; OpenBao keeps real time, and the token TTL is set so the test
 * never waits for it.
 */
class VaultKubernetesAuthTest {

    private static final String ROLE = "smeflow-secrets-operator";
    private static final SecretLocation LOCATION =
            new SecretLocation(
                    Region.NG,
                    "acme",
                    "smeflow/tenants/acme/payments/mpesa",
                    VaultIdentity.operator(ROLE));

    private static OpenBaoServer bao;
    private static FakeTokenReviewer reviewer;
    private static Path jwtFile;

    private MutableClock clock;
    private SimpleMeterRegistry registry;
    private VaultTokens tokens;
    private VaultKvClient kv;

    @BeforeAll
    static void startVault() throws Exception {
        bao = OpenBaoServer.start("k8s-auth");
        reviewer = new FakeTokenReviewer();
        bao.request(
                "POST", "/v1/sys/auth/kubernetes", Map.of("type", "kubernetes"), bao.rootToken());
        bao.request(
                "POST",
                "/v1/auth/kubernetes/config",
                Map.of(
                        "kubernetes_host",
                        reviewer.url(),
                        "disable_local_ca_jwt",
                        true,
                        "kubernetes_ca_cert",
                        FakeTokenReviewer.caCertificate()),
                bao.rootToken());
        bao.policy(
                "smeflow-operator",
                """
                path "secret/data/smeflow/*" { capabilities = ["create", "read", "update"] }
                path "secret/metadata/smeflow/*" { capabilities = ["create", "read", "update"] }
                """);
        bao.request(
                "POST",
                "/v1/auth/kubernetes/role/" + ROLE,
                Map.of(
                        "bound_service_account_names",
                        List.of("smeflow-secrets-operator"),
                        "bound_service_account_namespaces",
                        List.of("smeflow-system"),
                        "token_policies",
                        List.of("smeflow-operator"),
                        "token_ttl",
                        "15m",
                        "token_max_ttl",
                        "1h"),
                bao.rootToken());
        jwtFile = Files.createTempFile("sa-token", ".jwt");
        Files.writeString(jwtFile, reviewer.issue("smeflow-system", "smeflow-secrets-operator"));
        bao.put("smeflow/tenants/acme/payments/mpesa", Map.of("consumer_key", "ck"));
    }

    @AfterAll
    static void stopVault() {
        reviewer.close();
        bao.close();
    }

    @BeforeEach
    void newOperator() {
        OperatorConfig config =
                TestConfigs.of(
                        Map.of(
                                "smeflow.vault.regions.NG.address",
                                bao.address(),
                                "smeflow.vault.auth.method",
                                "kubernetes",
                                "smeflow.vault.auth.role",
                                ROLE,
                                "smeflow.vault.auth.jwt-path",
                                jwtFile.toString()));
        clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
        registry = new SimpleMeterRegistry();
        RegionalVaults vaults = new RegionalVaults(config);
        VaultAccessRecorder recorder =
                new VaultAccessRecorder(new AuditLog(config, clock), new OperatorMetrics(registry));
        tokens =
                new VaultTokens(
                        config, vaults, new ServiceAccountTokens(config, null), recorder, clock);
        kv = new VaultKvClient(vaults, tokens, recorder, config);
    }

    @Test
    void manyReadsShareOneLogin() throws Exception {
        for (int i = 0; i < 50; i++) {
            assertEquals("ck", kv.read(LOCATION).data().get("consumer_key"));
        }
        assertEquals(1.0, count("login", "success"));
        assertEquals(50.0, count("read", "success"));
    }

    @Test
    void aTokenIsRenewedOnceTwoThirdsOfItsLifetimeHavePassed() throws Exception {
        String first = tokens.token(LOCATION);
        clock.advance(Duration.ofMinutes(9));
        assertEquals(first, tokens.token(LOCATION), "still fresh at 9 of 15 minutes");
        assertEquals(0.0, count("renew", "success"));

        clock.advance(Duration.ofMinutes(2));
        assertEquals(first, tokens.token(LOCATION), "renewal keeps the token");
        assertEquals(1.0, count("renew", "success"));
        assertEquals(1.0, count("login", "success"));
    }

    @Test
    void aTokenVaultNoLongerHonoursIsReplacedByANewLogin() throws Exception {
        String first = tokens.token(LOCATION);
        bao.request("POST", "/v1/auth/token/revoke", Map.of("token", first), bao.rootToken());

        assertEquals(
                "ck",
                kv.read(LOCATION).data().get("consumer_key"),
                "a 403 on a cached token is retried once with a fresh login");
        assertNotEquals(first, tokens.token(LOCATION));
        assertEquals(2.0, count("login", "success"));
        assertEquals(1.0, count("read", "denied"));
    }

    @Test
    void anExpiredTokenThatCannotBeRenewedLeadsToANewLogin() throws Exception {
        String first = tokens.token(LOCATION);
        bao.request("POST", "/v1/auth/token/revoke", Map.of("token", first), bao.rootToken());
        clock.advance(Duration.ofMinutes(12));

        String second = tokens.token(LOCATION);

        assertNotEquals(first, second);
        assertEquals(1.0, count("renew", "denied"));
        assertEquals(2.0, count("login", "success"));
    }

    @Test
    void aJwtTheApiServerDoesNotRecogniseIsDenied() throws Exception {
        Path forged = Files.createTempFile("forged", ".jwt");
        Files.writeString(
                forged,
                new FakeTokenReviewer().issue("smeflow-system", "smeflow-secrets-operator"));
        OperatorConfig config =
                TestConfigs.of(
                        Map.of(
                                "smeflow.vault.regions.NG.address", bao.address(),
                                "smeflow.vault.auth.method", "kubernetes",
                                "smeflow.vault.auth.jwt-path", forged.toString()));
        RegionalVaults vaults = new RegionalVaults(config);
        VaultAccessRecorder recorder =
                new VaultAccessRecorder(new AuditLog(config, clock), new OperatorMetrics(registry));
        VaultTokens forgedTokens =
                new VaultTokens(
                        config, vaults, new ServiceAccountTokens(config, null), recorder, clock);

        VaultAccessException e =
                assertThrows(VaultAccessException.class, () -> forgedTokens.token(LOCATION));

        assertEquals(VaultFailure.DENIED, e.failure());
        assertTrue(e.getMessage().startsWith("login to Vault NG"), e.getMessage());
        assertEquals(1.0, count("login", "denied"));
    }

    private double count(String action, String outcome) {
        var counter =
                registry.find(OperatorMetrics.VAULT_ACCESS)
                        .tags("region", "NG", "action", action, "outcome", outcome)
                        .counter();
        return counter == null ? 0.0 : counter.count();
    }
}
