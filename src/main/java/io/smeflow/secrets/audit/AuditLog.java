package io.smeflow.secrets.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smeflow.secrets.config.OperatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Writes the audit trail: one JSON line per Vault access on the {@code audit} log category, which
 * deployments route to their log pipeline or SIEM.
 */
@ApplicationScoped
public class AuditLog {

    /** Log category of the audit trail. */
    public static final String CATEGORY = "audit";

    static final String USER_AGENT = "smeflow-secrets-operator/0.1";

    private static final Logger LOG = Logger.getLogger(CATEGORY);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OperatorConfig.AuditConfig config;
    private final Clock clock;

    public AuditLog(OperatorConfig config, Clock clock) {
        this.config = config.audit();
        this.clock = clock;
    }

    /** Records one access and returns its audit id. */
    public String record(AuditEvent event) {
        String auditId = UUID.randomUUID().toString();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", clock.instant().toString());
        line.put("event_type", event.eventType());
        line.put("tenant_id", event.tenantId());
        line.put("user_id", config.userId());
        line.put("secret_path", event.secretPath());
        line.put("action", event.action());
        line.put("source_ip", config.sourceIp());
        line.put("user_agent", USER_AGENT);
        line.put("success", event.success());
        line.put("compliance_region", event.region());
        line.put("audit_id", auditId);
        if (!event.success()) {
            line.put("reason", event.reason());
        }
        LOG.info(toJson(line));
        return auditId;
    }

    private static String toJson(Map<String, Object> line) {
        try {
            return JSON.writeValueAsString(line);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit record could not be serialised", e);
        }
    }
}
