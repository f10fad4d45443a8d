package io.smeflow.secrets.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One tenant's credentials at a Vault path, kept in sync with a Secret in its namespace. */
@Group(TenantSecret.GROUP)
@Version(TenantSecret.VERSION)
@ShortNames("tsec")
@AdditionalPrinterColumn(name = "Tenant", jsonPath = ".spec.tenantId")
@AdditionalPrinterColumn(name = "Region", jsonPath = ".spec.region")
@AdditionalPrinterColumn(
        name = "Ready",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
        name = "Last Rotated",
        jsonPath = ".status.lastRotationTime",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Next Rotation", jsonPath = ".status.nextRotationTime")
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class TenantSecret extends CustomResource<TenantSecretSpec, TenantSecretStatus>
        implements Namespaced {

    public static final String GROUP = "secrets.smeflow.io";
    public static final String VERSION = "v1alpha1";

    /** Annotation asking for an emergency rotation; each distinct value is honoured once. */
    public static final String ROTATE_NOW_ANNOTATION = GROUP + "/rotate-now";

    @Override
    protected TenantSecretSpec initSpec() {
        return new TenantSecretSpec();
    }

    @Override
    protected TenantSecretStatus initStatus() {
        return new TenantSecretStatus();
    }
}
