package io.smeflow.secrets.tenancy;

import io.smeflow.secrets.api.v1alpha1.ApiPatterns;
import io.smeflow.secrets.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns a TenantSecret's relative path into its place in Vault's layout, and refuses any path that
 * could leave the tenant's root. The CRD schema checks the same pattern; this check also runs in
 * the operator because not every API server (nor every client) validates.
 */
@ApplicationScoped
public class VaultPaths {

    private static final Pattern RELATIVE_PATH = Pattern.compile(ApiPatterns.VAULT_PATH);
    private static final int MAX_LENGTH = 256;

    private final String tenantRoot;
    private final String platformRoot;

    @Inject
    public VaultPaths(OperatorConfig config) {
        this(config.vault().tenantRoot(), config.vault().platformRoot());
    }

    VaultPaths(String tenantRoot, String platformRoot) {
        this.tenantRoot = tenantRoot;
        this.platformRoot = platformRoot;
    }

    /** Why {@code path} is not an acceptable relative path, or empty if it is. */
    public static Optional<String> problem(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.of(
                    "spec.path is empty; give a path below the tenant root, e.g."
                            + " payments/mpesa");
        }
        if (path.length() > MAX_LENGTH) {
            return Optional.of("spec.path is longer than " + MAX_LENGTH + " characters");
        }
        if (path.startsWith("/")) {
            return Optional.of(
                    "spec.path must be relative to the tenant root; remove the" + " leading '/'");
        }
        if (path.contains("//") || path.endsWith("/")) {
            return Optional.of("spec.path has an empty segment ('//' or a trailing '/')");
        }
        if (path.contains("..") || path.contains("%") || path.contains("\\")) {
            return Optional.of(
                    "spec.path may not contain '..', '%' or '\\'; it must stay below"
                            + " the tenant root");
        }
        if (!RELATIVE_PATH.matcher(path).matches()) {
            return Optional.of(
                    "spec.path segments may hold only letters, digits, '_', '-' and"
                            + " single inner dots, e.g. payments/mpesa");
        }
        return Optional.empty();
    }

    /** The path below the KV mount for a tenant's secret. */
    public String tenantPath(String tenantId, String path) {
        return tenantRoot + "/" + tenantId + "/" + path;
    }

    /** The path below the KV mount for a platform secret. */
    public String platformPath(String path) {
        return platformRoot + "/" + path;
    }

    /** The path below the KV mount for a secret of {@code tenantId}. */
    public String pathFor(String tenantId, String path) {
        return TenantLabels.PLATFORM_TENANT.equals(tenantId)
                ? platformPath(path)
                : tenantPath(tenantId, path);
    }
}
