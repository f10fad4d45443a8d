package io.smeflow.secrets.tenancy;

/** Namespace labels, set by platform admins, that bind a namespace to a tenant and a region. */
public final class TenantLabels {

    public static final String TENANT = "secrets.smeflow.io/tenant";
    public static final String REGION = "secrets.smeflow.io/region";
    public static final String PLATFORM = "secrets.smeflow.io/platform";

    /** The tenant id platform secrets use. */
    public static final String PLATFORM_TENANT = "platform";

    private TenantLabels() {}
}
