package dev.kubeyard.inventory.cluster;

import java.util.Objects;

/** A Kubernetes node taint of a node pool; {@code effect} is NoSchedule, PreferNoSchedule or NoExecute. */
public record Taint(String key, String value, String effect) {

    public Taint {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(effect, "effect");
    }
}
