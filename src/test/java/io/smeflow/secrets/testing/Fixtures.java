package io.smeflow.secrets.testing;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.GeneratorSpec;
import io.smeflow.secrets.api.v1alpha1.GeneratorType;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.api.v1alpha1.RotationPolicy;
import io.smeflow.secrets.api.v1alpha1.RotationPolicySpec;
import io.smeflow.secrets.api.v1alpha1.RotationStrategy;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.api.v1alpha1.TenantSecretSpec;
import io.smeflow.secrets.tenancy.TenantLabels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builders for the namespaces and resources tests create. */
public final class Fixtures {

    private Fixtures() {}

    /** A namespace bound to {@code tenant} in {@code region}, as a platform admin labels it. */
    public static Namespace tenantNamespace(
            KubernetesClient client, String name, String tenant, String region) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (tenant != null) {
            labels.put(TenantLabels.TENANT, tenant);
        }
        if (region != null) {
            labels.put(TenantLabels.REGION, region);
        }
        return client.namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withLabels(labels)
                                .endMetadata()
                                .build())
                .createOr(existing -> existing.update());
    }

    /** A platform namespace in {@code region}. */
    public static Namespace platformNamespace(KubernetesClient client, String name, String region) {
        return client.namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withLabels(
                                        Map.of(
                                                TenantLabels.PLATFORM,
                                                "true",
                                                TenantLabels.REGION,
                                                region))
                                .endMetadata()
                                .build())
                .createOr(existing -> existing.update());
    }

    public static TenantSecret tenantSecret(
            String namespace,
            String name,
            String tenant,
            Region region,
            Category category,
            String path) {
        TenantSecret ts = new TenantSecret();
        ts.getMetadata().setName(name);
        ts.getMetadata().setNamespace(namespace);
        TenantSecretSpec spec = new TenantSecretSpec();
        spec.setTenantId(tenant);
        spec.setRegion(region);
        spec.setCategory(category);
        spec.setPath(path);
        ts.setSpec(spec);
        return ts;
    }

    /** A Generate policy making one password under key {@code key}. */
    public static RotationPolicy generatePolicy(String name, String interval, String key) {
        RotationPolicy policy = new RotationPolicy();
        policy.getMetadata().setName(name);
        RotationPolicySpec spec = new RotationPolicySpec();
        spec.setInterval(interval);
        spec.setStrategy(RotationStrategy.Generate);
        GeneratorSpec generator = new GeneratorSpec();
        generator.setType(GeneratorType.Password);
        generator.setKeys(List.of(key));
        generator.setLength(24);
        spec.setGenerator(generator);
        policy.setSpec(spec);
        return policy;
    }

    /** An External policy: a person or provider rotates. */
    public static RotationPolicy externalPolicy(String name, String interval) {
        RotationPolicy policy = new RotationPolicy();
        policy.getMetadata().setName(name);
        RotationPolicySpec spec = new RotationPolicySpec();
        spec.setInterval(interval);
        spec.setStrategy(RotationStrategy.External);
        policy.setSpec(spec);
        return policy;
    }
}
