package io.smeflow.secrets.api.v1alpha1;

/** A data-residency region. Each region has its own Vault; data never crosses regions. */
public enum Region {
    NG,
    ZA,
    KE,
    EU
}
