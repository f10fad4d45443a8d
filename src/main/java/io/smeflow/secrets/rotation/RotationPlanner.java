package io.smeflow.secrets.rotation;

import io.smeflow.secrets.api.v1alpha1.TenantSecret;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Decides whether a TenantSecret rotates now: an unhonoured emergency token, or a due schedule. */
public final class RotationPlanner {

    private RotationPlanner() {}

    /** The rotate-now token on the resource that has not been honoured yet, if any. */
    public static Optional<String> pendingEmergency(TenantSecret resource) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        String token =
                annotations == null ? null : annotations.get(TenantSecret.ROTATE_NOW_ANNOTATION);
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        String honoured =
                resource.getStatus() == null ? null : resource.getStatus().getLastRotateNowToken();
        return token.equals(honoured) ? Optional.empty() : Optional.of(token);
    }

    /**
     * The rotation to run now. Emergencies go first and ignore the maintenance window; scheduled
     * rotations happen only for the Generate strategy, once due and inside the window.
     */
    public static Optional<RotationRequest> plan(
            TenantSecret resource, Instant lastRotation, EffectivePolicy policy, Instant now) {
        Optional<String> emergency = pendingEmergency(resource);
        if (emergency.isPresent()) {
            return Optional.of(RotationRequest.emergency(emergency.get()));
        }
        if (policy.generates() && policy.scheduleFrom(lastRotation).isDue(now)) {
            return Optional.of(RotationRequest.scheduled(UUID.randomUUID().toString()));
        }
        return Optional.empty();
    }
}
