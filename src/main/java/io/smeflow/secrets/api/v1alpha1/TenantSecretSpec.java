package io.smeflow.secrets.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** The desired state of one tenant's credentials: where they live in Vault and where they go. */
public class TenantSecretSpec {

    @Required
    @Pattern(ApiPatterns.TENANT_ID)
    @JsonPropertyDescription(
            "The owning tenant. Must equal the namespace's"
                    + " secrets.smeflow.io/tenant label; 'platform' in platform namespaces.")
    private String tenantId;

    @Default("EU")
    @JsonPropertyDescription(
            "Data-residency region (NG, ZA, KE, EU; default EU). Selects the"
                    + " regional Vault and must equal the namespace's secrets.smeflow.io/region"
                    + " label.")
    private Region region = Region.EU;

    @Required
    @JsonPropertyDescription("What the credentials are for; decides the default rotation policy.")
    private Category category;

    @Required
    @Size(min = 1, max = 256)
    @Pattern(ApiPatterns.VAULT_PATH)
    @JsonPropertyDescription(
            "Vault KV v2 path below the tenant root (secret/smeflow/tenants/"
                    + "<tenantId>/), e.g. payments/mpesa. No '..', no leading '/', no empty"
                    + " segments.")
    private String path;

    @Size(max = 64)
    @JsonPropertyDescription(
            "Vault keys to copy and the Secret keys to write them to; default:"
                    + " every key under its own name.")
    private List<KeyMapping> keys = new ArrayList<>();

    @JsonPropertyDescription("The Kubernetes Secret to write.")
    private SecretTarget target = new SecretTarget();

    @Default("1h")
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription(
            "How often Vault is re-read, e.g. 1h (default), 15m; 0 disables" + " polling.")
    private String refreshInterval = "1h";

    @JsonPropertyDescription(
            "The RotationPolicy that governs these credentials; absent means the"
                    + " category's default policy.")
    private RotationPolicyRef rotationPolicyRef;

    @Size(max = 32)
    @JsonPropertyDescription(
            "Deployments and StatefulSets in this namespace to restart when the"
                    + " synced values change.")
    private List<RolloutTarget> rolloutTargets = new ArrayList<>();

    public String getTenantId() {
        return tenantId;
    }

    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public Region getRegion() {
        return region;
    }

    public void setRegion(Region region) {
        this.region = region;
    }

    public Category getCategory() {
        return category;
    }

    public void setCategory(Category category) {
        this.category = category;
    }

    public String getPath() {
        return path;
    }

    public void setPath(String path) {
        this.path = path;
    }

    public List<KeyMapping> getKeys() {
        return keys;
    }

    public void setKeys(List<KeyMapping> keys) {
        this.keys = keys == null ? new ArrayList<>() : keys;
    }

    public SecretTarget getTarget() {
        return target;
    }

    public void setTarget(SecretTarget target) {
        this.target = target == null ? new SecretTarget() : target;
    }

    public String getRefreshInterval() {
        return refreshInterval;
    }

    public void setRefreshInterval(String refreshInterval) {
        this.refreshInterval = refreshInterval;
    }

    public RotationPolicyRef getRotationPolicyRef() {
        return rotationPolicyRef;
    }

    public void setRotationPolicyRef(RotationPolicyRef rotationPolicyRef) {
        this.rotationPolicyRef = rotationPolicyRef;
    }

    public List<RolloutTarget> getRolloutTargets() {
        return rolloutTargets;
    }

    public void setRolloutTargets(List<RolloutTarget> rolloutTargets) {
        this.rolloutTargets = rolloutTargets == null ? new ArrayList<>() : rolloutTargets;
    }
}
