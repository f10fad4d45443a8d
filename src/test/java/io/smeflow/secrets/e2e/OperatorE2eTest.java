package io.smeflow.secrets.e2e;

import static io.smeflow.secrets.e2e.E2eEnvironment.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.api.v1alpha1.RolloutTarget;
import io.smeflow.secrets.api.v1alpha1.RotationPolicy;
import io.smeflow.secrets.api.v1alpha1.RotationPolicyRef;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.api.v1alpha1.WorkloadKind;
import io.smeflow.secrets.e2e.E2eEnvironment.Mode;
import io.smeflow.secrets.e2e.E2eEnvironment.VaultResponse;
import io.smeflow.secrets.reconcile.ManagedSecrets;
import io.smeflow.secrets.rotation.RolloutRestarter;
import io.smeflow.secrets.tenancy.TenantLabels;
import io.smeflow.secrets.testing.Fixtures;
import io.smeflow.secrets.testing.Workloads;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The e2e tier: the packaged operator ({@code java -jar}, prod profile: leader election and
 * server-side apply on, JSON logs) against a real kube-apiserver + etcd and a real OpenBao, with
 * exactly the RBAC of deploy/operator.yaml and Vault Kubernetes auth reviewed by that API server.
 * Run with {@code make e2e}. Each test creates its own namespaces and Vault paths; the order only
 * saves operator restarts.
 */
