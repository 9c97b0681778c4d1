package dev.kubeyard.nodepool.healing;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One node pool of a cluster at the start of an evaluation.
 *
 * @param desiredQuantity how many nodes the pool should have
 * @param paused the pool's pause switch: healing holds back, visibly
 * @param nodes the pool's machines in Rancher, each with its node, deleting ones included
 */
public record ObservedPool(
        String name, Set<NodeRole> roles, int desiredQuantity, boolean paused, List<ObservedNode> nodes) {

    public ObservedPool {
        Objects.requireNonNull(name, "name");
        roles = Set.copyOf(roles);
        if (desiredQuantity < 0) {
            throw new IllegalArgumentException("desiredQuantity must not be negative: " + desiredQuantity);
        }
        nodes = List.copyOf(nodes);
    }

    public boolean hasRole(NodeRole role) {
        return roles.contains(role);
    }

    /** The role whose policy governs the pool ({@link NodeRole#governing}). */
    public NodeRole governingRole() {
        return NodeRole.governing(roles);
    }
}
