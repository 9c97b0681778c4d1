package dev.kubeyard.rancher.sim.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.SimTiming;
import dev.kubeyard.rancher.sim.store.ClusterObject;
import dev.kubeyard.rancher.sim.store.DayTwoOp;
import dev.kubeyard.rancher.sim.store.EtcdSnapshotObject;
import dev.kubeyard.rancher.sim.store.MachineConfigObject;
import dev.kubeyard.rancher.sim.store.MachineObject;
import dev.kubeyard.rancher.sim.store.MachineObject.CreateError;
import dev.kubeyard.rancher.sim.store.MachineObject.Fault;
import dev.kubeyard.rancher.sim.store.MachineObject.Phase;
import dev.kubeyard.rancher.sim.store.Meta;
import dev.kubeyard.rancher.sim.store.PoolSpec;
import dev.kubeyard.rancher.sim.store.RegistrationTokenObject;
import dev.kubeyard.rancher.sim.store.SimStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The provisioning state machines: what Rancher's controllers, CAPI and the node driver would do with a
 * provisioning cluster, its pools and its machines, advanced step by step on a timer.
 *
 * <p>Level-triggered: each pass over a cluster compares its spec with the machines and status it has and takes
 * the next step whose delay has passed. Only clusters with something in flight are visited, so a thousand idle
 * clusters cost nothing per tick. Every method must be called with the {@link SimStore} lock held.
 */
public final class Lifecycle {

    /** Told about changes that the downstream Kubernetes APIs must mirror. Called with the lock held. */
    public interface Listener {
        void nodesChanged(ClusterObject cluster);

        void clusterRemoved(ClusterObject cluster);
    }

    public static final String DELETE_MACHINE_ANNOTATION = "cluster.x-k8s.io/delete-machine";

    private final SimStore store;
    private final Supplier<SimTiming> timing;
    private final Listener listener;
    private final Set<ClusterObject> inFlight = new LinkedHashSet<>();
    private int nextAddress = 10;

    public Lifecycle(SimStore store, Supplier<SimTiming> timing, Listener listener) {
        this.store = store;
        this.timing = timing;
        this.listener = listener;
    }

    // ---- writes coming from the API ------------------------------------------------------------------------

    /**
     * Creates a provisioning cluster with its management cluster, control plane and registration token. With
     * {@code ready} set (demo clusters at start-up) the machines exist and run at once and every delay is
     * skipped; otherwise the first lifecycle pass creates the machines.
     */
    public ClusterObject createCluster(Meta meta, ObjectNode spec, boolean ready) {
        Instant now = store.now();
        String managementId;
        do {
            managementId = store.ids().managementId();
        } while (store.clustersByManagementId.containsKey(managementId));
        ClusterObject c = new ClusterObject(
                meta, spec, managementId, store.ids().uid(), store.ids().uid());
        c.pools = Pools.parse(spec);
        baselineOperations(c);
        store.clusters.put(meta.id(), c);
        store.clustersByManagementId.put(managementId, c);
        Instant commandsAt = ready ? now : now.plusMillis(timing.get().registrationCommandMillis());
        RegistrationTokenObject token = new RegistrationTokenObject(
                managementId, "default-token", store.ids().uid(), store.ids().tokenSecret(), now, commandsAt);
        store.registrationTokens.put(token.id(), token);
        if (ready) {
            provisionAtOnce(c, now);
        } else {
            inFlight.add(c);
        }
        return c;
    }

    /** The spec changed through PUT or PATCH: re-read the pools and act on the next pass. */
    public void specChanged(ClusterObject c) {
        c.pools = Pools.parse(c.spec);
        wake(c);
    }

    /** DELETE of a provisioning cluster: {@code removing} now, gone after {@code clusterDeleteMillis}. */
    public void deleteCluster(ClusterObject c) {
        if (c.deleting()) {
            return;
        }
        Instant now = store.now();
        c.meta.deletionTimestamp = now;
        c.meta.resourceVersion = store.nextRevision();
        for (MachineObject m : c.machines) {
            startDelete(m, now);
        }
        listener.nodesChanged(c);
        inFlight.add(c);
    }

