package io.smeflow.secrets.rotation;

/**
 * A rotation the planner decided on.
 *
 * @param trigger why: on schedule, or an emergency asked for with the rotate-now annotation
 * @param rotationId recorded in Vault's custom metadata; for emergencies it names the token, so a
 *     crash after the write can tell the token was already honoured
 * @param token the rotate-now token, or null for scheduled rotations
 */
public record RotationRequest(Trigger trigger, String rotationId, String token) {

    public enum Trigger {
        SCHEDULED("scheduled"),
        EMERGENCY("emergency");

        private final String label;

        Trigger(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public static RotationRequest scheduled(String id) {
        return new RotationRequest(Trigger.SCHEDULED, "scheduled:" + id, null);
    }

    public static RotationRequest emergency(String token) {
        return new RotationRequest(Trigger.EMERGENCY, "rotate-now:" + token, token);
    }

    public boolean isEmergency() {
        return trigger == Trigger.EMERGENCY;
    }
}
