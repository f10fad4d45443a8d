package io.smeflow.secrets.tenancy;

import io.smeflow.secrets.api.v1alpha1.ApiPatterns;
import io.smeflow.secrets.api.v1alpha1.KeyMapping;
import io.smeflow.secrets.api.v1alpha1.RolloutTarget;
import io.smeflow.secrets.api.v1alpha1.TenantSecretSpec;
import io.smeflow.secrets.schedule.Durations;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a TenantSecret spec the way the CRD schema does, plus the rules a schema cannot express.
 * Runs before anything is read or written, so a bad spec never reaches Vault.
 */
public final class SpecValidator {

    private static final Pattern TENANT_ID = Pattern.compile(ApiPatterns.TENANT_ID);
    private static final Pattern DATA_KEY = Pattern.compile(ApiPatterns.DATA_KEY);
    private static final Pattern DNS_NAME = Pattern.compile(ApiPatterns.DNS_SUBDOMAIN);

    private SpecValidator() {}

    /** The first problem found, phrased as what to fix; empty if the spec is valid. */
    public static Optional<Refusal> check(TenantSecretSpec spec) {
        return firstProblem(spec).map(Refusal::invalidSpec);
    }

    private static Optional<String> firstProblem(TenantSecretSpec spec) {
        if (spec == null) {
            return Optional.of("spec is missing");
        }
        if (spec.getTenantId() == null || !TENANT_ID.matcher(spec.getTenantId()).matches()) {
            return Optional.of("spec.tenantId must match " + ApiPatterns.TENANT_ID);
        }
        if (spec.getCategory() == null) {
            return Optional.of(
                    "spec.category is required: database, llm, payments, auth, n8n"
                            + " or infrastructure");
        }
        Optional<String> path = VaultPaths.problem(spec.getPath());
        if (path.isPresent()) {
            return path;
        }
        Optional<String> interval =
                durationProblem("spec.refreshInterval", spec.getRefreshInterval());
        if (interval.isPresent()) {
            return interval;
        }
        String target = spec.getTarget().getName();
        if (target != null && !target.isEmpty() && !DNS_NAME.matcher(target).matches()) {
            return Optional.of("spec.target.name must be a DNS subdomain name, e.g. mpesa-creds");
        }
        if (spec.getKeys().size() > 64 || spec.getRolloutTargets().size() > 32) {
            return Optional.of(
                    "spec.keys may list at most 64 mappings and spec.rolloutTargets at"
                            + " most 32 workloads");
        }
        if (target != null && target.length() > 253) {
            return Optional.of("spec.target.name may be at most 253 characters");
        }
        return keyProblem(spec).or(() -> rolloutProblem(spec));
    }

    private static Optional<String> durationProblem(String field, String value) {
        try {
            Durations.parse(field, value);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Optional<String> keyProblem(TenantSecretSpec spec) {
        Set<String> written = new HashSet<>();
        for (KeyMapping key : spec.getKeys()) {
            if (key.getVaultKey() == null || !DATA_KEY.matcher(key.getVaultKey()).matches()) {
                return Optional.of(
                        "spec.keys[].vaultKey must be set and match " + ApiPatterns.DATA_KEY);
            }
            String secretKey = key.effectiveSecretKey();
            if (!DATA_KEY.matcher(secretKey).matches()
                    || secretKey.equals(".")
                    || secretKey.equals("..")
                    || secretKey.length() > 253) {
                return Optional.of(
                        "spec.keys[].secretKey '"
                                + secretKey
                                + "' must match "
                                + ApiPatterns.DATA_KEY);
            }
            if (!written.add(secretKey)) {
                return Optional.of(
                        "spec.keys writes Secret key '"
                                + secretKey
                                + "' twice; give"
                                + " each mapping its own secretKey");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> rolloutProblem(TenantSecretSpec spec) {
        Set<RolloutTarget> seen = new HashSet<>();
        for (RolloutTarget target : spec.getRolloutTargets()) {
            if (target.getKind() == null) {
                return Optional.of("spec.rolloutTargets[].kind must be Deployment or StatefulSet");
            }
            if (target.getName() == null || !DNS_NAME.matcher(target.getName()).matches()) {
                return Optional.of(
                        "spec.rolloutTargets[].name must be a workload name in this"
                                + " namespace");
            }
            if (!seen.add(target)) {
                return Optional.of("spec.rolloutTargets lists " + target + " twice");
            }
        }
        return Optional.empty();
    }
}
