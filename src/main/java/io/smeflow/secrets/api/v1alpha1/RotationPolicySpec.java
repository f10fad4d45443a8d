package io.smeflow.secrets.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** How often a category of secret must change, and who changes it. */
@ValidationRule(
        value = "self.strategy != 'Generate' || has(self.generator)",
        message = "generator is required when strategy is Generate")
public class RotationPolicySpec {

    @JsonPropertyDescription(
            "The category this policy is written for; its interval may not"
                    + " exceed that category's ceiling.")
    private Category category;

    @Required
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription("Rotation cycle, e.g. 30d or 720h.")
    private String interval;

    @Default("1h")
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription(
            "Grace after a missed rotation before it is reported overdue" + " (default 1h).")
    private String overdueAfter = "1h";

    @Required
    @JsonPropertyDescription(
            "Generate: the operator makes and writes new values. External: a"
                    + " person or provider rotates; the operator tracks age and syncs new"
                    + " versions.")
    private RotationStrategy strategy;

    @JsonPropertyDescription("How values are generated; required for the Generate strategy.")
    private GeneratorSpec generator;

    @Default("0")
    @Pattern(ApiPatterns.DURATION)
    @JsonPropertyDescription(
            "Keep the old value beside the new one as <key>_previous for this"
                    + " long after a rotation (zero-downtime key rotation); 0 (default) keeps"
                    + " none.")
    private String previousVersionGrace = "0";

    @JsonPropertyDescription("When scheduled rotations may run; emergency rotations do not wait.")
    private MaintenanceWindow maintenanceWindow;

    public Category getCategory() {
        return category;
    }

    public void setCategory(Category category) {
        this.category = category;
    }

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public String getOverdueAfter() {
        return overdueAfter;
    }

    public void setOverdueAfter(String overdueAfter) {
        this.overdueAfter = overdueAfter;
    }

    public RotationStrategy getStrategy() {
        return strategy;
    }

    public void setStrategy(RotationStrategy strategy) {
        this.strategy = strategy;
    }

    public GeneratorSpec getGenerator() {
        return generator;
    }

    public void setGenerator(GeneratorSpec generator) {
        this.generator = generator;
    }

    public String getPreviousVersionGrace() {
        return previousVersionGrace;
    }

    public void setPreviousVersionGrace(String previousVersionGrace) {
        this.previousVersionGrace = previousVersionGrace;
    }

    public MaintenanceWindow getMaintenanceWindow() {
        return maintenanceWindow;
    }

    public void setMaintenanceWindow(MaintenanceWindow maintenanceWindow) {
        this.maintenanceWindow = maintenanceWindow;
    }
}
