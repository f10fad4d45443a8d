package io.smeflow.secrets.rotation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smeflow.secrets.api.v1alpha1.RolloutTarget;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.api.v1alpha1.WorkloadKind;
import io.smeflow.secrets.config.OperatorConfig;
import io.smeflow.secrets.reconcile.EventRecorder;
import io.smeflow.secrets.reconcile.ManagedSecrets;
import io.smeflow.secrets.reconcile.TenantSecretIndex;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The one place that decides workload restarts. A workload is restarted, the way {@code kubectl
 * rollout restart} does it, only when the data it consumes differs from the data it was last
 * restarted for; that record lives on the workload itself, so an operator restart, a leader change
 * or a re-list restarts nothing by itself. Requests are collected per workload for a short window
 * and checked once, so secrets that change together restart a workload once.
 */
@ApplicationScoped
public class RolloutRestarter {

    /**
     * On the workload: for each Secret it consumes, a prefix of the HMAC of the data it was last
     * (re)started with, as JSON.
     */
    public static final String CONSUMED_HASH_ANNOTATION = "secrets.smeflow.io/consumed-data";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** On the pod template, as kubectl rollout restart sets it. */
    public static final String RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt";

    /** Prometheus: {@code smeflow_rollout_restarts_total{namespace,kind}}. */
    public static final String RESTARTS_METRIC = "smeflow.rollout.restarts";

    private static final Logger LOG = Logger.getLogger(RolloutRestarter.class);

