package io.smeflow.secrets.reconcile;

/** The target Secret exists and belongs to someone else; the operator will not overwrite it. */
public class SecretConflictException extends Exception {

    public SecretConflictException(String message) {
        super(message);
    }
}
