package io.smeflow.secrets.vault;

import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.response.AuthResponse;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Short-lived Vault tokens, cached per region and identity. A token is renewed once less than the
 * configured fraction of its lifetime remains and re-issued by a new login when renewal is not
 * possible, so the operator logs in once per token lifetime, never once per reconcile.
 */
@ApplicationScoped
public class VaultTokens {

    private static final Logger LOG = Logger.getLogger(VaultTokens.class);

    private final OperatorConfig.AuthConfig auth;
    private final RegionalVaults vaults;
    private final ServiceAccountTokens jwts;
    private final VaultAccessRecorder recorder;
    private final Clock clock;
    private final Map<Key, CachedToken> cache = new ConcurrentHashMap<>();
    private final Map<Key, Object> locks = new ConcurrentHashMap<>();

    public VaultTokens(
            OperatorConfig config,
            RegionalVaults vaults,
            ServiceAccountTokens jwts,
            VaultAccessRecorder recorder,
            Clock clock) {
        this.auth = config.vault().auth();
        this.vaults = vaults;
        this.jwts = jwts;
        this.recorder = recorder;
        this.clock = clock;
    }

    /** A valid token for a request to {@code location}'s region as its identity. */
    public String token(SecretLocation location) throws VaultAccessException {
        OperatorConfig.RegionVault region = vaults.require(location.region());
        if (auth.method() == OperatorConfig.AuthMethod.token) {
            return region.token().or(auth::token).orElseThrow(() -> noStaticToken(location));
        }
        Key key = new Key(location.region(), location.identity());
        synchronized (lockFor(key)) {
            CachedToken cached = cache.get(key);
            Instant now = clock.instant();
            if (cached != null && now.isBefore(cached.refreshAt())) {
                return cached.token();
            }
            CachedToken fresh =
                    cached != null && cached.usable(now) ? renew(location, cached) : null;
            if (fresh == null) {
                fresh = login(location);
            }
            cache.put(key, fresh);
            return fresh.token();
        }
    }

    /** Drops a cached token Vault has refused, so the next request logs in afresh. */
    public void invalidate(SecretLocation location) {
        cache.remove(new Key(location.region(), location.identity()));
    }

    private CachedToken login(SecretLocation location) throws VaultAccessException {
        String role = location.identity().role();
        String auditPath = "auth/" + auth.mount() + "/login/" + role;
        try {
            String jwt = jwts.jwtFor(location.identity());
            AuthResponse response =
                    checked(
                            vaults.client(location.region(), null)
                                    .auth()
                                    .loginByKubernetes(role, jwt, "auth/" + auth.mount()));
            recorder.succeeded(location, auditPath, VaultAction.LOGIN);
            LOG.debugf("Logged in to Vault %s as role %s", location.region(), role);
            return cachedFrom(response.getAuthClientToken(), response);
        } catch (VaultException e) {
            String what = "login to Vault " + location.region() + " as " + role;
            // Kubernetes auth answers 400 for a role that does not exist (e.g. a tenant's role
            // not yet created in per-tenant mode): Vault is up and refuses this identity.
            VaultAccessException failure =
                    e.getHttpStatusCode() == 400
                            ? new VaultAccessException(
                                    VaultFailure.DENIED,
                                    400,
                                    what + " was refused (HTTP 400: no such role?)")
                            : VaultErrors.classify(e, what);
            recorder.failed(location, auditPath, VaultAction.LOGIN, failure);
            throw failure;
        } catch (VaultAccessException e) {
            recorder.failed(location, auditPath, VaultAction.LOGIN, e);
            throw e;
        }
    }

    /** Renews a token; returns null when Vault would not, so the caller logs in again. */
    private CachedToken renew(SecretLocation location, CachedToken cached) {
        if (!cached.renewable()) {
            return null;
        }
        try {
            AuthResponse response =
                    checked(vaults.client(location.region(), cached.token()).auth().renewSelf());
            recorder.succeeded(location, "auth/token/renew-self", VaultAction.RENEW);
            return cachedFrom(cached.token(), response);
        } catch (VaultException e) {
            VaultAccessException failure =
                    VaultErrors.classify(e, "token renewal at Vault " + location.region());
            recorder.failed(location, "auth/token/renew-self", VaultAction.RENEW, failure);
            LOG.debugf("Token renewal at Vault %s failed; logging in again", location.region());
            return null;
        } catch (VaultAccessException e) {
            return null;
        }
    }

    private static AuthResponse checked(AuthResponse response) throws VaultException {
        int status = response.getRestResponse().getStatus();
        if (status < 200 || status >= 300) {
            throw new VaultException("HTTP " + status, status);
        }
        return response;
    }

    private CachedToken cachedFrom(String token, AuthResponse response) {
        long seconds = response.getAuthLeaseDuration();
        Duration lifetime = seconds > 0 ? Duration.ofSeconds(seconds) : auth.tokenTtl();
        Instant now = clock.instant();
        Duration early =
                Duration.ofMillis((long) (lifetime.toMillis() * auth.renewAtRemainingFraction()));
        return new CachedToken(
                token,
                now.plus(lifetime),
                now.plus(lifetime).minus(early),
                response.isAuthRenewable());
    }

    private VaultAccessException noStaticToken(SecretLocation location) {
        return new VaultAccessException(
                VaultFailure.DENIED,
                0,
                "auth method is token but no token is configured for region " + location.region());
    }

    private Object lockFor(Key key) {
        return locks.computeIfAbsent(key, k -> new Object());
    }

    private record Key(Region region, VaultIdentity identity) {}

    private record CachedToken(
            String token, Instant expiresAt, Instant refreshAt, boolean renewable) {

        boolean usable(Instant now) {
            return now.isBefore(expiresAt);
        }

        @Override
        public String toString() {
            return "CachedToken[expiresAt=" + expiresAt + "]";
        }
    }
}
