package dev.kubeyard.rancher.sim.store;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A CAPI Machine as the simulator keeps it: typed fields only; its JSON (labels aside) is rendered on read.
 * Mutable; guarded by the {@link SimStore} lock.
 */
public final class MachineObject {

    /** CAPI Machine phases ({@code status.phase}). */
    public enum Phase {
        PENDING("Pending"),
        PROVISIONING("Provisioning"),
        PROVISIONED("Provisioned"),
        RUNNING("Running"),
        DELETING("Deleting"),
        FAILED("Failed");

        private final String wire;

        Phase(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** An injected machine fault. */
    public enum Fault {
        NONE,
        /** The server failed: phase Failed, InfrastructureReady False. */
        ERROR,
        /** The node stopped reporting: node Ready Unknown, machine NodeHealthy/NodeReady False, still Running. */
        NOT_READY,
        /**
         * Provisioning hangs: the server is never created and no node registers; the phase stays Provisioning
         * with InfrastructureReady False. Only a pool's new-machine fault sets it, as the machine reaches
         * Provisioning.
         */
        STUCK
    }

    /**
     * Why a machine in fault {@code ERROR} could not be created, as the node driver reports it; a machine in fault
     * ERROR without one has a server that went into ERROR state.
     */
    public enum CreateError {
        /** The user's mistake: the project's instance quota is used up. */
        QUOTA,
        /** The user's mistake: the pool's image does not exist. */
        IMAGE,
        /** The cloud failing: no host can take the server. */
        INFRASTRUCTURE
    }

    /** A node condition injected on the machine's node; {@code since} is when its status last changed. */
    public record NodeCondition(String type, String status, String reason, String message, Instant since) {}

    public final Meta meta;
    public final ClusterObject cluster;
    public final String pool;
    public final boolean etcd;
    public final boolean controlPlane;
    public final boolean worker;
    /** {@code <cluster>-<pool>-<8hex>}: the MachineSet name, also the name prefix. */
    public final String setName;

    public final String infrastructureKind;
    public final String internalIp;

    public Phase phase = Phase.PENDING;
    public Instant phaseSince;
    public Instant bootstrapReadyAt;
    public Instant infrastructureReadyAt;
    public Instant nodeReadyAt;
    /** Why the infrastructure cannot be created (a missing machine config), or null. */
    public String blockedReason;

    public String kubeletVersion;
    public Fault fault = Fault.NONE;
    public Instant faultSince;
    /**
     * The fault that strikes when the machine reaches Provisioning ({@code ERROR} or {@code STUCK}): its pool's
     * new-machine fault at the time the machine was created. NONE once it struck, or when there was none.
     */
    public Fault faultOnProvisioning = Fault.NONE;
    /** The class of {@link #faultOnProvisioning} {@code ERROR}, or null. */
    public CreateError createErrorOnProvisioning;
    /** With fault {@code ERROR}: why the machine could not be created, or null (the server failed). */
    public CreateError createError;
    /** The node driver's message for {@link #createError}. */
    public String createErrorMessage;

    /** Conditions injected on the node, by type (sorted). */
    public final Map<String, NodeCondition> nodeConditions = new TreeMap<>();
    /** Node usage metrics-server reports; negative: the default. */
    public long usageCpuMillis = -1;

    public long usageMemoryBytes = -1;
    /** Since when rancher-system-agent on the node has not checked in, or null while it is connected. */
    public Instant agentDisconnectedSince;
    /** When the agent last reconnected, or null. */
    public Instant agentReconnectedAt;

    public Instant recoveredAt;

    public Instant deletingSince;
    public boolean drainOnDelete;
    /** Set when a pool health check found the machine unhealthy for longer than its timeout. */
    public Instant remediationAt;

    public MachineObject(
            Meta meta,
            ClusterObject cluster,
            PoolSpec pool,
            String setName,
            String internalIp,
            String kubeletVersion,
            Instant now) {
        this.meta = meta;
        this.cluster = cluster;
        this.pool = pool.name();
        this.etcd = pool.etcdRole();
        this.controlPlane = pool.controlPlaneRole();
        this.worker = pool.workerRole();
        this.setName = setName;
        this.infrastructureKind = pool.infrastructureKind();
        this.internalIp = internalIp;
        this.kubeletVersion = kubeletVersion;
        this.phaseSince = now;
    }

    public String name() {
        return meta.name;
    }

    public boolean deleting() {
        return deletingSince != null;
    }

    public boolean hasNode() {
        return nodeReadyAt != null;
    }

    /** Healthy and Running: what "all machines Running" counts. */
    public boolean runningHealthy() {
        return phase == Phase.RUNNING && fault == Fault.NONE;
    }

    public boolean nodeReady() {
        return hasNode() && fault == Fault.NONE && !deleting();
    }
}
