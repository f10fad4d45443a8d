package io.smeflow.secrets.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.smeflow.secrets.api.v1alpha1.RotationPolicy;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.testing.OpenBaoTestResource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRDs in deploy/crds are the ones the build generates from the model (with printer columns in
 * the order the model declares them; the generator sorts them by path). Fails when the committed
 * copy is stale; {@code make crds} rewrites it.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@WithTestResource(OpenBaoTestResource.class)
class CrdsUpToDateTest {

    private static final ObjectMapper YAML =
            new ObjectMapper(
                    new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    @ParameterizedTest
    @ValueSource(classes = {TenantSecret.class, RotationPolicy.class})
    void committedCrdMatchesTheModel(Class<? extends CustomResource<?, ?>> kind) throws Exception {
        String name = CustomResource.getCRDName(kind);
        Path generated = Paths.get("target", "kubernetes", name + "-v1.yml");
        Path committed = Paths.get("deploy", "crds", name + ".yaml");
        assertTrue(Files.exists(generated), "the build did not generate " + generated);

        JsonNode expected = withDeclaredColumnOrder(YAML.readTree(generated.toFile()), kind);

        if (Boolean.getBoolean("crds.update")) {
            Files.createDirectories(committed.getParent());
            Files.writeString(
                    committed,
                    "# Generated from the model by `make crds`; do not edit.\n"
                            + YAML.writeValueAsString(expected));
        }
        assertTrue(Files.exists(committed), committed + " is missing; run `make crds`");
        assertEquals(
                expected,
                YAML.readTree(committed.toFile()),
                committed + " is stale; run `make crds` and commit the result");
    }

    /** Orders additionalPrinterColumns as the class declares its annotations. */
    private static JsonNode withDeclaredColumnOrder(JsonNode crd, Class<?> kind) {
        List<String> order = new ArrayList<>();
        for (AdditionalPrinterColumn column :
                kind.getAnnotationsByType(AdditionalPrinterColumn.class)) {
            order.add(column.jsonPath());
        }
        for (JsonNode version : crd.path("spec").path("versions")) {
            JsonNode columns = version.path("additionalPrinterColumns");
            if (!columns.isArray()) {
                continue;
            }
            List<JsonNode> sorted = new ArrayList<>();
            columns.forEach(sorted::add);
            sorted.sort(
                    (a, b) ->
                            Integer.compare(
                                    order.indexOf(a.path("jsonPath").asText()),
                                    order.indexOf(b.path("jsonPath").asText())));
            ArrayNode reordered = ((ObjectNode) version).putArray("additionalPrinterColumns");
            sorted.forEach(reordered::add);
        }
        return crd;
    }
}
