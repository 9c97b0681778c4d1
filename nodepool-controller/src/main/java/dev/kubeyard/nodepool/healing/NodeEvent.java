package dev.kubeyard.nodepool.healing;

import java.time.Instant;
import java.util.Objects;

/** A recent Kubernetes event about a node (or its machine), kept as evidence before the node is replaced. */
public record NodeEvent(Instant at, String type, String reason, String message) {

    public NodeEvent {
        Objects.requireNonNull(at, "at");
        type = type == null ? "" : type;
        reason = reason == null ? "" : reason;
        message = message == null ? "" : message;
    }
}
