package io.smeflow.secrets.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A workload in the TenantSecret's namespace that is restarted when the synced data changes. */
public class RolloutTarget {

    @Required
    @JsonPropertyDescription("Deployment or StatefulSet.")
    private WorkloadKind kind;

    @Required
    @Pattern(ApiPatterns.DNS_SUBDOMAIN)
    @JsonPropertyDescription("Name of the workload, in the TenantSecret's namespace.")
    private String name;

    public RolloutTarget() {}

    public RolloutTarget(WorkloadKind kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    public WorkloadKind getKind() {
        return kind;
    }

    public void setKind(WorkloadKind kind) {
        this.kind = kind;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RolloutTarget other
                && kind == other.kind
                && Objects.equals(name, other.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name);
    }

    @Override
    public String toString() {
        return kind + "/" + name;
    }
}
