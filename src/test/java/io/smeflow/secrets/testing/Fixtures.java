package io.smeflow.secrets.testing;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.api.v1alpha1.TenantSecretSpec;
import io.smeflow.secrets.tenancy.TenantLabels;
import java.util.LinkedHashMap;
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
}
