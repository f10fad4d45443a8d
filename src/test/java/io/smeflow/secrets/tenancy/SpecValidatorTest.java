package io.smeflow.secrets.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.KeyMapping;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.api.v1alpha1.RolloutTarget;
import io.smeflow.secrets.api.v1alpha1.SecretTarget;
import io.smeflow.secrets.api.v1alpha1.TenantSecretSpec;
import io.smeflow.secrets.api.v1alpha1.WorkloadKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecValidatorTest {

    private static TenantSecretSpec valid() {
        TenantSecretSpec spec = new TenantSecretSpec();
        spec.setTenantId("acme");
        spec.setRegion(Region.NG);
        spec.setCategory(Category.PAYMENTS);
        spec.setPath("payments/mpesa");
        spec.setRefreshInterval("1h");
        spec.setKeys(
                new ArrayList<>(
                        List.of(
                                new KeyMapping("consumer_key", null),
                                new KeyMapping("consumer_secret", "MPESA_SECRET"))));
        SecretTarget target = new SecretTarget();
        target.setName("mpesa-creds");
        spec.setTarget(target);
        spec.setRolloutTargets(
                new ArrayList<>(
                        List.of(
                                new RolloutTarget(WorkloadKind.Deployment, "payments-api"),
                                new RolloutTarget(WorkloadKind.StatefulSet, "payments-api"))));
        return spec;
    }

    private static String invalid(TenantSecretSpec spec) {
        Optional<Refusal> refusal = SpecValidator.check(spec);
        assertTrue(refusal.isPresent(), "expected the spec to be refused");
        assertEquals(Refusal.INVALID_SPEC, refusal.get().reason());
        return refusal.get().message();
    }

    @Test
    void validSpecPasses() {
        assertEquals(Optional.empty(), SpecValidator.check(valid()));
    }

    @Test
    void minimalSpecWithDefaultsPasses() {
        TenantSecretSpec spec = new TenantSecretSpec();
        spec.setTenantId("acme");
        spec.setCategory(Category.LLM);
        spec.setPath("llm/openai");
        assertEquals(Optional.empty(), SpecValidator.check(spec));
    }

    @Test
    void platformTenantIdIsAValidId() {
        TenantSecretSpec spec = valid();
        spec.setTenantId("platform");
        assertEquals(Optional.empty(), SpecValidator.check(spec));
    }

    @Test
    void nullSpecIsRefused() {
        assertEquals("spec is missing", invalid(null));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "",
                "Acme",
                "-acme",
                "_acme",
                "acme corp",
                "acme/other",
                "acme.corp",
                "../acme",
                "acm\u00e9",
                "a1234567890123456789012345678901234567890123456789012345678901234"
            })
    void badTenantIdIsRefused(String tenantId) {
        TenantSecretSpec spec = valid();
        spec.setTenantId(tenantId);
        assertTrue(invalid(spec).startsWith("spec.tenantId must match"));
    }

    @Test
    void tenantIdOf63CharactersIsValid() {
        TenantSecretSpec spec = valid();
        spec.setTenantId("a".repeat(63));
        assertEquals(Optional.empty(), SpecValidator.check(spec));
    }

    @Test
    void nullCategoryIsRefusedListingTheChoices() {
        TenantSecretSpec spec = valid();
        spec.setCategory(null);
        String message = invalid(spec);
        assertTrue(message.startsWith("spec.category is required"), message);
        assertTrue(message.contains("payments"), message);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "/payments", "a/../b", "a//b", "%2e%2e/x", ".hidden"})
    void badPathIsRefusedWithThePathProblem(String path) {
        TenantSecretSpec spec = valid();
        spec.setPath(path);
        String message = invalid(spec);
        assertTrue(message.startsWith("spec.path"), message);
        assertEquals(VaultPaths.problem(path).orElseThrow(), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1x", "-1h", "1.5h", "1", "1 h", "PT1H", "99999999d"})
    void badRefreshIntervalIsRefusedNamingTheField(String interval) {
        TenantSecretSpec spec = valid();
        spec.setRefreshInterval(interval);
        String message = invalid(spec);
        assertTrue(message.startsWith("spec.refreshInterval"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "15m", "1h30m", "30d", "90s"})
    void refreshIntervalInTheGrammarIsValid(String interval) {
        TenantSecretSpec spec = valid();
        spec.setRefreshInterval(interval);
        assertEquals(Optional.empty(), SpecValidator.check(spec));
    }

    @Test
    void duplicateSecretKeyAcrossMappingsIsRefused() {
        TenantSecretSpec spec = valid();
        spec.setKeys(List.of(new KeyMapping("user", "CREDS"), new KeyMapping("password", "CREDS")));
        String message = invalid(spec);
        assertTrue(message.contains("writes Secret key 'CREDS' twice"), message);
    }

    @Test
    void explicitSecretKeyCollidingWithAnotherMappingsDefaultIsRefused() {
        TenantSecretSpec spec = valid();
        spec.setKeys(List.of(new KeyMapping("token", null), new KeyMapping("other", "token")));
        String message = invalid(spec);
        assertTrue(message.contains("'token' twice"), message);
    }

    @Test
    void sameVaultKeyToTwoSecretKeysIsValid() {
        TenantSecretSpec spec = valid();
        spec.setKeys(List.of(new KeyMapping("token", "A"), new KeyMapping("token", "B")));
        assertEquals(Optional.empty(), SpecValidator.check(spec));
    }

    @Test
    void emptySecretKeyFallsBackToTheVaultKey() {
        TenantSecretSpec spec = valid();
        spec.setKeys(List.of(new KeyMapping("token", "")));
        assertEquals(Optional.empty(), SpecValidator.check(spec));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "a b", "a/b", "key=value", "caf\u00e9", "a:b"})
    void badVaultKeyIsRefused(String vaultKey) {
        TenantSecretSpec spec = valid();
        spec.setKeys(List.of(new KeyMapping(vaultKey, "GOOD")));
        String message = invalid(spec);
        assertTrue(message.startsWith("spec.keys[].vaultKey must be set"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a/b", "key=value", "caf\u00e9", "a:b"})
    void badSecretKeyIsRefused(String secretKey) {
        TenantSecretSpec spec = valid();
        spec.setKeys(List.of(new KeyMapping("good", secretKey)));
        String message = invalid(spec);
        assertTrue(message.startsWith("spec.keys[].secretKey"), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mpesa", "mpesa_creds", "-mpesa", "mpesa-", "mpesa creds", "a..b"})
    void badTargetNameIsRefused(String name) {
        TenantSecretSpec spec = valid();
        spec.getTarget().setName(name);
        String message = invalid(spec);
        assertTrue(message.startsWith("spec.target.name must be a DNS subdomain"), message);
    }

    @Test
    void absentOrEmptyTargetNameIsValid() {
        TenantSecretSpec spec = valid();
        spec.getTarget().setName(null);
        assertEquals(Optional.empty(), SpecValidator.check(spec));
        spec.getTarget().setName("");
        assertEquals(Optional.empty(), SpecValidator.check(spec));
    }

    @Test
    void dottedTargetNameIsValid() {
        TenantSecretSpec spec = valid();
        spec.getTarget().setName("mpesa.creds-v2");
        assertEquals(Optional.empty(), SpecValidator.check(spec));
    }

    @Test
    void rolloutTargetWithoutKindIsRefused() {
        TenantSecretSpec spec = valid();
        spec.setRolloutTargets(List.of(new RolloutTarget(null, "payments-api")));
        String message = invalid(spec);
        assertTrue(message.startsWith("spec.rolloutTargets[].kind"), message);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "Payments-API", "payments_api", "payments api", "-api"})
    void rolloutTargetWithBadNameIsRefused(String name) {
        TenantSecretSpec spec = valid();
        spec.setRolloutTargets(List.of(new RolloutTarget(WorkloadKind.Deployment, name)));
        String message = invalid(spec);
        assertTrue(message.startsWith("spec.rolloutTargets[].name"), message);
    }

    @Test
    void duplicateRolloutTargetIsRefused() {
        TenantSecretSpec spec = valid();
        spec.setRolloutTargets(
                List.of(
                        new RolloutTarget(WorkloadKind.Deployment, "payments-api"),
                        new RolloutTarget(WorkloadKind.Deployment, "payments-api")));
        String message = invalid(spec);
        assertTrue(message.contains("lists Deployment/payments-api twice"), message);
    }

    @Test
    void firstProblemIsReportedFirst() {
        TenantSecretSpec spec = valid();
        spec.setTenantId("BAD");
        spec.setPath("/abs");
        spec.setRefreshInterval("1x");
        assertTrue(invalid(spec).startsWith("spec.tenantId"));
    }
}
