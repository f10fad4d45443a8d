package io.smeflow.secrets.reconcile;

import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import java.util.Map;
import java.util.Objects;

/**
 * Reconciles a TenantSecret on spec changes and on a new rotate-now annotation; status updates (the
 * operator's own) and unrelated metadata changes do not wake it.
 */
public class SpecOrRotateNowChanged implements OnUpdateFilter<TenantSecret> {

    @Override
    public boolean accept(TenantSecret updated, TenantSecret old) {
        return !Objects.equals(
                        updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
                || !Objects.equals(rotateNow(updated), rotateNow(old));
    }

    private static String rotateNow(TenantSecret resource) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(TenantSecret.ROTATE_NOW_ANNOTATION);
    }
}