    /** DELETE of a machine: Deleting now, gone after {@code machineDeleteMillis}; its pool then replaces it. */
    public void deleteMachine(MachineObject m) {
        if (!m.deleting()) {
            startDelete(m, store.now());
        }
        wake(m.cluster);
    }

    public void wake(ClusterObject c) {
        if (stored(c)) {
            inFlight.add(c);
        }
    }

    /** Removes a cluster and everything it owns at once (used by reset). */
    public void purge(ClusterObject c) {
        for (MachineObject m : c.machines) {
            store.machines.remove(m.meta.id());
        }
        c.machines.clear();
        store.clusters.remove(c.meta.id());
        store.clustersByManagementId.remove(c.managementId);
        store.registrationTokens
                .entrySet()
                .removeIf(e -> e.getValue().clusterId().equals(c.managementId));
        store.snapshots
                .entrySet()
                .removeIf(e -> e.getValue().clusterName().equals(c.name())
                        && e.getValue().meta().namespace.equals(c.meta.namespace));
        for (var configs : store.machineConfigs.values()) {
            configs.entrySet().removeIf(e -> e.getValue().ownerCluster == c);
        }
        inFlight.remove(c);
        listener.clusterRemoved(c);
    }

    public void forgetAll() {
        inFlight.clear();
    }

    public int inFlightCount() {
        return inFlight.size();
    }

    // ---- the timer -----------------------------------------------------------------------------------------

    /** One pass over every cluster with work in flight. */
    public void tick() {
        Instant now = store.now();
        for (ClusterObject c : List.copyOf(inFlight)) {
            if (!reconcile(c, now)) {
                inFlight.remove(c);
            }
        }
    }

    /** Advances one cluster; returns whether it still has work in flight. */
    boolean reconcile(ClusterObject c, Instant now) {
        if (!stored(c)) {
            return false;
        }
        SimTiming t = timing.get();
        if (c.deleting()) {
            return reconcileDeletion(c, now, t);
        }
        if (c.stalled) {
            return false;
        }
        Changes changes = new Changes();
        if (c.observedGeneration != c.meta.generation) {
            c.observedGeneration = c.meta.generation;
            changes.cluster = true;
        }
        scalePools(c, now, changes);
        advanceMachines(c, now, t, changes);
        checkHealth(c, now, changes);
        advanceUpgrade(c, now, t, changes);
        advanceOperations(c, now, t, changes);
        advanceAgent(c, now, t, changes);
        changes.cluster |= ClusterStatus.update(c, now);
        if (changes.cluster) {
            c.meta.resourceVersion = store.nextRevision();
        }
        if (changes.nodes) {
            listener.nodesChanged(c);
        }
        return busy(c);
    }

    private boolean reconcileDeletion(ClusterObject c, Instant now, SimTiming t) {
        boolean nodes = false;
        for (MachineObject m : c.machines) {
            if (!m.deleting()) {
                startDelete(m, now);
                nodes = true;
            }
        }
        nodes |= removeDeletedMachines(c, now, t);
        if (nodes) {
            listener.nodesChanged(c);
        }
        if (c.machines.isEmpty() && elapsed(c.meta.deletionTimestamp, now) >= t.clusterDeleteMillis()) {
            purge(c);
            return false;
        }
        if (ClusterStatus.update(c, now)) {
            c.meta.resourceVersion = store.nextRevision();
        }
        return true;
    }

    // ---- pools and machines --------------------------------------------------------------------------------

