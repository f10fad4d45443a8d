package io.smeflow.secrets.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How the secrets that follow a policy are doing. */
public class RotationPolicyStatus extends ConditionedStatus {

    @JsonPropertyDescription("Number of TenantSecrets governed by this policy.")
    private Integer secretCount;

    @JsonPropertyDescription("Number of those whose rotation is overdue.")
    private Integer overdueCount;

    @JsonPropertyDescription("The earliest next rotation among those secrets.")
    private String nextRotationTime;

    public Integer getSecretCount() {
        return secretCount;
    }

    public void setSecretCount(Integer secretCount) {
        this.secretCount = secretCount;
    }

    public Integer getOverdueCount() {
        return overdueCount;
    }

    public void setOverdueCount(Integer overdueCount) {
        this.overdueCount = overdueCount;
    }

    public String getNextRotationTime() {
        return nextRotationTime;
    }

    public void setNextRotationTime(String nextRotationTime) {
        this.nextRotationTime = nextRotationTime;
    }
}
