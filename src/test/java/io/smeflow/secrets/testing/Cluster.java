package io.smeflow.secrets.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.reconcile.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;

/** Reads and waits on cluster state in tests; a timeout message shows the resource's status. */
public final class Cluster {

    public static final Duration WAIT = Duration.ofSeconds(60);

    private final KubernetesClient client;

    public Cluster(KubernetesClient client) {
        this.client = client;
    }

    public TenantSecret tenantSecret(String namespace, String name) {
        return client.resources(TenantSecret.class).inNamespace(namespace).withName(name).get();
    }

    public Secret secret(String namespace, String name) {
        return client.secrets().inNamespace(namespace).withName(name).get();
    }

    public Optional<Condition> condition(String namespace, String name, String type) {
        TenantSecret ts = tenantSecret(namespace, name);
        if (ts == null || ts.getStatus() == null) {
            return Optional.empty();
        }
        return Conditions.find(ts.getStatus().getConditions(), type);
    }

    /** Waits until condition {@code type} has {@code status} and {@code reason}. */
    public Condition awaitCondition(
            String namespace, String name, String type, String status, String reason) {
        awaitOrExplain(
                () ->
                        condition(namespace, name, type)
                                .filter(
                                        c ->
                                                status.equals(c.getStatus())
                                                        && reason.equals(c.getReason()))
                                .isPresent(),
                () ->
                        "condition "
                                + type
                                + "="
                                + status
                                + "/"
                                + reason
                                + " on "
                                + namespace
                                + "/"
                                + name
                                + "; status now: "
                                + describe(namespace, name));
        return condition(namespace, name, type).orElseThrow();
    }

    /** Waits until the TenantSecret reports Synced=True. */
    public Condition awaitSynced(String namespace, String name) {
        return awaitCondition(namespace, name, Conditions.SYNCED, "True", Conditions.REASON_SYNCED);
    }

    public Secret awaitSecret(String namespace, String name) {
        awaitOrExplain(
                () -> secret(namespace, name) != null,
                () ->
                        "Secret "
                                + namespace
                                + "/"
                                + name
                                + "; TenantSecret status: "
                                + describe(namespace, name));
        return secret(namespace, name);
    }

    /** Waits for {@code done}; on timeout fails with what {@code explain} says about the state. */
    public static void awaitOrExplain(Callable<Boolean> done, Supplier<String> explain) {
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(done);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out waiting for " + explain.get(), e);
        }
    }

    public List<Event> events(String namespace) {
        return client.v1().events().inNamespace(namespace).list().getItems();
    }

    public String describe(String namespace, String name) {
        TenantSecret ts = tenantSecret(namespace, name);
        return ts == null
                ? "<absent>"
                : String.valueOf(
                        io.fabric8.kubernetes.client.utils.Serialization.asJson(ts.getStatus()));
    }

    /** Asks for an emergency rotation with the rotate-now annotation. */
    public void rotateNow(String namespace, String name, String token) {
        client.resources(TenantSecret.class)
                .inNamespace(namespace)
                .withName(name)
                .edit(
                        ts -> {
                            ts.getMetadata()
                                    .getAnnotations()
                                    .put(TenantSecret.ROTATE_NOW_ANNOTATION, token);
                            return ts;
                        });
    }
}
