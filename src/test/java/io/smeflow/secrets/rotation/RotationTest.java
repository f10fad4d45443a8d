package io.smeflow.secrets.rotation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.GeneratorSpec;
import io.smeflow.secrets.api.v1alpha1.GeneratorType;
import io.smeflow.secrets.api.v1alpha1.MaintenanceWindow;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.api.v1alpha1.RolloutTarget;
import io.smeflow.secrets.api.v1alpha1.RotationPolicy;
import io.smeflow.secrets.api.v1alpha1.RotationPolicyRef;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.api.v1alpha1.Weekday;
import io.smeflow.secrets.api.v1alpha1.WorkloadKind;
import io.smeflow.secrets.reconcile.Conditions;
import io.smeflow.secrets.reconcile.ManagedSecrets;
import io.smeflow.secrets.testing.Cluster;
import io.smeflow.secrets.testing.Fixtures;
import io.smeflow.secrets.testing.OpenBaoServer;
import io.smeflow.secrets.testing.OpenBaoTestResource;
import io.smeflow.secrets.testing.ShiftableClock;
import io.smeflow.secrets.testing.TestLogs;
import io.smeflow.secrets.testing.Workloads;
import jakarta.inject.Inject;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Scheduled, emergency and External rotation end to end: real OpenBao, mock API server. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(OpenBaoTestResource.class)
class RotationTest {

    @Inject KubernetesClient client;
    @Inject ShiftableClock clock;
    @Inject MeterRegistry registry;

    private final OpenBaoServer ng = OpenBaoServer.published("openbao.ng");

    @AfterEach
    void realTime() {
        clock.reset();
    }

    private Cluster cluster() {
        return new Cluster(client);
    }

    private TenantSecret secretWithPolicy(
            String ns, String name, Category category, String path, String policy) {
        Fixtures.tenantNamespace(client, ns, ns, "NG");
        TenantSecret ts = Fixtures.tenantSecret(ns, name, ns, Region.NG, category, path);
        ts.getSpec().setRotationPolicyRef(new RotationPolicyRef(policy));
        ts.getSpec().setRefreshInterval("1s");
        ts.getSpec()
                .setRolloutTargets(
                        List.of(new RolloutTarget(WorkloadKind.Deployment, "smeflow-api")));
        return ts;
    }

