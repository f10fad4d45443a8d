package io.smeflow.secrets.vault;

import io.github.jopenlibs.vault.VaultException;

/** Maps what the Vault driver throws to the failures the operator reports. */
final class VaultErrors {

    private VaultErrors() {}

    /**
     * Classifies a driver exception. The driver's own message embeds the response body, so it is
     * dropped: the new message is built from the status code and the request alone.
     */
    static VaultAccessException classify(VaultException e, String what) {
        int status = e.getHttpStatusCode();
        return switch (status) {
            case 403, 401 ->
                    new VaultAccessException(
                            VaultFailure.DENIED,
                            status,
                            what + " was denied (HTTP " + status + ")");
            case 404 ->
                    new VaultAccessException(
                            VaultFailure.NOT_FOUND, status, what + ": nothing there (HTTP 404)");
            case 0 ->
                    new VaultAccessException(
                            VaultFailure.UNAVAILABLE, 0, what + " failed: Vault did not answer");
            default ->
                    new VaultAccessException(
                            VaultFailure.UNAVAILABLE,
                            status,
                            what + " failed: Vault answered HTTP " + status + describe(status));
        };
    }

    static String describe(int status) {
        return switch (status) {
            case 503 -> " (sealed or in standby)";
            case 429 -> " (rate limited)";
            case 400 -> " (bad request)";
            default -> "";
        };
    }
}
