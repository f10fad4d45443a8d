package io.smeflow.secrets.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.smeflow.secrets.api.v1alpha1.Category;
import io.smeflow.secrets.api.v1alpha1.KeyMapping;
import io.smeflow.secrets.api.v1alpha1.Region;
import io.smeflow.secrets.api.v1alpha1.TenantSecretSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TenantBindingTest {

    private static final String SECRET_PATH = "payments/mpesa-zz9";
    private static final String VAULT_KEY = "consumer_secret_q7";

    private static TenantSecretSpec spec(String tenantId, Region region) {
        TenantSecretSpec spec = new TenantSecretSpec();
        spec.setTenantId(tenantId);
        spec.setRegion(region);
        spec.setCategory(Category.PAYMENTS);
        spec.setPath(SECRET_PATH);
        spec.setKeys(List.of(new KeyMapping(VAULT_KEY, null)));
        return spec;
    }

    private static Namespace namespace(String name, Map<String, String> labels) {
        return new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .build();
    }

    private static Namespace tenantNamespace(String name, String tenant, String region) {
        Map<String, String> labels = new HashMap<>();
        if (tenant != null) {
            labels.put(TenantLabels.TENANT, tenant);
        }
        if (region != null) {
            labels.put(TenantLabels.REGION, region);
        }
        return namespace(name, labels);
    }

    private static Namespace platformNamespace(String name, String region) {
        Map<String, String> labels = new HashMap<>();
        labels.put(TenantLabels.PLATFORM, "true");
        if (region != null) {
            labels.put(TenantLabels.REGION, region);
        }
        return namespace(name, labels);
    }

    private static Refusal refused(TenantSecretSpec spec, Namespace ns, String reason) {
        Optional<Refusal> refusal = TenantBinding.check(spec, ns);
        assertTrue(refusal.isPresent(), "expected a " + reason + " refusal");
        assertEquals(reason, refusal.get().reason(), refusal.get().message());
        assertNamesOnly(refusal.get().message());
        return refusal.get();
    }

    /** Messages may name tenants, namespaces, regions and labels, never the secret's location. */
    private static void assertNamesOnly(String message) {
        assertFalse(message.contains(SECRET_PATH), message);
        assertFalse(message.contains("mpesa"), message);
        assertFalse(message.contains(VAULT_KEY), message);
        assertFalse(message.contains("smeflow/tenants"), message);
    }

    @Test
    void matchingTenantAndRegionIsAllowed() {
        assertEquals(
                Optional.empty(),
                TenantBinding.check(
                        spec("acme", Region.NG), tenantNamespace("acme-prod", "acme", "NG")));
    }

    @Test
    void platformTenantInPlatformNamespaceWithMatchingRegionIsAllowed() {
        assertEquals(
                Optional.empty(),
                TenantBinding.check(
                        spec("platform", Region.EU), platformNamespace("smeflow-platform", "EU")));
    }

    @Test
    void tenantMismatchIsATenancyViolationNamingTheOwner() {
        Refusal r =
                refused(
                        spec("victim", Region.NG),
                        tenantNamespace("attacker-ns", "attacker", "NG"),
                        Refusal.TENANCY_VIOLATION);
        assertTrue(r.message().contains("'victim'"), r.message());
        assertTrue(r.message().contains("attacker-ns"), r.message());
        assertTrue(r.message().contains("belongs to tenant 'attacker'"), r.message());
    }

    @Test
    void tenantMismatchWinsOverRegionMismatch() {
        refused(
                spec("victim", Region.ZA),
                tenantNamespace("attacker-ns", "attacker", "NG"),
                Refusal.TENANCY_VIOLATION);
    }

    @Test
    void missingTenantLabelIsATenancyViolationAskingForAnAdmin() {
        Refusal r =
                refused(
                        spec("acme", Region.NG),
                        tenantNamespace("unlabelled", null, "NG"),
                        Refusal.TENANCY_VIOLATION);
        assertTrue(r.message().contains("unlabelled"), r.message());
        assertTrue(r.message().contains("has no " + TenantLabels.TENANT), r.message());
        assertTrue(r.message().contains("platform admin"), r.message());
    }

    @Test
    void emptyTenantLabelIsTreatedAsMissing() {
        Refusal r =
                refused(
                        spec("acme", Region.NG),
                        tenantNamespace("empty", "", "NG"),
                        Refusal.TENANCY_VIOLATION);
        assertTrue(r.message().contains("has no " + TenantLabels.TENANT), r.message());
    }

    @Test
    void namespaceWithoutAnyLabelsIsATenancyViolation() {
        Namespace bare =
                new NamespaceBuilder().withNewMetadata().withName("bare").endMetadata().build();
        Refusal r = refused(spec("acme", Region.NG), bare, Refusal.TENANCY_VIOLATION);
        assertTrue(r.message().contains("has no " + TenantLabels.TENANT), r.message());
    }

    @Test
    void missingRegionLabelIsAResidencyViolation() {
        Refusal r =
                refused(
                        spec("acme", Region.NG),
                        tenantNamespace("acme-prod", "acme", null),
                        Refusal.RESIDENCY_VIOLATION);
        assertTrue(r.message().contains("acme-prod"), r.message());
        assertTrue(r.message().contains("has no " + TenantLabels.REGION), r.message());
        assertTrue(r.message().contains("platform admin"), r.message());
    }

    @Test
    void regionMismatchIsAResidencyViolationNamingTheRequiredRegion() {
        Refusal r =
                refused(
                        spec("acme", Region.ZA),
                        tenantNamespace("acme-prod", "acme", "NG"),
                        Refusal.RESIDENCY_VIOLATION);
        assertTrue(r.message().contains("region ZA"), r.message());
        assertTrue(r.message().contains("acme-prod"), r.message());
        assertTrue(r.message().contains("must stay in NG"), r.message());
    }

    @Test
    void regionLabelIsComparedExactly() {
        refused(
                spec("acme", Region.NG),
                tenantNamespace("acme-prod", "acme", "ng"),
                Refusal.RESIDENCY_VIOLATION);
    }

    @Test
    void nullRegionInSpecIsAResidencyViolation() {
        refused(
                spec("acme", null),
                tenantNamespace("acme-prod", "acme", "NG"),
                Refusal.RESIDENCY_VIOLATION);
    }

    @Test
    void platformTenantIdInATenantNamespaceIsATenancyViolation() {
        Refusal r =
                refused(
                        spec("platform", Region.NG),
                        tenantNamespace("acme-prod", "acme", "NG"),
                        Refusal.TENANCY_VIOLATION);
        assertTrue(r.message().contains("tenantId 'platform'"), r.message());
        assertTrue(r.message().contains(TenantLabels.PLATFORM + "=true"), r.message());
        assertTrue(r.message().contains("acme-prod is not"), r.message());
    }

    @Test
    void platformTenantIdIsRefusedEvenWhenTheTenantLabelSaysPlatform() {
        refused(
                spec("platform", Region.NG),
                tenantNamespace("sneaky", "platform", "NG"),
                Refusal.TENANCY_VIOLATION);
    }

    @Test
    void platformLabelOtherThanTrueDoesNotMakeAPlatformNamespace() {
        Map<String, String> labels = new HashMap<>();
        labels.put(TenantLabels.PLATFORM, "yes");
        labels.put(TenantLabels.REGION, "NG");
        refused(
                spec("platform", Region.NG),
                namespace("almost", labels),
                Refusal.TENANCY_VIOLATION);
    }

    @Test
    void platformNamespaceRequiresThePlatformTenantId() {
        Refusal r =
                refused(
                        spec("acme", Region.EU),
                        platformNamespace("smeflow-platform", "EU"),
                        Refusal.TENANCY_VIOLATION);
        assertTrue(r.message().contains("smeflow-platform is a platform namespace"), r.message());
        assertTrue(r.message().contains("must use tenantId 'platform', not 'acme'"), r.message());
    }

    @Test
    void platformNamespaceIgnoresATenantLabelForThePlatformTenant() {
        Map<String, String> labels = new HashMap<>();
        labels.put(TenantLabels.PLATFORM, "true");
        labels.put(TenantLabels.TENANT, "acme");
        labels.put(TenantLabels.REGION, "EU");
        refused(
                spec("acme", Region.EU),
                namespace("smeflow-platform", labels),
                Refusal.TENANCY_VIOLATION);
        assertEquals(
                Optional.empty(),
                TenantBinding.check(
                        spec("platform", Region.EU), namespace("smeflow-platform", labels)));
    }

    @Test
    void platformNamespaceWithRegionMismatchIsAResidencyViolation() {
        Refusal r =
                refused(
                        spec("platform", Region.KE),
                        platformNamespace("smeflow-platform", "EU"),
                        Refusal.RESIDENCY_VIOLATION);
        assertTrue(r.message().contains("must stay in EU"), r.message());
    }

    @Test
    void platformNamespaceWithoutRegionIsAResidencyViolation() {
        refused(
                spec("platform", Region.EU),
                platformNamespace("smeflow-platform", null),
                Refusal.RESIDENCY_VIOLATION);
    }

    @Test
    void nullNamespaceIsATenancyViolationSayingWhatIsNeeded() {
        Refusal r = refused(spec("acme", Region.NG), null, Refusal.TENANCY_VIOLATION);
        assertTrue(r.message().contains("must exist"), r.message());
        assertTrue(r.message().contains(TenantLabels.TENANT), r.message());
    }
}
