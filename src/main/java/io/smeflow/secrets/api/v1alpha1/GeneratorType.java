package io.smeflow.secrets.api.v1alpha1;

/** Kinds of value the operator can generate. */
public enum GeneratorType {
    Password,
    RandomBytes,
    RSAKeyPair,
    ECKeyPair
}
