package io.smeflow.secrets.reconcile;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.smeflow.secrets.api.v1alpha1.RotationPolicy;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.rotation.EffectivePolicy;
import io.smeflow.secrets.rotation.PolicyResolver;
import io.smeflow.secrets.rotation.RolloutRestarter;
import io.smeflow.secrets.rotation.RotationPlanner;
import io.smeflow.secrets.schedule.Durations;
import io.smeflow.secrets.tenancy.Refusal;
import io.smeflow.secrets.tenancy.SecretLocations;
import io.smeflow.secrets.tenancy.SpecValidator;
import io.smeflow.secrets.tenancy.TenantBinding;
import io.smeflow.secrets.tenancy.TenantLabels;
import io.smeflow.secrets.vault.RegionalVaults;
import io.smeflow.secrets.vault.VaultAccessException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps each TenantSecret's Kubernetes Secret in sync with its regional Vault and rotates it on
 * schedule: observe, admit, sync and rotate, report.
 */
@ControllerConfiguration(
        name = TenantSecretReconciler.NAME,
        generationAwareEventProcessing = false,
        informer = @Informer(onUpdateFilter = SpecOrRotateNowChanged.class))
public class TenantSecretReconciler implements Reconciler<TenantSecret> {

    public static final String NAME = "tenantsecret";
    static final String BY_POLICY_INDEX = "by-rotation-policy";

    private final SyncCycle cycle;
    private final SecretSynchronizer synchronizer;
    private final StatusReporter reporter;
    private final RegionalVaults vaults;
    private final RolloutRestarter restarter;
    private final SecretLocations locations;
    private final TenantSecretIndex index;

    public TenantSecretReconciler(
            SyncCycle cycle,
            SecretSynchronizer synchronizer,
            StatusReporter reporter,
            RegionalVaults vaults,
            RolloutRestarter restarter,
            SecretLocations locations,
            TenantSecretIndex index) {
        this.cycle = cycle;
        this.synchronizer = synchronizer;
        this.reporter = reporter;
        this.vaults = vaults;
        this.restarter = restarter;
        this.locations = locations;
        this.index = index;
    }

    @Override
    public UpdateControl<TenantSecret> reconcile(
            TenantSecret resource, Context<TenantSecret> context) {
        StatusReport report = reporter.start(resource);

        Namespace namespace = context.getSecondaryResource(Namespace.class).orElse(null);
        Optional<Refusal> refusal = admit(resource, namespace);
        if (refusal.isPresent()) {
            return report.refused(refusal.get()).finish();
        }
        report.admitted(vaults.address(resource.getSpec().getRegion()).orElse(null));
        PolicyResolver.Resolution resolution =
                PolicyResolver.resolve(
                        resource.getSpec(), context.getSecondaryResource(RotationPolicy.class));
        EffectivePolicy policy = resolution.policy();
        report.policy(resolution);

        Secret cached = context.getSecondaryResource(Secret.class).orElse(null);
        if (isCurrent(resource, cached, policy, report.now())) {
            // Nothing to sync, but a restart the last sync asked for may have been lost with
            // the process that asked (crash, leader change): the workloads are checked again.
            restarter.requestCheck(resource);
            return report.wakeUpIn(untilRefresh(resource, report.now()))
                    .wakeUpAt(nextReview(resource, policy))
                    .finish();
        }
        try {
            SyncResult result = cycle.run(resource, cached, policy, report);
            report.synced(result).schedule(policy, result, locations.of(resource).path());
        } catch (VaultAccessException e) {
            report.vaultFailed(e);
        } catch (SecretConflictException e) {
            report.conflict(e);
        }
        report.rolloutTargets(restarter.missingTargets(resource));
        return report.wakeUpIn(untilRefresh(resource, report.now())).finish();
    }

    @Override
    public List<EventSource<?, TenantSecret>> prepareEventSources(
            EventSourceContext<TenantSecret> context) {
        context.getPrimaryCache()
                .addIndexer(
                        BY_POLICY_INDEX,
                        ts ->
                                ts.getSpec() == null || ts.getSpec().getRotationPolicyRef() == null
                                        ? List.of()
                                        : List.of(ts.getSpec().getRotationPolicyRef().getName()));
        index.attach(context.getPrimaryCache());
        return List.of(
                managedSecrets(context), tenantNamespaces(context), rotationPolicies(context));
    }

    /** Tenancy and residency first, then the spec: nothing is read for a refused resource. */
    static Optional<Refusal> admit(TenantSecret resource, Namespace namespace) {
        return TenantBinding.check(resource.getSpec(), namespace)
                .or(() -> SpecValidator.check(resource.getSpec()));
    }

