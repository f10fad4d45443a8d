package io.smeflow.secrets.vault;

/** What the operator asked Vault to do; the {@code action} of audit records and metrics. */
public enum VaultAction {
    LOGIN("login"),
    RENEW("renew"),
    READ("read"),
    READ_METADATA("read_metadata"),
    WRITE("write"),
    WRITE_METADATA("write_metadata");

    private final String label;

    VaultAction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
