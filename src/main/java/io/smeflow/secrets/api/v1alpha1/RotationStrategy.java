package io.smeflow.secrets.api.v1alpha1;

/** Who makes a new credential value. */
public enum RotationStrategy {
    /** The operator generates the value and writes it to Vault. */
    Generate,
    /** A person or provider rotates; the operator watches the age and syncs new versions. */
    External
}
