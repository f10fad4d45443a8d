package io.smeflow.secrets.api.v1alpha1;

/** Workload kinds the operator can restart when the data they consume changes. */
public enum WorkloadKind {
    Deployment,
    StatefulSet
}
