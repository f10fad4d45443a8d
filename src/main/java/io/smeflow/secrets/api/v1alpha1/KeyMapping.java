package io.smeflow.secrets.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Copies one Vault key into one Secret key. */
public class KeyMapping {

    @Required
    @Pattern(ApiPatterns.DATA_KEY)
    @JsonPropertyDescription("Key in the Vault secret's data.")
    private String vaultKey;

    @Pattern(ApiPatterns.DATA_KEY)
    @JsonPropertyDescription("Key in the Kubernetes Secret; defaults to vaultKey.")
    private String secretKey;

    public KeyMapping() {}

    public KeyMapping(String vaultKey, String secretKey) {
        this.vaultKey = vaultKey;
        this.secretKey = secretKey;
    }

    public String getVaultKey() {
        return vaultKey;
    }

    public void setVaultKey(String vaultKey) {
        this.vaultKey = vaultKey;
    }

    public String getSecretKey() {
        return secretKey;
    }

    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    /** The Secret key this mapping writes, falling back to the Vault key's name. */
    public String effectiveSecretKey() {
        return secretKey == null || secretKey.isEmpty() ? vaultKey : secretKey;
    }
}
