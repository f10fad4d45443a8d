package io.smeflow.secrets.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything the operator can be configured with, under the {@code smeflow} prefix. */
@ConfigMapping(prefix = "smeflow")
public interface OperatorConfig {

    /** Regional Vaults and how the operator authenticates to them. */
    VaultConfig vault();

    /** Key for the HMAC that {@code status.dataHash} and restart records are made with. */
    HashConfig hash();

    /** Backoff for expected failures (Vault down, access denied). */
    BackoffConfig backoff();

    /** Rolling restarts of the workloads that consume synced Secrets. */
    RolloutConfig rollout();

    /** Identity written into audit records. */
    AuditConfig audit();

    /** Leader election settings that JOSDK's Quarkus extension does not expose. */
    LeaderElectionConfig leaderElection();

    /** Namespace the operator runs in; holds its HMAC key Secret and its Lease. */
    @WithDefault("smeflow-system")
    String operatorNamespace();

    interface VaultConfig {

        /**
         * Vault per region, keyed by region code (NG, ZA, KE, EU). A region that is absent has no
         * Vault: its secrets are reported, never served by another region's Vault.
         */
        Map<String, RegionVault> regions();

        /** KV v2 mount. */
        @WithDefault("secret")
        String mount();

        /** Root of tenant secrets below the mount; the tenant id follows. */
        @WithDefault("smeflow/tenants")
        String tenantRoot();

        /** Root of platform secrets below the mount. */
        @WithDefault("smeflow")
        String platformRoot();

        /** Connect and read timeout for one Vault request. */
        @WithDefault("5s")
        Duration requestTimeout();

        /** How the operator logs in. */
        AuthConfig auth();

        /** How often the health check probes each region at most. */
        @WithDefault("10s")
        Duration healthCacheTtl();
    }

    interface RegionVault {

        /** Base address, e.g. https://vault.ng.internal:8200. */
        String address();

        /** Vault Enterprise / OpenBao namespace, if any. */
        Optional<String> namespace();

        /** Static token for this region (token auth only, local use). */
        Optional<String> token();
    }

    enum AuthMethod {
        /** A static token from configuration; for local use. */
        token,
        /** Kubernetes auth: the pod's service-account JWT is exchanged for a short-lived token. */
        kubernetes
    }

    interface AuthConfig {

        @WithDefault("kubernetes")
        AuthMethod method();

        /** Static token used for every region without its own (token method only). */
        Optional<String> token();

        /** Vault role the operator logs in as (kubernetes method). */
        @WithDefault("smeflow-secrets-operator")
        String role();

        /** Mount path of the Kubernetes auth method. */
        @WithDefault("kubernetes")
        String mount();

        /** Service-account token file; re-read at every login since kubelet rotates it. */
        @WithDefault("/var/run/secrets/kubernetes.io/serviceaccount/token")
        Path jwtPath();

        /**
         * Token lifetime the operator plans for when Vault does not say; the Vault role should set
         * token_ttl to the same value.
         */
        @WithDefault("15m")
        Duration tokenTtl();

        /** Renew (or log in again) once less than this fraction of the lifetime remains. */
        @WithDefault("0.33")
        double renewAtRemainingFraction();

        /**
         * Per-tenant identity: log in with a token minted for a ServiceAccount in the tenant's
         * namespace, against a Vault role per tenant, so Vault policy enforces isolation too.
         */
        PerTenantConfig perTenant();
    }

    interface PerTenantConfig {

        @WithDefault("false")
        boolean enabled();

        /** ServiceAccount in each tenant namespace whose token the operator requests. */
        @WithDefault("smeflow-vault")
        String serviceAccount();

        /** Vault role name; {tenant} is replaced with the tenant id. */
        @WithDefault("tenant-{tenant}")
        String rolePattern();

        /** Audience of the minted token; must match the Vault role's audience if it sets one. */
        Optional<String> audience();
    }

    interface HashConfig {

        /** HMAC key. When absent, a random key is kept in a Secret in the operator namespace. */
        Optional<String> key();

        /** Name of the Secret that keeps the generated key. */
        @WithDefault("smeflow-secrets-operator-hmac")
        String secretName();
    }

    interface BackoffConfig {

        @WithDefault("5s")
        Duration initial();

        @WithDefault("10m")
        Duration max();

        /** Each delay is multiplied by a random factor in [1 - jitter, 1 + jitter]. */
        @WithDefault("0.2")
        double jitter();
    }

    interface RolloutConfig {

        /**
         * How long restart requests for one workload are collected before it is checked once, so
         * several secrets changing together restart it once.
         */
        @WithDefault("5s")
        Duration coalesceWindow();

        /** How far ahead of a rotation the secret is reported as expiring soon. */
        @WithDefault("7d")
        Duration expiryWarning();
    }

    interface AuditConfig {

        /** Identity recorded as user_id; the operator's ServiceAccount in production. */
        @WithDefault("system:serviceaccount:smeflow-system:smeflow-secrets-operator")
        String userId();

        /** Recorded as source_ip; the pod IP in production (downward API). */
        @WithDefault("127.0.0.1")
        String sourceIp();
    }

    interface LeaderElectionConfig {

        @WithDefault("smeflow-secrets-operator-lease")
        @WithName("lease-name")
        String leaseName();

        /** JOSDK exits the JVM when leadership is lost; only tests switch that off. */
        @WithDefault("true")
        boolean exitOnStopLeading();
    }
}
