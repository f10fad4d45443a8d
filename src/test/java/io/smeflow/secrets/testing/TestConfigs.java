package io.smeflow.secrets.testing;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smeflow.secrets.config.OperatorConfig;
import java.time.Duration;
import java.util.Map;

/** An {@link OperatorConfig} from a few properties, for tests that run without Quarkus. */
public final class TestConfigs {

    private TestConfigs() {}

    public static OperatorConfig of(Map<String, String> properties) {
        SmallRyeConfig config =
                new SmallRyeConfigBuilder()
                        .withMapping(OperatorConfig.class)
                        .withConverter(Duration.class, 100, new DurationConverter())
                        .withSources(new PropertiesConfigSource(properties, "test", 500))
                        .build();
        return config.getConfigMapping(OperatorConfig.class);
    }
}
