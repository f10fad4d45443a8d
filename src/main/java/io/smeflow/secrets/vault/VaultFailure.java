package io.smeflow.secrets.vault;

/** The ways a Vault request can fail that the operator expects and reports. */
public enum VaultFailure {
    /** Unreachable, sealed, overloaded or answering 5xx: try again later. */
    UNAVAILABLE("unavailable"),
    /** The token's policy does not allow the request. */
    DENIED("denied"),
    /** Nothing at that path (or that version). */
    NOT_FOUND("not_found"),
    /** A check-and-set write lost to a newer version written meanwhile. */
    CAS_CONFLICT("conflict"),
    /** The region has no Vault configured. */
    NOT_CONFIGURED("not_configured");

    private final String outcome;

    VaultFailure(String outcome) {
        this.outcome = outcome;
    }

    /** Value of the {@code outcome} metric label and audit reason for this failure. */
    public String outcome() {
        return outcome;
    }
}
