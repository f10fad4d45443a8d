package io.smeflow.secrets.api.v1alpha1;

/**
 * Patterns shared by the schema and by the operator's own checks. They are RE2-compatible (no
 * look-around) because the API server evaluates them.
 */
public final class ApiPatterns {

    /** A tenant identifier, as used in namespace labels and Vault paths. */
    public static final String TENANT_ID = "^[a-z0-9][a-z0-9_-]{0,62}$";

    /**
     * A relative Vault path: segments of letters, digits, '_' and '-', with single dots only
     * between such characters. This rules out '..', '.', leading '/', '//', trailing '/' and any
     * percent-encoded form.
     */
    public static final String VAULT_PATH =
            "^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*(/[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*)*$";

    /** A go-style duration with days: "0", "90s", "15m", "1h30m", "30d". */
    public static final String DURATION = "^(0|([0-9]+(s|m|h|d))+)$";

    /** A key of a Secret's data map, as the API server accepts it. */
    public static final String DATA_KEY = "^[-._a-zA-Z0-9]+$";

    /** An RFC 1123 DNS subdomain, the name of a Secret or a workload. */
    public static final String DNS_SUBDOMAIN =
            "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /** A time of day, "HH:MM" on a 24-hour clock. */
    public static final String TIME_OF_DAY = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

    private ApiPatterns() {}
}
