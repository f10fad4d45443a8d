package io.smeflow.secrets.api.v1alpha1;

/** Text encoding of generated random bytes. */
public enum Encoding {
    hex,
    base64
}
