package dev.kubeyard.platform.sandbox;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Chooses the database. In order: {@code quarkus.datasource.jdbc.url} if set anywhere; else {@code KUBEYARD_DB_URL};
 * else, unless {@code kubeyard.sandbox.embedded-database=false}, an embedded PostgreSQL started here (sandbox mode).
 * Registered in {@code META-INF/services/io.smallrye.config.ConfigSourceFactory}: a config source factory runs before
 * the datasource is created, in dev mode and in the packaged application alike.
 */
public class SandboxDatabaseConfigSourceFactory implements ConfigSourceFactory {

    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String KUBEYARD_DB_URL = "KUBEYARD_DB_URL";
    static final String EMBEDDED_ENABLED = "kubeyard.sandbox.embedded-database";

    private static final Set<String> BUILD_CLASSES = Set.of(
            "io.quarkus.deployment.QuarkusAugmentor",
            "io.quarkus.deployment.CodeGenerator",
            "io.quarkus.deployment.configuration.BuildTimeConfigurationReader");

    /** Above application.properties (250), below environment variables (300) and system properties (400). */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (isSet(context.getValue(JDBC_URL))) {
            return List.of();
        }
        ConfigValue kubeyardUrl = context.getValue(KUBEYARD_DB_URL);
        if (isSet(kubeyardUrl)) {
            return List.of(source("kubeyard-database", Map.of(JDBC_URL, kubeyardUrl.getValue())));
        }
        ConfigValue enabled = context.getValue(EMBEDDED_ENABLED);
        if (isSet(enabled) && !Boolean.parseBoolean(enabled.getValue().trim())) {
            return List.of();
        }
        // Tests bring their own database through a test resource, whose URL this factory does not see.
        if (context.getProfiles().contains("test")) {
            return List.of();
        }
        // Quarkus also builds the configuration while it builds the application (Maven plugin, augmentation, code
        // generation); a database started then would be baked into nothing and left running.
        if (calledByQuarkusBuild()) {
            return List.of();
        }
        return List.of(
                source("kubeyard-sandbox-database", SandboxDatabase.shared().datasourceProperties()));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static boolean calledByQuarkusBuild() {
        return StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .anyMatch(name -> name.startsWith("io.quarkus.maven.")
                        || name.startsWith("io.quarkus.gradle.")
                        || BUILD_CLASSES.contains(name)));
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    private static ConfigSource source(String name, Map<String, String> properties) {
        return new PropertiesConfigSource(properties, name, ORDINAL);
    }
}
