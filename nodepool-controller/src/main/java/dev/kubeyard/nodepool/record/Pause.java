package dev.kubeyard.nodepool.record;

import java.time.Instant;
import java.util.Optional;

/**
 * A pause switch of healing: of a whole cluster (pool empty) or of one pool.
 *
 * @param by who paused it (a user name, or {@code system})
 */
public record Pause(String cluster, Optional<String> pool, String reason, String by, Instant at) {}