@Tag("e2e")
@ExtendWith(E2eExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorE2eTest {

    private static final String OPERATOR_USER =
            "system:serviceaccount:smeflow-system:smeflow-secrets-operator";
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** Default rollout coalesce window (5 s) plus margin: long enough to see a second restart. */
    private static final Duration SETTLE = Duration.ofSeconds(9);

    private static final Map<String, String> FIGURES = new LinkedHashMap<>();

    private static E2eEnvironment env;
    private static KubernetesClient admin;

    @BeforeAll
    static void environment() {
        env = E2eEnvironment.get();
        admin = env.admin();
        env.timings().forEach((k, v) -> FIGURES.put(k, v + " ms"));
    }

    @AfterAll
    static void figures() {
        StringBuilder out = new StringBuilder("\n======== e2e figures ========\n");
        FIGURES.forEach((k, v) -> out.append(String.format("  %-58s %s%n", k, v)));
        System.out.println(out);
    }

    private static void figure(String name, String value) {
        FIGURES.put(name, value);
        E2eEnvironment.log(name + ": " + value);
    }

    // ============================================================================ schema

    @Test
    @Order(1)
    void crdsInstallAndRejectBadSpecs() throws Exception {
        for (String name :
                List.of(
                        "tenantsecrets.secrets.smeflow.io",
                        "rotationpolicies.secrets.smeflow.io")) {
            CustomResourceDefinition crd =
                    admin.apiextensions().v1().customResourceDefinitions().withName(name).get();
            assertNotNull(crd, name);
            assertTrue(
                    crd.getStatus().getConditions().stream()
                            .anyMatch(
                                    c ->
                                            "Established".equals(c.getType())
                                                    && "True".equals(c.getStatus())),
                    name + " is Established");
        }
        String ns = "e2e-schema";
        env.ensureNamespace(ns, Map.of());

        List<BadSpec> corpus = new ArrayList<>();
        // TenantSecret
        ts(corpus, "tenantId upper case", s -> s.put("tenantId", "Acme"), "spec.tenantId");
        ts(corpus, "tenantId leading dash", s -> s.put("tenantId", "-acme"), "spec.tenantId");
        ts(corpus, "tenantId empty", s -> s.put("tenantId", ""), "spec.tenantId");
        ts(corpus, "tenantId 64 chars", s -> s.put("tenantId", "a".repeat(64)), "spec.tenantId");
        ts(
                corpus,
                "tenantId with slash",
                s -> s.put("tenantId", "acme/../globex"),
                "spec.tenantId");
        ts(corpus, "tenantId missing", s -> s.remove("tenantId"), "spec.tenantId");
        ts(corpus, "path ../x", s -> s.put("path", "../x"), "spec.path");
        ts(corpus, "path a/../b", s -> s.put("path", "a/../b"), "spec.path");
        ts(corpus, "path /abs", s -> s.put("path", "/abs"), "spec.path");
        ts(corpus, "path a//b", s -> s.put("path", "a//b"), "spec.path");
        ts(corpus, "path %2e%2e", s -> s.put("path", "%2e%2e"), "spec.path");
        ts(corpus, "path %2e%2e/x", s -> s.put("path", "%2e%2e/x"), "spec.path");
        ts(corpus, "path ./x", s -> s.put("path", "./x"), "spec.path");
        ts(corpus, "path trailing slash", s -> s.put("path", "payments/"), "spec.path");
        ts(corpus, "path backslash", s -> s.put("path", "a\\..\\b"), "spec.path");
        ts(corpus, "path empty", s -> s.put("path", ""), "spec.path");
        ts(corpus, "path too long", s -> s.put("path", "a".repeat(257)), "spec.path");
        ts(corpus, "path missing", s -> s.remove("path"), "spec.path");
        ts(corpus, "region US", s -> s.put("region", "US"), "spec.region");
        ts(corpus, "region lower case", s -> s.put("region", "ng"), "spec.region");
        ts(corpus, "category unknown", s -> s.put("category", "crypto"), "spec.category");
        ts(corpus, "category missing", s -> s.remove("category"), "spec.category");
        ts(
                corpus,
                "refreshInterval words",
                s -> s.put("refreshInterval", "1 hour"),
                "spec.refreshInterval");
        ts(
                corpus,
                "refreshInterval negative",
                s -> s.put("refreshInterval", "-5m"),
                "spec.refreshInterval");
        ts(
                corpus,
                "refreshInterval no unit",
                s -> s.put("refreshInterval", "15"),
                "spec.refreshInterval");
        ts(
                corpus,
                "keys[0].vaultKey with slash",
                s -> s.set("keys", keys("a/b", "x")),
                "spec.keys[0].vaultKey");
        ts(
                corpus,
                "keys[0].vaultKey missing",
                s -> {
                    ArrayNode keys = s.putArray("keys");
                    keys.addObject().put("secretKey", "x");
                },
                "spec.keys[0].vaultKey");
        ts(
                corpus,
                "keys[0].secretKey with space",
                s -> s.set("keys", keys("token", "my key")),
                "spec.keys[0].secretKey");
        ts(
                corpus,
                "target.name upper case",
                s -> s.putObject("target").put("name", "Bad_Name"),
                "spec.target.name");
        ts(
                corpus,
                "target.deletionPolicy Orphan",
                s -> s.putObject("target").put("deletionPolicy", "Orphan"),
                "spec.target.deletionPolicy");
        ts(
                corpus,
                "rolloutTargets[0].kind DaemonSet",
                s -> {
                    ArrayNode t = s.putArray("rolloutTargets");
                    t.addObject().put("kind", "DaemonSet").put("name", "api");
                },
                "spec.rolloutTargets[0].kind");
        ts(
                corpus,
                "rolloutTargets[0].name invalid",
                s -> {
                    ArrayNode t = s.putArray("rolloutTargets");
                    t.addObject().put("kind", "Deployment").put("name", "API_Server");
                },
                "spec.rolloutTargets[0].name");
        ts(
                corpus,
                "rotationPolicyRef.name invalid",
                s -> s.putObject("rotationPolicyRef").put("name", "no spaces allowed"),
                "spec.rotationPolicyRef.name");
        // RotationPolicy
        rp(corpus, "interval words", s -> s.put("interval", "30 days"), "spec.interval");
        rp(corpus, "interval missing", s -> s.remove("interval"), "spec.interval");
        rp(corpus, "strategy unknown", s -> s.put("strategy", "Manual"), "spec.strategy");
        rp(corpus, "strategy missing", s -> s.remove("strategy"), "spec.strategy");
        rp(
                corpus,
                "Generate without generator",
                s -> s.remove("generator"),
                "generator is required when strategy is Generate");
        rp(
                corpus,
                "generator.type unknown",
                s -> ((ObjectNode) s.get("generator")).put("type", "Uuid"),
                "spec.generator.type");
        rp(
                corpus,
                "generator.type missing",
                s -> ((ObjectNode) s.get("generator")).remove("type"),
                "spec.generator.type");
        rp(
                corpus,
                "generator.length too small",
                s -> ((ObjectNode) s.get("generator")).put("length", 4),
                "spec.generator.length");
        rp(
                corpus,
                "generator.length too large",
                s -> ((ObjectNode) s.get("generator")).put("length", 100000),
                "spec.generator.length");
        rp(
                corpus,
                "generator.encoding unknown",
                s -> ((ObjectNode) s.get("generator")).put("encoding", "base32"),
                "spec.generator.encoding");
        rp(
                corpus,
                "generator.keys[0] with space",
                s -> ((ObjectNode) s.get("generator")).putArray("keys").add("a b"),
                "spec.generator.keys[0]");
        rp(
                corpus,
                "maintenanceWindow.start 25:00",
                s -> s.putObject("maintenanceWindow").put("start", "25:00").put("duration", "2h"),
                "spec.maintenanceWindow.start");
        rp(
                corpus,
                "maintenanceWindow.start 2am",
                s -> s.putObject("maintenanceWindow").put("start", "2am").put("duration", "2h"),
                "spec.maintenanceWindow.start");
        rp(
                corpus,
                "maintenanceWindow.duration missing",
                s -> s.putObject("maintenanceWindow").put("start", "02:00"),
                "spec.maintenanceWindow.duration");
        rp(
                corpus,
                "maintenanceWindow.days[0] unknown",
                s -> {
                    ObjectNode w =
                            s.putObject("maintenanceWindow")
                                    .put("start", "02:00")
                                    .put("duration", "2h");
                    w.putArray("days").add("Funday");
                },
                "spec.maintenanceWindow.days[0]");
        rp(corpus, "overdueAfter words", s -> s.put("overdueAfter", "soon"), "spec.overdueAfter");
        rp(
                corpus,
                "previousVersionGrace weeks",
                s -> s.put("previousVersionGrace", "1w"),
                "spec.previousVersionGrace");
        rp(corpus, "category unknown", s -> s.put("category", "crypto"), "spec.category");

        // The valid base documents pass the same dry-run, so every rejection is the bad field's.
        dryRunCreate(E2eExtension.TENANT_SECRETS, ns, "valid", tenantSecretBase());
        dryRunCreate(E2eExtension.ROTATION_POLICIES, null, "valid", rotationPolicyBase());

        List<String> problems = new ArrayList<>();
        int i = 0;
        for (BadSpec bad : corpus) {
            boolean namespaced = bad.kind().equals("TenantSecret");
            try {
                dryRunCreate(
                        namespaced ? E2eExtension.TENANT_SECRETS : E2eExtension.ROTATION_POLICIES,
                        namespaced ? ns : null,
                        "bad-" + i++,
                        bad.spec());
                problems.add(bad + ": accepted");
            } catch (KubernetesClientException e) {
                String message =
                        e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage();
                if (e.getCode() != 422) {
                    problems.add(bad + ": HTTP " + e.getCode() + " " + message);
                } else if (message == null || !message.contains(bad.field())) {
                    problems.add(bad + ": message does not name " + bad.field() + ": " + message);
                } else {
                    E2eEnvironment.log("422 " + bad.kind() + " " + bad.name() + ": " + message);
                }
            }
        }
        figure(
                "bad specs rejected with 422 naming the field",
                (corpus.size() - problems.size()) + " of " + corpus.size());
        assertTrue(corpus.size() >= 25, "corpus of at least 25");
        assertTrue(problems.isEmpty(), "not rejected as expected:\n" + String.join("\n", problems));
    }

    private record BadSpec(String kind, String name, ObjectNode spec, String field) {
        @Override
        public String toString() {
            return kind + " [" + name + "]";
        }
    }

    private static void ts(
            List<BadSpec> corpus, String name, Consumer<ObjectNode> change, String field) {
        ObjectNode spec = tenantSecretBase();
        change.accept(spec);
        corpus.add(new BadSpec("TenantSecret", name, spec, field));
    }

    private static void rp(
            List<BadSpec> corpus, String name, Consumer<ObjectNode> change, String field) {
        ObjectNode spec = rotationPolicyBase();
        change.accept(spec);
        corpus.add(new BadSpec("RotationPolicy", name, spec, field));
    }

    private static ObjectNode tenantSecretBase() {
        ObjectNode spec = E2eEnvironment.JSON.createObjectNode();
        spec.put("tenantId", "acme")
                .put("region", "NG")
                .put("category", "payments")
                .put("path", "payments/mpesa")
                .put("refreshInterval", "1h");
        return spec;
    }

    private static ObjectNode rotationPolicyBase() {
        ObjectNode spec = E2eEnvironment.JSON.createObjectNode();
        spec.put("interval", "30d")
                .put("strategy", "Generate")
                .put("category", "payments")
                .put("overdueAfter", "1h");
        spec.putObject("generator").put("type", "Password").put("length", 24);
        return spec;
    }

    private static ArrayNode keys(String vaultKey, String secretKey) {
        ArrayNode keys = E2eEnvironment.JSON.createArrayNode();
        keys.addObject().put("vaultKey", vaultKey).put("secretKey", secretKey);
        return keys;
    }

    /** Server-side dry-run create of a raw document: full validation, nothing stored. */
    private static void dryRunCreate(
            io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext context,
            String namespace,
            String name,
            ObjectNode spec) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion("secrets.smeflow.io/v1alpha1");
        r.setKind(context.getKind());
        r.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        r.setAdditionalProperty("spec", E2eEnvironment.JSON.convertValue(spec, Map.class));
        var op = admin.genericKubernetesResources(context);
        if (namespace != null) {
            op.inNamespace(namespace).resource(r).dryRun().create();
        } else {
            op.resource(r).dryRun().create();
        }
    }

    // ============================================================================== RBAC

    @Test
    @Order(2)
    void operatorIsDeniedWhatItWasNotGranted() {
        KubernetesClient op = env.asOperator();
        String ns = "e2e-rbac";
        env.ensureNamespace(ns, Map.of(TenantLabels.TENANT, "rbacco", TenantLabels.REGION, "NG"));
        admin.secrets()
                .inNamespace(ns)
                .resource(
                        new SecretBuilder()
                                .withNewMetadata()
                                .withName("victim")
                                .endMetadata()
                                .addToStringData("k", "v")
                                .build())
                .serverSideApply();
        admin.resource(
                        Fixtures.tenantSecret(
                                ns, "victim", "rbacco", Region.NG, Category.LLM, "llm/openai"))
                .serverSideApply();
        admin.leases()
                .inNamespace(E2eEnvironment.OPERATOR_NS)
                .resource(
                        new LeaseBuilder()
                                .withNewMetadata()
                                .withName("someone-elses-lease")
                                .endMetadata()
                                .withNewSpec()
                                .withHolderIdentity("someone")
                                .endSpec()
                                .build())
                .serverSideApply();

        // What it was granted works with the same client (so a 403 below is RBAC, not auth).
        op.resources(TenantSecret.class).inAnyNamespace().list();
        op.secrets().inNamespace(ns).withName("victim").get();
        op.apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("tenantsecrets.secrets.smeflow.io")
                .get();

        Map<String, Runnable> denied = new LinkedHashMap<>();
        denied.put(
                "list configmaps in all namespaces", () -> op.configMaps().inAnyNamespace().list());
        denied.put(
                "get a configmap",
                () ->
                        op.configMaps()
                                .inNamespace("kube-system")
                                .withName("extension-apiserver-authentication")
                                .get());
        denied.put(
                "delete a Secret", () -> op.secrets().inNamespace(ns).withName("victim").delete());
        denied.put(
                "create a Deployment",
                () ->
                        op.apps()
                                .deployments()
                                .inNamespace(ns)
                                .resource(Workloads.deploymentSpec(ns, "intruder"))
                                .create());
        denied.put(
                "delete a Deployment",
                () -> op.apps().deployments().inNamespace(ns).withName("anything").delete());
        denied.put("list pods", () -> op.pods().inNamespace(ns).list());
        denied.put("get a pod", () -> op.pods().inNamespace(ns).withName("anything").get());
        denied.put(
                "update a TenantSecret's spec",
                () ->
                        op.resources(TenantSecret.class)
                                .inNamespace(ns)
                                .withName("victim")
                                .edit(
                                        t -> {
                                            t.getSpec().setPath("llm/other");
                                            return t;
                                        }));
        denied.put(
                "delete a TenantSecret",
                () -> op.resources(TenantSecret.class).inNamespace(ns).withName("victim").delete());
        denied.put(
                "create a RotationPolicy",
                () -> op.resource(Fixtures.externalPolicy("intruder", "30d")).create());
        denied.put(
                "label a namespace (tenancy)",
                () ->
                        op.namespaces()
                                .withName(ns)
                                .edit(
                                        n -> {
                                            n.getMetadata()
                                                    .getLabels()
                                                    .put(TenantLabels.TENANT, "globex");
                                            return n;
                                        }));
        denied.put(
                "mint a token for its own ServiceAccount",
                () ->
                        op.serviceAccounts()
                                .inNamespace(E2eEnvironment.OPERATOR_NS)
                                .withName(E2eEnvironment.OPERATOR_SA)
                                .tokenRequest(
                                        new TokenRequestBuilder().withNewSpec().endSpec().build()));
        denied.put(
                "mint a token for the token reviewer",
                () ->
                        op.serviceAccounts()
                                .inNamespace(E2eEnvironment.OPERATOR_NS)
                                .withName(E2eEnvironment.REVIEWER_SA)
                                .tokenRequest(
                                        new TokenRequestBuilder().withNewSpec().endSpec().build()));
        denied.put(
                "get another Lease",
                () ->
                        op.leases()
                                .inNamespace(E2eEnvironment.OPERATOR_NS)
                                .withName("someone-elses-lease")
                                .get());
        denied.put(
                "create a Lease elsewhere",
                () ->
                        op.leases()
                                .inNamespace(ns)
                                .resource(
                                        new LeaseBuilder()
                                                .withNewMetadata()
                                                .withName("x")
                                                .endMetadata()
                                                .build())
                                .create());
        denied.put(
                "create a ClusterRoleBinding (escalation)",
                () ->
                        op.rbac()
                                .clusterRoleBindings()
                                .resource(
                                        new ClusterRoleBindingBuilder()
                                                .withNewMetadata()
                                                .withName("e2e-escalate")
                                                .endMetadata()
                                                .withNewRoleRef()
                                                .withApiGroup("rbac.authorization.k8s.io")
                                                .withKind("ClusterRole")
                                                .withName("cluster-admin")
                                                .endRoleRef()
                                                .addNewSubject()
                                                .withKind("ServiceAccount")
                                                .withName(E2eEnvironment.OPERATOR_SA)
                                                .withNamespace(E2eEnvironment.OPERATOR_NS)
                                                .endSubject()
                                                .build())
                                .create());
        denied.put(
                "delete a CRD",
                () ->
                        op.apiextensions()
                                .v1()
                                .customResourceDefinitions()
                                .withName("tenantsecrets.secrets.smeflow.io")
                                .delete());
        denied.put("list CRDs", () -> op.apiextensions().v1().customResourceDefinitions().list());
        denied.put(
                "delete an Event",
                () -> op.v1().events().inNamespace(ns).withName("anything").delete());

        List<String> problems = new ArrayList<>();
        for (var e : denied.entrySet()) {
            try {
                e.getValue().run();
                problems.add(e.getKey() + ": allowed");
            } catch (KubernetesClientException ex) {
                if (ex.getCode() != 403) {
                    problems.add(e.getKey() + ": HTTP " + ex.getCode() + " " + ex.getMessage());
                } else {
                    E2eEnvironment.log("403 as expected: " + e.getKey());
                }
            }
        }
        assertNotNull(
                admin.secrets().inNamespace(ns).withName("victim").get(),
                "the Secret survived the delete attempt");
        figure(
                "operator requests refused with 403",
                (denied.size() - problems.size()) + " of " + denied.size());
        assertTrue(problems.isEmpty(), "not denied:\n" + String.join("\n", problems));
    }

    // ============================================================================== sync

    @Test
    @Order(3)
    void operatorRunsWithItsOwnRbacAndSyncs() throws Exception {
        OperatorProcess op = env.leader(Mode.DEFAULT);
        String ns = "e2e-acme";
        env.ensureNamespace(ns, Map.of(TenantLabels.TENANT, "acme", TenantLabels.REGION, "NG"));
        String path = "smeflow/tenants/acme/payments/mpesa";
        Map<String, String> values = Map.of("api_key", "mpesa-key-1", "secret", "mpesa-secret-1");
        env.vault().put(path, values);
        E2eExtension.watch(ns, "mpesa");

        Instant t0 = Instant.now();
        admin.resource(
                        Fixtures.tenantSecret(
                                ns,
                                "mpesa",
                                "acme",
                                Region.NG,
                                Category.PAYMENTS,
                                "payments/mpesa"))
                .create();
        awaitCondition(ns, "mpesa", "Ready", "True");
        Secret secret = awaitSecret(ns, "mpesa", values);
        figure("TenantSecret created -> Ready=True", millis(t0) + " ms");
        assertEquals(
                ManagedSecrets.MANAGER,
                secret.getMetadata().getLabels().get(ManagedSecrets.MANAGED_BY_LABEL));
        assertTrue(
                apiserverAudit().stream()
                        .anyMatch(
                                e ->
                                        OPERATOR_USER.equals(
                                                        e.path("user").path("username").asText())
                                                && "create".equals(e.path("verb").asText())
                                                && "secrets"
                                                        .equals(
                                                                e.path("objectRef")
                                                                        .path("resource")
                                                                        .asText())
                                                && ns.equals(
                                                        e.path("objectRef")
                                                                .path("namespace")
                                                                .asText())
                                                && e.path("responseStatus").path("code").asInt()
                                                        == 201),
                "the API server recorded the Secret create as the operator's ServiceAccount");

        // Drift repair: someone edits the synced Secret; the operator puts Vault's data back.
        Instant t1 = Instant.now();
        admin.secrets()
                .inNamespace(ns)
                .withName("mpesa")
                .edit(
                        s -> {
                            s.getData().put("api_key", b64("tampered"));
                            return s;
                        });
        awaitSecret(ns, "mpesa", values);
        figure("edited Secret -> repaired", millis(t1) + " ms");
        awaitEvent(ns, "DriftRepaired");

        // Deleted: recreated.
        String oldUid =
                admin.secrets().inNamespace(ns).withName("mpesa").get().getMetadata().getUid();
        Instant t2 = Instant.now();
        admin.secrets().inNamespace(ns).withName("mpesa").delete();
        awaitTrue(
                "Secret recreated",
                WAIT,
                () -> {
                    Secret s = admin.secrets().inNamespace(ns).withName("mpesa").get();
                    return s != null
                            && !oldUid.equals(s.getMetadata().getUid())
                            && values.equals(ManagedSecrets.decodedData(s));
                },
                () -> op.logTail(30));
        figure("deleted Secret -> recreated", millis(t2) + " ms");
        awaitCondition(ns, "mpesa", "Ready", "True");
    }

    // =============================================================================== SSA

    @Test
    @Order(4)
    void statusPatchesWorkWithServerSideApply() throws Exception {
        env.leader(Mode.DEFAULT);
        String ns = "e2e-ssa";
        env.ensureNamespace(ns, Map.of(TenantLabels.TENANT, "ssaco", TenantLabels.REGION, "NG"));
        env.vault().put("smeflow/tenants/ssaco/llm/openai", Map.of("api_key", "sk-1"));
        RotationPolicy policy = Fixtures.externalPolicy("e2e-ssa-external", "30d");
        admin.resource(policy).serverSideApply();
        TenantSecret ts =
                Fixtures.tenantSecret(ns, "openai", "ssaco", Region.NG, Category.LLM, "llm/openai");
        ts.getSpec().setRotationPolicyRef(new RotationPolicyRef("e2e-ssa-external"));
        E2eExtension.watch(ns, "openai");
        admin.resource(ts).create();
        awaitCondition(ns, "openai", "Ready", "True");

        TenantSecret got = tenantSecret(ns, "openai");
        var status = got.getStatus();
        assertEquals(got.getMetadata().getGeneration(), status.getObservedGeneration());
        assertEquals(1, status.getVaultVersion());
        assertTrue(status.getDataHash().startsWith("hmac-sha256:"), status.getDataHash());
        assertEquals(env.vaultAddress(), status.getVaultAddress());
        assertNotNull(status.getLastSyncTime());
        assertNotNull(status.getNextRotationTime());
        assertConditionStatus(got, "Synced", "True");
        assertStatusWrittenByApply(got.getMetadata().getManagedFields(), "tenantsecret");

        // A spec change: the new generation is observed, still through apply.
        admin.resources(TenantSecret.class)
                .inNamespace(ns)
                .withName("openai")
                .edit(
                        t -> {
                            t.getSpec().setRefreshInterval("30m");
                            return t;
                        });
        awaitTrue(
                "observedGeneration 2",
                WAIT,
                () ->
                        Objects.equals(
                                2L,
                                tenantSecret(ns, "openai").getStatus().getObservedGeneration()));
        assertStatusWrittenByApply(
                tenantSecret(ns, "openai").getMetadata().getManagedFields(), "tenantsecret");

        // The RotationPolicy controller writes its status the same way.
        awaitTrue(
                "RotationPolicy status.secretCount 1",
                WAIT,
                () -> {
                    RotationPolicy p =
                            admin.resources(RotationPolicy.class)
                                    .withName("e2e-ssa-external")
                                    .get();
                    return p.getStatus() != null
                            && Objects.equals(1, p.getStatus().getSecretCount());
                });
        assertStatusWrittenByApply(
                admin.resources(RotationPolicy.class)
                        .withName("e2e-ssa-external")
                        .get()
                        .getMetadata()
                        .getManagedFields(),
                "rotationpolicy");
    }

    private static void assertStatusWrittenByApply(
            List<ManagedFieldsEntry> fields, String manager) {
        StringBuilder seen = new StringBuilder();
        boolean applied = false;
        for (ManagedFieldsEntry f : fields) {
            seen.append(f.getManager())
                    .append('/')
                    .append(f.getOperation())
                    .append('/')
                    .append(f.getSubresource())
                    .append(' ');
            if ("status".equals(f.getSubresource()) && !"Apply".equals(f.getOperation())) {
                fail(
                        "status written by "
                                + f.getManager()
                                + " with "
                                + f.getOperation()
                                + ", not server-side apply: "
                                + seen);
            }
            if (manager.equals(f.getManager())
                    && "Apply".equals(f.getOperation())
                    && "status".equals(f.getSubresource())) {
                var owned =
                        E2eEnvironment.JSON.valueToTree(f.getFieldsV1().getAdditionalProperties());
                assertTrue(
                        owned.path("f:status").has("f:conditions"),
                        "the operator's apply owns status.conditions: " + owned);
                applied = true;
            }
        }
        E2eEnvironment.log("managedFields: " + seen);
        assertTrue(applied, "field manager " + manager + " applied status: " + seen);
    }

    // ======================================================================= Vault auth

    @Test
    @Order(5)
    void vaultKubernetesAuthUsesRealTokenReview() throws Exception {
        OperatorProcess op = env.leader(Mode.DEFAULT);
        String ns = "e2e-vaultauth";
        env.ensureNamespace(ns, Map.of(TenantLabels.TENANT, "authco", TenantLabels.REGION, "NG"));
        env.vault().put("smeflow/tenants/authco/auth/oidc", Map.of("client_secret", "c1"));
        E2eExtension.watch(ns, "oidc");
        admin.resource(
                        Fixtures.tenantSecret(
                                ns, "oidc", "authco", Region.NG, Category.AUTH, "auth/oidc"))
                .create();
        awaitCondition(ns, "oidc", "Ready", "True");

        // 1. The operator's own audit trail: a successful login as its role.
        JsonNode login =
                op.auditRecords().stream()
                        .filter(a -> "login".equals(a.path("action").asText()))
                        .filter(a -> a.path("success").asBoolean())
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new AssertionError(
                                                "no login audit record:\n" + op.logTail(30)));
        assertEquals(
                "auth/kubernetes/login/smeflow-secrets-operator",
                login.path("secret_path").asText());
        assertEquals(OPERATOR_USER, login.path("user_id").asText());
        E2eEnvironment.log("operator audit: " + login);

        // 2. OpenBao's audit: the login resolved to the operator's real ServiceAccount (its uid
        //    comes from the TokenReview answer of this API server).
        String saUid =
                admin.serviceAccounts()
                        .inNamespace(E2eEnvironment.OPERATOR_NS)
                        .withName(E2eEnvironment.OPERATOR_SA)
                        .get()
                        .getMetadata()
                        .getUid();
        JsonNode baoLogin =
                vaultAudit().stream()
                        .filter(e -> "response".equals(e.path("type").asText()))
                        .filter(
                                e ->
                                        "auth/kubernetes/login"
                                                .equals(e.path("request").path("path").asText()))
                        .filter(
                                e ->
                                        "smeflow-secrets-operator"
                                                .equals(
                                                        e.path("auth")
                                                                .path("metadata")
                                                                .path("role")
                                                                .asText()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no login in OpenBao audit"));
        JsonNode meta = baoLogin.path("auth").path("metadata");
        assertEquals(E2eEnvironment.OPERATOR_SA, meta.path("service_account_name").asText());
        assertEquals(E2eEnvironment.OPERATOR_NS, meta.path("service_account_namespace").asText());
        assertEquals(saUid, meta.path("service_account_uid").asText());
        assertTrue(
                baoLogin.path("auth")
                        .path("token_policies")
                        .toString()
                        .contains("smeflow-secrets-operator"),
                baoLogin.path("auth").toString());
        E2eEnvironment.log("OpenBao audit login metadata: " + meta);

        // 3. The API server: TokenReviews by Vault's reviewer account.
        long reviewsBefore = tokenReviews();
        assertTrue(reviewsBefore >= 1, "the API server saw TokenReviews from OpenBao");

        // 4. A forged token (right claims, wrong key) is refused after a real review.
        String forged = forgedJwt();
        VaultResponse r =
                env.vaultCall(
                        "POST",
                        "/v1/auth/kubernetes/login",
                        Map.of("role", "smeflow-secrets-operator", "jwt", forged),
                        null);
        assertEquals(403, r.status(), "forged JWT: " + r.body());
        assertTrue(r.body().toString().contains("permission denied"), r.body().toString());
        awaitTrue(
                "a TokenReview for the forged token",
                Duration.ofSeconds(10),
                () -> tokenReviews() > reviewsBefore);
        E2eEnvironment.log("forged JWT login -> " + r.status() + " " + r.body());

        // 5. A real token of another ServiceAccount cannot use the operator's role.
        String reviewerJwt =
                env.mintToken(E2eEnvironment.OPERATOR_NS, E2eEnvironment.REVIEWER_SA, 600);
        VaultResponse other =
                env.vaultCall(
                        "POST",
                        "/v1/auth/kubernetes/login",
                        Map.of("role", "smeflow-secrets-operator", "jwt", reviewerJwt),
                        null);
        assertEquals(403, other.status(), "other SA: " + other.body());

        // 6. An unknown, unsigned token.
        VaultResponse garbage =
                env.vaultCall(
                        "POST",
                        "/v1/auth/kubernetes/login",
                        Map.of("role", "smeflow-secrets-operator", "jwt", "not.a.jwt"),
                        null);
        assertTrue(garbage.status() >= 400 && garbage.status() < 500, "garbage: " + garbage);

        // 7. The operator's real token does log in (so the refusals above are the tokens').
        VaultResponse real =
                env.vaultCall(
                        "POST",
                        "/v1/auth/kubernetes/login",
                        Map.of(
                                "role",
                                "smeflow-secrets-operator",
                                "jwt",
                                Files.readString(env.operatorToken()).trim()),
                        null);
        assertEquals(200, real.status(), real.body().toString());
        assertEquals(
                "15m",
                Duration.ofSeconds(real.body().path("auth").path("lease_duration").asLong())
                                .toMinutes()
                        + "m",
                "15-minute Vault tokens");
    }

    private static long tokenReviews() {
        return apiserverAudit().stream()
                .filter(e -> "tokenreviews".equals(e.path("objectRef").path("resource").asText()))
                .filter(
                        e ->
                                ("system:serviceaccount:"
                                                + E2eEnvironment.OPERATOR_NS
                                                + ":"
                                                + E2eEnvironment.REVIEWER_SA)
                                        .equals(e.path("user").path("username").asText()))
                .count();
    }

    /** A JWT with a service-account token's claims, signed by a key the API server never saw. */
    private static String forgedJwt() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        var keys = gen.generateKeyPair();
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", List.of("https://kubernetes.default.svc.cluster.local"));
        claims.put("exp", now + 600);
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("iss", "https://kubernetes.default.svc.cluster.local");
        claims.put("sub", OPERATOR_USER);
        claims.put(
                "kubernetes.io",
                Map.of(
                        "namespace",
                        E2eEnvironment.OPERATOR_NS,
                        "serviceaccount",
                        Map.of(
                                "name",
                                E2eEnvironment.OPERATOR_SA,
                                "uid",
                                "00000000-0000-0000-0000-000000000000")));
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput =
                b64.encodeToString(
                                "{\"alg\":\"RS256\",\"typ\":\"JWT\"}"
                                        .getBytes(StandardCharsets.UTF_8))
                        + "."
                        + b64.encodeToString(E2eEnvironment.JSON.writeValueAsBytes(claims));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(keys.getPrivate());
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(rsa.sign());
    }

    // ========================================================================== rotation

    @Test
    @Order(6)
    void rotationWithRestartOnRealApiServer() throws Exception {
        OperatorProcess op = env.leader(Mode.DEFAULT);
        String ns = "e2e-rotation";
        String tenant = "rotco";
        String path = "smeflow/tenants/" + tenant + "/auth/signing";
        Rollout rollout = prepareRollout(ns, tenant, path, "e2e-generate");

        int before = env.vaultVersion(path);
        Map<String, String> oldData = env.vault().get(path);
        String token = "incident-" + Instant.now().toEpochMilli();
        Instant t0 = Instant.now();
        rotateNow(ns, "signing", token);

        awaitTrue(
                "a new Vault version",
                WAIT,
                () -> env.vaultVersion(path) == before + 1,
                () -> op.logTail(30));
        figure("rotate-now -> new Vault version", millis(t0) + " ms");
        JsonNode custom = env.vaultMetadata(path).path("custom_metadata");
        assertEquals("rotate-now:" + token, custom.path("rotation_id").asText(), custom.toString());
        assertEquals(OPERATOR_USER, custom.path("rotated_by").asText());
        assertFalse(custom.path("rotation_date").asText().isEmpty());

        Map<String, String> rotated = env.vault().get(path);
        assertFalse(rotated.get("secret").equals(oldData.get("secret")), "a new value");
        awaitSecret(ns, "signing", rotated);
        figure("rotate-now -> Secret updated", millis(t0) + " ms");
        awaitTrue(
                "restartedAt on the pod template",
                WAIT,
                () -> Workloads.restartedAt(admin, ns, "smeflow-api") != null,
                () -> op.logTail(30));
        figure("rotate-now -> Deployment restarted", millis(t0) + " ms");

        Thread.sleep(SETTLE.toMillis());
        rollout.close();
        assertEquals(before + 1, env.vaultVersion(path), "exactly one new Vault version");
        assertEquals(
                List.of(Workloads.restartedAt(admin, ns, "smeflow-api")),
                rollout.restartedAtValues(),
                "exactly one restart");
        assertEquals(rollout.generationBefore + 1, rollout.generation(), "one pod-template change");
        assertEquals(token, tenantSecret(ns, "signing").getStatus().getLastRotateNowToken());
        awaitEvent(ns, "EmergencyRotated");
        awaitEvent(ns, "RolloutRestarted");
    }

    /** A Generate policy, a Deployment, a TenantSecret restarting it; synced and recorded. */
    private Rollout prepareRollout(String ns, String tenant, String path, String policyName)
            throws Exception {
        env.ensureNamespace(ns, Map.of(TenantLabels.TENANT, tenant, TenantLabels.REGION, "NG"));
        env.vault().put(path, Map.of("secret", "initial-" + tenant));
        RotationPolicy policy = Fixtures.generatePolicy(policyName, "30d", "secret");
        policy.getSpec().setCategory(Category.AUTH);
        admin.resource(policy).serverSideApply();
        Workloads.deployment(admin, ns, "smeflow-api");
        TenantSecret ts =
                Fixtures.tenantSecret(
                        ns, "signing", tenant, Region.NG, Category.AUTH, "auth/signing");
        ts.getSpec().setRotationPolicyRef(new RotationPolicyRef(policyName));
        ts.getSpec()
                .setRolloutTargets(
                        List.of(new RolloutTarget(WorkloadKind.Deployment, "smeflow-api")));
        E2eExtension.watch(ns, "signing");
        admin.resource(ts).create();
        awaitCondition(ns, "signing", "Ready", "True");
        awaitTrue(
                "the Deployment's consumed-data record",
                WAIT,
                () -> Workloads.consumedHash(admin, ns, "smeflow-api") != null);
        assertNull(
                Workloads.restartedAt(admin, ns, "smeflow-api"),
                "the first sync records the data without a restart");
        return new Rollout(ns, "smeflow-api");
    }

    /** Watches a Deployment and remembers every restartedAt value and generation it saw. */
    private static final class Rollout implements AutoCloseable {
        private final List<String> restartedAt = new CopyOnWriteArrayList<>();
        private final Set<Long> generations = ConcurrentHashMap.newKeySet();
        private final long generationBefore;
        private final Watch watch;
        private final String ns;
        private final String name;

        Rollout(String ns, String name) {
            this.ns = ns;
            this.name = name;
            Deployment d = admin.apps().deployments().inNamespace(ns).withName(name).get();
            generationBefore = d.getMetadata().getGeneration();
            watch =
                    admin.apps()
                            .deployments()
                            .inNamespace(ns)
                            .withName(name)
                            .watch(
                                    new Watcher<>() {
                                        @Override
                                        public void eventReceived(
                                                Action action, Deployment deployment) {
                                            seen(deployment);
                                        }

                                        @Override
                                        public void onClose(WatcherException cause) {
                                            E2eEnvironment.log("deployment watch closed: " + cause);
                                        }
                                    });
            seen(d);
        }

        private void seen(Deployment d) {
            generations.add(d.getMetadata().getGeneration());
            Map<String, String> a = d.getSpec().getTemplate().getMetadata().getAnnotations();
            String at = a == null ? null : a.get(RolloutRestarter.RESTARTED_AT_ANNOTATION);
            if (at != null && !restartedAt.contains(at)) {
                restartedAt.add(at);
            }
        }

        List<String> restartedAtValues() {
            seen(admin.apps().deployments().inNamespace(ns).withName(name).get());
            return List.copyOf(restartedAt);
        }

        long generation() {
            return admin.apps()
                    .deployments()
                    .inNamespace(ns)
                    .withName(name)
                    .get()
                    .getMetadata()
                    .getGeneration();
        }

        @Override
        public void close() {
            watch.close();
        }
    }

    // ======================================================================== per tenant

    @Test
    @Order(7)
    void perTenantIdentityIsEnforcedByVault() throws Exception {
        for (String tenant : List.of("acme", "globex")) {
            String ns = "tenant-" + tenant;
            env.ensureNamespace(ns, Map.of(TenantLabels.TENANT, tenant, TenantLabels.REGION, "NG"));
            env.ensureServiceAccount(ns, E2eEnvironment.TENANT_VAULT_SA);
            env.vault()
                    .policy(
                            "tenant-" + tenant,
                            "path \"secret/data/smeflow/tenants/"
                                    + tenant
                                    + "/*\" { capabilities = "
                                    + "[\"create\", \"read\", \"update\"] }\n"
                                    + "path \"secret/metadata/smeflow/tenants/"
                                    + tenant
                                    + "/*\" { "
                                    + "capabilities = [\"create\", \"read\", \"update\"] }\n");
            env.vaultRole(
                    "tenant-" + tenant, E2eEnvironment.TENANT_VAULT_SA, ns, "tenant-" + tenant);
            env.vault()
                    .put(
                            "smeflow/tenants/" + tenant + "/database/main",
                            Map.of(
                                    "url",
                                    "postgres://" + tenant + "-db",
                                    "password",
                                    tenant + "-pw"));
        }

        // Vault itself: acme's identity reads acme's secrets and nothing of globex's.
        String acmeJwt = env.mintToken("tenant-acme", E2eEnvironment.TENANT_VAULT_SA, 600);
        VaultResponse login =
                env.vaultCall(
                        "POST",
                        "/v1/auth/kubernetes/login",
                        Map.of("role", "tenant-acme", "jwt", acmeJwt),
                        null);
        assertEquals(200, login.status(), login.body().toString());
        String acmeToken = login.body().path("auth").path("client_token").asText();
        VaultResponse own =
                env.vaultCall(
                        "GET",
                        "/v1/secret/data/smeflow/tenants/acme/database/main",
                        null,
                        acmeToken);
        assertEquals(200, own.status(), own.body().toString());
        assertEquals("acme-pw", own.body().path("data").path("data").path("password").asText());
        VaultResponse foreign =
                env.vaultCall(
                        "GET",
                        "/v1/secret/data/smeflow/tenants/globex/database/main",
                        null,
                        acmeToken);
        assertEquals(403, foreign.status(), "acme reading globex: " + foreign.body());
        VaultResponse platform =
                env.vaultCall("GET", "/v1/secret/data/smeflow/platform/database", null, acmeToken);
        assertEquals(403, platform.status(), "acme reading platform: " + platform.body());
        VaultResponse asGlobex =
                env.vaultCall(
                        "POST",
                        "/v1/auth/kubernetes/login",
                        Map.of("role", "tenant-globex", "jwt", acmeJwt),
                        null);
        assertEquals(
                403, asGlobex.status(), "acme's token as role tenant-globex: " + asGlobex.body());
        VaultResponse operatorAsAcme =
                env.vaultCall(
                        "POST",
                        "/v1/auth/kubernetes/login",
                        Map.of(
                                "role",
                                "tenant-acme",
                                "jwt",
                                Files.readString(env.operatorToken()).trim()),
                        null);
        assertEquals(403, operatorAsAcme.status(), "the operator's own token as tenant-acme");

        // The operator in per-tenant mode syncs acme's secret with acme's identity.
        OperatorProcess op = env.leader(Mode.PER_TENANT);
        E2eExtension.watch("tenant-acme", "db");
        Instant t0 = Instant.now();
        admin.resource(
                        Fixtures.tenantSecret(
                                "tenant-acme",
                                "db",
                                "acme",
                                Region.NG,
                                Category.DATABASE,
                                "database/main"))
                .create();
        awaitCondition("tenant-acme", "db", "Ready", "True");
        awaitSecret(
                "tenant-acme", "db", Map.of("url", "postgres://acme-db", "password", "acme-pw"));
        figure("per-tenant: TenantSecret -> Ready", millis(t0) + " ms");
        assertTrue(
                op.auditRecords().stream()
                        .anyMatch(
                                a ->
                                        "login".equals(a.path("action").asText())
                                                && a.path("success").asBoolean()
                                                && "auth/kubernetes/login/tenant-acme"
                                                        .equals(a.path("secret_path").asText())),
                "the operator logged in as tenant-acme:\n" + op.logTail(20));
        assertTrue(
                vaultAudit().stream().anyMatch(OperatorE2eTest::isTenantAcmeLogin),
                "OpenBao saw a login as tenant-acme with acme's ServiceAccount");
        assertTrue(
                apiserverAudit().stream()
                        .anyMatch(
                                e ->
                                        OPERATOR_USER.equals(
                                                        e.path("user").path("username").asText())
                                                && "serviceaccounts"
                                                        .equals(
                                                                e.path("objectRef")
                                                                        .path("resource")
                                                                        .asText())
                                                && "token"
                                                        .equals(
                                                                e.path("objectRef")
                                                                        .path("subresource")
                                                                        .asText())
                                                && "tenant-acme"
                                                        .equals(
                                                                e.path("objectRef")
                                                                        .path("namespace")
                                                                        .asText())
                                                && e.path("responseStatus").path("code").asInt()
                                                        == 201),
                "the operator minted the token through the TokenRequest API");

        // A tenant namespace whose Vault role does not exist: Vault refuses, nothing is synced.
        env.ensureNamespace(
                "tenant-initech",
                Map.of(TenantLabels.TENANT, "initech", TenantLabels.REGION, "NG"));
        env.ensureServiceAccount("tenant-initech", E2eEnvironment.TENANT_VAULT_SA);
        env.vault().put("smeflow/tenants/initech/database/main", Map.of("password", "i-pw"));
        E2eExtension.watch("tenant-initech", "db");
        admin.resource(
                        Fixtures.tenantSecret(
                                "tenant-initech",
                                "db",
                                "initech",
                                Region.NG,
                                Category.DATABASE,
                                "database/main"))
                .create();
        awaitTrue(
                "Synced=False/AccessDenied for initech",
                WAIT,
                () -> {
                    Condition c = condition("tenant-initech", "db", "Synced");
                    return c != null
                            && "False".equals(c.getStatus())
                            && "AccessDenied".equals(c.getReason());
                });
        assertNull(
                admin.secrets().inNamespace("tenant-initech").withName("db").get(),
                "no Secret without a Vault identity for the tenant");
    }

    // =================================================================== leader election

    @Test
    @Order(8)
    void leaderElectionHandsOverWithoutDoubleWork() throws Exception {
        OperatorProcess a = env.leader(Mode.DEFAULT);
        OperatorProcess b = env.startOperator(Mode.DEFAULT);
        Thread.sleep(3000);
        assertEquals(a.identity(), env.leaseHolder(), "the first operator keeps the Lease");
        assertFalse(b.logContains("Started leading"), "the second one stands by");
        long leaders =
                env.operators().stream()
                        .filter(OperatorProcess::isAlive)
                        .filter(o -> o.identity().equals(env.leaseHolder()))
                        .count();
        assertEquals(1, leaders, "exactly one live operator holds the Lease");

        String ns = "e2e-ha";
        String tenant = "haco";
        String path = "smeflow/tenants/" + tenant + "/auth/signing";
        Rollout rollout = prepareRollout(ns, tenant, path, "e2e-ha-generate");
        int before = env.vaultVersion(path);

        // Emergency rotation, and the leader dies right after recording it: the restart it had
        // scheduled (coalesce window) dies with it.
        String token = "ha-incident-" + Instant.now().toEpochMilli();
        rotateNow(ns, "signing", token);
        awaitTrue(
                "the leader to honour the token",
                WAIT,
                () -> token.equals(tenantSecret(ns, "signing").getStatus().getLastRotateNowToken()),
                () -> a.logTail(30));
        boolean restartedBeforeKill = Workloads.restartedAt(admin, ns, "smeflow-api") != null;
        Instant killed = Instant.now();
        a.kill();
        env.forget(a);
        E2eEnvironment.log(
                "killed leader " + a + " (restart already done: " + restartedBeforeKill + ")");

        awaitTrue(
                "the standby to take the Lease",
                Duration.ofSeconds(15 + 45),
                () -> b.identity().equals(env.leaseHolder()),
                () -> b.logTail(20));
        double handover = millis(killed) / 1000.0;
        figure("leader killed -> standby holds the Lease", String.format("%.1f s", handover));
        awaitTrue("the new leader to reconcile", WAIT, () -> b.logContains("Started leading"));
        figure(
                "leader killed -> standby reconciling",
                String.format("%.1f s", millis(killed) / 1000.0));

        awaitTrue(
                "the Deployment restarted once",
                WAIT,
                () -> Workloads.restartedAt(admin, ns, "smeflow-api") != null,
                () -> b.logTail(30));
        figure(
                "leader killed -> Deployment restarted",
                String.format("%.1f s", millis(killed) / 1000.0));
        Thread.sleep(SETTLE.toMillis());
        rollout.close();

        Map<String, String> data = env.vault().get(path);
        assertEquals(before + 1, env.vaultVersion(path), "exactly one new Vault version");
        assertEquals(
                "rotate-now:" + token,
                env.vaultMetadata(path).path("custom_metadata").path("rotation_id").asText());
        assertEquals(
                data,
                ManagedSecrets.decodedData(
                        admin.secrets().inNamespace(ns).withName("signing").get()),
                "the Secret holds the rotated version");
        List<String> restarts = rollout.restartedAtValues();
        figure("distinct restartedAt values across the handover", String.valueOf(restarts.size()));
        assertEquals(1, restarts.size(), "restarted exactly once: " + restarts);
        assertEquals(rollout.generationBefore + 1, rollout.generation(), "one pod-template change");
    }

    @Test
    @Order(9)
    void sigtermEndsTheLeaderPromptly() throws Exception {
        OperatorProcess op = env.leader(Mode.DEFAULT);
        long took = op.stop(Duration.ofSeconds(20));
        env.forget(op);
        figure(
                "SIGTERM -> leader process exited",
                took < 0 ? "did not exit in 20 s (killed)" : took + " ms");
        assertTrue(
                took >= 0,
                "the operator exits on SIGTERM instead of hanging until SIGKILL:\n"
                        + op.logTail(15));
        assertTrue(op.logContains("Stopped leading"), op.logTail(15));
    }

    // ============================================================================ helpers

    private static TenantSecret tenantSecret(String ns, String name) {
        return admin.resources(TenantSecret.class).inNamespace(ns).withName(name).get();
    }

    private static Condition condition(String ns, String name, String type) {
        TenantSecret ts = tenantSecret(ns, name);
        if (ts == null || ts.getStatus() == null || ts.getStatus().getConditions() == null) {
            return null;
        }
        return ts.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }

    private static void awaitCondition(String ns, String name, String type, String status) {
        awaitTrue(
                type + "=" + status + " on " + ns + "/" + name,
                WAIT,
                () -> {
                    Condition c = condition(ns, name, type);
                    return c != null && status.equals(c.getStatus());
                },
                () -> {
                    TenantSecret ts = tenantSecret(ns, name);
                    return "status: "
                            + (ts == null
                                    ? "<absent>"
                                    : io.fabric8.kubernetes.client.utils.Serialization.asJson(
                                            ts.getStatus()));
                });
    }

    private static void assertConditionStatus(TenantSecret ts, String type, String status) {
        assertTrue(
                ts.getStatus().getConditions().stream()
                        .anyMatch(c -> type.equals(c.getType()) && status.equals(c.getStatus())),
                type + "=" + status);
    }

    private static Secret awaitSecret(String ns, String name, Map<String, String> data) {
        awaitTrue(
                "Secret " + ns + "/" + name + " holding Vault's data",
                WAIT,
                () -> {
                    Secret s = admin.secrets().inNamespace(ns).withName(name).get();
                    return s != null && data.equals(ManagedSecrets.decodedData(s));
                });
        return admin.secrets().inNamespace(ns).withName(name).get();
    }

    private static void awaitEvent(String ns, String reason) {
        awaitTrue(
                "Event " + reason + " in " + ns,
                WAIT,
                () ->
                        admin.v1().events().inNamespace(ns).list().getItems().stream()
                                .anyMatch(e -> reason.equals(e.getReason())));
    }

    private static void rotateNow(String ns, String name, String token) {
        admin.resources(TenantSecret.class)
                .inNamespace(ns)
                .withName(name)
                .edit(
                        t -> {
                            t.getMetadata()
                                    .getAnnotations()
                                    .put(TenantSecret.ROTATE_NOW_ANNOTATION, token);
                            return t;
                        });
    }

    private static List<JsonNode> apiserverAudit() {
        return jsonLines(env.apiserverAuditLog());
    }

    private static List<JsonNode> vaultAudit() {
        return jsonLines(env.vaultAuditLog());
    }

    private static List<JsonNode> jsonLines(Path file) {
        List<JsonNode> out = new ArrayList<>();
        try {
            for (String line :
                    new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("{")) {
                    try {
                        out.add(E2eEnvironment.JSON.readTree(line));
                    } catch (java.io.IOException ignored) {
                        // a line being written
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
        return out;
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static long millis(Instant since) {
        return Duration.between(since, Instant.now()).toMillis();
    }

    /** An OpenBao audit response for a login as tenant-acme's ServiceAccount in its namespace. */
    private static boolean isTenantAcmeLogin(JsonNode entry) {
        JsonNode login = entry.path("auth").path("metadata");
        return "response".equals(entry.path("type").asText())
                && "tenant-acme".equals(login.path("role").asText())
                && "tenant-acme".equals(login.path("service_account_namespace").asText())
                && E2eEnvironment.TENANT_VAULT_SA.equals(
                        login.path("service_account_name").asText());
    }
}