    @Test
    void aDueGenerateRotationWritesOneVersionWithMetadataAndRestartsOnce() throws Exception {
        ng.put(
                "smeflow/tenants/rot1/database/main",
                Map.of("username", "app", "password", "initial"));
        client.resource(Fixtures.generatePolicy("db-30d", "30d", "password")).create();
        Workloads.deployment(client, "rot1", "smeflow-api");
        client.resource(
                        secretWithPolicy(
                                "rot1", "db", Category.DATABASE, "database/main", "db-30d"))
                .create();
        cluster().awaitSynced("rot1", "db");
        await().atMost(Cluster.WAIT)
                .until(() -> Workloads.consumedHash(client, "rot1", "smeflow-api") != null);
        assertNull(
                Workloads.restartedAt(client, "rot1", "smeflow-api"),
                "first sight records, restarts nothing");

        clock.shift(Duration.ofDays(31));

        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                ng.metadata("smeflow/tenants/rot1/database/main")
                                                .path("current_version")
                                                .asInt()
                                        == 2);
        var metadata = ng.metadata("smeflow/tenants/rot1/database/main");
        var custom = metadata.path("custom_metadata");
        assertTrue(
                custom.path(Rotator.ROTATION_ID).asText().startsWith("scheduled:"),
                custom.toString());
        assertEquals("2", custom.path(Rotator.ROTATION_VERSION).asText());
        assertEquals("scheduled", custom.path(Rotator.ROTATION_TRIGGER).asText());
        assertFalse(custom.path(Rotator.ROTATED_BY).asText().isEmpty());
        Map<String, String> rotated = ng.get("smeflow/tenants/rot1/database/main");
        assertEquals("app", rotated.get("username"), "keys the generator does not own are kept");
        assertNotEquals("initial", rotated.get("password"));
        assertEquals(24, rotated.get("password").length());

        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                rotated.equals(
                                        ManagedSecrets.decodedData(
                                                cluster().secret("rot1", "db"))));
        await().atMost(Cluster.WAIT).until(() -> Workloads.restarts(registry, "rot1") == 1.0);
        assertNotNull(Workloads.restartedAt(client, "rot1", "smeflow-api"));
        Condition done =
                cluster()
                        .awaitCondition(
                                "rot1",
                                "db",
                                Conditions.ROTATED,
                                "True",
                                Conditions.REASON_ROTATED);
        assertTrue(done.getMessage().contains("version 2"), done.getMessage());

        // Many more refreshes at the shifted time: still one rotation and one restart.
        String sync = cluster().tenantSecret("rot1", "db").getStatus().getLastSyncTime();
        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                !sync.equals(
                                        cluster()
                                                .tenantSecret("rot1", "db")
                                                .getStatus()
                                                .getLastSyncTime()));
        Thread.sleep(3000);
        assertEquals(
                2,
                ng.metadata("smeflow/tenants/rot1/database/main").path("current_version").asInt());
        assertEquals(1.0, Workloads.restarts(registry, "rot1"));
        TenantSecret ts = cluster().tenantSecret("rot1", "db");
        assertEquals(
                custom.path(Rotator.ROTATION_DATE).asText(),
                ts.getStatus().getLastRotationTime(),
                "last rotation comes from Vault's metadata");
    }

    @Test
    void anEmergencyTokenIsHonouredOnceAndANewTokenRotatesAgain() throws Exception {
        ng.put("smeflow/tenants/rot2/auth/session", Map.of("secret", "s0"));
        client.resource(Fixtures.generatePolicy("auth-30d", "30d", "secret")).create();
        Workloads.deployment(client, "rot2", "smeflow-api");
        client.resource(
                        secretWithPolicy(
                                "rot2", "session", Category.AUTH, "auth/session", "auth-30d"))
                .create();
        cluster().awaitSynced("rot2", "session");
        await().atMost(Cluster.WAIT)
                .until(() -> Workloads.consumedHash(client, "rot2", "smeflow-api") != null);

        new Cluster(client).rotateNow("rot2", "session", "incident-1");

        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                "incident-1"
                                        .equals(
                                                cluster()
                                                        .tenantSecret("rot2", "session")
                                                        .getStatus()
                                                        .getLastRotateNowToken()));
        assertEquals(
                2,
                ng.metadata("smeflow/tenants/rot2/auth/session").path("current_version").asInt());
        assertEquals(
                "rotate-now:incident-1",
                ng.metadata("smeflow/tenants/rot2/auth/session")
                        .path("custom_metadata")
                        .path(Rotator.ROTATION_ID)
                        .asText());
        await().atMost(Cluster.WAIT).until(() -> Workloads.restarts(registry, "rot2") == 1.0);
        assertTrue(
                cluster().events("rot2").stream()
                        .anyMatch(e -> "EmergencyRotated".equals(e.getReason())));
        assertFalse(
                TestLogs.auditLinesWith("secret_emergency_rotation").stream()
                        .noneMatch(l -> l.contains("tenants/rot2/auth/session")));

        // The same token again (the annotation re-applied by GitOps, say): nothing happens.
        TenantSecret ts = cluster().tenantSecret("rot2", "session");
        ts.getSpec().setRefreshInterval("2s");
        client.resource(ts).update();
        Thread.sleep(3000);
        assertEquals(
                2,
                ng.metadata("smeflow/tenants/rot2/auth/session").path("current_version").asInt());

        new Cluster(client).rotateNow("rot2", "session", "incident-2");
        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                ng.metadata("smeflow/tenants/rot2/auth/session")
                                                .path("current_version")
                                                .asInt()
                                        == 3);
        await().atMost(Cluster.WAIT).until(() -> Workloads.restarts(registry, "rot2") == 2.0);
    }

    @Test
    void previousValuesStayForTheGraceAfterAScheduledRotationButNotAfterAnEmergency()
            throws Exception {
        ng.put(
                "smeflow/tenants/rot3/auth/jwt",
                Map.of("private_key", "old-private", "public_key", "old-public"));
        RotationPolicy policy = Fixtures.generatePolicy("jwt-30d", "30d", "private_key");
        GeneratorSpec ec = new GeneratorSpec();
        ec.setType(GeneratorType.ECKeyPair);
        ec.setKeys(List.of("private_key", "public_key"));
        policy.getSpec().setGenerator(ec);
        policy.getSpec().setPreviousVersionGrace("24h");
        client.resource(policy).create();
        Workloads.deployment(client, "rot3", "smeflow-api");
        client.resource(secretWithPolicy("rot3", "jwt", Category.AUTH, "auth/jwt", "jwt-30d"))
                .create();
        cluster().awaitSynced("rot3", "jwt");

        clock.shift(Duration.ofDays(31));

        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                ManagedSecrets.decodedData(cluster().secret("rot3", "jwt"))
                                        .containsKey("private_key_previous"));
        Map<String, String> during = ManagedSecrets.decodedData(cluster().secret("rot3", "jwt"));
        assertEquals("old-private", during.get("private_key_previous"));
        assertEquals("old-public", during.get("public_key_previous"));
        assertTrue(during.get("private_key").startsWith("-----BEGIN PRIVATE KEY-----"));

        clock.shift(Duration.ofHours(25));

        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                !ManagedSecrets.decodedData(cluster().secret("rot3", "jwt"))
                                        .containsKey("private_key_previous"));
        assertEquals(
                Map.of(
                        "private_key",
                        during.get("private_key"),
                        "public_key",
                        during.get("public_key")),
                ManagedSecrets.decodedData(cluster().secret("rot3", "jwt")));

        // An emergency presumes the old key compromised: it is not kept, grace or not.
        new Cluster(client).rotateNow("rot3", "jwt", "key-leak");
        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                !during.get("private_key")
                                        .equals(
                                                ManagedSecrets.decodedData(
                                                                cluster().secret("rot3", "jwt"))
                                                        .get("private_key")));
        assertFalse(
                ManagedSecrets.decodedData(cluster().secret("rot3", "jwt"))
                        .containsKey("private_key_previous"));
    }

    @Test
    void anExternalSecretPastItsIntervalIsOverdueUntilAPersonRotatesIt() throws Exception {
        ng.put("smeflow/tenants/rot4/payments/mpesa", Map.of("consumer_key", "provider-1"));
        client.resource(Fixtures.externalPolicy("mpesa-30d", "30d")).create();
        Workloads.deployment(client, "rot4", "smeflow-api");
        client.resource(
                        secretWithPolicy(
                                "rot4", "mpesa", Category.PAYMENTS, "payments/mpesa", "mpesa-30d"))
                .create();
        cluster()
                .awaitCondition(
                        "rot4",
                        "mpesa",
                        Conditions.ROTATION_OVERDUE,
                        "False",
                        Conditions.REASON_ON_SCHEDULE);
        await().atMost(Cluster.WAIT)
                .until(() -> Workloads.consumedHash(client, "rot4", "smeflow-api") != null);

        clock.shift(Duration.ofDays(25));
        cluster()
                .awaitCondition(
                        "rot4",
                        "mpesa",
                        Conditions.ROTATION_OVERDUE,
                        "False",
                        Conditions.REASON_EXPIRING_SOON);

        clock.shift(Duration.ofDays(8));
        Condition overdue =
                cluster()
                        .awaitCondition(
                                "rot4",
                                "mpesa",
                                Conditions.ROTATION_OVERDUE,
                                "True",
                                Conditions.REASON_OVERDUE);
        assertTrue(
                overdue.getMessage().contains("mpesa-30d")
                        && overdue.getMessage().contains("overdue since")
                        && overdue.getMessage().contains(" by "),
                overdue.getMessage());
        assertEquals(
                1,
                ng.metadata("smeflow/tenants/rot4/payments/mpesa").path("current_version").asInt(),
                "the operator never generates for External");
        assertEquals(
                1.0,
                registry.find(RotationMetrics.OVERDUE).tags("namespace", "rot4").gauge().value());

        clock.reset();
        ng.put("smeflow/tenants/rot4/payments/mpesa", Map.of("consumer_key", "provider-2"));

        cluster()
                .awaitCondition(
                        "rot4",
                        "mpesa",
                        Conditions.ROTATION_OVERDUE,
                        "False",
                        Conditions.REASON_ON_SCHEDULE);
        assertEquals(
                "provider-2",
                ManagedSecrets.decodedData(cluster().secret("rot4", "mpesa")).get("consumer_key"));
        await().atMost(Cluster.WAIT).until(() -> Workloads.restarts(registry, "rot4") == 1.0);
        assertEquals(
                0.0,
                registry.find(RotationMetrics.OVERDUE).tags("namespace", "rot4").gauge().value());
    }

    @Test
    void aPolicyLooserThanTheCategoryCeilingIsRefusedForTheSecret() throws Exception {
        ng.put("smeflow/tenants/rot5/payments/paystack", Map.of("secret_key", "k"));
        client.resource(Fixtures.externalPolicy("lax-60d", "60d")).create();
        RotationPolicy declared = Fixtures.externalPolicy("lax-payments", "60d");
        declared.getSpec().setCategory(Category.PAYMENTS);
        client.resource(declared).create();
        TenantSecret ts =
                secretWithPolicy(
                        "rot5", "paystack", Category.PAYMENTS, "payments/paystack", "lax-60d");
        ts.getSpec().setRolloutTargets(List.of());
        client.resource(ts).create();

        Condition refused =
                cluster()
                        .awaitCondition(
                                "rot5",
                                "paystack",
                                Conditions.POLICY_ACCEPTED,
                                "False",
                                Conditions.REASON_POLICY_REFUSED);
        assertTrue(
                refused.getMessage().contains("looser than the payments ceiling of 30d"),
                refused.getMessage());
        cluster()
                .awaitCondition(
                        "rot5", "paystack", Conditions.READY, "True", Conditions.REASON_SYNCED);
        TenantSecret synced = cluster().tenantSecret("rot5", "paystack");
        Duration scheduled =
                Duration.between(
                        java.time.Instant.parse(synced.getStatus().getLastRotationTime()),
                        java.time.Instant.parse(synced.getStatus().getNextRotationTime()));
        assertEquals(Duration.ofDays(30), scheduled, "the category default governs instead");

        await().atMost(Cluster.WAIT)
                .until(
                        () -> {
                            RotationPolicy p =
                                    client.resources(RotationPolicy.class)
                                            .withName("lax-payments")
                                            .get();
                            return p.getStatus() != null
                                    && Conditions.isTrue(
                                            p.getStatus().getConditions(), Conditions.INVALID_SPEC);
                        });
        String message =
                Conditions.find(
                                client.resources(RotationPolicy.class)
                                        .withName("lax-payments")
                                        .get()
                                        .getStatus()
                                        .getConditions(),
                                Conditions.INVALID_SPEC)
                        .orElseThrow()
                        .getMessage();
        assertTrue(message.contains("looser than the payments ceiling"), message);
    }

    @Test
    void aMissingRolloutTargetIsAConditionNotALoop() throws Exception {
        ng.put("smeflow/tenants/rot6/llm/openai", Map.of("api_key", "k"));
        client.resource(secretWithPolicy("rot6", "openai", Category.LLM, "llm/openai", "none-such"))
                .create();

        Condition missing =
                cluster()
                        .awaitCondition(
                                "rot6",
                                "openai",
                                Conditions.ROLLOUT_TARGETS_FOUND,
                                "False",
                                Conditions.REASON_TARGET_NOT_FOUND);
        assertTrue(missing.getMessage().contains("Deployment/smeflow-api"), missing.getMessage());
        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                cluster().events("rot6").stream()
                                        .anyMatch(
                                                e ->
                                                        Conditions.REASON_TARGET_NOT_FOUND.equals(
                                                                e.getReason())));
        cluster()
                .awaitCondition(
                        "rot6",
                        "openai",
                        Conditions.POLICY_ACCEPTED,
                        "False",
                        Conditions.REASON_POLICY_REFUSED);
        cluster()
                .awaitCondition(
                        "rot6", "openai", Conditions.READY, "True", Conditions.REASON_SYNCED);
    }

    @Test
    void aScheduledRotationWaitsForItsMaintenanceWindow() throws Exception {
        ng.put("smeflow/tenants/rot7/infra/token", Map.of("token", "t0"));
        RotationPolicy policy = Fixtures.generatePolicy("infra-window", "30d", "token");
        ZonedDateTime target = ZonedDateTime.now(ZoneOffset.UTC).plusDays(40);
        MaintenanceWindow window = new MaintenanceWindow();
        window.setDays(List.of(weekday(target.getDayOfWeek())));
        window.setStart(String.format("%02d:00", target.getHour()));
        window.setDuration("1h");
        window.setTimeZone("UTC");
        policy.getSpec().setMaintenanceWindow(window);
        client.resource(policy).create();
        Workloads.deployment(client, "rot7", "smeflow-api");
        client.resource(
                        secretWithPolicy(
                                "rot7",
                                "token",
                                Category.INFRASTRUCTURE,
                                "infra/token",
                                "infra-window"))
                .create();
        cluster().awaitSynced("rot7", "token");

        // Due (31 days on) but outside the window: no rotation, next rotation is the window.
        ZonedDateTime due = target.minusDays(9).withMinute(0).withSecond(0).withNano(0);
        ZonedDateTime outside =
                target.getDayOfWeek() == due.getDayOfWeek() ? due.minusHours(3) : due;
        clock.shift(Duration.between(ZonedDateTime.now(ZoneOffset.UTC), outside));
        String sync = cluster().tenantSecret("rot7", "token").getStatus().getLastSyncTime();
        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                !sync.equals(
                                        cluster()
                                                .tenantSecret("rot7", "token")
                                                .getStatus()
                                                .getLastSyncTime()));
        Thread.sleep(2000);
        assertEquals(
                1, ng.metadata("smeflow/tenants/rot7/infra/token").path("current_version").asInt());

        clock.reset();
        clock.shift(Duration.between(ZonedDateTime.now(ZoneOffset.UTC), target.withMinute(10)));
        await().atMost(Cluster.WAIT)
                .until(
                        () ->
                                ng.metadata("smeflow/tenants/rot7/infra/token")
                                                .path("current_version")
                                                .asInt()
                                        == 2);
    }

    @Test
    void policyStatusCountsItsSecretsAndOverdueOnes() throws Exception {
        client.resource(Fixtures.externalPolicy("llm-count", "60d")).create();
        for (int i = 0; i < 3; i++) {
            ng.put("smeflow/tenants/rot8/llm/key" + i, Map.of("api_key", "k" + i));
            TenantSecret ts =
                    secretWithPolicy("rot8", "key" + i, Category.LLM, "llm/key" + i, "llm-count");
            ts.getSpec().setRolloutTargets(List.of());
            client.resource(ts).create();
        }
        await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> {
                            RotationPolicy p =
                                    client.resources(RotationPolicy.class)
                                            .withName("llm-count")
                                            .get();
                            return p.getStatus() != null
                                    && Integer.valueOf(3).equals(p.getStatus().getSecretCount())
                                    && Integer.valueOf(0).equals(p.getStatus().getOverdueCount())
                                    && p.getStatus().getNextRotationTime() != null;
                        });
    }

    private static Weekday weekday(DayOfWeek day) {
        return Weekday.values()[day.getValue() - 1];
    }
}
