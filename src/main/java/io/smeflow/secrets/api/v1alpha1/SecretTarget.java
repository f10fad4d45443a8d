package io.smeflow.secrets.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** The Kubernetes Secret a TenantSecret writes. */
public class SecretTarget {

    @Pattern(ApiPatterns.DNS_SUBDOMAIN)
    @Size(max = 253)
    @JsonPropertyDescription(
            "Name of the Secret in the TenantSecret's namespace; defaults to the"
                    + " TenantSecret's name.")
    private String name;

    @Default("Retain")
    @JsonPropertyDescription(
            "Retain (default) keeps the Secret when the TenantSecret is deleted;"
                    + " Delete makes the TenantSecret its owner so it is garbage-collected.")
    private DeletionPolicy deletionPolicy = DeletionPolicy.Retain;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public DeletionPolicy getDeletionPolicy() {
        return deletionPolicy;
    }

    public void setDeletionPolicy(DeletionPolicy deletionPolicy) {
        this.deletionPolicy = deletionPolicy;
    }
}
