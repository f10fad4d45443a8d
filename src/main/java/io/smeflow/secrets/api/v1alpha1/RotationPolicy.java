package io.smeflow.secrets.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A platform-wide rotation rule that TenantSecrets reference. Cluster-scoped. */
@Group(TenantSecret.GROUP)
@Version(TenantSecret.VERSION)
@ShortNames("rotpol")
@AdditionalPrinterColumn(name = "Interval", jsonPath = ".spec.interval")
@AdditionalPrinterColumn(name = "Strategy", jsonPath = ".spec.strategy")
@AdditionalPrinterColumn(
        name = "Secrets",
        jsonPath = ".status.secretCount",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Overdue",
        jsonPath = ".status.overdueCount",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "Age",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class RotationPolicy extends CustomResource<RotationPolicySpec, RotationPolicyStatus> {

    @Override
    protected RotationPolicySpec initSpec() {
        return new RotationPolicySpec();
    }

    @Override
    protected RotationPolicyStatus initStatus() {
        return new RotationPolicyStatus();
    }
}
