package io.smeflow.secrets.audit;

/**
 * One access to a secret, as the audit trail records it. Carries names and outcomes only, never a
 * value.
 *
 * @param eventType what kind of access, e.g. {@code secret_read}, {@code secret_rotated}
 * @param tenantId the tenant the secret belongs to
 * @param secretPath the Vault path, mount included
 * @param action the Vault action (read, write, login, ...)
 * @param region the compliance region of the Vault that was asked
 * @param success whether Vault granted and served the request
 * @param reason why it failed, or null on success
 */
public record AuditEvent(
        String eventType,
        String tenantId,
        String secretPath,
        String action,
        String region,
        boolean success,
        String reason) {}
