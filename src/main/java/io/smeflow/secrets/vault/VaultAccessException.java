package io.smeflow.secrets.vault;

/**
 * An expected Vault failure. The message is written by the operator and names the region, path and
 * HTTP status; it never carries a response body, so it can never carry a secret value.
 */
public class VaultAccessException extends Exception {

    private final VaultFailure failure;
    private final int httpStatus;

    public VaultAccessException(VaultFailure failure, int httpStatus, String message) {
        super(message);
        this.failure = failure;
        this.httpStatus = httpStatus;
    }

    public VaultFailure failure() {
        return failure;
    }

    /** The HTTP status Vault answered with, or 0 when no answer came. */
    public int httpStatus() {
        return httpStatus;
    }
}
