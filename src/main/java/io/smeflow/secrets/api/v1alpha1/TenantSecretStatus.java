package io.smeflow.secrets.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What the operator last observed and did for a TenantSecret. Holds no secret value. */
public class TenantSecretStatus extends ConditionedStatus {

    @JsonPropertyDescription("KV v2 version of the Vault secret last synced.")
    private Integer vaultVersion;

    @JsonPropertyDescription(
            "HMAC-SHA256 of the synced data under an operator-held key; changes"
                    + " when the data changes, reveals nothing about it.")
    private String dataHash;

    @JsonPropertyDescription("When the Secret was last confirmed in sync with Vault (RFC 3339).")
    private String lastSyncTime;

    @JsonPropertyDescription("When the Vault secret last rotated, from Vault's own metadata.")
    private String lastRotationTime;

    @JsonPropertyDescription("When the next scheduled rotation is due.")
    private String nextRotationTime;

    @JsonPropertyDescription("Address of the regional Vault that serves this secret.")
    private String vaultAddress;

    @JsonPropertyDescription(
            "The last secrets.smeflow.io/rotate-now token honoured; a token is" + " acted on once.")
    private String lastRotateNowToken;

    public Integer getVaultVersion() {
        return vaultVersion;
    }

    public void setVaultVersion(Integer vaultVersion) {
        this.vaultVersion = vaultVersion;
    }

    public String getDataHash() {
        return dataHash;
    }

    public void setDataHash(String dataHash) {
        this.dataHash = dataHash;
    }

    public String getLastSyncTime() {
        return lastSyncTime;
    }

    public void setLastSyncTime(String lastSyncTime) {
        this.lastSyncTime = lastSyncTime;
    }

    public String getLastRotationTime() {
        return lastRotationTime;
    }

    public void setLastRotationTime(String lastRotationTime) {
        this.lastRotationTime = lastRotationTime;
    }

    public String getNextRotationTime() {
        return nextRotationTime;
    }

    public void setNextRotationTime(String nextRotationTime) {
        this.nextRotationTime = nextRotationTime;
    }

    public String getVaultAddress() {
        return vaultAddress;
    }

    public void setVaultAddress(String vaultAddress) {
        this.vaultAddress = vaultAddress;
    }

    public String getLastRotateNowToken() {
        return lastRotateNowToken;
    }

    public void setLastRotateNowToken(String lastRotateNowToken) {
        this.lastRotateNowToken = lastRotateNowToken;
    }
}
