package io.smeflow.secrets.vault;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.smeflow.secrets.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/** Service-account JWTs that Vault's Kubernetes auth method exchanges for Vault tokens. */
@ApplicationScoped
public class ServiceAccountTokens {

    /** Lifetime asked for minted tokens: just long enough for one login. */
    private static final long MINTED_TOKEN_SECONDS = 600;

    private final OperatorConfig.AuthConfig auth;
    private final KubernetesClient kubernetes;

    public ServiceAccountTokens(OperatorConfig config, KubernetesClient kubernetes) {
        this.auth = config.vault().auth();
        this.kubernetes = kubernetes;
    }

    /** The JWT to log in with as {@code identity}. */
    public String jwtFor(VaultIdentity identity) throws VaultAccessException {
        return identity.isPerTenant() ? mint(identity.tenantNamespace()) : operatorJwt();
    }

    /** The operator's own projected token; re-read at every login because kubelet rotates it. */
    private String operatorJwt() throws VaultAccessException {
        try {
            return Files.readString(auth.jwtPath()).trim();
        } catch (IOException e) {
            throw new VaultAccessException(
                    VaultFailure.DENIED,
                    0,
                    "cannot read the service-account token at " + auth.jwtPath());
        }
    }

    /** A short-lived token for the tenant namespace's Vault ServiceAccount (TokenRequest API). */
    private String mint(String namespace) throws VaultAccessException {
        String serviceAccount = auth.perTenant().serviceAccount();
        TokenRequest request =
                new TokenRequestBuilder()
                        .withNewSpec()
                        .withExpirationSeconds(MINTED_TOKEN_SECONDS)
                        .withAudiences(auth.perTenant().audience().map(List::of).orElse(null))
                        .endSpec()
                        .build();
        try {
            TokenRequest issued =
                    kubernetes
                            .serviceAccounts()
                            .inNamespace(namespace)
                            .withName(serviceAccount)
                            .tokenRequest(request);
            return issued.getStatus().getToken();
        } catch (KubernetesClientException e) {
            throw new VaultAccessException(
                    VaultFailure.DENIED,
                    e.getCode(),
                    "cannot mint a token for ServiceAccount "
                            + namespace
                            + "/"
                            + serviceAccount
                            + " (HTTP "
                            + e.getCode()
                            + ")");
        }
    }
}
