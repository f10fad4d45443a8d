package io.smeflow.secrets.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.List;
import java.util.Map;

/**
 * Two real OpenBao dev servers standing in for two regional Vaults: NG (the operator holds a root
 * token) and ZA (the operator holds a token whose policy denies the "restricted" paths). KE has no
 * Vault at all, and EU points at a closed port, so tests see both "not configured" and
 * "unreachable". Published to tests as system properties {@code openbao.ng.*} and {@code
 * openbao.za.*}.
 */
public class OpenBaoTestResource implements QuarkusTestResourceLifecycleManager {

    /** Policy of the operator's token in ZA: KV reads and writes, except restricted paths. */
    static final String ZA_POLICY =
            """
            path "secret/data/smeflow/*" { capabilities = ["create", "read", "update"] }
            path "secret/metadata/smeflow/*" { capabilities = ["create", "read", "update"] }
            path "secret/data/smeflow/tenants/+/restricted/*" { capabilities = ["deny"] }
            """;

    private OpenBaoServer ng;
    private OpenBaoServer za;

    @Override
    public Map<String, String> start() {
        try {
            ng = OpenBaoServer.start("ng");
            za = OpenBaoServer.start("za");
            za.policy("smeflow-operator", ZA_POLICY);
            String zaToken = za.token(List.of("smeflow-operator"), "768h");
            ng.publish("openbao.ng");
            za.publish("openbao.za");
            return Map.of(
                    "smeflow.vault.regions.NG.address",
                    ng.address(),
                    "smeflow.vault.regions.NG.token",
                    ng.rootToken(),
                    "smeflow.vault.regions.ZA.address",
                    za.address(),
                    "smeflow.vault.regions.ZA.token",
                    zaToken,
                    "smeflow.vault.regions.EU.address",
                    "http://127.0.0.1:1",
                    "smeflow.vault.regions.EU.token",
                    "unused");
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not start OpenBao for the tests", e);
        }
    }

    @Override
    public void stop() {
        if (ng != null) {
            ng.close();
        }
        if (za != null) {
            za.close();
        }
    }
}