    private void scalePools(ClusterObject c, Instant now, Changes changes) {
        for (MachineObject m : c.machines) {
            if (!m.deleting() && pool(c, m.pool) == null) {
                startDelete(m, now);
                changes.nodes = true;
            }
        }
        for (PoolSpec pool : c.pools) {
            if (pool.paused()) {
                continue;
            }
            List<MachineObject> live = new ArrayList<>();
            for (MachineObject m : c.machines) {
                if (m.pool.equals(pool.name()) && !m.deleting()) {
                    live.add(m);
                }
            }
            for (int i = live.size(); i < pool.quantity(); i++) {
                createMachine(c, pool, now);
                changes.cluster = true;
            }
            if (live.size() > pool.quantity()) {
                live.sort(SCALE_DOWN_ORDER);
                for (MachineObject victim : live.subList(0, live.size() - pool.quantity())) {
                    startDelete(victim, now);
                    changes.nodes = true;
                }
            }
        }
    }

    /**
     * Which machines a MachineSet deletes first when scaled down: those annotated
     * {@code cluster.x-k8s.io/delete-machine}, then unhealthy ones, then the newest.
     */
    static final Comparator<MachineObject> SCALE_DOWN_ORDER = Comparator.<MachineObject, Boolean>comparing(
                    m -> !m.meta.annotations.containsKey(DELETE_MACHINE_ANNOTATION))
            .thenComparing(m -> m.fault == Fault.NONE)
            .thenComparing(m -> m.meta.creationTimestamp, Comparator.reverseOrder())
            .thenComparing(m -> m.meta.name, Comparator.reverseOrder());

    private MachineObject createMachine(ClusterObject c, PoolSpec pool, Instant now) {
        String setName = setName(c, pool);
        String name;
        do {
            name = setName + "-" + store.ids().suffix();
        } while (store.machines.containsKey(c.meta.namespace + "/" + name));
        Meta meta = store.newMeta(c.meta.namespace, name);
        meta.labels.put("cattle.io/os", "linux");
        meta.labels.put("cluster.x-k8s.io/cluster-name", c.name());
        if (pool.controlPlaneRole()) {
            meta.labels.put("cluster.x-k8s.io/control-plane", "true");
        }
        meta.labels.put("cluster.x-k8s.io/deployment-name", c.name() + "-" + pool.name());
        meta.labels.put("cluster.x-k8s.io/set-name", setName);
        meta.labels.put("rke.cattle.io/cluster-name", c.name());
        if (pool.controlPlaneRole()) {
            meta.labels.put("rke.cattle.io/control-plane-role", "true");
        }
        if (pool.etcdRole()) {
            meta.labels.put("rke.cattle.io/etcd-role", "true");
        }
        meta.labels.put("rke.cattle.io/rke-machine-pool-name", pool.name());
        if (pool.workerRole()) {
            meta.labels.put("rke.cattle.io/worker-role", "true");
        }
        meta.labels.putAll(pool.labels());
        MachineObject m = new MachineObject(meta, c, pool, setName, nextAddress(), c.desiredVersion(), now);
        m.faultOnProvisioning = c.newMachineFaults.getOrDefault(pool.name(), Fault.NONE);
        m.createErrorOnProvisioning =
                m.faultOnProvisioning == Fault.ERROR ? c.newMachineCreateErrors.get(pool.name()) : null;
        c.machines.add(m);
        store.machines.put(meta.id(), m);
        return m;
    }

    private static String setName(ClusterObject c, PoolSpec pool) {
        String seed = c.meta.uid + "/" + pool.name() + "/" + pool.machineConfigName();
        return c.name() + "-" + pool.name() + "-" + String.format(Locale.ROOT, "%08x", seed.hashCode());
    }

    private String nextAddress() {
        int n = nextAddress++;
        return "10." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    }

    private void startDelete(MachineObject m, Instant now) {
        PoolSpec pool = pool(m.cluster, m.pool);
        m.deletingSince = now;
        m.drainOnDelete = pool != null && pool.drainBeforeDelete() && m.hasNode();
        m.phase = Phase.DELETING;
        m.phaseSince = now;
        m.meta.deletionTimestamp = now;
        m.meta.resourceVersion = store.nextRevision();
    }

