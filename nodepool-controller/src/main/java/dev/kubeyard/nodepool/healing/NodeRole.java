package dev.kubeyard.nodepool.healing;

import java.util.Set;

/** The roles a node pool's nodes carry in the cluster. */
public enum NodeRole {
    ETCD,
    CONTROL_PLANE,
    WORKER;

    /**
     * The role whose policy governs a pool that carries several: etcd before control plane before worker, so that a
     * pool of etcd and control-plane nodes is healed with etcd's care.
     */
    public static NodeRole governing(Set<NodeRole> roles) {
        if (roles.contains(ETCD)) {
            return ETCD;
        }
        if (roles.contains(CONTROL_PLANE)) {
            return CONTROL_PLANE;
        }
        return WORKER;
    }

    /** The name users and Rancher know it by. */
    public String wireName() {
        return switch (this) {
            case ETCD -> "etcd";
            case CONTROL_PLANE -> "controlplane";
            case WORKER -> "worker";
        };
    }
}
