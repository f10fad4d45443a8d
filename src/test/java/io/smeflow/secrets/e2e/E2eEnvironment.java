package io.smeflow.secrets.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.smeflow.secrets.testing.OpenBaoServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The real servers of the e2e tier, started once per JVM: etcd + kube-apiserver ({@code
 * hack/local-cluster.sh}), an OpenBao dev server with a file audit device, and the operator as
 * external {@code java -jar target/quarkus-app/quarkus-run.jar} processes that run with exactly the
 * RBAC of {@code deploy/operator.yaml}.
 *
 * <p>Everything binds 127.0.0.1. Every process started is stopped by {@link #close()}, called by
 * JUnit at the end of the run and, as a fallback, by a JVM shutdown hook; {@code hack/e2e.sh}
 * additionally kills the pids listed in {@code <state>/e2e-pids} and runs {@code local-cluster.sh
 * down} from a trap.
 */
public final class E2eEnvironment implements AutoCloseable {

    public static final String OPERATOR_NS = "smeflow-system";
    public static final String OPERATOR_SA = "smeflow-secrets-operator";
    public static final String LEASE = "smeflow-secrets-operator-lease";
    public static final String REVIEWER_SA = "vault-token-reviewer";
    public static final String TENANT_VAULT_SA = "smeflow-vault";
    public static final Duration STEP = Duration.ofSeconds(90);

    static final ObjectMapper JSON = new ObjectMapper();
    private static E2eEnvironment instance;

    private final Path project = Paths.get("").toAbsolutePath();
    private final Path state;
    private final Path clusterDir;
    private final List<OperatorProcess> operators = new ArrayList<>();
    private final List<OperatorProcess> history = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private Process bao;
    private boolean clusterStarted;
    private boolean closed;
    private int operatorCounter;

    private Map<String, String> clusterEnv;
    private KubernetesClient admin;
    private KubernetesClient asOperator;
    private Path operatorToken;
    private Path operatorKubeconfig;
    private String baoAddress;
    private String baoRootToken;
    private Path baoLog;
    private Path baoAuditLog;
    private Path apiserverAuditLog;
    private OpenBaoServer vault;
    private final Map<String, Long> timings = new LinkedHashMap<>();

    private E2eEnvironment(Path state) {
        this.state = state;
        this.clusterDir = state.resolve("cluster");
    }

    /** The environment, started on first use. */
    public static synchronized E2eEnvironment get() {
        if (instance == null) {
            E2eEnvironment env = new E2eEnvironment(stateDir());
            Runtime.getRuntime().addShutdownHook(new Thread(env::close, "e2e-cleanup"));
            try {
                env.start();
            } catch (Exception | AssertionError e) {
                env.close();
                throw new IllegalStateException("e2e environment did not start: " + e, e);
            }
            instance = env;
        }
        return instance;
    }

    private static Path stateDir() {
        try {
            String fromEnv = System.getenv("E2E_STATE_DIR");
            Path dir =
                    fromEnv != null && !fromEnv.isBlank()
                            ? Paths.get(fromEnv)
                            : Files.createTempDirectory("smeflow-e2e-");
            Files.createDirectories(dir);
            return dir.toAbsolutePath();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------ start

    private void start() throws Exception {
        long t0 = System.nanoTime();
        startCluster();
        timings.put("cluster up", ms(t0));
        long t1 = System.nanoTime();
        startBao();
        timings.put("openbao up", ms(t1));
        long t2 = System.nanoTime();
        installCrdsAndRbac();
        configureVault();
        timings.put("setup", ms(t2));
        log("environment ready: " + timings + " (state " + state + ")");
    }

    private void startCluster() throws Exception {
        Path policy = project.resolve("hack/e2e/apiserver-audit-policy.yaml");
        apiserverAuditLog = state.resolve("apiserver-audit.log");
        ProcessBuilder pb =
                new ProcessBuilder(
                                project.resolve("hack/local-cluster.sh").toString(),
                                "up",
                                clusterDir.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(state.resolve("local-cluster-up.log").toFile());
        pb.environment()
                .put(
                        "SMEFLOW_APISERVER_ARGS",
                        "--audit-policy-file="
                                + policy
                                + " --audit-log-path="
                                + apiserverAuditLog
                                + " --audit-log-format=json");
        clusterStarted = true;
        Process up = pb.start();
        if (!up.waitFor(150, TimeUnit.SECONDS)) {
            up.destroyForcibly();
            throw new IOException("local-cluster.sh up did not finish in 150 s");
        }
        if (up.exitValue() != 0) {
            throw new IOException(
                    "local-cluster.sh up failed:\n"
                            + Files.readString(state.resolve("local-cluster-up.log")));
        }
        Properties env = new Properties();
        env.load(new ByteArrayInputStream(Files.readAllBytes(clusterDir.resolve("cluster.env"))));
        clusterEnv = new LinkedHashMap<>();
        env.forEach((k, v) -> clusterEnv.put(k.toString(), v.toString()));
        admin = client(clusterEnv.get("ADMIN_TOKEN"));
    }

    /** A client for the API server with a bearer token (admin or a ServiceAccount's). */
    KubernetesClient client(String token) {
        Config config =
                new ConfigBuilder(Config.empty())
                        .withMasterUrl(apiserverUrl())
                        .withCaCertFile(caFile().toString())
                        .withOauthToken(token)
                        .withRequestTimeout(30_000)
                        .withConnectionTimeout(5_000)
                        .withRequestRetryBackoffLimit(2)
                        .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private void startBao() throws Exception {
        int port = freePort();
        baoRootToken = "root-" + java.util.UUID.randomUUID();
        baoLog = state.resolve("openbao.log");
        baoAuditLog = state.resolve("openbao-audit.log");
        // OpenBao refuses to enable audit devices through the API; declare one in config.
        Path config = state.resolve("openbao-audit.hcl");
        Files.writeString(
                config,
                "audit \"file\" \"e2e\" {\n  options {\n    file_path = \""
                        + baoAuditLog
                        + "\"\n  }\n}\n");
        ProcessBuilder pb =
                new ProcessBuilder(
                                OpenBaoServer.binary(),
                                "server",
                                "-dev",
                                "-dev-listen-address=127.0.0.1:" + port,
                                "-dev-root-token-id=" + baoRootToken,
                                "-dev-no-store-token",
                                "-config=" + config)
                        .redirectErrorStream(true)
                        .redirectOutput(baoLog.toFile());
        pb.environment().put("HOME", state.toString());
        bao = pb.start();
        recordPid(bao.pid(), "bao");
        baoAddress = "http://127.0.0.1:" + port;
        awaitTrue(
                "OpenBao /v1/sys/health",
                Duration.ofSeconds(60),
                () -> {
                    if (!bao.isAlive()) {
                        throw new IllegalStateException("bao exited:\n" + tail(baoLog, 30));
                    }
                    return vaultCall("GET", "/v1/sys/health", null, null).status() == 200;
                });
        vault = OpenBaoServer.attach(baoAddress, baoRootToken, baoLog);
    }

    private void installCrdsAndRbac() throws Exception {
        try (var dir = Files.list(project.resolve("deploy/crds"))) {
            for (Path crd : dir.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (var in = Files.newInputStream(crd)) {
                    admin.load(in).serverSideApply();
                }
            }
        }
        for (String name :
                List.of(
                        "tenantsecrets.secrets.smeflow.io",
                        "rotationpolicies.secrets.smeflow.io")) {
            awaitTrue(
                    "CRD " + name + " Established",
                    Duration.ofSeconds(30),
                    () ->
                            established(
                                    admin.apiextensions()
                                            .v1()
                                            .customResourceDefinitions()
                                            .withName(name)
                                            .get()));
        }
        // From deploy/operator.yaml only what runs no pods: Namespace, ServiceAccount, RBAC.
        List<HasMetadata> objects;
        try (var in = Files.newInputStream(project.resolve("deploy/operator.yaml"))) {
            objects = admin.load(in).items();
        }
        List<String> kinds =
                List.of(
                        "Namespace",
                        "ServiceAccount",
                        "ClusterRole",
                        "ClusterRoleBinding",
                        "Role",
                        "RoleBinding");
        for (String kind : kinds) {
            for (HasMetadata o : objects) {
                if (kind.equals(o.getKind())) {
                    admin.resource(o).serverSideApply();
                }
            }
        }
        // No controller-manager runs, so ServiceAccounts exist only because they are applied.
        operatorToken = state.resolve("operator-sa.token");
        Files.writeString(operatorToken, mintToken(OPERATOR_NS, OPERATOR_SA, 7200));
        operatorKubeconfig = state.resolve("operator.kubeconfig");
        Files.writeString(operatorKubeconfig, kubeconfig(Files.readString(operatorToken)));
        asOperator = client(Files.readString(operatorToken));

        // Vault's token reviewer: its own ServiceAccount bound to system:auth-delegator.
        admin.serviceAccounts()
                .inNamespace(OPERATOR_NS)
                .resource(
                        new ServiceAccountBuilder()
                                .withNewMetadata()
                                .withName(REVIEWER_SA)
                                .endMetadata()
                                .build())
                .serverSideApply();
        admin.rbac()
                .clusterRoleBindings()
                .resource(
                        new ClusterRoleBindingBuilder()
                                .withNewMetadata()
                                .withName("e2e-vault-token-reviewer")
                                .endMetadata()
                                .withNewRoleRef()
                                .withApiGroup("rbac.authorization.k8s.io")
                                .withKind("ClusterRole")
                                .withName("system:auth-delegator")
                                .endRoleRef()
                                .addNewSubject()
                                .withKind("ServiceAccount")
                                .withName(REVIEWER_SA)
                                .withNamespace(OPERATOR_NS)
                                .endSubject()
                                .build())
                .serverSideApply();
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null
                && crd.getStatus() != null
                && crd.getStatus().getConditions().stream()
                        .anyMatch(
                                c ->
                                        "Established".equals(c.getType())
                                                && "True".equals(c.getStatus()));
    }

    private void configureVault() throws Exception {
        vaultRoot("POST", "/v1/sys/auth/kubernetes", Map.of("type", "kubernetes"));
        vaultRoot(
                "POST",
                "/v1/auth/kubernetes/config",
                Map.of(
                        "kubernetes_host", apiserverUrl(),
                        "kubernetes_ca_cert", Files.readString(caFile()),
                        "token_reviewer_jwt", mintToken(OPERATOR_NS, REVIEWER_SA, 86400),
                        "disable_local_ca_jwt", true));
        vault.policy(
                OPERATOR_SA,
                "path \"secret/data/smeflow/*\" { capabilities = [\"create\", \"read\","
                        + " \"update\"] }\n"
                        + "path \"secret/metadata/smeflow/*\" { capabilities = [\"create\","
                        + " \"read\", \"update\"] }\n");
        vaultRole(OPERATOR_SA, OPERATOR_SA, OPERATOR_NS, OPERATOR_SA);
    }

    /** A Kubernetes auth role bound to one ServiceAccount, 15-minute tokens. */
    void vaultRole(String role, String serviceAccount, String namespace, String policy)
            throws IOException {
        vaultRoot(
                "POST",
                "/v1/auth/kubernetes/role/" + role,
                Map.of(
                        "bound_service_account_names", List.of(serviceAccount),
                        "bound_service_account_namespaces", List.of(namespace),
                        "token_policies", List.of(policy),
                        "token_ttl", "15m",
                        "token_max_ttl", "1h"));
    }

    // --------------------------------------------------------------------------- operators

    /** Operator configurations the tests need. */
    public enum Mode {
        /** The operator's own Vault identity (role smeflow-secrets-operator). */
        DEFAULT,
        /** Per-tenant Vault identity: tokens minted for smeflow-vault in tenant namespaces. */
        PER_TENANT
    }

    /**
     * The leading operator in {@code mode}: reuses a running leader of that mode, otherwise stops
     * every running operator (gracefully) and starts one that then takes the Lease.
     */
    public synchronized OperatorProcess leader(Mode mode) throws Exception {
        for (OperatorProcess op : operators) {
            if (op.isAlive() && op.mode() == mode && op.identity().equals(leaseHolder())) {
                return op;
            }
        }
        stopAllOperators();
        OperatorProcess op = startOperator(mode);
        awaitLeader(op, Duration.ofSeconds(60));
        return op;
    }

    /** Starts one more operator process (it may become leader or stand by). */
    public synchronized OperatorProcess startOperator(Mode mode) throws Exception {
        int n = ++operatorCounter;
        String identity = "e2e-operator-" + n + (mode == Mode.PER_TENANT ? "-per-tenant" : "");
        Path dir = state.resolve("operator-" + n);
        Files.createDirectories(dir);
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(
                List.of(
                        "-Xmx384m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Dquarkus.profile=prod",
                        "-Dquarkus.http.host=127.0.0.1",
                        "-Dquarkus.http.port=" + port,
                        "-Dquarkus.operator-sdk.crd.apply=false",
                        "-Dsmeflow.operator-namespace=" + OPERATOR_NS,
                        "-Dsmeflow.vault.regions.NG.address=" + baoAddress,
                        "-Dsmeflow.vault.auth.method=kubernetes",
                        "-Dsmeflow.vault.auth.jwt-path=" + operatorToken,
                        "-Dsmeflow.vault.auth.per-tenant.enabled=" + (mode == Mode.PER_TENANT),
                        "-jar",
                        project.resolve("target/quarkus-app/quarkus-run.jar").toString()));
        ProcessBuilder pb =
                new ProcessBuilder(cmd)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve("operator.log").toFile());
        Map<String, String> env = pb.environment();
        env.keySet()
                .removeIf(
                        k ->
                                k.startsWith("QUARKUS_")
                                        || k.startsWith("SMEFLOW_")
                                        || k.startsWith("KUBERNETES_"));
        env.put("KUBECONFIG", operatorKubeconfig.toString());
        // JOSDK's leader-election identity is $HOSTNAME: each process needs its own.
        env.put("HOSTNAME", identity);
        long started = System.nanoTime();
        Process p = pb.start();
        recordPid(p.pid(), identity);
        OperatorProcess op =
                new OperatorProcess(identity, mode, p, port, dir.resolve("operator.log"), started);
        operators.add(op);
        history.add(op);
        op.awaitStarted(Duration.ofSeconds(120));
        log(
                "started "
                        + identity
                        + " (pid "
                        + p.pid()
                        + ", port "
                        + port
                        + ") in "
                        + op.startupMillis()
                        + " ms");
        return op;
    }

    /** Waits until {@code op} holds the Lease. */
    public void awaitLeader(OperatorProcess op, Duration timeout) {
        awaitTrue(
                op.identity() + " to hold Lease " + LEASE,
                timeout,
                () -> {
                    if (!op.isAlive()) {
                        throw new IllegalStateException(
                                op.identity() + " exited:\n" + op.logTail(40));
                    }
                    return op.identity().equals(leaseHolder());
                });
        awaitTrue(
                op.identity() + " to start event processing",
                Duration.ofSeconds(30),
                () -> op.logContains("Started event processing for controller: tenantsecret"));
    }

    public String leaseHolder() {
        Lease lease = admin.leases().inNamespace(OPERATOR_NS).withName(LEASE).get();
        return lease == null || lease.getSpec() == null
                ? null
                : lease.getSpec().getHolderIdentity();
    }

    /** Every operator process started in this run, running or not (for diagnostics). */
    public synchronized List<OperatorProcess> operators() {
        return List.copyOf(history);
    }

    /** Forgets a process the test killed itself. */
    public synchronized void forget(OperatorProcess op) {
        operators.remove(op);
    }

    public synchronized void stopAllOperators() {
        for (OperatorProcess op : operators) {
            op.stop(Duration.ofSeconds(25));
        }
        operators.clear();
    }

    // -------------------------------------------------------------------------------- helpers

    public KubernetesClient admin() {
        return admin;
    }

    /** A client with the operator's ServiceAccount token: exactly its RBAC. */
    public KubernetesClient asOperator() {
        return asOperator;
    }

    public OpenBaoServer vault() {
        return vault;
    }

    public String vaultAddress() {
        return baoAddress;
    }

    public Path vaultAuditLog() {
        return baoAuditLog;
    }

    public Path apiserverAuditLog() {
        return apiserverAuditLog;
    }

    public Path operatorToken() {
        return operatorToken;
    }

    public String apiserverUrl() {
        return clusterEnv.get("APISERVER_URL");
    }

    public Path caFile() {
        return Paths.get(clusterEnv.get("CA_FILE"));
    }

    public Path state() {
        return state;
    }

    public Map<String, Long> timings() {
        return timings;
    }

    /** A namespace with labels (created or updated). */
    public void ensureNamespace(String name, Map<String, String> labels) {
        admin.namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withLabels(labels)
                                .endMetadata()
                                .build())
                .serverSideApply();
    }

    public void ensureServiceAccount(String namespace, String name) {
        admin.serviceAccounts()
                .inNamespace(namespace)
                .resource(
                        new ServiceAccountBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withNamespace(namespace)
                                .endMetadata()
                                .build())
                .serverSideApply();
    }

    /** A token for a ServiceAccount from the TokenRequest API (as admin). */
    public String mintToken(String namespace, String serviceAccount, long seconds) {
        return admin.serviceAccounts()
                .inNamespace(namespace)
                .withName(serviceAccount)
                .tokenRequest(
                        new TokenRequestBuilder()
                                .withNewSpec()
                                .withExpirationSeconds(seconds)
                                .endSpec()
                                .build())
                .getStatus()
                .getToken();
    }

    private String kubeconfig(String token) throws IOException {
        String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(caFile()));
        return "apiVersion: v1\nkind: Config\nclusters:\n- name: e2e\n  cluster:\n    server: "
                + apiserverUrl()
                + "\n    certificate-authority-data: "
                + ca
                + "\nusers:\n- name: "
                + OPERATOR_SA
                + "\n  user:\n    token: "
                + token.trim()
                + "\ncontexts:\n- name: e2e\n  context:\n    cluster: e2e\n    user: "
                + OPERATOR_SA
                + "\n    namespace: "
                + OPERATOR_NS
                + "\ncurrent-context: e2e\n";
    }

    /** Status code and parsed body of a Vault HTTP call. */
    public record VaultResponse(int status, JsonNode body) {}

    /** Any Vault call with any token (or none), returning status and body. */
    public VaultResponse vaultCall(String method, String path, Object body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(baoAddress + path))
                        .timeout(Duration.ofSeconds(10))
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(
                                                JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("X-Vault-Token", token);
        }
        HttpResponse<String> response =
                http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode parsed =
                response.body() == null || response.body().isBlank()
                        ? JSON.createObjectNode()
                        : JSON.readTree(response.body());
        return new VaultResponse(response.statusCode(), parsed);
    }

    private void vaultRoot(String method, String path, Object body) throws IOException {
        try {
            VaultResponse r = vaultCall(method, path, body, baoRootToken);
            if (r.status() >= 300) {
                throw new IOException(method + " " + path + " -> " + r.status() + " " + r.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** KV v2 current version of {@code path} below secret/ (0 when absent). */
    public int vaultVersion(String path) throws IOException, InterruptedException {
        VaultResponse r = vaultCall("GET", "/v1/secret/metadata/" + path, null, baoRootToken);
        return r.status() == 200 ? r.body().path("data").path("current_version").asInt() : 0;
    }

    public JsonNode vaultMetadata(String path) throws IOException, InterruptedException {
        return vaultCall("GET", "/v1/secret/metadata/" + path, null, baoRootToken)
                .body()
                .path("data");
    }

    /** Waits for {@code condition}, polling every 100 ms; fails with what {@code what} names. */
    public static void awaitTrue(String what, Duration timeout, CheckedCondition condition) {
        awaitTrue(what, timeout, condition, () -> "");
    }

    public static void awaitTrue(
            String what, Duration timeout, CheckedCondition condition, Supplier<String> explain) {
        Instant deadline = Instant.now().plus(timeout);
        Throwable last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                if (condition.check()) {
                    return;
                }
            } catch (IllegalStateException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            sleep(100);
        }
        String extra = explain.get();
        throw new AssertionError(
                "timed out after "
                        + timeout.toSeconds()
                        + " s waiting for "
                        + what
                        + (last == null ? "" : " (last error: " + last + ")")
                        + (extra.isEmpty() ? "" : "\n" + extra),
                last);
    }

    /** A condition that may throw (an IllegalStateException aborts the wait at once). */
    @FunctionalInterface
    public interface CheckedCondition {
        boolean check() throws Exception;
    }

    public static boolean within(Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            sleep(100);
        }
        return condition.getAsBoolean();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "<no " + file + ">";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "<" + e + ">";
        }
    }

    static void log(String message) {
        System.out.println("[e2e] " + message);
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket =
                new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void recordPid(long pid, String what) {
        try {
            Files.writeString(
                    state.resolve("e2e-pids"),
                    pid + " " + what + "\n",
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            log("could not record pid " + pid + ": " + e);
        }
    }

    // ------------------------------------------------------------------------------------ stop

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (OperatorProcess op : operators) {
            op.kill();
        }
        operators.clear();
        if (asOperator != null) {
            asOperator.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (bao != null) {
            bao.destroy();
            try {
                if (!bao.waitFor(10, TimeUnit.SECONDS)) {
                    bao.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (clusterStarted) {
            try {
                Process down =
                        new ProcessBuilder(
                                        project.resolve("hack/local-cluster.sh").toString(),
                                        "down",
                                        clusterDir.toString())
                                .redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                .start();
                if (!down.waitFor(60, TimeUnit.SECONDS)) {
                    down.destroyForcibly();
                }
            } catch (IOException e) {
                log("local-cluster.sh down failed: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log("environment stopped");
    }
}
