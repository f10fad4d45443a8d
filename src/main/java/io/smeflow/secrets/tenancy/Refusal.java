package io.smeflow.secrets.tenancy;

/**
 * Why a resource is refused before anything is read or written.
 *
 * @param reason the condition type and reason: TenancyViolation, ResidencyViolation or InvalidSpec
 * @param message what is wrong and what to fix
 */
public record Refusal(String reason, String message) {

    public static final String TENANCY_VIOLATION = "TenancyViolation";
    public static final String RESIDENCY_VIOLATION = "ResidencyViolation";
    public static final String INVALID_SPEC = "InvalidSpec";

    public static Refusal tenancy(String message) {
        return new Refusal(TENANCY_VIOLATION, message);
    }

    public static Refusal residency(String message) {
        return new Refusal(RESIDENCY_VIOLATION, message);
    }

    public static Refusal invalidSpec(String message) {
        return new Refusal(INVALID_SPEC, message);
    }
}
