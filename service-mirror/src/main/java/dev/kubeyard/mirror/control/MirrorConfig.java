package dev.kubeyard.mirror.control;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The mirror's settings ({@code kubeyard.mirror.*}; the module README has the table). */
@ConfigMapping(prefix = "kubeyard.mirror")
public interface MirrorConfig {

    /** Whether this replica runs the mirror (sets are defined through the API either way). */
    @WithDefault("true")
    boolean enabled();

    /**
     * Only sets whose member clusters all carry these Kubeyard labels ({@code mirror=on}, comma-separated
     * {@code key=value} pairs) are run; empty: every set. Tests keep the mirror to their own clusters with it.
     */
    Optional<String> clusterSelector();

    /** How often the sets are read, leases renewed, clusters' sightings recorded and every held set passed. */
    @WithDefault("5s")
    Duration tick();

    /** How long a set's lease lasts without renewal (another replica takes the set after it lapses). */
    @WithDefault("30s")
    Duration lease();

    /**
     * An exporting cluster not seen (every watch up) for this long contributes no endpoints to its followers; they
     * come back when it is seen again.
     */
    @WithDefault("5m")
    Duration withdrawAfter();

    /** How long a cluster's changes are gathered before its sets are passed. */
    @WithDefault("100ms")
    Duration debounce();

    /** How often the orphan sweep (clustered Quartz) asks for every set to be relisted and passed. */
    @WithDefault("5m")
    Duration sweepInterval();
}
