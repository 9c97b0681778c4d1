package dev.kubeyard.rancher.sim.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An {@code rke-machine-config.cattle.io} object (OpenstackConfig and friends). Its fields are top-level keys,
 * kept as given. Mutable; guarded by the {@link SimStore} lock.
 *
 * @see #ownerCluster the cluster that adopted it through a pool's machineConfigRef, or null
 */
public final class MachineConfigObject {

    public final Meta meta;
    /** Collection name, for example {@code openstackconfigs}. */
    public final String plural;

    public final String kind;
    public ObjectNode fields;
    public ClusterObject ownerCluster;

    public MachineConfigObject(Meta meta, String plural, String kind, ObjectNode fields) {
        this.meta = meta;
        this.plural = plural;
        this.kind = kind;
        this.fields = fields;
    }
}
