package io.smeflow.secrets.api.v1alpha1;

/** What happens to the managed Secret when its TenantSecret is deleted. */
public enum DeletionPolicy {
    /**
     * The Secret stays (default): deleting the resource never takes credentials from a workload.
     */
    Retain,
    /** The Secret is owned by the TenantSecret and garbage-collected with it. */
    Delete
}