    private void advanceMachines(ClusterObject c, Instant now, SimTiming t, Changes changes) {
        changes.nodes |= removeDeletedMachines(c, now, t);
        for (MachineObject m : c.machines) {
            if (m.deleting() || m.fault == Fault.ERROR || m.fault == Fault.STUCK) {
                continue;
            }
            boolean changed =
                    switch (m.phase) {
                        case PENDING -> advancePending(c, m, now, t);
                        case PROVISIONING -> advanceTo(m, now, t.machineProvisioningMillis(), Phase.PROVISIONED);
                        case PROVISIONED -> advanceTo(m, now, t.machineBootMillis(), Phase.RUNNING);
                        default -> false;
                    };
            if (changed && m.phase == Phase.PROVISIONING && m.faultOnProvisioning != Fault.NONE) {
                // The pool's new-machine fault strikes now: ERROR as failMachine does it, STUCK hangs here.
                applyFault(m, m.faultOnProvisioning, m.createErrorOnProvisioning, now);
                m.faultOnProvisioning = Fault.NONE;
                m.createErrorOnProvisioning = null;
                changes.nodes = true;
            }
            if (changed) {
                m.meta.resourceVersion = store.nextRevision();
                changes.cluster = true;
                if (m.phase == Phase.RUNNING) {
                    changes.nodes = true;
                }
            }
        }
    }

    private boolean advancePending(ClusterObject c, MachineObject m, Instant now, SimTiming t) {
        PoolSpec pool = pool(c, m.pool);
        String blocked = null;
        if (pool != null && pool.machineConfigName() != null) {
            MachineConfigObject config =
                    store.machineConfig(pool.machineConfigPlural(), c.meta.namespace, pool.machineConfigName());
            if (config == null) {
                blocked = pool.machineConfigKind() + ".rke-machine-config.cattle.io \"" + pool.machineConfigName()
                        + "\" not found";
            } else if (config.ownerCluster == null) {
                config.ownerCluster = c;
                config.meta.resourceVersion = store.nextRevision();
            }
        }
        if (blocked != null) {
            boolean changed = !blocked.equals(m.blockedReason);
            m.blockedReason = blocked;
            m.phaseSince = now;
            return changed;
        }
        if (m.blockedReason != null) {
            m.blockedReason = null;
            m.phaseSince = now;
            return true;
        }
        return advanceTo(m, now, t.machinePendingMillis(), Phase.PROVISIONING);
    }

    private static boolean advanceTo(MachineObject m, Instant now, long afterMillis, Phase next) {
        if (elapsed(m.phaseSince, now) < afterMillis) {
            return false;
        }
        m.phase = next;
        m.phaseSince = now;
        switch (next) {
            case PROVISIONING -> m.bootstrapReadyAt = now;
            case PROVISIONED -> m.infrastructureReadyAt = now;
            case RUNNING -> m.nodeReadyAt = now;
            default -> {}
        }
        return true;
    }

    private boolean removeDeletedMachines(ClusterObject c, Instant now, SimTiming t) {
        boolean removed = false;
        for (var it = c.machines.iterator(); it.hasNext(); ) {
            MachineObject m = it.next();
            if (m.deleting() && elapsed(m.deletingSince, now) >= t.machineDeleteMillis()) {
                it.remove();
                store.machines.remove(m.meta.id());
                removed = true;
            }
        }
        return removed;
    }

    /** Pools with {@code unhealthyNodeTimeout} get a MachineHealthCheck: unhealthy too long means replaced. */
    private void checkHealth(ClusterObject c, Instant now, Changes changes) {
        for (MachineObject m : c.machines) {
            // A STUCK machine never got a node: only a nodeStartupTimeout would catch it, and that is not simulated.
            if (m.deleting() || m.fault == Fault.NONE || m.fault == Fault.STUCK) {
                continue;
            }
            PoolSpec pool = pool(c, m.pool);
            if (pool == null || pool.unhealthyNodeTimeout() == null) {
                continue;
            }
            if (elapsed(m.faultSince, now) >= pool.unhealthyNodeTimeout().toMillis()) {
                m.remediationAt = now;
                startDelete(m, now);
                changes.nodes = true;
                changes.cluster = true;
            }
        }
    }

    // ---- Kubernetes upgrade --------------------------------------------------------------------------------

