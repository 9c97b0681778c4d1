package dev.kubeyard.nodepool.healing;

import java.util.Objects;

/** A node with what {@link NodeClassifier} made of it. */
public record ClassifiedNode(ObservedNode node, NodeHealth health) {

    public ClassifiedNode {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(health, "health");
    }

    public String machine() {
        return node.machine();
    }
}
