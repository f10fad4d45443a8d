package io.smeflow.secrets.testing;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smeflow.secrets.rotation.RolloutRestarter;
import java.util.Map;

/** Deployments for rollout tests, and how to read whether they were restarted. */
public final class Workloads {

    private Workloads() {}

    /** Creates a one-replica Deployment named {@code name}. */
    public static Deployment deployment(KubernetesClient client, String namespace, String name) {
        return client.apps()
                .deployments()
                .inNamespace(namespace)
                .resource(deploymentSpec(namespace, name))
                .create();
    }

    /** A one-replica Deployment, not yet created. */
    public static Deployment deploymentSpec(String namespace, String name) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("app", name)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", name)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("busybox")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The pod template's restartedAt annotation, or null if never restarted. */
    public static String restartedAt(KubernetesClient client, String namespace, String name) {
        Map<String, String> a =
                client.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName(name)
                        .get()
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations();
        return a == null ? null : a.get(RolloutRestarter.RESTARTED_AT_ANNOTATION);
    }

    /** The data hash the operator recorded on the Deployment, or null. */
    public static String consumedHash(KubernetesClient client, String namespace, String name) {
        Map<String, String> a =
                client.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .withName(name)
                        .get()
                        .getMetadata()
                        .getAnnotations();
        return a == null ? null : a.get(RolloutRestarter.CONSUMED_HASH_ANNOTATION);
    }

    /** How many restarts the operator counted for workloads in {@code namespace}. */
    public static double restarts(MeterRegistry registry, String namespace) {
        Counter c =
                registry.find(RolloutRestarter.RESTARTS_METRIC)
                        .tags("namespace", namespace)
                        .counter();
        return c == null ? 0 : c.count();
    }
}
