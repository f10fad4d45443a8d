package io.smeflow.secrets.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class VaultPathsTest {

    private final VaultPaths paths = new VaultPaths("smeflow/tenants", "smeflow");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "payments/mpesa",
                "a/b.c/d",
                "llm/openai-v2",
                "a_b",
                "a",
                "A/B-c_D/e.f.g",
                "database/main"
            })
    void acceptsRelativePathsBelowTheRoot(String path) {
        assertEquals(Optional.empty(), VaultPaths.problem(path));
    }

    @Test
    void acceptsAPathOfExactly256Characters() {
        String path = "a".repeat(256);
        assertEquals(Optional.empty(), VaultPaths.problem(path));
    }

    static Stream<Arguments> invalidPaths() {
        return Stream.of(
                Arguments.of("/abs", "leading '/'"),
                Arguments.of("a//b", "empty segment"),
                Arguments.of("a/", "empty segment"),
                Arguments.of("..", "'..'"),
                Arguments.of("a/../b", "'..'"),
                Arguments.of("a/..", "'..'"),
                Arguments.of("../x", "'..'"),
                Arguments.of("%2e%2e/x", "'%'"),
                Arguments.of("a%2fb", "'%'"),
                Arguments.of("a\\b", "'\\'"),
                Arguments.of("..\\x", "'..'"),
                Arguments.of(".", "segments may hold only"),
                Arguments.of(".hidden", "segments may hold only"),
                Arguments.of("a/.b", "segments may hold only"),
                Arguments.of("trailing.", "segments may hold only"),
                Arguments.of("a/b./c", "segments may hold only"),
                Arguments.of("a b", "segments may hold only"),
                Arguments.of(" a", "segments may hold only"),
                Arguments.of("a ", "segments may hold only"),
                Arguments.of("a/\tb", "segments may hold only"),
                Arguments.of("a\n", "segments may hold only"),
                Arguments.of("paiements/caf\u00e9", "segments may hold only"),
                Arguments.of("\u0430/b", "segments may hold only"), // Cyrillic a
                Arguments.of("a/\uff0e\uff0e/b", "segments may hold only"), // fullwidth dots
                Arguments.of("a\u2215b", "segments may hold only"), // division slash
                Arguments.of("a".repeat(257), "longer than 256"),
                Arguments.of("a/".repeat(200) + "a", "longer than 256"));
    }

    @ParameterizedTest
    @MethodSource("invalidPaths")
    void refusesPathsThatCouldLeaveTheRootAndNamesTheField(String path, String why) {
        Optional<String> problem = VaultPaths.problem(path);
        assertTrue(problem.isPresent(), "should refuse: " + path);
        assertTrue(problem.get().startsWith("spec.path"), problem.get());
        assertTrue(problem.get().contains(why), problem.get());
    }

    @ParameterizedTest
    @NullAndEmptySource
    void refusesNullAndEmptyAsEmptyAndShowsAnExample(String path) {
        Optional<String> problem = VaultPaths.problem(path);
        assertTrue(problem.isPresent());
        assertTrue(problem.get().startsWith("spec.path is empty"), problem.get());
        assertTrue(problem.get().contains("payments/mpesa"), problem.get());
    }

    @Test
    void tenantPathPutsTheTenantIdBelowTheTenantRoot() {
        assertEquals(
                "smeflow/tenants/acme/payments/mpesa", paths.tenantPath("acme", "payments/mpesa"));
    }

    @Test
    void platformPathPutsThePathBelowThePlatformRoot() {
        assertEquals("smeflow/database/main", paths.platformPath("database/main"));
    }

    @Test
    void pathForThePlatformTenantUsesThePlatformRoot() {
        assertEquals("smeflow/database/main", paths.pathFor("platform", "database/main"));
    }

    @Test
    void pathForAnyOtherTenantUsesTheTenantRoot() {
        assertEquals(
                "smeflow/tenants/acme/payments/mpesa", paths.pathFor("acme", "payments/mpesa"));
        assertEquals(
                "smeflow/tenants/platform-x/llm/openai", paths.pathFor("platform-x", "llm/openai"));
    }

    @Test
    void pathForHonoursConfiguredRoots() {
        VaultPaths custom = new VaultPaths("t", "p");
        assertEquals("t/acme/x", custom.pathFor("acme", "x"));
        assertEquals("p/x", custom.pathFor("platform", "x"));
    }
}
