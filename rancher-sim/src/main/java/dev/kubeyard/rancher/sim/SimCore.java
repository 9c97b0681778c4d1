package dev.kubeyard.rancher.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.api.Json;
import dev.kubeyard.rancher.sim.api.Releases;
import dev.kubeyard.rancher.sim.api.Renderer;
import dev.kubeyard.rancher.sim.api.Transactor;
import dev.kubeyard.rancher.sim.downstream.ApiHealth;
import dev.kubeyard.rancher.sim.downstream.DownstreamApis;
import dev.kubeyard.rancher.sim.downstream.HealthChecks;
import dev.kubeyard.rancher.sim.downstream.NodeConditions;
import dev.kubeyard.rancher.sim.downstream.SimNode;
import dev.kubeyard.rancher.sim.downstream.SimTaint;
import dev.kubeyard.rancher.sim.faults.FaultState;
import dev.kubeyard.rancher.sim.faults.SimFaults;
import dev.kubeyard.rancher.sim.faults.WorkloadFault;
import dev.kubeyard.rancher.sim.lifecycle.Lifecycle;
import dev.kubeyard.rancher.sim.store.ApiToken;
import dev.kubeyard.rancher.sim.store.ClusterObject;
import dev.kubeyard.rancher.sim.store.Ids;
import dev.kubeyard.rancher.sim.store.MachineConfigObject;
import dev.kubeyard.rancher.sim.store.MachineObject;
import dev.kubeyard.rancher.sim.store.MachineObject.CreateError;
import dev.kubeyard.rancher.sim.store.MachineObject.Fault;
import dev.kubeyard.rancher.sim.store.Meta;
import dev.kubeyard.rancher.sim.store.PoolSpec;
import dev.kubeyard.rancher.sim.store.RoleBindingObject;
import dev.kubeyard.rancher.sim.store.SimStore;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The simulator's state and its single point of serialisation: the store, the lifecycle, the faults, and the
 * hand-over of node changes to the downstream APIs. Every entry point (HTTP handler, timer, Java facade) goes
 * through {@link #locked}, which runs the action under the store lock and afterwards, outside the lock,
 * delivers the downstream calls the action caused.
 */
final class SimCore implements Transactor, Lifecycle.Listener, SimFaults {

    private static final Logger LOG = Logger.getLogger(SimCore.class.getName());

    private final SimOptions options;
    private final Vertx vertx;
    private final DownstreamApis downstream;
    private final SimStore store;
    private final Lifecycle lifecycle;
    private final FaultState faultState = new FaultState();
    private volatile SimTiming timing;
    private long timerId = -1;
    private final AtomicBoolean ticking = new AtomicBoolean();

    /** Guarded by the store lock. */
    private final Set<ClusterObject> nodesDirty = new LinkedHashSet<>();

    private final Map<String, String> externalApis = new LinkedHashMap<>();
    /** Workload faults by cluster name, as handed to the downstream APIs; guarded by the store lock. */
    private final Map<String, List<WorkloadFault>> workloadFaults = new TreeMap<>();
    /** Injected API server health by cluster name (default ones left out); guarded by the store lock. */
    private final Map<String, ApiHealth> apiHealth = new TreeMap<>();

    private static final Pattern REASON = Pattern.compile("[A-Z][A-Za-z0-9]*");

    private final ConcurrentLinkedQueue<Runnable> effects = new ConcurrentLinkedQueue<>();
    private final Object deliveryLock = new Object();

    SimCore(SimOptions options, Vertx vertx, DownstreamApis downstream, Clock clock) {
        this.options = options;
        this.vertx = vertx;
        this.downstream = downstream;
        this.timing = options.timing();
        this.store = new SimStore(clock, new Ids(options.seed()));
        this.lifecycle = new Lifecycle(store, () -> timing, this);
    }

    SimStore store() {
        return store;
    }

    Lifecycle lifecycle() {
        return lifecycle;
    }

    FaultState faultState() {
        return faultState;
    }

    SimOptions options() {
        return options;
    }

    // ---- serialisation and downstream effects --------------------------------------------------------------

    @Override
    public <T> T locked(Supplier<T> action) {
        try {
            return store.locked(() -> {
                try {
                    return action.get();
                } finally {
                    collectEffects();
                }
            });
        } finally {
            deliverEffects();
        }
    }

    void locked(Runnable action) {
        locked(() -> {
            action.run();
            return null;
        });
    }

    @Override
    public void nodesChanged(ClusterObject cluster) {
        nodesDirty.add(cluster);
    }

    @Override
    public void clusterRemoved(ClusterObject cluster) {
        nodesDirty.remove(cluster);
        String id = cluster.managementId;
        externalApis.remove(cluster.name());
        workloadFaults.remove(cluster.name());
        apiHealth.remove(cluster.name());
        store.clusterNamespaceRemoved(id);
        effects.add(() -> downstream.forget(id));
    }

    private void collectEffects() {
        for (ClusterObject c : nodesDirty) {
            if (store.clustersByManagementId.get(c.managementId) == c) {
                String id = c.managementId;
                List<SimNode> nodes = nodes(c);
                effects.add(() -> downstream.syncNodes(id, nodes));
            }
        }
        nodesDirty.clear();
    }

    private void deliverEffects() {
        synchronized (deliveryLock) {
            Runnable effect;
            while ((effect = effects.poll()) != null) {
                try {
                    effect.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Downstream API update failed", e);
                }
            }
        }
    }

    /** The Kubernetes nodes of a cluster: one per machine whose node registered. */
    static List<SimNode> nodes(ClusterObject c) {
        List<SimNode> out = new ArrayList<>();
        for (MachineObject m : c.machines) {
            if (!m.hasNode()) {
                continue;
            }
            PoolSpec pool = null;
            for (PoolSpec p : c.pools) {
                if (p.name().equals(m.pool)) {
                    pool = p;
                }
            }
            Map<String, String> labels = new TreeMap<>();
            labels.put("beta.kubernetes.io/arch", "amd64");
            labels.put("beta.kubernetes.io/instance-type", "rke2");
            labels.put("beta.kubernetes.io/os", "linux");
            labels.put("kubernetes.io/arch", "amd64");
            labels.put("kubernetes.io/hostname", m.name());
            labels.put("kubernetes.io/os", "linux");
            labels.put("node.kubernetes.io/instance-type", "rke2");
            labels.put("rke.cattle.io/machine", m.meta.uid);
            if (m.controlPlane) {
                labels.put("node-role.kubernetes.io/control-plane", "true");
                labels.put("node-role.kubernetes.io/master", "true");
            }
            if (m.etcd) {
                labels.put("node-role.kubernetes.io/etcd", "true");
            }
            if (m.worker) {
                labels.put("node-role.kubernetes.io/worker", "true");
            }
            List<SimTaint> taints = new ArrayList<>();
            if (m.etcd && !m.controlPlane && !m.worker) {
                taints.add(new SimTaint("node-role.kubernetes.io/etcd", "true", "NoExecute"));
            }
            if (m.controlPlane && !m.worker) {
                taints.add(new SimTaint("node-role.kubernetes.io/control-plane", "true", "NoSchedule"));
            }
            if (pool != null) {
                labels.putAll(pool.labels());
                for (PoolSpec.Taint t : pool.taints()) {
                    taints.add(new SimTaint(t.key(), t.value(), t.effect()));
                }
            }
            boolean ready = m.fault == Fault.NONE;
            List<SimNode.Condition> conditions = new ArrayList<>();
            for (MachineObject.NodeCondition nc : m.nodeConditions.values()) {
                conditions.add(new SimNode.Condition(nc.type(), nc.status(), nc.reason(), nc.message()));
                // the node lifecycle controller taints a node under pressure (a silent kubelet's pressure is Unknown)
                boolean kubeletSilent = !ready && !nc.type().equals(NodeConditions.NETWORK_UNAVAILABLE);
                if (nc.status().equals("True") && !kubeletSilent) {
                    taints.add(new SimTaint(NodeConditions.taintKey(nc.type()), null, "NoSchedule"));
                }
            }
            SimNode.Usage usage =
                    m.usageCpuMillis >= 0 ? new SimNode.Usage(m.usageCpuMillis, m.usageMemoryBytes) : null;
            out.add(new SimNode(
                    m.name(),
                    Map.copyOf(labels),
                    List.copyOf(taints),
                    ready,
                    ready ? "KubeletReady" : "NodeStatusUnknown",
                    m.kubeletVersion,
                    m.internalIp,
                    m.nodeReadyAt,
                    conditions,
                    usage));
        }
        return out;
    }

    // ---- timer ---------------------------------------------------------------------------------------------

    /** The lifecycle timer; each pass runs on a worker thread and a pass still running skips the next. */
    synchronized void startTimer() {
        stopTimer();
        timerId = vertx.setPeriodic(timing.tickMillis(), id -> {
            if (ticking.compareAndSet(false, true)) {
                vertx.executeBlocking(
                                () -> {
                                    tick();
                                    return null;
                                },
                                false)
                        .onComplete(done -> ticking.set(false));
            }
        });
    }

    synchronized void stopTimer() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    void tick() {
        try {
            locked(lifecycle::tick);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Lifecycle pass failed", e);
        }
        try {
            // outside the store lock, as every downstream call
            downstream.advanceWorkloads(timing.workloadReadyMillis());
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Workload pass failed", e);
        }
    }

    // ---- demo clusters -------------------------------------------------------------------------------------

    /** Creates {@code demo-001}... Ready at once; call with the lock held. */
    void createDemoClusters() {
        for (int i = 1; i <= options.demoClusters(); i++) {
            String name = String.format("demo-%03d", i);
            if (store.clusters.containsKey(SimStore.FLEET_NAMESPACE + "/" + name)) {
                continue;
            }
            int index = i;
            SimOptions.DemoPools sizes =
                    options.demoPools().orElseGet(() -> new SimOptions.DemoPools(index % 2 == 1 ? 1 : 3, 1, 2));
            ObjectNode spec = Json.object();
            spec.put("cloudCredentialSecretName", "cattle-global-data:cc-openstack");
            spec.put("kubernetesVersion", Releases.DEFAULT_VERSION);
            ObjectNode rke = spec.putObject("rkeConfig");
            ObjectNode etcd = rke.putObject("etcd");
            etcd.put("snapshotRetention", 5);
            etcd.put("snapshotScheduleCron", "0 */5 * * *");
            rke.putObject("machineGlobalConfig").put("cni", "calico");
            ArrayNode pools = rke.putArray("machinePools");
            demoPool(pools, name, "etcd", sizes.etcd(), true, false, false);
            demoPool(pools, name, "control-plane", sizes.controlPlane(), false, true, false);
            demoPool(pools, name, "workers", sizes.workers(), false, false, true);
            ObjectNode strategy = rke.putObject("upgradeStrategy");
            strategy.put("controlPlaneConcurrency", "1");
            strategy.put("workerConcurrency", "1");
            Meta meta = store.newMeta(SimStore.FLEET_NAMESPACE, name);
            meta.annotations.put("field.cattle.io/creatorId", Renderer.USER_ID);
            lifecycle.createCluster(meta, spec, true);
        }
    }

    private void demoPool(
            ArrayNode pools, String cluster, String pool, int quantity, boolean etcd, boolean cp, boolean worker) {
        String configName;
        do {
            configName = "nc-" + cluster + "-" + pool + "-" + store.ids().suffix();
        } while (store.machineConfig("openstackconfigs", SimStore.FLEET_NAMESPACE, configName) != null);
        Meta meta = store.newMeta(SimStore.FLEET_NAMESPACE, configName);
        ObjectNode fields = Json.object();
        fields.put("authUrl", "https://keystone.example.com:5000/v3");
        fields.put("availabilityZone", "nova");
        fields.put("bootFromVolume", false);
        fields.put("domainName", "Default");
        fields.put("flavorName", worker ? "m1.xlarge" : "m1.large");
        fields.put("imageName", "ubuntu-24.04");
        fields.put("insecure", false);
        fields.put("netName", "private");
        fields.put("region", "RegionOne");
        fields.put("secGroups", "default");
        fields.put("sshUser", "ubuntu");
        fields.put("tenantName", "demo");
        MachineConfigObject config = new MachineConfigObject(meta, "openstackconfigs", "OpenstackConfig", fields);
        store.machineConfigs("openstackconfigs").put(meta.id(), config);

        ObjectNode p = pools.addObject();
        p.put("controlPlaneRole", cp);
        p.put("drainBeforeDelete", worker);
        p.put("etcdRole", etcd);
        ObjectNode ref = p.putObject("machineConfigRef");
        ref.put("kind", "OpenstackConfig");
        ref.put("name", configName);
        p.put("name", pool);
        p.put("quantity", quantity);
        p.put("workerRole", worker);
    }

    // ---- faults --------------------------------------------------------------------------------------------

    private MachineObject machine(String name) {
        MachineObject m = store.machines.get(SimStore.FLEET_NAMESPACE + "/" + name);
        if (m == null) {
            m = store.machines.get(name);
        }
        if (m == null) {
            for (MachineObject candidate : store.machines.values()) {
                if (candidate.name().equals(name)) {
                    return candidate;
                }
            }
            throw new NoSuchElementException("machine " + name + " not found");
        }
        return m;
    }

    ClusterObject cluster(String name) {
        ClusterObject c = store.clusters.get(SimStore.FLEET_NAMESPACE + "/" + name);
        if (c == null) {
            c = store.clustersByManagementId.get(name);
        }
        if (c == null) {
            for (ClusterObject candidate : store.clusters.values()) {
                if (candidate.name().equals(name)) {
                    return candidate;
                }
            }
            throw new NoSuchElementException("cluster " + name + " not found");
        }
        return c;
    }

    @Override
    public void failMachine(String machineName, String mode) {
        Fault fault =
                switch (mode == null ? MODE_ERROR : mode) {
                    case MODE_ERROR -> Fault.ERROR;
                    case MODE_NOT_READY -> Fault.NOT_READY;
                    default ->
                        throw new IllegalArgumentException("mode must be \"" + MODE_ERROR + "\" or \"" + MODE_NOT_READY
                                + "\", was \"" + mode + "\"");
                };
        locked(() -> lifecycle.failMachine(machine(machineName), fault));
    }

    @Override
    public void recoverMachine(String machineName) {
        locked(() -> lifecycle.recoverMachine(machine(machineName)));
    }

    @Override
    public void newMachineFault(String clusterName, String poolName, String mode) {
        String m = mode == null ? "" : mode;
        Fault fault =
                switch (m) {
                    case MODE_STUCK -> Fault.STUCK;
                    case MODE_ERROR, MODE_QUOTA, MODE_IMAGE, MODE_INFRASTRUCTURE -> Fault.ERROR;
                    case MODE_NONE -> Fault.NONE;
                    default ->
                        throw new IllegalArgumentException("mode must be one of \"" + MODE_STUCK + "\", \"" + MODE_ERROR
                                + "\", \"" + MODE_QUOTA + "\", \"" + MODE_IMAGE + "\", \"" + MODE_INFRASTRUCTURE
                                + "\" or \"" + MODE_NONE + "\", was \"" + mode + "\"");
                };
        CreateError createError =
                switch (m) {
                    case MODE_QUOTA -> CreateError.QUOTA;
                    case MODE_IMAGE -> CreateError.IMAGE;
                    case MODE_INFRASTRUCTURE -> CreateError.INFRASTRUCTURE;
                    default -> null;
                };
        locked(() -> {
            ClusterObject c = cluster(clusterName);
            boolean inSpec = false;
            for (PoolSpec p : c.pools) {
                inSpec |= p.name().equals(poolName);
            }
            // A fault left on a pool that was removed from the spec can still be turned off.
            if (!inSpec && !(fault == Fault.NONE && c.newMachineFaults.containsKey(poolName))) {
                throw new NoSuchElementException("pool " + poolName + " not found in cluster " + c.name());
            }
            if (fault == Fault.NONE) {
                c.newMachineFaults.remove(poolName);
            } else {
                c.newMachineFaults.put(poolName, fault);
            }
            if (createError == null) {
                c.newMachineCreateErrors.remove(poolName);
            } else {
                c.newMachineCreateErrors.put(poolName, createError);
            }
        });
    }

    @Override
    public void refuseMachineDeletion(String clusterName, boolean refuse) {
        locked(() -> {
            cluster(clusterName).machineDeletionRefused = refuse;
        });
    }

    @Override
    public int machineDeletions(String machineName) {
        return locked(() -> store.machineDeletions(machineName));
    }

    private static String mode(Fault fault) {
        return switch (fault) {
            case NONE -> MODE_NONE;
            case ERROR -> MODE_ERROR;
            case NOT_READY -> MODE_NOT_READY;
            case STUCK -> MODE_STUCK;
        };
    }

    /** The mode of a fault with its create error (mode {@code error} without one). */
    private static String mode(Fault fault, CreateError createError) {
        if (fault != Fault.ERROR || createError == null) {
            return mode(fault);
        }
        return switch (createError) {
            case QUOTA -> MODE_QUOTA;
            case IMAGE -> MODE_IMAGE;
            case INFRASTRUCTURE -> MODE_INFRASTRUCTURE;
        };
    }

    @Override
    public void stall(String clusterName) {
        locked(() -> cluster(clusterName).stalled = true);
    }

    @Override
    public void unstall(String clusterName) {
        locked(() -> {
            ClusterObject c = cluster(clusterName);
            c.stalled = false;
            lifecycle.wake(c);
        });
    }

    @Override
    public void agentConnected(String clusterName, boolean connected) {
        locked(() -> {
            ClusterObject c = cluster(clusterName);
            c.agentDisconnected = !connected;
            if (!connected) {
                String id = c.managementId;
                effects.add(() -> downstream.cutStreams(id));
            }
            lifecycle.touch(c, store.now());
            lifecycle.wake(c);
        });
    }

    @Override
    public void apiReachable(String clusterName, boolean reachable) {
        locked(() -> {
            ClusterObject c = cluster(clusterName);
            c.apiUnreachable = !reachable;
            if (!reachable) {
                String id = c.managementId;
                effects.add(() -> downstream.cutStreams(id));
            }
        });
    }

    @Override
    public void useExternalApi(String clusterName, String apiServerUrl, String bearerToken) {
        if (apiServerUrl == null || apiServerUrl.isBlank()) {
            throw new IllegalArgumentException("url is required");
        }
        String id = locked(() -> {
            ClusterObject c = cluster(clusterName);
            externalApis.put(c.name(), apiServerUrl);
            return c.managementId;
        });
        downstream.useExternal(id, apiServerUrl, bearerToken);
    }

    @Override
    public int createObjects(String clusterName, List<JsonNode> objects) {
        String id = locked(() -> cluster(clusterName).managementId);
        return downstream.createObjects(id, objects);
    }

    @Override
    public void failWorkloads(String clusterName, WorkloadFault fault) {
        Objects.requireNonNull(fault, "fault");
        locked(() -> {
            ClusterObject c = cluster(clusterName);
            List<WorkloadFault> faults = new ArrayList<>(workloadFaults.getOrDefault(c.name(), List.of()));
            faults.removeIf(fault::sameMatchers);
            faults.add(fault);
            setWorkloadFaults(c, faults);
        });
    }

    @Override
    public void healWorkloads(String clusterName) {
        locked(() -> setWorkloadFaults(cluster(clusterName), List.of()));
    }

    /** Under the lock: records the faults and hands them to the downstream APIs once the lock is released. */
    private void setWorkloadFaults(ClusterObject c, List<WorkloadFault> faults) {
        List<WorkloadFault> copy = List.copyOf(faults);
        if (copy.isEmpty()) {
            workloadFaults.remove(c.name());
        } else {
            workloadFaults.put(c.name(), copy);
        }
        String id = c.managementId;
        effects.add(() -> downstream.workloadFaults(id, copy));
    }

    // ---- health faults -------------------------------------------------------------------------------------

    @Override
    public void nodeCondition(String machineName, String type, String status, String reason, String message) {
        if (type == null || !NodeConditions.TYPES.contains(type)) {
            throw new IllegalArgumentException(
                    "type must be one of " + NodeConditions.TYPES + ", was \"" + type + "\"");
        }
        if (status == null || !NodeConditions.STATUSES.contains(status)) {
            throw new IllegalArgumentException(
                    "status must be one of " + NodeConditions.STATUSES + ", was \"" + status + "\"");
        }
        boolean defaultReason = reason == null || reason.isEmpty();
        if (!defaultReason && !REASON.matcher(reason).matches()) {
            throw new IllegalArgumentException(
                    "reason must be a CamelCase word such as KubeletHasDiskPressure, was \"" + reason + "\"");
        }
        String r = defaultReason ? NodeConditions.defaultReason(type, status) : reason;
        String text = message == null || message.isEmpty() ? NodeConditions.defaultMessage(type, status) : message;
        locked(() -> {
            MachineObject m = machine(machineName);
            MachineObject.NodeCondition before = m.nodeConditions.get(type);
            Instant now = store.now();
            Instant since = before != null && before.status().equals(status) ? before.since() : now;
            m.nodeConditions.put(type, new MachineObject.NodeCondition(type, status, r, text, since));
            m.meta.resourceVersion = store.nextRevision();
            nodesChanged(m.cluster);
        });
    }

    @Override
    public void clearNodeConditions(String machineName) {
        locked(() -> {
            MachineObject m = machine(machineName);
            if (!m.nodeConditions.isEmpty()) {
                m.nodeConditions.clear();
                m.meta.resourceVersion = store.nextRevision();
                nodesChanged(m.cluster);
            }
        });
    }

    @Override
    public void nodeUsage(String machineName, long cpuMillis, long memoryBytes) {
        if (cpuMillis < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException(
                    "cpuMillis and memoryBytes must not be negative, were " + cpuMillis + " and " + memoryBytes);
        }
        locked(() -> {
            MachineObject m = machine(machineName);
            m.usageCpuMillis = cpuMillis;
            m.usageMemoryBytes = memoryBytes;
            nodesChanged(m.cluster);
        });
    }

    @Override
    public void nodeAgentConnected(String machineName, boolean connected) {
        locked(() -> {
            MachineObject m = machine(machineName);
            Instant now = store.now();
            if (connected && m.agentDisconnectedSince != null) {
                m.agentDisconnectedSince = null;
                m.agentReconnectedAt = now;
                m.meta.resourceVersion = store.nextRevision();
            } else if (!connected && m.agentDisconnectedSince == null) {
                m.agentDisconnectedSince = now;
                m.meta.resourceVersion = store.nextRevision();
            }
        });
    }

    @Override
    public void componentHealthy(String clusterName, String component, boolean healthy, String message) {
        if (component == null || !ApiHealth.COMPONENTS.contains(component)) {
            throw new IllegalArgumentException(
                    "component must be one of " + ApiHealth.COMPONENTS + ", was \"" + component + "\"");
        }
        locked(() -> updateHealth(cluster(clusterName), h -> h.withComponent(component, healthy, message)));
    }

    @Override
    public void etcd(String clusterName, boolean healthy, long dbSizeBytes) {
        locked(() -> updateHealth(cluster(clusterName), h -> h.withEtcd(healthy, dbSizeBytes)));
    }

    @Override
    public void readyzCheck(String clusterName, String check, boolean ok) {
        if (check == null || !HealthChecks.known(check)) {
            throw new IllegalArgumentException("no health check \"" + check + "\"; known: " + HealthChecks.READYZ);
        }
        locked(() -> updateHealth(cluster(clusterName), h -> h.withCheck(check, ok)));
    }

    @Override
    public void apiServerTraffic(String clusterName, double errorRatio, long p99LatencyMillis) {
        // validated before the lock: ApiHealth throws the same for a bad value
        ApiHealth.DEFAULT.withTraffic(errorRatio, p99LatencyMillis);
        locked(() -> updateHealth(cluster(clusterName), h -> h.withTraffic(errorRatio, p99LatencyMillis)));
    }

    @Override
    public void metricsApi(String clusterName, boolean available) {
        locked(() -> updateHealth(cluster(clusterName), h -> h.withMetricsApi(available)));
    }

    @Override
    public void certificatesExpireAt(String clusterName, Instant at) {
        locked(() -> {
            ClusterObject c = cluster(clusterName);
            c.certificatesExpireAt = at;
            for (MachineObject m : c.machines) {
                if (m.controlPlane) {
                    m.meta.resourceVersion = store.nextRevision();
                }
            }
        });
    }

    /** Under the lock: records the cluster's new API health and hands it to the downstream APIs afterwards. */
    private void updateHealth(ClusterObject c, UnaryOperator<ApiHealth> change) {
        ApiHealth next = change.apply(apiHealth.getOrDefault(c.name(), ApiHealth.DEFAULT));
        if (next.isDefault()) {
            apiHealth.remove(c.name());
        } else {
            apiHealth.put(c.name(), next);
        }
        String id = c.managementId;
        effects.add(() -> downstream.apiHealth(id, next));
    }

    /** The API server faults of {@link #state}, one key per kind of fault, by cluster name. */
    private void describeApiHealth(ObjectNode faults) {
        ObjectNode components = faults.putObject("components");
        ObjectNode etcd = faults.putObject("etcd");
        ObjectNode checks = faults.putObject("readyzChecks");
        ArrayNode metricsApi = faults.putArray("metricsApiUnavailable");
        ObjectNode traffic = faults.putObject("apiServerTraffic");
        apiHealth.forEach((cluster, h) -> {
            if (!h.unhealthyComponents().isEmpty()) {
                ObjectNode byName = components.putObject(cluster);
                h.unhealthyComponents().forEach(byName::put);
            }
            if (!h.etcdHealthy() || h.etcdDbSizeBytes() > 0) {
                ObjectNode e = etcd.putObject(cluster);
                e.put("healthy", h.etcdHealthy());
                e.put("dbSizeBytes", h.effectiveEtcdDbSizeBytes());
            }
            if (!h.failingChecks().isEmpty()) {
                ArrayNode failing = checks.putArray(cluster);
                h.failingChecks().forEach(failing::add);
            }
            if (!h.metricsApiAvailable()) {
                metricsApi.add(cluster);
            }
            if (h.errorRatio() > 0 || h.p99LatencyMillis() > 0) {
                ObjectNode t = traffic.putObject(cluster);
                t.put("errorRatio", h.errorRatio());
                t.put("p99LatencyMillis", h.effectiveP99LatencyMillis());
            }
        });
    }

    @Override
    public void latency(long millis, String pathPrefix) {
        if (millis < 0) {
            throw new IllegalArgumentException("millis must not be negative");
        }
        faultState.latency(pathPrefix, millis);
    }

    @Override
    public void errors(double rate, int status, String mode, String pathPrefix, Long seed) {
        if (rate < 0 || rate > 1) {
            throw new IllegalArgumentException("rate must be between 0 and 1, was " + rate);
        }
        String m = mode == null || mode.isEmpty() ? "status" : mode;
        if (!m.equals("status") && !m.equals("reset")) {
            throw new IllegalArgumentException("mode must be \"status\" or \"reset\", was \"" + mode + "\"");
        }
        if (m.equals("status") && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("status must be an HTTP error status (400-599), was " + status);
        }
        String prefix = pathPrefix == null || pathPrefix.isEmpty() ? null : pathPrefix;
        faultState.errors(new FaultState.ErrorRule(rate, status, m.equals("reset"), prefix, seed));
    }

    @Override
    public void timing(SimTiming newTiming) {
        long oldTick = timing.tickMillis();
        timing = newTiming;
        if (newTiming.tickMillis() != oldTick) {
            synchronized (this) {
                if (timerId >= 0) {
                    startTimer();
                }
            }
        }
    }

    @Override
    public SimTiming timing() {
        return timing;
    }

    @Override
    public void reset() {
        faultState.clear();
        timing(options.timing());
        locked(() -> {
            for (ClusterObject c : List.copyOf(store.clusters.values())) {
                lifecycle.purge(c);
            }
            store.clear();
            lifecycle.forgetAll();
            externalApis.clear();
            workloadFaults.clear();
            apiHealth.clear();
            createDemoClusters();
        });
    }

    @Override
    public ObjectNode user(String userId) {
        return locked(() -> {
            ObjectNode out = Json.object();
            out.put("id", userId);
            out.put("exists", store.users.containsKey(userId));
            ArrayNode tokens = out.putArray("tokens");
            for (ApiToken t : store.tokensOf(userId)) {
                ObjectNode o = tokens.addObject();
                o.put("name", t.name());
                o.put("kind", t.kind());
                Json.putIfNotNull(o, "clusterId", t.clusterId());
                Json.putIfNotNull(o, "expiresAt", Json.time(t.expiresAt()));
            }
            ArrayNode crtbs = out.putArray("clusterRoleTemplateBindings");
            for (RoleBindingObject b : store.clusterRoleTemplateBindingsOf(userId)) {
                crtbs.add(b.meta().id());
            }
            ArrayNode grbs = out.putArray("globalRoleBindings");
            for (RoleBindingObject b : store.globalRoleBindings.values()) {
                if (b.names(userId)) {
                    grbs.add(b.meta().id());
                }
            }
            return out;
        });
    }

    @Override
    public ObjectNode state() {
        ObjectNode out = locked(() -> {
            ObjectNode s = Json.object();
            s.put("clusters", store.clusters.size());
            s.put("machines", store.machines.size());
            Map<String, Integer> phases = new TreeMap<>();
            ObjectNode faults = Json.object();
            ObjectNode failed = faults.putObject("machines");
            ObjectNode nodeConditions = faults.putObject("nodeConditions");
            ObjectNode nodeUsage = faults.putObject("nodeUsage");
            ArrayNode nodeAgents = faults.putArray("nodeAgentDisconnected");
            for (MachineObject m : store.machines.values()) {
                phases.merge(m.phase.wire(), 1, Integer::sum);
                if (m.fault != Fault.NONE) {
                    failed.put(m.name(), mode(m.fault, m.createError));
                }
                if (!m.nodeConditions.isEmpty()) {
                    ObjectNode byType = nodeConditions.putObject(m.name());
                    m.nodeConditions.values().forEach(c -> byType.put(c.type(), c.status()));
                }
                if (m.usageCpuMillis >= 0) {
                    ObjectNode usage = nodeUsage.putObject(m.name());
                    usage.put("cpuMillis", m.usageCpuMillis);
                    usage.put("memoryBytes", m.usageMemoryBytes);
                }
                if (m.agentDisconnectedSince != null) {
                    nodeAgents.add(m.name());
                }
            }
            ObjectNode byPhase = s.putObject("machinesByPhase");
            phases.forEach(byPhase::put);
            int configs = 0;
            for (var byId : store.machineConfigs.values()) {
                configs += byId.size();
            }
            s.put("machineConfigs", configs);
            s.put("etcdSnapshots", store.snapshots.size());
            s.put("tokens", store.tokens.size());
            s.put("registrationTokens", store.registrationTokens.size());
            s.put("users", store.users.size());
            s.put("clusterRoleTemplateBindings", store.clusterRoleTemplateBindings.size());
            s.put("inFlight", lifecycle.inFlightCount());
            s.put("revision", Long.toString(store.revision()));
            ArrayNode stalled = faults.putArray("stalledClusters");
            ArrayNode disconnected = faults.putArray("agentDisconnected");
            ArrayNode unreachable = faults.putArray("apiUnreachable");
            ArrayNode deletionRefused = faults.putArray("machineDeletionRefused");
            ObjectNode newMachines = faults.putObject("newMachines");
            ObjectNode certificates = faults.putObject("certificatesExpireAt");
            for (ClusterObject c : store.clusters.values()) {
                if (c.machineDeletionRefused) {
                    deletionRefused.add(c.name());
                }
                if (!c.newMachineFaults.isEmpty()) {
                    ObjectNode pools = newMachines.putObject(c.name());
                    c.newMachineFaults.forEach(
                            (pool, fault) -> pools.put(pool, mode(fault, c.newMachineCreateErrors.get(pool))));
                }
                if (c.stalled) {
                    stalled.add(c.name());
                }
                if (c.agentDisconnected) {
                    disconnected.add(c.name());
                }
                if (c.apiUnreachable) {
                    unreachable.add(c.name());
                }
                if (c.certificatesExpireAt != null) {
                    certificates.put(c.name(), Json.time(c.certificatesExpireAt));
                }
            }
            describeApiHealth(faults);
            ObjectNode external = faults.putObject("externalApis");
            externalApis.forEach(external::put);
            ObjectNode workloads = faults.putObject("workloads");
            workloadFaults.forEach((cluster, list) -> {
                ArrayNode byCluster = workloads.putArray(cluster);
                for (WorkloadFault f : list) {
                    ObjectNode o = byCluster.addObject();
                    Json.putIfNotNull(o, "namespace", f.namespace());
                    Json.putIfNotNull(o, "name", f.name());
                    Json.putIfNotNull(o, "image", f.image());
                    o.put("reason", f.reason());
                    Json.putIfNotNull(o, "message", f.message());
                }
            });
            ObjectNode deletions = faults.putObject("machineDeletions");
            store.machineDeletionsByCluster().forEach(deletions::put);
            s.set("faults", faults);
            return s;
        });
        ObjectNode faults = (ObjectNode) out.path("faults");
        faults.setAll(faultState.describe());
        out.set("timing", Json.MAPPER.valueToTree(timing));
        return out;
    }
}
