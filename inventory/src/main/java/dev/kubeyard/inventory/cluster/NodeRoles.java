package dev.kubeyard.inventory.cluster;

/** The roles of a node pool's machines; at least one is set (the database checks it too). */
public record NodeRoles(boolean etcd, boolean controlPlane, boolean worker) {

    public static final NodeRoles WORKER = new NodeRoles(false, false, true);
    public static final NodeRoles ALL = new NodeRoles(true, true, true);

    public NodeRoles {
        if (!etcd && !controlPlane && !worker) {
            throw new IllegalArgumentException("A node pool needs at least one role of etcd, control plane, worker");
        }
    }
}