    /**
     * True when the last sync is for this generation, the Secret still holds what was synced, and
     * neither a refresh, a rotation, an emergency nor the end of a grace period is due: then Vault
     * is not asked at all.
     */
    private boolean isCurrent(
            TenantSecret resource, Secret cached, EffectivePolicy policy, Instant now) {
        var status = resource.getStatus();
        if (status == null
                || !resource.getMetadata().getGeneration().equals(status.getObservedGeneration())
                || !Conditions.isTrue(status.getConditions(), Conditions.SYNCED)
                || RotationPlanner.pendingEmergency(resource).isPresent()
                || !synchronizer.holdsSyncedData(resource, cached)) {
            return false;
        }
        Duration refresh = untilRefresh(resource, now);
        Instant review = nextReview(resource, policy);
        return (refresh == null || !refresh.isZero()) && (review == null || now.isBefore(review));
    }

    /** The next schedule moment status knows of: rotation due or the end of the grace period. */
    private static Instant nextReview(TenantSecret resource, EffectivePolicy policy) {
        var status = resource.getStatus();
        if (status.getNextRotationTime() == null || status.getLastRotationTime() == null) {
            return null;
        }
        Instant next = Instant.parse(status.getNextRotationTime());
        Instant graceEnd =
                Instant.parse(status.getLastRotationTime()).plus(policy.previousVersionGrace());
        return graceEnd.isBefore(next) && !policy.previousVersionGrace().isZero() ? graceEnd : next;
    }

    /**
     * Time until the next poll of Vault, or null when polling is off. Never more than one interval,
     * so a clock that jumped back cannot stall polling.
     */
    private static Duration untilRefresh(TenantSecret resource, Instant now) {
        Duration interval = Durations.parse(resource.getSpec().getRefreshInterval());
        if (interval.isZero()) {
            return null;
        }
        String lastSync =
                resource.getStatus() == null ? null : resource.getStatus().getLastSyncTime();
        if (lastSync == null) {
            return interval;
        }
        Duration left = Duration.between(now, Instant.parse(lastSync).plus(interval));
        if (left.isNegative()) {
            return Duration.ZERO;
        }
        return left.compareTo(interval) > 0 ? Duration.ZERO : left;
    }

    private static InformerEventSource<Secret, TenantSecret> managedSecrets(
            EventSourceContext<TenantSecret> context) {
        var config =
                InformerEventSourceConfiguration.from(Secret.class, TenantSecret.class)
                        .withName("managed-secrets")
                        .withLabelSelector(ManagedSecrets.MANAGED_SELECTOR)
                        .withSecondaryToPrimaryMapper(
                                secret -> {
                                    Map<String, String> annotations =
                                            secret.getMetadata().getAnnotations();
                                    String owner =
                                            annotations == null
                                                    ? null
                                                    : annotations.get(
                                                            ManagedSecrets.OWNER_ANNOTATION);
                                    return owner == null
                                            ? Set.of()
                                            : Set.of(
                                                    new ResourceID(
                                                            owner,
                                                            secret.getMetadata().getNamespace()));
                                })
                        .build();
        return new InformerEventSource<>(config, context);
    }

    /** Namespaces with a region label: label changes re-check tenancy of every secret in them. */
    private static InformerEventSource<Namespace, TenantSecret> tenantNamespaces(
            EventSourceContext<TenantSecret> context) {
        var config =
                InformerEventSourceConfiguration.from(Namespace.class, TenantSecret.class)
                        .withName("tenant-namespaces")
                        .withLabelSelector(TenantLabels.REGION)
                        .withSecondaryToPrimaryMapper(
                                ns ->
                                        context.getPrimaryCache()
                                                .list(ns.getMetadata().getName())
                                                .map(ResourceID::fromResource)
                                                .collect(Collectors.toSet()))
                        .withPrimaryToSecondaryMapper(
                                (TenantSecret ts) ->
                                        Set.of(new ResourceID(ts.getMetadata().getNamespace())))
                        .build();
        return new InformerEventSource<>(config, context);
    }

    /** RotationPolicies: a change re-evaluates every secret that names the policy. */
    private static InformerEventSource<RotationPolicy, TenantSecret> rotationPolicies(
            EventSourceContext<TenantSecret> context) {
        var config =
                InformerEventSourceConfiguration.from(RotationPolicy.class, TenantSecret.class)
                        .withName("rotation-policies")
                        .withSecondaryToPrimaryMapper(
                                policy ->
                                        context
                                                .getPrimaryCache()
                                                .byIndex(
                                                        BY_POLICY_INDEX,
                                                        policy.getMetadata().getName())
                                                .stream()
                                                .map(ResourceID::fromResource)
                                                .collect(Collectors.toSet()))
                        .withPrimaryToSecondaryMapper(
                                (TenantSecret ts) ->
                                        ts.getSpec().getRotationPolicyRef() == null
                                                ? Set.of()
                                                : Set.of(
                                                        new ResourceID(
                                                                ts.getSpec()
                                                                        .getRotationPolicyRef()
                                                                        .getName())))
                        .build();
        return new InformerEventSource<>(config, context);
    }
}
