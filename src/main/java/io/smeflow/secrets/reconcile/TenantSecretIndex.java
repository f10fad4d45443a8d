package io.smeflow.secrets.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.rotation.RotationMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The TenantSecret controller's informer cache, shared with the RotationPolicy controller and the
 * metrics sweep so neither needs its own informer or API calls.
 */
@ApplicationScoped
public class TenantSecretIndex {

    private final RotationMetrics metrics;
    private final FailureBackoff backoff;
    private final KubernetesClient kubernetes;
    private volatile IndexerResourceCache<TenantSecret> cache;
    private final ScheduledExecutorService sweeper =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "rotation-metrics-sweep");
                        t.setDaemon(true);
                        return t;
                    });

    public TenantSecretIndex(
            RotationMetrics metrics, FailureBackoff backoff, KubernetesClient kubernetes) {
        this.metrics = metrics;
        this.backoff = backoff;
        this.kubernetes = kubernetes;
    }

    void attach(IndexerResourceCache<TenantSecret> cache) {
        this.cache = cache;
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.MINUTES);
    }

    /** TenantSecrets that name {@code policy} in rotationPolicyRef. */
    public List<TenantSecret> byPolicy(String policy) {
        IndexerResourceCache<TenantSecret> c = cache;
        return c == null ? List.of() : c.byIndex(TenantSecretReconciler.BY_POLICY_INDEX, policy);
    }

    /**
     * The TenantSecrets of a namespace, from the informer cache; from the API server only before
     * the controller has started.
     */
    public List<TenantSecret> inNamespace(String namespace) {
        IndexerResourceCache<TenantSecret> c = cache;
        if (c == null) {
            return kubernetes
                    .resources(TenantSecret.class)
                    .inNamespace(namespace)
                    .list()
                    .getItems();
        }
        return c.list(namespace).toList();
    }

    /** Drops the rotation gauges and backoff counters of deleted TenantSecrets. */
    void sweep() {
        IndexerResourceCache<TenantSecret> c = cache;
        if (c == null) {
            return;
        }
        Set<RotationMetrics.Key> live =
                c.list()
                        .map(
                                ts ->
                                        new RotationMetrics.Key(
                                                ts.getMetadata().getNamespace(),
                                                ts.getMetadata().getName()))
                        .collect(Collectors.toSet());
        metrics.retainOnly(live);
        backoff.retainOnly(
                c.list().map(ts -> ts.getMetadata().getUid()).collect(Collectors.toSet()));
    }
}
