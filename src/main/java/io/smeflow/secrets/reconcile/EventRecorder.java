package io.smeflow.secrets.reconcile;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events on the operator's resources. Repeats of the same event are folded into one
 * object with a count, as kubectl's recorder does, so a failing secret cannot flood etcd. Messages
 * are written by the operator and never hold secret values.
 */
@ApplicationScoped
public class EventRecorder {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final String COMPONENT = "smeflow-secrets-operator";

    private final KubernetesClient kubernetes;
    private final Clock clock;

    public EventRecorder(KubernetesClient kubernetes, Clock clock) {
        this.kubernetes = kubernetes;
        this.clock = clock;
    }

    public void normal(HasMetadata resource, String reason, String message) {
        record(resource, NORMAL, reason, message);
    }

    public void warning(HasMetadata resource, String reason, String message) {
        record(resource, WARNING, reason, message);
    }

    private void record(HasMetadata resource, String type, String reason, String message) {
        String namespace = eventNamespace(resource);
        String name =
                resource.getMetadata().getName()
                        + "."
                        + fingerprint(resource, type, reason, message);
        String now = clock.instant().toString();
        try {
            Event existing = kubernetes.v1().events().inNamespace(namespace).withName(name).get();
            if (existing != null) {
                int count = existing.getCount() == null ? 1 : existing.getCount();
                kubernetes
                        .v1()
                        .events()
                        .inNamespace(namespace)
                        .resource(
                                new EventBuilder(existing)
                                        .withCount(count + 1)
                                        .withLastTimestamp(now)
                                        .build())
                        .update();
                return;
            }
            Event event =
                    new EventBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .withNamespace(namespace)
                            .endMetadata()
                            .withInvolvedObject(
                                    new ObjectReferenceBuilder()
                                            .withApiVersion(resource.getApiVersion())
                                            .withKind(resource.getKind())
                                            .withName(resource.getMetadata().getName())
                                            .withNamespace(resource.getMetadata().getNamespace())
                                            .withUid(resource.getMetadata().getUid())
                                            .withResourceVersion(
                                                    resource.getMetadata().getResourceVersion())
                                            .build())
                            .withType(type)
                            .withReason(reason)
                            .withMessage(message)
                            .withCount(1)
                            .withFirstTimestamp(now)
                            .withLastTimestamp(now)
                            .withNewSource()
                            .withComponent(COMPONENT)
                            .endSource()
                            .withReportingComponent(COMPONENT)
                            .build();
            kubernetes.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.warnf(
                    "Could not record event %s on %s/%s (HTTP %d)",
                    reason, namespace, resource.getMetadata().getName(), e.getCode());
        }
    }

    /** Cluster-scoped resources get their events in the default namespace, as kubectl expects. */
    private static String eventNamespace(HasMetadata resource) {
        String ns = resource.getMetadata().getNamespace();
        return ns == null ? "default" : ns;
    }

    private static String fingerprint(
            HasMetadata resource, String type, String reason, String message) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String key =
                    resource.getMetadata().getUid() + "|" + type + "|" + reason + "|" + message;
            return HexFormat.of()
                    .formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
