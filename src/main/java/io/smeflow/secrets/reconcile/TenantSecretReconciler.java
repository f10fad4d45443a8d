package io.smeflow.secrets.reconcile;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import io.smeflow.secrets.schedule.Durations;
import io.smeflow.secrets.tenancy.Refusal;
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
 * Keeps each TenantSecret's Kubernetes Secret in sync with its regional Vault: observe, admit,
 * sync, report.
 */
@ControllerConfiguration(name = TenantSecretReconciler.NAME)
public class TenantSecretReconciler implements Reconciler<TenantSecret> {

    public static final String NAME = "tenantsecret";

    private final SecretSynchronizer synchronizer;
    private final StatusReporter reporter;
    private final RegionalVaults vaults;

    public TenantSecretReconciler(
            SecretSynchronizer synchronizer, StatusReporter reporter, RegionalVaults vaults) {
        this.synchronizer = synchronizer;
        this.reporter = reporter;
        this.vaults = vaults;
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

        Secret cached = context.getSecondaryResource(Secret.class).orElse(null);
        if (isCurrent(resource, cached, report.now())) {
            return report.stillInSync().wakeUpIn(untilRefresh(resource, report.now())).finish();
        }
        try {
            report.synced(synchronizer.sync(resource, cached));
        } catch (VaultAccessException e) {
            report.vaultFailed(e);
        } catch (SecretConflictException e) {
            report.conflict(e);
        }
        return report.wakeUpIn(untilRefresh(resource, report.now())).finish();
    }

    @Override
    public List<EventSource<?, TenantSecret>> prepareEventSources(
            EventSourceContext<TenantSecret> context) {
        return List.of(managedSecrets(context), tenantNamespaces(context));
    }

    /** Tenancy and residency first, then the spec: nothing is read for a refused resource. */
    static Optional<Refusal> admit(TenantSecret resource, Namespace namespace) {
        return TenantBinding.check(resource.getSpec(), namespace)
                .or(() -> SpecValidator.check(resource.getSpec()));
    }

    /**
     * True when the last sync is for this generation, the Secret still holds what was synced, and
     * no refresh is due: then Vault is not asked at all.
     */
    private boolean isCurrent(TenantSecret resource, Secret cached, Instant now) {
        var status = resource.getStatus();
        return status != null
                && resource.getMetadata().getGeneration().equals(status.getObservedGeneration())
                && Conditions.isTrue(status.getConditions(), Conditions.SYNCED)
                && synchronizer.holdsSyncedData(resource, cached)
                && !untilRefresh(resource, now).isZero();
    }

    /** Time until the next poll of Vault, or null when polling is off. */
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
        return left.isNegative() ? Duration.ZERO : left;
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
}
