package io.smeflow.secrets.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.audit.AuditLog;
import io.smeflow.secrets.config.OperatorConfig;
import io.smeflow.secrets.metrics.OperatorMetrics;
import io.smeflow.secrets.testing.MutableClock;
import io.smeflow.secrets.testing.OpenBaoServer;
import io.smeflow.secrets.testing.TestConfigs;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** KV v2 reads, versioned reads, metadata and check-and-set writes against a real OpenBao. */
class VaultKvClientTest {

    private static OpenBaoServer bao;
    private static VaultKvClient kv;

    @BeforeAll
    static void start() throws Exception {
        bao = OpenBaoServer.start("kv");
        OperatorConfig config =
                TestConfigs.of(
                        Map.of(
                                "smeflow.vault.regions.ZA.address", bao.address(),
                                "smeflow.vault.regions.ZA.token", bao.rootToken(),
                                "smeflow.vault.auth.method", "token"));
        MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
        RegionalVaults vaults = new RegionalVaults(config);
        VaultAccessRecorder recorder =
                new VaultAccessRecorder(
                        new AuditLog(config, clock),
                        new OperatorMetrics(new SimpleMeterRegistry()));
        kv =
                new VaultKvClient(
                        vaults,
                        new VaultTokens(
                                config,
                                vaults,
                                new ServiceAccountTokens(config, null),
                                recorder,
                                clock),
                        recorder,
                        config);
    }

    @AfterAll
    static void stop() {
        bao.close();
    }

    private static SecretLocation at(String path) {
        return new SecretLocation(Region.ZA, "t", path, VaultIdentity.operator("unused"));
    }

    @Test
    void readsTheCurrentAndAnEarlierVersion() throws Exception {
        bao.put("smeflow/tenants/t/a", Map.of("k", "one"));
        bao.put("smeflow/tenants/t/a", Map.of("k", "two"));

        KvSecret current = kv.read(at("smeflow/tenants/t/a"));
        KvSecret first = kv.readVersion(at("smeflow/tenants/t/a"), 1);

        assertEquals(2, current.version());
        assertEquals("two", current.data().get("k"));
        assertEquals("one", first.data().get("k"));
        assertFalse(current.toString().contains("two"), "toString never shows values");
    }

    @Test
    void checkAndSetWritesOnceAndReportsALostRace() throws Exception {
        bao.put("smeflow/tenants/t/cas", Map.of("k", "v1"));

        kv.writeCustomMetadata(
                at("smeflow/tenants/t/cas"), Map.of("rotation_id", "r-1", "rotated_by", "test"));
        int written = kv.writeIfVersion(at("smeflow/tenants/t/cas"), Map.of("k", "v2"), 1);
        VaultAccessException lost =
                assertThrows(
                        VaultAccessException.class,
                        () -> kv.writeIfVersion(at("smeflow/tenants/t/cas"), Map.of("k", "v3"), 1));

        assertEquals(2, written);
        assertEquals(VaultFailure.CAS_CONFLICT, lost.failure());
        assertEquals(Map.of("k", "v2"), bao.get("smeflow/tenants/t/cas"));
        KvMetadata metadata = kv.readMetadata(at("smeflow/tenants/t/cas"));
        assertEquals(2, metadata.currentVersion());
        assertEquals("r-1", metadata.customMetadata().get("rotation_id"));
        assertTrue(metadata.createdTime(1).isPresent() && metadata.createdTime(2).isPresent());
    }

    @Test
    void aMissingSecretIsNotFound() {
        VaultAccessException e =
                assertThrows(
                        VaultAccessException.class, () -> kv.read(at("smeflow/tenants/t/none")));
        assertEquals(VaultFailure.NOT_FOUND, e.failure());
    }

    @Test
    void aRegionWithoutVaultIsNotConfiguredAndNoOtherRegionIsAsked() {
        SecretLocation ng =
                new SecretLocation(
                        Region.NG, "t", "smeflow/tenants/t/a", VaultIdentity.operator("x"));
        VaultAccessException e = assertThrows(VaultAccessException.class, () -> kv.read(ng));
        assertEquals(VaultFailure.NOT_CONFIGURED, e.failure());
    }
}
