package io.smeflow.secrets.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;

/**
 * What a secret is used for. Each category carries the security policy's default rotation interval,
 * which is also the ceiling no policy for that category may exceed.
 */
public enum Category {
    DATABASE("database", Duration.ofDays(90)),
    LLM("llm", Duration.ofDays(60)),
    PAYMENTS("payments", Duration.ofDays(30)),
    AUTH("auth", Duration.ofDays(30)),
    N8N("n8n", Duration.ofDays(45)),
    INFRASTRUCTURE("infrastructure", Duration.ofDays(90));

    private final String value;
    private final Duration rotationCeiling;

    Category(String value, Duration rotationCeiling) {
        this.value = value;
        this.rotationCeiling = rotationCeiling;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** The default rotation interval for this category and the longest a policy may set. */
    public Duration rotationCeiling() {
        return rotationCeiling;
    }

    @Override
    public String toString() {
        return value;
    }
}