    private void advanceUpgrade(ClusterObject c, Instant now, SimTiming t, Changes changes) {
        String desired = c.desiredVersion();
        if (desired.isEmpty()) {
            return;
        }
        List<MachineObject> outdated = new ArrayList<>();
        for (MachineObject m : c.machines) {
            if (m.deleting() || desired.equals(m.kubeletVersion)) {
                continue;
            }
            if (m.hasNode()) {
                outdated.add(m);
            } else {
                m.kubeletVersion = desired;
                m.meta.resourceVersion = store.nextRevision();
            }
        }
        if (outdated.isEmpty()) {
            if (c.upgradeStepSince != null || !desired.equals(c.appliedVersion)) {
                c.upgradeStepSince = null;
                if (c.ready || c.appliedVersion != null) {
                    c.appliedVersion = desired;
                    changes.cluster = true;
                }
            }
            return;
        }
        if (c.upgradeStepSince == null) {
            c.upgradeStepSince = now;
            changes.cluster = true;
            return;
        }
        if (elapsed(c.upgradeStepSince, now) < t.upgradeStepMillis()) {
            return;
        }
        for (MachineObject m : upgradeBatch(c, outdated)) {
            m.kubeletVersion = desired;
            m.meta.resourceVersion = store.nextRevision();
        }
        c.upgradeStepSince = now;
        changes.cluster = true;
        changes.nodes = true;
    }

    /** Control-plane and etcd machines one at a time, then workers by {@code upgradeStrategy.workerConcurrency}. */
    static List<MachineObject> upgradeBatch(ClusterObject c, List<MachineObject> outdated) {
        for (MachineObject m : outdated) {
            if (m.etcd || m.controlPlane) {
                return List.of(m);
            }
        }
        int workers = 0;
        for (MachineObject m : c.machines) {
            if (m.worker && !m.deleting()) {
                workers++;
            }
        }
        String concurrency = c.spec.path("rkeConfig")
                .path("upgradeStrategy")
                .path("workerConcurrency")
                .asText("1");
        return outdated.subList(0, Math.min(outdated.size(), concurrency(concurrency, workers)));
    }

