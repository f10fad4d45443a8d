package io.smeflow.secrets.sandbox;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The embedded sandbox of {@code make run} (hack/run.sh, mode "sandbox"): a Fabric8 mock API server
 * in CRUD mode on 127.0.0.1, loaded with the CRDs, the samples and stand-in workloads, and a {@code
 * kubectl get}-like view of it refreshed every few seconds. The operator itself runs in another JVM
 * (Quarkus dev mode) against the URL this writes to {@code <state>/sandbox.env}.
 *
 * <pre>
 * java -cp ... io.smeflow.secrets.sandbox.SandboxCluster STATE_DIR INTERVAL_SECONDS FILE...
 * </pre>
 *
 * Test scope only: the mock server is a test dependency and never ships in the operator's jar.
 * Nothing here reads or prints secret values; the Secrets view lists key names only.
 */
public final class SandboxCluster {

    private static final String GROUP_VERSION = "secrets.smeflow.io/v1alpha1";
    private static final String MANAGED_BY =
            "app.kubernetes.io/managed-by=smeflow-secrets-operator";
    private static final String RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private static final Logger QUIET = Logger.getLogger("io.fabric8.mockwebserver");

    private SandboxCluster() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SandboxCluster STATE_DIR INTERVAL_SECONDS [FILE.yaml...]");
            System.exit(2);
        }
        Path state = Paths.get(args[0]);
        long interval = Long.parseLong(args[1]);
        List<Path> files = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            files.add(Paths.get(args[i]));
        }

        long t0 = System.nanoTime();
        // MockWebServer logs every request at INFO through java.util.logging: keep the terminal
        // for the tables.
        QUIET.setLevel(Level.WARNING);
        KubernetesMockServer server =
                new KubernetesMockServer(
                        new Context(),
                        new MockWebServer(),
                        new HashMap<>(),
                        new KubernetesCrudDispatcher(List.of()),
                        false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    server.destroy();
                                    stopped.countDown();
                                },
                                "sandbox-shutdown"));

        KubernetesClient client = server.createClient();
        String url = "http://127.0.0.1:" + server.getPort();
        log("mock API server (Fabric8 KubernetesMockServer, CRUD mode) listening on " + url);

        // The operator keeps its data-hash key in a Secret in its own namespace.
        client.namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName("smeflow-system")
                                .endMetadata()
                                .build())
                .createOr(NonDeletingOperation::update);
        for (Path file : files) {
            apply(client, file);
        }

        // Tell hack/run.sh where the API server is, atomically.
        Files.createDirectories(state);
        Path env = state.resolve("sandbox.env");
        Path tmp = state.resolve("sandbox.env.tmp");
        Files.writeString(tmp, "SANDBOX_API_URL=" + url + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, env, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        log(String.format("ready in %.1fs", (System.nanoTime() - t0) / 1e9));

        PrintStream out = System.out;
        while (!stopped.await(interval, java.util.concurrent.TimeUnit.SECONDS)) {
            try {
                out.print(render(client));
                out.flush();
            } catch (RuntimeException e) {
                log("could not read the sandbox API server: " + e.getMessage());
            }
        }
    }

    private static void apply(KubernetesClient client, Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            List<HasMetadata> items = client.load(in).items();
            for (HasMetadata item : items) {
                if (item == null) {
                    continue;
                }
                client.resource(item).createOr(NonDeletingOperation::update);
                String ns = item.getMetadata().getNamespace();
                log(
                        "applied "
                                + item.getKind()
                                + " "
                                + (ns == null ? "" : ns + "/")
                                + item.getMetadata().getName()
                                + "  ("
                                + file.getFileName()
                                + ")");
            }
        }
    }

    /** The same columns as {@code kubectl get tenantsecrets -A} and {@code kubectl get rotpol}. */
    static String render(KubernetesClient client) {
        StringBuilder sb = new StringBuilder();
        Instant now = Instant.now();
        sb.append("\n===== ")
                .append(CLOCK.format(OffsetDateTime.now()))
                .append("  sandbox: kubectl get tenantsecrets -A")
                .append(" =====\n");
        List<List<String>> rows = new ArrayList<>();
        rows.add(
                List.of(
                        "NAMESPACE",
                        "NAME",
                        "TENANT",
                        "REGION",
                        "READY",
                        "LAST ROTATED",
                        "NEXT ROTATION",
                        "AGE"));
        List<GenericKubernetesResource> secrets =
                new ArrayList<>(
                        client.genericKubernetesResources(GROUP_VERSION, "TenantSecret")
                                .inAnyNamespace()
                                .list()
                                .getItems());
        secrets.sort(
                Comparator.comparing(
                                (GenericKubernetesResource r) -> r.getMetadata().getNamespace())
                        .thenComparing(r -> r.getMetadata().getName()));
        List<String> notReady = new ArrayList<>();
        for (GenericKubernetesResource ts : secrets) {
            Map<String, Object> spec = map(ts.getAdditionalProperties().get("spec"));
            Map<String, Object> status = map(ts.getAdditionalProperties().get("status"));
            Map<String, Object> ready = condition(status, "Ready");
            rows.add(
                    List.of(
                            ts.getMetadata().getNamespace(),
                            ts.getMetadata().getName(),
                            str(spec.get("tenantId")),
                            str(spec.get("region")),
                            str(ready.get("status")),
                            age(str(status.get("lastRotationTime")), now),
                            str(status.get("nextRotationTime")),
                            age(ts.getMetadata().getCreationTimestamp(), now)));
            if (!"True".equals(ready.get("status")) && ready.containsKey("reason")) {
                notReady.add(
                        "  "
                                + ts.getMetadata().getNamespace()
                                + "/"
                                + ts.getMetadata().getName()
                                + ": "
                                + ready.get("reason")
                                + " - "
                                + str(ready.get("message")));
            }
        }
        table(sb, rows);
        long readyCount = secrets.stream().filter(SandboxCluster::isReady).count();
        sb.append("Ready: ").append(readyCount).append('/').append(secrets.size()).append('\n');
        if (!notReady.isEmpty()) {
            sb.append("not ready:\n");
            notReady.forEach(line -> sb.append(line).append('\n'));
        }

        sb.append("\n--- kubectl get rotationpolicies ---\n");
        rows = new ArrayList<>();
        rows.add(List.of("NAME", "INTERVAL", "STRATEGY", "SECRETS", "OVERDUE", "AGE"));
        List<GenericKubernetesResource> policies =
                new ArrayList<>(
                        client.genericKubernetesResources(GROUP_VERSION, "RotationPolicy")
                                .list()
                                .getItems());
        policies.sort(Comparator.comparing(r -> r.getMetadata().getName()));
        for (GenericKubernetesResource p : policies) {
            Map<String, Object> spec = map(p.getAdditionalProperties().get("spec"));
            Map<String, Object> status = map(p.getAdditionalProperties().get("status"));
            rows.add(
                    List.of(
                            p.getMetadata().getName(),
                            str(spec.get("interval")),
                            str(spec.get("strategy")),
                            str(status.get("secretCount")),
                            str(status.get("overdueCount")),
                            age(p.getMetadata().getCreationTimestamp(), now)));
        }
        table(sb, rows);

        sb.append("\n--- synced Secrets (key names only) and rollout targets ---\n");
        rows = new ArrayList<>();
        rows.add(List.of("NAMESPACE", "SECRET", "KEYS", "VAULT VERSION"));
        List<Secret> synced =
                new ArrayList<>(
                        client.secrets()
                                .inAnyNamespace()
                                .withLabelSelector(MANAGED_BY)
                                .list()
                                .getItems());
        synced.sort(
                Comparator.comparing((Secret s) -> s.getMetadata().getNamespace())
                        .thenComparing(s -> s.getMetadata().getName()));
        for (Secret s : synced) {
            TreeSet<String> keys = new TreeSet<>();
            if (s.getData() != null) {
                keys.addAll(s.getData().keySet());
            }
            if (s.getStringData() != null) {
                keys.addAll(s.getStringData().keySet());
            }
            rows.add(
                    List.of(
                            s.getMetadata().getNamespace(),
                            s.getMetadata().getName(),
                            String.join(",", keys),
                            str(
                                    s.getMetadata().getAnnotations() == null
                                            ? null
                                            : s.getMetadata()
                                                    .getAnnotations()
                                                    .get("secrets.smeflow.io/vault-version"))));
        }
        table(sb, rows);
        rows = new ArrayList<>();
        rows.add(List.of("NAMESPACE", "WORKLOAD", "RESTARTED AT"));
        for (HasMetadata w : workloads(client)) {
            rows.add(
                    List.of(
                            w.getMetadata().getNamespace(),
                            w.getKind().toLowerCase() + "/" + w.getMetadata().getName(),
                            restartedAt(w)));
        }
        table(sb, rows);
        return sb.toString();
    }

    private static List<HasMetadata> workloads(KubernetesClient client) {
        List<HasMetadata> all = new ArrayList<>();
        all.addAll(client.apps().deployments().inAnyNamespace().list().getItems());
        all.addAll(client.apps().statefulSets().inAnyNamespace().list().getItems());
        all.sort(
                Comparator.comparing((HasMetadata w) -> w.getMetadata().getNamespace())
                        .thenComparing(w -> w.getKind())
                        .thenComparing(w -> w.getMetadata().getName()));
        return all;
    }

    private static String restartedAt(HasMetadata w) {
        Map<String, String> annotations = null;
        if (w instanceof io.fabric8.kubernetes.api.model.apps.Deployment d
                && d.getSpec().getTemplate().getMetadata() != null) {
            annotations = d.getSpec().getTemplate().getMetadata().getAnnotations();
        } else if (w instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet s
                && s.getSpec().getTemplate().getMetadata() != null) {
            annotations = s.getSpec().getTemplate().getMetadata().getAnnotations();
        }
        return annotations == null
                ? "<never>"
                : Objects.toString(annotations.get(RESTARTED_AT), "<never>");
    }

    private static void table(StringBuilder sb, List<List<String>> rows) {
        if (rows.size() == 1) {
            sb.append("No resources found\n");
            return;
        }
        int[] widths = new int[rows.get(0).size()];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 3));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean isReady(GenericKubernetesResource ts) {
        Map<String, Object> status = map(ts.getAdditionalProperties().get("status"));
        return "True".equals(condition(status, "Ready").get("status"));
    }

    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static Map<String, Object> condition(Map<String, Object> status, String type) {
        if (status.get("conditions") instanceof List<?> list) {
            for (Object c : list) {
                Map<String, Object> cond = map(c);
                if (type.equals(cond.get("type"))) {
                    return cond;
                }
            }
        }
        return Map.of();
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }

    /** kubectl's human-readable age of a timestamp (HumanDuration). */
    static String age(String timestamp, Instant now) {
        if (timestamp == null || timestamp.isEmpty()) {
            return "";
        }
        Instant then;
        try {
            then = OffsetDateTime.parse(timestamp).toInstant();
        } catch (RuntimeException e) {
            return timestamp;
        }
        Duration d = Duration.between(then, now);
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        long s = d.getSeconds();
        if (s < 120) {
            return s + "s";
        }
        long m = d.toMinutes();
        if (m < 10) {
            return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        if (m < 180) {
            return m + "m";
        }
        long h = d.toHours();
        if (h < 8) {
            return h + "h" + (m % 60 == 0 ? "" : (m % 60) + "m");
        }
        if (h < 48) {
            return h + "h";
        }
        if (h < 24 * 8) {
            return (h / 24) + "d" + (h % 24 == 0 ? "" : (h % 24) + "h");
        }
        long days = h / 24;
        if (days < 365 * 2) {
            return days + "d";
        }
        return (days / 365) + "y";
    }

    private static void log(String message) {
        System.out.println(
                "[sandbox "
                        + CLOCK.format(
                                OffsetDateTime.now(ZoneOffset.UTC)
                                        .atZoneSameInstant(java.time.ZoneId.systemDefault()))
                        + "] "
                        + message);
        System.out.flush();
    }
}
