package dev.kubeyard.addons.control;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The addon manager's settings ({@code kubeyard.addons.*}; the module README has the table). */
@ConfigMapping(prefix = "kubeyard.addons")
public interface AddonConfig {

    /** Whether this replica runs addon controllers and rollouts (requests work either way). */
    @WithDefault("true")
    boolean enabled();

    /** How often each controller looks at its cluster even when nothing changed: the drift-repair period. */
    @WithDefault("1m")
    Duration resync();

    /** How often the starter matches controllers to clusters and starts due passes. */
    @WithDefault("2s")
    Duration tick();

    /** Controller passes that may run at once, over every cluster (each on a virtual thread). */
    @WithDefault("32")
    int parallelism();

    /** A controller's hold on its cluster, renewed each pass; another replica takes over once it lapses. */
    @WithDefault("2m")
    Duration lease();

    /** How long an applied version may take to become healthy before the installation is Degraded. */
    @WithDefault("5m")
    Duration progressDeadline();

    /** How often active rollouts are stepped (a clustered Quartz job). */
    @WithDefault("10s")
    Duration rolloutInterval();

    /** Directories of further addon definitions, beside the catalog that ships with Kubeyard. */
    Optional<List<String>> catalogDirectories();

    /** Where manifest sets are wrapped into charts, values files written and fetched charts kept. */
    Optional<String> workDirectory();

    /** The default settings of a rollout that names none. */
    Rollouts rollouts();

    interface Rollouts {
        @WithDefault("1")
        int canaries();

        @WithDefault("10")
        int maxConcurrent();

        @WithDefault("5m")
        Duration soak();

        @WithDefault("0")
        int failureBudget();

        @WithDefault("10m")
        Duration progressDeadline();
    }
}