    static int concurrency(String value, int total) {
        try {
            if (value.endsWith("%")) {
                double pct = Double.parseDouble(value.substring(0, value.length() - 1));
                return Math.max(1, (int) Math.floor(total * pct / 100));
            }
            return Math.max(1, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    // ---- day-2 operations ----------------------------------------------------------------------------------

    private void baselineOperations(ClusterObject c) {
        JsonNode rke = c.spec.path("rkeConfig");
        baseline(c.certificateRotation, rke.path("rotateCertificates"));
        baseline(c.snapshotCreate, rke.path("etcdSnapshotCreate"));
        baseline(c.snapshotRestore, rke.path("etcdSnapshotRestore"));
        baseline(c.encryptionKeyRotation, rke.path("rotateEncryptionKeys"));
    }

    /** A generation already present at creation is history, not a request. */
    private static void baseline(DayTwoOp op, JsonNode block) {
        long generation = block.path("generation").asLong(0);
        op.generation = generation;
        op.completedGeneration = generation;
    }

    private void advanceOperations(ClusterObject c, Instant now, SimTiming t, Changes changes) {
        JsonNode rke = c.spec.path("rkeConfig");
        boolean canStart = c.ready;
        changes.cluster |= advance(
                c, c.certificateRotation, rke.path("rotateCertificates"), canStart, now, t.certRotationMillis());
        changes.cluster |=
                advance(c, c.snapshotCreate, rke.path("etcdSnapshotCreate"), canStart, now, t.snapshotPhaseMillis());
        changes.cluster |=
                advance(c, c.snapshotRestore, rke.path("etcdSnapshotRestore"), canStart, now, t.restorePhaseMillis());
        changes.cluster |= advance(
                c,
                c.encryptionKeyRotation,
                rke.path("rotateEncryptionKeys"),
                canStart,
                now,
                t.encryptionKeyPhaseMillis());
    }

    private boolean advance(ClusterObject c, DayTwoOp op, JsonNode block, boolean canStart, Instant now, long step) {
        if (!op.running()) {
            long requested = block.path("generation").asLong(0);
            if (requested <= op.generation || !canStart) {
                return false;
            }
            op.start(requested, block.isObject() ? ((ObjectNode) block).deepCopy() : null, now);
            return true;
        }
        if (elapsed(op.phaseSince, now) < step) {
            return false;
        }
        op.phaseIndex++;
        op.phaseSince = now;
        if (!op.running()) {
            op.completedGeneration = op.generation;
            if (op == c.certificateRotation) {
                // renewed certificates: an injected expiry no longer holds
                c.certificatesExpireAt = null;
                for (MachineObject m : c.machines) {
                    if (m.controlPlane) {
                        m.meta.resourceVersion = store.nextRevision();
                    }
                }
            } else if (op == c.snapshotCreate) {
                takeSnapshots(c, now);
            } else if (op == c.snapshotRestore) {
                finishRestore(c, op.request);
            }
        }
        return true;
    }

    private void takeSnapshots(ClusterObject c, Instant now) {
        long epoch = now.getEpochSecond();
        for (MachineObject m : c.machines) {
            if (!m.etcd || m.deleting() || !m.hasNode()) {
                continue;
            }
            String file = "on-demand-" + m.name() + "-" + epoch;
            String name = c.name() + "-" + file + "-local";
            if (store.snapshots.containsKey(c.meta.namespace + "/" + name)) {
                name = name + "-" + store.ids().suffix();
            }
            Meta meta = store.newMeta(c.meta.namespace, name);
            meta.labels.put("etcdsnapshot.rke.io/snapshot-file-name", file);
            meta.labels.put("etcdsnapshot.rke.io/storage", "local");
            meta.labels.put("rke.cattle.io/cluster-name", c.name());
            meta.labels.put("rke.cattle.io/machine-id", m.meta.uid);
            long size = 8_000_000L + store.ids().nextInt(24_000_000);
            store.snapshots.put(
                    meta.id(),
                    new EtcdSnapshotObject(
                            meta,
                            c.name(),
                            m.name(),
                            file,
                            "file:///var/lib/rancher/rke2/server/db/snapshots/" + file,
                            now,
                            size,
                            c.appliedVersion == null ? c.desiredVersion() : c.appliedVersion));
        }
    }

    /** A restore with {@code restoreRKEConfig} kubernetesVersion or all puts back the snapshot's version. */
    private void finishRestore(ClusterObject c, ObjectNode request) {
        if (request == null) {
            return;
        }
        String mode = request.path("restoreRKEConfig").asText("none");
        if (!mode.equals("kubernetesVersion") && !mode.equals("all")) {
            return;
        }
        EtcdSnapshotObject snapshot = store.snapshots.get(
                c.meta.namespace + "/" + request.path("name").asText());
        if (snapshot == null
                || snapshot.kubernetesVersion() == null
                || snapshot.kubernetesVersion().isEmpty()) {
            return;
        }
        String version = snapshot.kubernetesVersion();
        if (!version.equals(c.desiredVersion())) {
            c.spec.put("kubernetesVersion", version);
            c.meta.generation++;
        }
        c.appliedVersion = version;
        for (MachineObject m : c.machines) {
            if (!version.equals(m.kubeletVersion)) {
                m.kubeletVersion = version;
                m.meta.resourceVersion = store.nextRevision();
            }
        }
        listener.nodesChanged(c);
    }

    // ---- agent ---------------------------------------------------------------------------------------------

    private void advanceAgent(ClusterObject c, Instant now, SimTiming t, Changes changes) {
        boolean allRunning = allMachinesRunning(c);
        if (c.machinesRunningAt == null) {
            if (allRunning) {
                c.machinesRunningAt = now;
                changes.cluster = true;
            }
            return;
        }
        if (!c.ready && !c.agentDisconnected && elapsed(c.machinesRunningAt, now) >= t.agentConnectMillis()) {
            c.connectedAt = now;
            c.ready = true;
            if (c.appliedVersion == null) {
                c.appliedVersion = c.desiredVersion();
            }
            changes.cluster = true;
        }
    }

    /** Every pool has its quantity of healthy Running machines, and the roles for a cluster exist. */
    static boolean allMachinesRunning(ClusterObject c) {
        if (!hasRequiredRoles(c)) {
            return false;
        }
        for (PoolSpec pool : c.pools) {
            int running = 0;
            for (MachineObject m : c.machines) {
                if (m.pool.equals(pool.name()) && !m.deleting() && m.runningHealthy()) {
                    running++;
                }
            }
            if (running < pool.quantity()) {
                return false;
            }
        }
        return true;
    }

    static boolean hasRequiredRoles(ClusterObject c) {
        boolean etcd = false;
        boolean controlPlane = false;
        boolean worker = false;
        for (PoolSpec pool : c.pools) {
            if (pool.quantity() > 0) {
                etcd |= pool.etcdRole();
                controlPlane |= pool.controlPlaneRole();
                worker |= pool.workerRole();
            }
        }
        return etcd && controlPlane && worker;
    }

    // ---- start-up: a cluster that is already Ready ---------------------------------------------------------

    private void provisionAtOnce(ClusterObject c, Instant now) {
        for (PoolSpec pool : c.pools) {
            for (int i = 0; i < pool.quantity(); i++) {
                MachineObject m = createMachine(c, pool, now);
                m.phase = Phase.RUNNING;
                m.bootstrapReadyAt = now;
                m.infrastructureReadyAt = now;
                m.nodeReadyAt = now;
                m.phaseSince = now;
                adoptConfig(c, pool);
            }
        }
        c.observedGeneration = c.meta.generation;
        c.appliedVersion = c.desiredVersion();
        c.machinesRunningAt = now;
        c.connectedAt = now;
        c.ready = true;
        ClusterStatus.update(c, now);
        c.meta.resourceVersion = store.nextRevision();
        listener.nodesChanged(c);
    }

    private void adoptConfig(ClusterObject c, PoolSpec pool) {
        if (pool.machineConfigName() == null) {
            return;
        }
        MachineConfigObject config =
                store.machineConfig(pool.machineConfigPlural(), c.meta.namespace, pool.machineConfigName());
        if (config != null && config.ownerCluster == null) {
            config.ownerCluster = c;
        }
    }

    // ---- faults --------------------------------------------------------------------------------------------

    /** Injects a machine fault; {@code ERROR} fails the server, {@code NOT_READY} stops the node reporting. */
    public void failMachine(MachineObject m, Fault fault) {
        Instant now = store.now();
        applyFault(m, fault, null, now);
        touch(m.cluster, now);
        listener.nodesChanged(m.cluster);
        wake(m.cluster);
    }

    /**
     * The machine's side of a fault: what {@link #failMachine} and a pool's new-machine fault both do. A create error
     * (with {@code ERROR} only) says why the server could not be created.
     */
    private void applyFault(MachineObject m, Fault fault, CreateError createError, Instant now) {
        if (m.fault != fault) {
            m.fault = fault;
            m.faultSince = now;
        }
        m.createError = fault == Fault.ERROR ? createError : null;
        m.createErrorMessage = m.createError == null ? null : driverMessage(m, m.createError);
        if (fault == Fault.ERROR && !m.deleting()) {
            m.phase = Phase.FAILED;
            m.phaseSince = now;
        }
        m.recoveredAt = null;
        m.meta.resourceVersion = store.nextRevision();
    }

    /**
     * Clears a machine's fault: a Failed machine runs again (or provisions again if it never had a node), a
     * STUCK one goes on provisioning from where it hung, and one not yet at Provisioning no longer carries its
     * pool's new-machine fault.
     */
    public void recoverMachine(MachineObject m) {
        m.faultOnProvisioning = Fault.NONE;
        m.createErrorOnProvisioning = null;
        if (m.fault == Fault.NONE) {
            return;
        }
        Instant now = store.now();
        m.fault = Fault.NONE;
        m.faultSince = null;
        m.createError = null;
        m.createErrorMessage = null;
        // Node conditions date from the recovery only for a node that exists; a new node dates from registering.
        m.recoveredAt = m.hasNode() ? now : null;
        if (m.phase == Phase.FAILED) {
            m.phase = m.hasNode() ? Phase.RUNNING : Phase.PROVISIONING;
            m.phaseSince = now;
        }
        m.meta.resourceVersion = store.nextRevision();
        touch(m.cluster, now);
        listener.nodesChanged(m.cluster);
        wake(m.cluster);
    }

    /**
     * What the OpenStack node driver (docker-machine-driver-openstack, run by the provisioning job) reports when it
     * cannot create the server; Rancher shows it in the machine's InfrastructureReady message and failureMessage.
     */
    String driverMessage(MachineObject m, CreateError error) {
        String prefix = "Error creating machine: Error in driver during machine creation: ";
        return switch (error) {
            case QUOTA -> prefix + "Quota exceeded for instances: Requested 1, but already used 20 of 20 instances";
            case IMAGE -> prefix + "Unable to find image: " + imageName(m);
            case INFRASTRUCTURE -> prefix + "No valid host was found. There are not enough hosts available.";
        };
    }

    /** The image of the machine's pool: its machine config's {@code imageName} (or {@code imageId}). */
    private String imageName(MachineObject m) {
        PoolSpec pool = pool(m.cluster, m.pool);
        MachineConfigObject config = pool == null || pool.machineConfigName() == null
                ? null
                : store.machineConfig(pool.machineConfigPlural(), m.cluster.meta.namespace, pool.machineConfigName());
        if (config == null) {
            return "";
        }
        String image = config.fields.path("imageName").asText("");
        return image.isEmpty() ? config.fields.path("imageId").asText("") : image;
    }

    /** Rewrites the derived status now, so that a fault shows in the next read. */
    public void touch(ClusterObject c, Instant now) {
        if (ClusterStatus.update(c, now)) {
            c.meta.resourceVersion = store.nextRevision();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private boolean busy(ClusterObject c) {
        if (!c.ready) {
            return true;
        }
        for (MachineObject m : c.machines) {
            if (m.deleting()) {
                return true;
            }
            if (m.fault == Fault.NONE && m.phase != Phase.RUNNING) {
                return true;
            }
            if (m.fault != Fault.NONE && m.fault != Fault.STUCK) {
                PoolSpec pool = pool(c, m.pool);
                if (pool != null && pool.unhealthyNodeTimeout() != null) {
                    return true;
                }
            }
        }
        for (PoolSpec pool : c.pools) {
            long live = c.machines.stream()
                    .filter(m -> m.pool.equals(pool.name()) && !m.deleting())
                    .count();
            if (live != pool.quantity() && !pool.paused()) {
                return true;
            }
        }
        JsonNode rke = c.spec.path("rkeConfig");
        return c.upgradeStepSince != null
                || !c.desiredVersion().equals(c.appliedVersion)
                || pending(c.certificateRotation, rke.path("rotateCertificates"))
                || pending(c.snapshotCreate, rke.path("etcdSnapshotCreate"))
                || pending(c.snapshotRestore, rke.path("etcdSnapshotRestore"))
                || pending(c.encryptionKeyRotation, rke.path("rotateEncryptionKeys"))
                || c.observedGeneration != c.meta.generation;
    }

    private static boolean pending(DayTwoOp op, JsonNode block) {
        return op.running() || block.path("generation").asLong(0) > op.generation;
    }

    private boolean stored(ClusterObject c) {
        return store.clusters.get(c.meta.id()) == c;
    }

    static PoolSpec pool(ClusterObject c, String name) {
        for (PoolSpec p : c.pools) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    static long elapsed(Instant since, Instant now) {
        return since == null ? Long.MAX_VALUE : Duration.between(since, now).toMillis();
    }

    /** What one pass changed. */
    private static final class Changes {
        boolean cluster;
        boolean nodes;
    }
}
