package io.smeflow.secrets.e2e;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Starts the {@link E2eEnvironment} once per JVM (closed by JUnit when the run ends) and, when a
 * test fails, prints what explains it: the status of the resources the test registered with {@link
 * #watch}, the recent Events of their namespaces and the tail of every operator log.
 */
public class E2eExtension implements BeforeAllCallback, BeforeEachCallback, TestWatcher {

    private static final ExtensionContext.Namespace STORE =
            ExtensionContext.Namespace.create(E2eExtension.class);
    private static final List<String[]> SUBJECTS = new ArrayList<>();

    static final ResourceDefinitionContext TENANT_SECRETS =
            new ResourceDefinitionContext.Builder()
                    .withGroup("secrets.smeflow.io")
                    .withVersion("v1alpha1")
                    .withKind("TenantSecret")
                    .withPlural("tenantsecrets")
                    .withNamespaced(true)
                    .build();

    static final ResourceDefinitionContext ROTATION_POLICIES =
            new ResourceDefinitionContext.Builder()
                    .withGroup("secrets.smeflow.io")
                    .withVersion("v1alpha1")
                    .withKind("RotationPolicy")
                    .withPlural("rotationpolicies")
                    .withNamespaced(false)
                    .build();

    /** Registers a TenantSecret whose state is printed if the running test fails. */
    public static synchronized void watch(String namespace, String name) {
        SUBJECTS.add(new String[] {namespace, name});
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // The root store closes the environment (AutoCloseable) when the whole run ends.
        context.getRoot()
                .getStore(STORE)
                .computeIfAbsent("env", k -> E2eEnvironment.get(), E2eEnvironment.class);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (E2eExtension.class) {
            SUBJECTS.clear();
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        E2eEnvironment env = context.getRoot().getStore(STORE).get("env", E2eEnvironment.class);
        if (env == null) {
            return;
        }
        StringBuilder out = new StringBuilder();
        out.append("\n======== e2e diagnostics for ")
                .append(context.getDisplayName())
                .append(" ========\n");
        List<String[]> subjects;
        synchronized (E2eExtension.class) {
            subjects = List.copyOf(SUBJECTS);
        }
        KubernetesClient admin = env.admin();
        List<String> namespaces = new ArrayList<>();
        for (String[] s : subjects) {
            try {
                GenericKubernetesResource ts =
                        admin.genericKubernetesResources(TENANT_SECRETS)
                                .inNamespace(s[0])
                                .withName(s[1])
                                .get();
                out.append("TenantSecret ")
                        .append(s[0])
                        .append('/')
                        .append(s[1])
                        .append(" status: ")
                        .append(
                                ts == null
                                        ? "<absent>"
                                        : Serialization.asJson(
                                                ts.getAdditionalProperties().get("status")))
                        .append('\n');
            } catch (RuntimeException e) {
                out.append("TenantSecret ").append(s[1]).append(": ").append(e).append('\n');
            }
            if (!namespaces.contains(s[0])) {
                namespaces.add(s[0]);
            }
        }
        for (String ns : namespaces) {
            try {
                List<Event> events =
                        new ArrayList<>(admin.v1().events().inNamespace(ns).list().getItems());
                events.sort(Comparator.comparing(E2eExtension::eventTime));
                out.append("Events in ").append(ns).append(":\n");
                for (Event e : events.subList(Math.max(0, events.size() - 15), events.size())) {
                    out.append("  ")
                            .append(e.getLastTimestamp())
                            .append(' ')
                            .append(e.getType())
                            .append(' ')
                            .append(e.getReason())
                            .append(" x")
                            .append(e.getCount())
                            .append(": ")
                            .append(e.getMessage())
                            .append('\n');
                }
            } catch (RuntimeException e) {
                out.append("Events in ").append(ns).append(": ").append(e).append('\n');
            }
        }
        try {
            out.append("Lease holder: ").append(env.leaseHolder()).append('\n');
        } catch (RuntimeException e) {
            out.append("Lease: ").append(e).append('\n');
        }
        for (OperatorProcess op : env.operators()) {
            out.append(op.logTail(40)).append('\n');
        }
        System.out.println(out);
    }

    private static String eventTime(Event e) {
        if (e.getLastTimestamp() != null) {
            return e.getLastTimestamp();
        }
        String created = e.getMetadata().getCreationTimestamp();
        return created == null ? "" : created;
    }
}