    private final KubernetesClient kubernetes;
    private final TenantSecretIndex index;
    private final EventRecorder events;
    private final MeterRegistry registry;
    private final Clock clock;
    private final OperatorConfig.RolloutConfig config;
    private final Set<Workload> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "rollout-restarter");
                        t.setDaemon(true);
                        return t;
                    });

    /** A workload in a namespace. */
    public record Workload(String namespace, WorkloadKind kind, String name) {
        @Override
        public String toString() {
            return kind + " " + namespace + "/" + name;
        }
    }

    public RolloutRestarter(
            KubernetesClient kubernetes,
            TenantSecretIndex index,
            EventRecorder events,
            MeterRegistry registry,
            Clock clock,
            OperatorConfig config) {
        this.kubernetes = kubernetes;
        this.index = index;
        this.events = events;
        this.registry = registry;
        this.clock = clock;
        this.config = config.rollout();
    }

    /** Asks for the workloads of {@code resource} to be checked once the window closes. */
    public void requestCheck(TenantSecret resource) {
        for (RolloutTarget target : resource.getSpec().getRolloutTargets()) {
            Workload workload =
                    new Workload(
                            resource.getMetadata().getNamespace(),
                            target.getKind(),
                            target.getName());
            if (pending.add(workload)) {
                executor.schedule(
                        () -> check(workload),
                        config.coalesceWindow().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The rollout targets of {@code resource} that do not exist. */
    public List<RolloutTarget> missingTargets(TenantSecret resource) {
        List<RolloutTarget> missing = new ArrayList<>();
        for (RolloutTarget target : resource.getSpec().getRolloutTargets()) {
            if (get(
                            new Workload(
                                    resource.getMetadata().getNamespace(),
                                    target.getKind(),
                                    target.getName()))
                    == null) {
                missing.add(target);
            }
        }
        return missing;
    }

    /** Drops requests not yet checked; what a crash does. Test seam for crash injection. */
    public void forgetPending() {
        pending.clear();
    }

    /** Whether any workload is waiting to be checked. */
    public boolean idle() {
        return pending.isEmpty();
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    void check(Workload workload) {
        if (!pending.remove(workload)) {
            return;
        }
        try {
            List<TenantSecret> sources = sourcesOf(workload);
            HasMetadata current = get(workload);
            if (current == null || sources.isEmpty()) {
                return;
            }
            Map<String, String> consumed = consumedData(workload, sources);
            Map<String, String> recorded = recorded(current);
            if (consumed.equals(recorded)) {
                return;
            }
            boolean restart = changed(recorded, consumed);
            patch(workload, current, JSON.writeValueAsString(consumed), restart);
            if (restart) {
                recordRestart(workload, sources);
            } else {
                LOG.infof("Recorded the Secret data %s consumes; no restart needed", workload);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("consumed-data record could not be serialised", e);
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "Checking %s for a restart failed (HTTP %d); trying again",
                    workload, e.getCode());
            retryLater(workload);
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Checking %s for a restart failed (%s); trying again",
                    workload, e.getClass().getSimpleName());
            retryLater(workload);
        }
    }

    private void retryLater(Workload workload) {
        if (pending.add(workload)) {
            executor.schedule(
                    () -> check(workload),
                    config.coalesceWindow().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** The TenantSecrets whose Secrets the workload consumes. */
    private List<TenantSecret> sourcesOf(Workload workload) {
        RolloutTarget target = new RolloutTarget(workload.kind(), workload.name());
        return index.inNamespace(workload.namespace()).stream()
                .filter(
                        ts ->
                                ts.getSpec() != null
                                        && ts.getSpec().getRolloutTargets().contains(target))
                .toList();
    }

    /**
     * For each consumed Secret that exists, a prefix of its data HMAC (enough to tell versions
     * apart, too short to be useful for anything else).
     */
    private Map<String, String> consumedData(Workload workload, List<TenantSecret> sources) {
        Map<String, String> hashes = new TreeMap<>();
        for (TenantSecret ts : sources) {
            String name = ManagedSecrets.targetName(ts);
            Secret secret =
                    kubernetes.secrets().inNamespace(workload.namespace()).withName(name).get();
            Map<String, String> a = secret == null ? null : secret.getMetadata().getAnnotations();
            String hash = a == null ? null : a.get(ManagedSecrets.DATA_HASH_ANNOTATION);
            if (hash != null) {
                hashes.put(
                        name,
                        hash.substring(
                                hash.indexOf(':') + 1,
                                Math.min(hash.length(), hash.indexOf(':') + 17)));
            }
        }
        return hashes;
    }

    /**
     * A restart is due only when a Secret the workload was started with now holds other data. A
     * Secret seen for the first time, or gone, is recorded without a restart.
     */
    static boolean changed(Map<String, String> recorded, Map<String, String> consumed) {
        return consumed.entrySet().stream()
                .anyMatch(
                        e ->
                                recorded.containsKey(e.getKey())
                                        && !recorded.get(e.getKey()).equals(e.getValue()));
    }

    private static Map<String, String> recorded(HasMetadata workload) {
        String json = annotations(workload).get(CONSUMED_HASH_ANNOTATION);
        if (json == null) {
            return Map.of();
        }
        try {
            return new TreeMap<>(JSON.readValue(json, new TypeReference<Map<String, String>>() {}));
        } catch (JsonProcessingException e) {
            LOG.warnf("Ignoring an unreadable %s annotation", CONSUMED_HASH_ANNOTATION);
            return Map.of();
        }
    }

    private void patch(Workload workload, HasMetadata current, String consumed, boolean restart)
            throws JsonProcessingException {
        Map<String, Object> patch = new java.util.LinkedHashMap<>();
        patch.put(
                "metadata",
                Map.of(
                        "resourceVersion", current.getMetadata().getResourceVersion(),
                        "annotations", Map.of(CONSUMED_HASH_ANNOTATION, consumed)));
        if (restart) {
            patch.put(
                    "spec",
                    Map.of(
                            "template",
                            Map.of(
                                    "metadata",
                                    Map.of(
                                            "annotations",
                                            Map.of(
                                                    RESTARTED_AT_ANNOTATION,
                                                    clock.instant().toString())))));
        }
        String json = JSON.writeValueAsString(patch);
        PatchContext merge = PatchContext.of(PatchType.JSON_MERGE);
        if (workload.kind() == WorkloadKind.Deployment) {
            kubernetes
                    .apps()
                    .deployments()
                    .inNamespace(workload.namespace())
                    .withName(workload.name())
                    .patch(merge, json);
        } else {
            kubernetes
                    .apps()
                    .statefulSets()
                    .inNamespace(workload.namespace())
                    .withName(workload.name())
                    .patch(merge, json);
        }
    }

    private void recordRestart(Workload workload, List<TenantSecret> sources) {
        Counter.builder(RESTARTS_METRIC)
                .description("Workloads restarted because the Secret data they consume changed")
                .tags("namespace", workload.namespace(), "kind", workload.kind().name())
                .register(registry)
                .increment();
        LOG.infof("Restarted %s: the Secret data it consumes changed", workload);
        for (TenantSecret ts : sources) {
            events.normal(
                    ts,
                    "RolloutRestarted",
                    "Restarted "
                            + workload.kind()
                            + " "
                            + workload.name()
                            + " because the Secret data it consumes changed");
        }
    }

    private HasMetadata get(Workload workload) {
        return workload.kind() == WorkloadKind.Deployment
                ? kubernetes
                        .apps()
                        .deployments()
                        .inNamespace(workload.namespace())
                        .withName(workload.name())
                        .get()
                : kubernetes
                        .apps()
                        .statefulSets()
                        .inNamespace(workload.namespace())
                        .withName(workload.name())
                        .get();
    }

    private static Map<String, String> annotations(HasMetadata resource) {
        Map<String, String> a = resource.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }
}
