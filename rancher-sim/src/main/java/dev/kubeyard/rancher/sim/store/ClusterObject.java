package dev.kubeyard.rancher.sim.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A provisioning cluster together with what Rancher derives from it: the management cluster, the
 * RKEControlPlane and their status. The user's spec is kept as given; everything the simulator owns is typed.
 * Mutable; guarded by the {@link SimStore} lock.
 */
public final class ClusterObject {

    public final Meta meta;
    public ObjectNode spec;

    public final String managementId;
    public final String managementUid;
    public final String controlPlaneUid;

    public long observedGeneration;
    public boolean ready;
    /** Provisioning cluster conditions. */
    public final Conds conditions = new Conds();
    /** Management cluster ({@code management.cattle.io}) conditions. */
    public final Conds managementConditions = new Conds();
    /** RKEControlPlane conditions. */
    public final Conds controlPlaneConditions = new Conds();

    public List<PoolSpec> pools = List.of();
    public final List<MachineObject> machines = new ArrayList<>();

    /** The Kubernetes version every machine runs once no upgrade is in flight. */
    public String appliedVersion;
    /** When all machines first ran; the agent connects after {@code agentConnectMillis}. */
    public Instant machinesRunningAt;

    public Instant connectedAt;
    public Instant upgradeStepSince;

    public final DayTwoOp certificateRotation = new DayTwoOp(DayTwoOp.ROTATE_CERTIFICATES);
    public final DayTwoOp snapshotCreate = new DayTwoOp(DayTwoOp.SNAPSHOT_CREATE);
    public final DayTwoOp snapshotRestore = new DayTwoOp(DayTwoOp.SNAPSHOT_RESTORE);
    public final DayTwoOp encryptionKeyRotation = new DayTwoOp(DayTwoOp.ROTATE_ENCRYPTION_KEYS);

    public boolean stalled;
    public boolean agentDisconnected;
    public boolean apiUnreachable;
    /** Steve DELETEs of this cluster's machines are denied as by an admission webhook. */
    public boolean machineDeletionRefused;
    /**
     * New-machine faults by pool name ({@code ERROR} or {@code STUCK}): machines the pool creates from now on
     * carry it as {@link MachineObject#faultOnProvisioning}.
     */
    public final Map<String, MachineObject.Fault> newMachineFaults = new TreeMap<>();
    /**
     * The class of a pool's new-machine fault {@code ERROR} by pool name; a pool with fault ERROR and no entry fails
     * its new machines with a server in ERROR state.
     */
    public final Map<String, MachineObject.CreateError> newMachineCreateErrors = new TreeMap<>();
    /** The control-plane certificates' injected expiry, or null: a year after issue (registration, rotation). */
    public Instant certificatesExpireAt;

    public ClusterObject(
            Meta meta, ObjectNode spec, String managementId, String managementUid, String controlPlaneUid) {
        this.meta = meta;
        this.spec = spec;
        this.managementId = managementId;
        this.managementUid = managementUid;
        this.controlPlaneUid = controlPlaneUid;
    }

    public String name() {
        return meta.name;
    }

    public boolean deleting() {
        return meta.deletionTimestamp != null;
    }

    /** The display name: the provisioning cluster's name. */
    public String displayName() {
        return meta.name;
    }

    public String desiredVersion() {
        return spec.path("kubernetesVersion").asText("");
    }

    /** A control-plane machine runs: the cluster's API answers (unless a fault says otherwise). */
    public boolean apiUp() {
        for (MachineObject m : machines) {
            if (m.controlPlane && m.phase == MachineObject.Phase.RUNNING) {
                return true;
            }
        }
        return false;
    }
}
