package io.smeflow.secrets.operations;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.api.v1alpha1.RolloutTarget;
import io.smeflow.secrets.api.v1alpha1.RotationPolicyRef;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.api.v1alpha1.WorkloadKind;
import io.smeflow.secrets.reconcile.Conditions;
import io.smeflow.secrets.testing.Cluster;
import io.smeflow.secrets.testing.Fixtures;
import io.smeflow.secrets.testing.OpenBaoServer;
import io.smeflow.secrets.testing.OpenBaoTestResource;
import io.smeflow.secrets.testing.Workloads;
import jakarta.inject.Inject;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Health per region, and the metric names the shipped alerts and dashboard depend on. */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(OpenBaoTestResource.class)
class HealthAndMetricsTest {

    private static final Pattern METRIC =
            Pattern.compile("\\b((?:secret|vault|smeflow)_[a-z_]+)\\b");

    /** Label names that look like metric names in PromQL ("by (secret_path)"). */
    private static final Set<String> LABELS = Set.of("secret_path");

    @Inject KubernetesClient client;

    private final OpenBaoServer ng = OpenBaoServer.published("openbao.ng");
    private final OpenBaoServer za = OpenBaoServer.published("openbao.za");

    @Test
    void readinessReportsEachRegionAndStaysUpWhenOneIsDown() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'vault-regions' }.data.NG", equalTo("up"))
                .body("checks.find { it.name == 'vault-regions' }.data.ZA", equalTo("up"))
                .body("checks.find { it.name == 'vault-regions' }.data.EU", equalTo("down"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when()
                .get("/q/health/group/vault")
                .then()
                .statusCode(503)
                .body("status", equalTo("DOWN"));
    }

    @Test
    void everyMetricTheAlertsAndDashboardUseIsExported() throws Exception {
        exerciseEverySignal();
        Set<String> used = new TreeSet<>();
        for (String expr : expressions()) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                if (!LABELS.contains(m.group(1))) {
                    used.add(m.group(1));
                }
            }
        }
        assertTrue(used.contains("secret_last_rotation_timestamp"), used.toString());

        await().atMost(Cluster.WAIT)
                .untilAsserted(
                        () -> {
                            String exported =
                                    given().when()
                                            .get("/q/metrics")
                                            .then()
                                            .statusCode(200)
                                            .extract()
                                            .asString();
                            Set<String> names =
                                    exported.lines()
                                            .filter(l -> !l.startsWith("#") && !l.isBlank())
                                            .map(l -> l.split("[{ ]", 2)[0])
                                            .collect(Collectors.toSet());
                            Set<String> missing =
                                    used.stream()
                                            .filter(n -> !names.contains(n))
                                            .collect(Collectors.toCollection(TreeSet::new));
                            assertTrue(
                                    missing.isEmpty(),
                                    "used by alerts or dashboard but not exported: " + missing);
                        });
    }

    /** Every PromQL expression in the shipped rules and dashboard. */
    private static List<String> expressions() throws Exception {
        List<String> exprs = new java.util.ArrayList<>();
        var yaml =
                new com.fasterxml.jackson.databind.ObjectMapper(
                        new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        collect(yaml.readTree(Paths.get("deploy/monitoring/prometheusrule.yaml").toFile()), exprs);
        collect(
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(Paths.get("deploy/monitoring/grafana-dashboard.json").toFile()),
                exprs);
        assertTrue(exprs.size() > 5, "expected alert and panel expressions, found " + exprs.size());
        return exprs;
    }

    private static void collect(com.fasterxml.jackson.databind.JsonNode node, List<String> exprs) {
        if (node.isObject()) {
            node.fields()
                    .forEachRemaining(
                            e -> {
                                if (("expr".equals(e.getKey()) || "query".equals(e.getKey()))
                                        && e.getValue().isTextual()) {
                                    exprs.add(e.getValue().asText());
                                } else {
                                    collect(e.getValue(), exprs);
                                }
                            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, exprs));
        }
    }

    /** A sync, a denial, an overdue gauge, an emergency rotation and a restart. */
    private void exerciseEverySignal() throws Exception {
        String ns = "signals";
        Fixtures.tenantNamespace(client, ns, ns, "NG");
        ng.put("smeflow/tenants/signals/auth/token", Map.of("token", "t"));
        client.resource(Fixtures.generatePolicy("signals-policy", "30d", "token")).create();
        Workloads.deployment(client, ns, "smeflow-api");
        TenantSecret ts =
                Fixtures.tenantSecret(ns, "token", ns, Region.NG, Category.AUTH, "auth/token");
        ts.getSpec().setRotationPolicyRef(new RotationPolicyRef("signals-policy"));
        ts.getSpec()
                .setRolloutTargets(
                        List.of(new RolloutTarget(WorkloadKind.Deployment, "smeflow-api")));
        client.resource(ts).create();
        new Cluster(client).awaitSynced(ns, "token");
        await().atMost(Cluster.WAIT)
                .until(() -> Workloads.consumedHash(client, ns, "smeflow-api") != null);
        new Cluster(client).rotateNow(ns, "token", "signals-1");
        await().atMost(Cluster.WAIT)
                .until(() -> Workloads.restartedAt(client, ns, "smeflow-api") != null);

        za.put("smeflow/tenants/denied/restricted/x", Map.of("k", "v"));
        Fixtures.tenantNamespace(client, "denied", "denied", "ZA");
        client.resource(
                        Fixtures.tenantSecret(
                                "denied", "x", "denied", Region.ZA, Category.AUTH, "restricted/x"))
                .create();
        new Cluster(client)
                .awaitCondition(
                        "denied", "x", Conditions.SYNCED, "False", Conditions.REASON_ACCESS_DENIED);
    }
}
