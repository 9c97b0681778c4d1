package dev.kubeyard.platform.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

/**
 * The database choice, for every case that starts no server (the embedded start itself is covered by every *IT and by
 * running the application). The context is a map: SmallRye builds it from the real sources only inside Quarkus.
 */
class SandboxDatabaseConfigSourceFactoryTest {

    private final SandboxDatabaseConfigSourceFactory factory = new SandboxDatabaseConfigSourceFactory();

    private static ConfigSourceContext context(Map<String, String> values, List<String> profiles) {
        return new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                String value = values.get(name);
                return ConfigValue.builder().withName(name).withValue(value).build();
            }

            @Override
            public Iterator<String> iterateNames() {
                return values.keySet().iterator();
            }

            @Override
            public List<String> getProfiles() {
                return profiles;
            }
        };
    }

    private List<ConfigSource> sources(Map<String, String> values, List<String> profiles) {
        return StreamSupport.stream(
                        factory.getConfigSources(context(values, profiles)).spliterator(), false)
                .toList();
    }

    @Test
    void aConfiguredJdbcUrlWinsAndNoDatabaseIsStarted() {
        assertThat(sources(
                        Map.of(
                                "quarkus.datasource.jdbc.url", "jdbc:postgresql://db:5432/kubeyard",
                                "KUBEYARD_DB_URL", "jdbc:postgresql://other:5432/x"),
                        List.of("prod")))
                .isEmpty();
    }

    @Test
    void kubeyardDbUrlBecomesTheJdbcUrl() {
        List<ConfigSource> sources =
                sources(Map.of("KUBEYARD_DB_URL", "jdbc:postgresql://db:5432/kubeyard"), List.of("prod"));

        assertThat(sources).singleElement().satisfies(source -> {
            assertThat(source.getValue("quarkus.datasource.jdbc.url")).isEqualTo("jdbc:postgresql://db:5432/kubeyard");
            assertThat(source.getOrdinal()).isGreaterThan(250).isLessThan(300);
        });
    }

    @Test
    void neverStartsADatabaseWhenTheSandboxDatabaseIsSwitchedOff() {
        assertThat(sources(Map.of("kubeyard.sandbox.embedded-database", "false"), List.of("prod")))
                .isEmpty();
    }

    @Test
    void neverStartsADatabaseInTheTestProfile() {
        assertThat(sources(Map.of(), List.of("test"))).isEmpty();
    }
}
