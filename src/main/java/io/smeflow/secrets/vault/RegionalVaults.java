package io.smeflow.secrets.vault;

import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpClient;
import java.util.Optional;

/**
 * Knows which Vault serves which region and builds driver clients for it. A region without a
 * configured Vault has none: nothing here ever substitutes another region's Vault.
 */
@ApplicationScoped
public class RegionalVaults {

    private final OperatorConfig.VaultConfig config;
    private final HttpClient http;

    public RegionalVaults(OperatorConfig config) {
        this.config = config.vault();
        this.http = HttpClient.newBuilder().connectTimeout(this.config.requestTimeout()).build();
    }

    /** The configured Vault of a region, if it has one. */
    public Optional<OperatorConfig.RegionVault> region(Region region) {
        return Optional.ofNullable(config.regions().get(region.name()));
    }

    public Optional<String> address(Region region) {
        return region(region).map(OperatorConfig.RegionVault::address);
    }

    /** The HTTP client shared by all Vault requests. */
    public HttpClient http() {
        return http;
    }

    public String mount() {
        return config.mount();
    }

    /**
     * A driver client for a region, authenticated with {@code token} (null for a login request).
     */
    public Vault client(Region region, String token) throws VaultAccessException {
        OperatorConfig.RegionVault vault = require(region);
        int timeoutSeconds = (int) Math.max(1, config.requestTimeout().toSeconds());
        try {
            VaultConfig vaultConfig =
                    new VaultConfig()
                            .environmentLoader(NoEnvironment.INSTANCE)
                            .address(vault.address())
                            .engineVersion(2)
                            .openTimeout(timeoutSeconds)
                            .readTimeout(timeoutSeconds)
                            .httpClient(http);
            if (token != null) {
                vaultConfig.token(token);
            }
            if (vault.namespace().isPresent()) {
                vaultConfig.nameSpace(vault.namespace().get());
            }
            return Vault.create(vaultConfig.build(), 2);
        } catch (VaultException e) {
            throw new VaultAccessException(
                    VaultFailure.NOT_CONFIGURED,
                    0,
                    "Vault for region " + region + " is misconfigured at " + vault.address());
        }
    }

    /** The configured Vault of a region, or a NOT_CONFIGURED failure that says so. */
    public OperatorConfig.RegionVault require(Region region) throws VaultAccessException {
        return region(region)
                .orElseThrow(
                        () ->
                                new VaultAccessException(
                                        VaultFailure.NOT_CONFIGURED,
                                        0,
                                        "no Vault is configured for region "
                                                + region
                                                + "; secrets of this region are never served from"
                                                + " another region's Vault"));
    }

    /** Keeps the driver from reading VAULT_ADDR or VAULT_TOKEN from the process environment. */
    private static final class NoEnvironment extends EnvironmentLoader {
        static final NoEnvironment INSTANCE = new NoEnvironment();

        @Override
        public String loadVariable(String name) {
            return null;
        }
    }
}
