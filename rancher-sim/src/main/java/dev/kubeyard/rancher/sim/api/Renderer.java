package dev.kubeyard.rancher.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.lifecycle.GoDuration;
import dev.kubeyard.rancher.sim.store.ApiToken;
import dev.kubeyard.rancher.sim.store.ClusterObject;
import dev.kubeyard.rancher.sim.store.Cond;
import dev.kubeyard.rancher.sim.store.Conds;
import dev.kubeyard.rancher.sim.store.DayTwoOp;
import dev.kubeyard.rancher.sim.store.EtcdSnapshotObject;
import dev.kubeyard.rancher.sim.store.KubeconfigObject;
import dev.kubeyard.rancher.sim.store.MachineConfigObject;
import dev.kubeyard.rancher.sim.store.MachineObject;
import dev.kubeyard.rancher.sim.store.MachineObject.Fault;
import dev.kubeyard.rancher.sim.store.MachineObject.Phase;
import dev.kubeyard.rancher.sim.store.Meta;
import dev.kubeyard.rancher.sim.store.PoolSpec;
import dev.kubeyard.rancher.sim.store.RoleBindingObject;
import dev.kubeyard.rancher.sim.store.SimStore;
import dev.kubeyard.rancher.sim.store.UserObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders stored objects as Kubernetes JSON ({@code apiVersion}, {@code kind}, {@code metadata}, {@code spec},
 * {@code status}) and wraps them in Steve's resource envelope. Objects are rendered on every read, never
 * stored as JSON. Call with the store lock held.
 */
public final class Renderer {

    public static final String CLUSTER_FINALIZER = "wrangler.cattle.io/provisioning-cluster-remove";
    public static final String USER_ID = SimStore.ADMIN_USER_ID;

    private static final String NODE_OS = "Ubuntu 24.04.3 LTS";
    private static final String CONTAINER_RUNTIME = "containerd://2.1.4-k3s1";
    private static final String KERNEL = "6.8.0-85-generic";

    // ---- Steve envelope ------------------------------------------------------------------------------------

    /**
     * Wraps a Kubernetes object in Steve's shape: {@code id}, {@code type}, {@code links}, then the object with
     * {@code metadata.state} and normalised conditions.
     */
    public static ObjectNode steve(SteveType type, ObjectNode kube, String base) {
        JsonNode metadata = kube.path("metadata");
        String name = metadata.path("name").asText();
        String namespace = metadata.path("namespace").asText(null);
        String id = type.namespaced() && namespace != null ? namespace + "/" + name : name;
        StateSummary.normalizeConditions(kube);
        StateSummary.State state = StateSummary.summarize(kube, type == SteveType.MACHINE);

        ObjectNode out = Json.object();
        out.put("id", id);
        out.put("type", type.schemaId());
        ObjectNode links = out.putObject("links");
        String self = base + "/v1/" + type.collection() + "/" + id;
        links.put("patch", type.canUpdate() ? self : "blocked");
        links.put("remove", type.canDelete() ? self : "blocked");
        links.put("self", self);
        links.put("update", type.canUpdate() ? self : "blocked");
        links.put(
                "view",
                base + "/apis/" + type.apiVersion() + (type.namespaced() ? "/namespaces/" + namespace : "") + "/"
                        + type.plural() + "/" + name);
        for (Map.Entry<String, JsonNode> e : kube.properties()) {
            out.set(e.getKey(), e.getValue());
        }
        ObjectNode meta = (ObjectNode) out.path("metadata");
        ObjectNode s = meta.putObject("state");
        s.put("error", state.error());
        s.put("message", state.message());
        s.put("name", state.name());
        s.put("transitioning", state.transitioning());
        return out;
    }

    public static ObjectNode metadata(Meta m) {
        ObjectNode out = Json.object();
        if (!m.annotations.isEmpty()) {
            out.set("annotations", Json.map(m.annotations));
        }
        out.put("creationTimestamp", Json.time(m.creationTimestamp));
        Json.putIfNotNull(out, "deletionTimestamp", Json.time(m.deletionTimestamp));
        out.put("generation", m.generation);
        if (!m.labels.isEmpty()) {
            out.set("labels", Json.map(m.labels));
        }
        out.put("name", m.name);
        Json.putIfNotNull(out, "namespace", m.namespace);
        out.put("resourceVersion", Long.toString(m.resourceVersion));
        out.put("uid", m.uid);
        return out;
    }

    private static ObjectNode kube(String apiVersion, String kind, ObjectNode metadata) {
        ObjectNode out = Json.object();
        out.put("apiVersion", apiVersion);
        out.put("kind", kind);
        out.set("metadata", metadata);
        return out;
    }

    private static ArrayNode conditions(Conds conds, boolean withUpdateTime) {
        ArrayNode out = Json.array();
        for (Cond c : conds.all()) {
            out.add(condition(c, withUpdateTime));
        }
        return out;
    }

    private static ObjectNode condition(Cond c, boolean withUpdateTime) {
        ObjectNode o = Json.object();
        o.put("lastTransitionTime", Json.time(c.lastTransitionTime()));
        if (withUpdateTime) {
            o.put("lastUpdateTime", Json.time(c.lastUpdateTime()));
        }
        Json.putIfNotNull(o, "message", c.message());
        Json.putIfNotNull(o, "reason", c.reason());
        o.put("status", c.status());
        o.put("type", c.type());
        return o;
    }

    private static ArrayNode ownedBy(String apiVersion, String kind, String name, String uid) {
        ArrayNode refs = Json.array();
        ObjectNode ref = refs.addObject();
        ref.put("apiVersion", apiVersion);
        ref.put("blockOwnerDeletion", true);
        ref.put("controller", true);
        ref.put("kind", kind);
        ref.put("name", name);
        ref.put("uid", uid);
        return refs;
    }

    // ---- provisioning cluster ------------------------------------------------------------------------------

    public static ObjectNode provisioningCluster(ClusterObject c) {
        ObjectNode metadata = metadata(c.meta);
        metadata.putArray("finalizers").add(CLUSTER_FINALIZER);
        ObjectNode out = kube(SteveType.PROVISIONING_CLUSTER.apiVersion(), "Cluster", metadata);
        out.set("spec", c.spec);
        ObjectNode status = out.putObject("status");
        status.put("agentDeployed", c.connectedAt != null);
        status.put("clientSecretName", c.name() + "-kubeconfig");
        status.put("clusterName", c.managementId);
        if (!c.conditions.isEmpty()) {
            status.set("conditions", conditions(c.conditions, true));
        }
        status.put("fleetWorkspaceName", c.meta.namespace);
        status.put("observedGeneration", c.observedGeneration);
        status.put("ready", c.ready);
        return out;
    }

    // ---- management cluster --------------------------------------------------------------------------------

    public static ObjectNode managementCluster(ClusterObject c) {
        Meta m = c.meta;
        ObjectNode metadata = Json.object();
        ObjectNode annotations = metadata.putObject("annotations");
        annotations.put("field.cattle.io/creatorId", USER_ID);
        annotations.put("objectset.rio.cattle.io/owner-gvk", "provisioning.cattle.io/v1, Kind=Cluster");
        annotations.put("objectset.rio.cattle.io/owner-name", c.name());
        annotations.put("objectset.rio.cattle.io/owner-namespace", m.namespace);
        annotations.put("provisioning.cattle.io/administrated", "true");
        metadata.put("creationTimestamp", Json.time(m.creationTimestamp));
        Json.putIfNotNull(metadata, "deletionTimestamp", Json.time(m.deletionTimestamp));
        metadata.putArray("finalizers").add("wrangler.cattle.io/mgmt-cluster-remove");
        metadata.put("generation", 1);
        metadata.putObject("labels").put("provider.cattle.io", "rke2");
        metadata.put("name", c.managementId);
        metadata.put("resourceVersion", Long.toString(m.resourceVersion));
        metadata.put("uid", c.managementUid);
        ObjectNode out = kube(SteveType.MANAGEMENT_CLUSTER.apiVersion(), "Cluster", metadata);
        ObjectNode spec = out.putObject("spec");
        spec.put("agentImageOverride", "");
        spec.put("description", c.meta.annotations.getOrDefault("field.cattle.io/description", ""));
        spec.put("displayName", c.displayName());
        spec.put("fleetWorkspaceName", m.namespace);
        spec.put("internal", false);
        spec.putObject("localClusterAuthEndpoint").put("enabled", false);
        out.set("status", managementStatus(c));
        return out;
    }

    /** The management cluster status; v3 flattens these fields into the top level. */
    static ObjectNode managementStatus(ClusterObject c) {
        ObjectNode status = Json.object();
        status.put("agentImage", "rancher/rancher-agent:v2.15.0");
        String version = c.appliedVersion != null ? c.appliedVersion : c.desiredVersion();
        int nodes = 0;
        int cpus = 0;
        for (MachineObject m : c.machines) {
            if (m.hasNode() && !m.deleting()) {
                nodes++;
                cpus += 4;
            }
        }
        if (c.connectedAt != null) {
            status.put("apiEndpoint", "https://" + firstControlPlaneAddress(c) + ":6443");
            ObjectNode capacity = status.putObject("capacity");
            capacity.put("cpu", Integer.toString(cpus));
            capacity.put("memory", (nodes * 16) + "Gi");
            capacity.put("pods", Integer.toString(nodes * 110));
            status.set("allocatable", capacity.deepCopy());
        }
        status.set("conditions", conditions(c.managementConditions, true));
        status.put("connected", c.connectedAt != null && !c.agentDisconnected);
        status.put("driver", machineProvider(c).toLowerCase(Locale.ROOT));
        ObjectNode info = status.putObject("info");
        info.put("arch", "amd64");
        info.put("kubernetesVersion", version);
        info.put("machineProvider", machineProvider(c));
        info.put("nodeCount", nodes);
        ObjectNode ref = info.putObject("provisioningClusterRef");
        ref.put("apiVersion", SteveType.PROVISIONING_CLUSTER.apiVersion());
        ref.put("kind", "Cluster");
        ref.put("name", c.name());
        ref.put("namespace", c.meta.namespace);
        status.put("nodeCount", nodes);
        status.put("provider", "rke2");
        if (c.connectedAt != null) {
            ObjectNode v = status.putObject("version");
            v.put("gitVersion", version);
            String[] parts = version.replaceFirst("^v", "").split("[.+]");
            v.put("major", parts.length > 0 ? parts[0] : "");
            v.put("minor", parts.length > 1 ? parts[1] : "");
            v.put("platform", "linux/amd64");
        }
        return status;
    }

    private static String machineProvider(ClusterObject c) {
        for (PoolSpec p : c.pools) {
            if (p.machineConfigKind() != null && p.machineConfigKind().endsWith("Config")) {
                String driver =
                        p.machineConfigKind().substring(0, p.machineConfigKind().length() - 6);
                return driver.isEmpty() ? "Openstack" : driver;
            }
        }
        return c.pools.isEmpty() ? "" : "Openstack";
    }

    static String firstControlPlaneAddress(ClusterObject c) {
        for (MachineObject m : c.machines) {
            if (m.controlPlane && !m.deleting()) {
                return m.internalIp;
            }
        }
        return c.machines.isEmpty() ? "10.0.0.10" : c.machines.get(0).internalIp;
    }

    // ---- RKEControlPlane -----------------------------------------------------------------------------------

    public static ObjectNode controlPlane(ClusterObject c) {
        Meta m = c.meta;
        ObjectNode metadata = Json.object();
        metadata.put("creationTimestamp", Json.time(m.creationTimestamp));
        Json.putIfNotNull(metadata, "deletionTimestamp", Json.time(m.deletionTimestamp));
        metadata.put("generation", m.generation);
        metadata.putObject("labels").put("rke.cattle.io/cluster-name", c.name());
        metadata.put("name", c.name());
        metadata.put("namespace", m.namespace);
        metadata.set("ownerReferences", ownedBy("provisioning.cattle.io/v1", "Cluster", c.name(), m.uid));
        metadata.put("resourceVersion", Long.toString(m.resourceVersion));
        metadata.put("uid", c.controlPlaneUid);
        ObjectNode out = kube(SteveType.CONTROL_PLANE.apiVersion(), "RKEControlPlane", metadata);
        ObjectNode spec = out.putObject("spec");
        JsonNode rke = c.spec.path("rkeConfig");
        for (Map.Entry<String, JsonNode> e : rke.properties()) {
            if (!e.getKey().equals("machinePools") && !e.getKey().equals("machinePoolDefaults")) {
                spec.set(e.getKey(), e.getValue());
            }
        }
        spec.put("clusterName", c.name());
        spec.put("kubernetesVersion", c.desiredVersion());
        spec.put("managementClusterName", c.managementId);

        ObjectNode status = out.putObject("status");
        status.put("agentConnected", c.connectedAt != null && !c.agentDisconnected);
        if (c.certificateRotation.completedGeneration > 0 || c.certificateRotation.phaseIndex >= 0) {
            status.put("certificateRotationGeneration", c.certificateRotation.completedGeneration);
        }
        status.set("conditions", conditions(c.controlPlaneConditions, true));
        opStatus(status, c.snapshotCreate, "etcdSnapshotCreate", "etcdSnapshotCreatePhase");
        opStatus(status, c.snapshotRestore, "etcdSnapshotRestore", "etcdSnapshotRestorePhase");
        status.put("initialized", c.machinesRunningAt != null);
        status.put("observedGeneration", c.observedGeneration);
        status.put("ready", c.ready);
        opStatus(status, c.encryptionKeyRotation, "rotateEncryptionKeys", "rotateEncryptionKeysPhase");
        return out;
    }

    private static void opStatus(ObjectNode status, DayTwoOp op, String field, String phaseField) {
        if (op.phaseIndex < 0) {
            return;
        }
        ObjectNode block = status.putObject(field);
        if (op.request != null) {
            for (Map.Entry<String, JsonNode> e : op.request.properties()) {
                block.set(e.getKey(), e.getValue());
            }
        }
        block.put("generation", op.generation);
        status.put(phaseField, op.phase());
    }

    // ---- CAPI Machine --------------------------------------------------------------------------------------

    public static ObjectNode machine(MachineObject m, Duration healthCheckTimeout) {
        ObjectNode metadata = metadata(m.meta);
        metadata.putArray("finalizers").add("machine.cluster.x-k8s.io");
        metadata.set(
                "ownerReferences",
                ownedBy(SteveType.MACHINE.apiVersion(), "MachineSet", m.setName, m.cluster.meta.uid));
        ObjectNode out = kube(SteveType.MACHINE.apiVersion(), "Machine", metadata);

        ObjectNode spec = out.putObject("spec");
        ObjectNode bootstrap = spec.putObject("bootstrap");
        ObjectNode configRef = bootstrap.putObject("configRef");
        configRef.put("apiGroup", "rke.cattle.io");
        configRef.put("kind", "RKEBootstrap");
        configRef.put("name", m.name());
        if (m.bootstrapReadyAt != null) {
            bootstrap.put("dataSecretName", m.name() + "-machine-bootstrap");
        }
        spec.put("clusterName", m.cluster.name());
        ObjectNode infra = spec.putObject("infrastructureRef");
        infra.put("apiGroup", "rke-machine.cattle.io");
        infra.put("kind", m.infrastructureKind);
        infra.put("name", m.name());
        if (m.infrastructureReadyAt != null) {
            spec.put("providerID", "rke2://" + m.name());
        }
        spec.put("version", m.kubeletVersion);

        ObjectNode status = out.putObject("status");
        if (m.infrastructureReadyAt != null) {
            ArrayNode addresses = status.putArray("addresses");
            ObjectNode ip = addresses.addObject();
            ip.put("address", m.internalIp);
            ip.put("type", "InternalIP");
            ObjectNode host = addresses.addObject();
            host.put("address", m.name());
            host.put("type", "Hostname");
        }
        if (m.controlPlane && m.nodeReadyAt != null) {
            status.put("certificatesExpiryDate", Json.time(certificatesExpiry(m)));
        }
        status.set("conditions", machineConditions(m, healthCheckTimeout));
        if (m.phase == Phase.FAILED) {
            ObjectNode v1beta1 = status.putObject("deprecated").putObject("v1beta1");
            v1beta1.put("failureMessage", failureMessage(m));
            v1beta1.put("failureReason", "CreateError");
        }
        ObjectNode initialization = status.putObject("initialization");
        initialization.put("bootstrapDataSecretCreated", m.bootstrapReadyAt != null);
        initialization.put("infrastructureProvisioned", m.infrastructureReadyAt != null);
        status.put("lastUpdated", Json.time(m.phaseSince));
        if (m.hasNode()) {
            ObjectNode nodeInfo = status.putObject("nodeInfo");
            nodeInfo.put("architecture", "amd64");
            nodeInfo.put("bootID", m.meta.uid);
            nodeInfo.put("containerRuntimeVersion", CONTAINER_RUNTIME);
            nodeInfo.put("kernelVersion", KERNEL);
            nodeInfo.put("kubeProxyVersion", m.kubeletVersion);
            nodeInfo.put("kubeletVersion", m.kubeletVersion);
            nodeInfo.put("machineID", m.meta.uid.replace("-", ""));
            nodeInfo.put("operatingSystem", "linux");
            nodeInfo.put("osImage", NODE_OS);
            nodeInfo.put("systemUUID", m.meta.uid);
            status.putObject("nodeRef").put("name", m.name());
        }
        status.put("observedGeneration", m.meta.generation);
        status.put("phase", m.phase.wire());
        return out;
    }

    private static String failureMessage(MachineObject m) {
        return "failure detected from referenced resource rke-machine.cattle.io/v1, Kind=" + m.infrastructureKind
                + " with name \"" + m.name() + "\": " + serverError(m);
    }

    /** What went wrong with a machine in fault ERROR: the driver's create error, or a failed server. */
    private static String serverError(MachineObject m) {
        return m.createErrorMessage != null ? m.createErrorMessage : "server in ERROR state: instance failed";
    }

    /**
     * When a control-plane machine's certificates expire: the injected time, else a year after they were issued
     * (when the node registered, or when a certificate rotation last finished).
     */
    static Instant certificatesExpiry(MachineObject m) {
        ClusterObject c = m.cluster;
        if (c.certificatesExpireAt != null) {
            return c.certificatesExpireAt;
        }
        Instant issued = m.nodeReadyAt;
        DayTwoOp rotation = c.certificateRotation;
        if (rotation.phaseIndex == rotation.phases.size() - 1
                && rotation.phaseSince != null
                && rotation.phaseSince.isAfter(issued)) {
            issued = rotation.phaseSince;
        }
        return issued.plus(Duration.ofDays(365));
    }

    /** CAPI v1beta2 machine conditions, derived from the machine's lifecycle timestamps and faults. */
    static ArrayNode machineConditions(MachineObject m, Duration healthCheckTimeout) {
        Instant created = m.meta.creationTimestamp;
        List<Cond> list = new ArrayList<>();
        Cond bootstrap = m.bootstrapReadyAt != null
                ? cond("BootstrapConfigReady", Cond.TRUE, "Ready", null, m.bootstrapReadyAt)
                : cond(
                        "BootstrapConfigReady",
                        Cond.FALSE,
                        "NotReady",
                        "RKEBootstrap status.initialization.dataSecretCreated is false",
                        created);
        Cond infra;
        if (m.fault == Fault.ERROR) {
            infra = cond(
                    "InfrastructureReady",
                    Cond.FALSE,
                    "Error",
                    m.infrastructureKind + " " + m.name() + ": " + serverError(m),
                    m.faultSince);
        } else if (m.infrastructureReadyAt != null) {
            infra = cond("InfrastructureReady", Cond.TRUE, "Ready", null, m.infrastructureReadyAt);
        } else if (m.blockedReason != null) {
            infra = cond("InfrastructureReady", Cond.FALSE, "NotReady", m.blockedReason, created);
        } else if (m.bootstrapReadyAt != null) {
            infra = cond(
                    "InfrastructureReady",
                    Cond.FALSE,
                    "NotReady",
                    "creating server [" + m.meta.namespace + "/" + m.name() + "] of kind (" + m.infrastructureKind
                            + ") for machine " + m.name() + " in infrastructure provider",
                    created);
        } else {
            infra = cond(
                    "InfrastructureReady",
                    Cond.FALSE,
                    "NotReady",
                    m.infrastructureKind + " status.initialization.provisioned is false",
                    created);
        }
        Cond nodeReady;
        Cond nodeHealthy;
        if (!m.hasNode()) {
            String waiting = m.infrastructureReadyAt != null
                    ? "Waiting for a Node with spec.providerID rke2://" + m.name() + " to exist"
                    : "Waiting for Machine spec.providerID to be set";
            Instant since = m.infrastructureReadyAt != null ? m.infrastructureReadyAt : created;
            nodeReady = cond("NodeReady", Cond.UNKNOWN, "NodeDoesNotExist", waiting, since);
            nodeHealthy = cond("NodeHealthy", Cond.UNKNOWN, "NodeDoesNotExist", waiting, since);
        } else if (m.fault != Fault.NONE) {
            nodeReady =
                    cond("NodeReady", Cond.FALSE, "NodeNotReady", "Kubelet stopped posting node status.", m.faultSince);
            nodeHealthy = cond(
                    "NodeHealthy",
                    Cond.FALSE,
                    "NodeNotHealthy",
                    "Node.Ready: Kubelet stopped posting node status.",
                    m.faultSince);
        } else {
            Instant since = m.recoveredAt != null ? m.recoveredAt : m.nodeReadyAt;
            nodeReady = cond("NodeReady", Cond.TRUE, "NodeReady", null, since);
            nodeHealthy = nodeHealthy(m, since);
        }
        Cond deleting = m.deleting()
                ? m.drainOnDelete
                        ? cond(
                                "Deleting",
                                Cond.TRUE,
                                "DrainingNode",
                                "Drain not completed yet (started at " + Json.time(m.deletingSince) + ")",
                                m.deletingSince)
                        : cond(
                                "Deleting",
                                Cond.TRUE,
                                "WaitingForInfrastructureDeletion",
                                "Waiting for " + m.infrastructureKind + " to be deleted",
                                m.deletingSince)
                : cond("Deleting", Cond.FALSE, "NotDeleting", null, created);

        List<String> bullets = new ArrayList<>();
        if (deleting.isTrue()) {
            bullets.add("* Deleting: Machine deletion in progress, stage: " + deleting.reason());
        }
        for (Cond c : List.of(bootstrap, infra, nodeHealthy)) {
            if (!c.isTrue()) {
                bullets.add("* " + c.type() + ": " + c.message());
            }
        }
        Instant readySince = latest(bootstrap, infra, nodeHealthy, deleting);
        Cond ready = bullets.isEmpty()
                ? cond("Ready", Cond.TRUE, "Ready", null, readySince)
                : cond("Ready", Cond.FALSE, "NotReady", String.join("\n", bullets), readySince);
        Cond available = ready.isTrue()
                ? cond("Available", Cond.TRUE, "Available", null, readySince)
                : cond("Available", Cond.FALSE, "NotAvailable", "* Ready: Machine is not Ready", readySince);

        list.add(available);
        list.add(ready);
        list.add(cond("UpToDate", Cond.TRUE, "UpToDate", null, created));
        list.add(bootstrap);
        list.add(infra);
        list.add(nodeReady);
        list.add(nodeHealthy);
        list.add(deleting);
        list.add(cond("Paused", Cond.FALSE, "NotPaused", null, created));
        Cond reconciled = reconciled(m);
        if (reconciled != null) {
            list.add(reconciled);
        }
        if (healthCheckTimeout != null && m.hasNode()) {
            if (m.remediationAt != null) {
                list.add(cond(
                        "HealthCheckSucceeded",
                        Cond.FALSE,
                        "UnhealthyNode",
                        "Health check failed: Condition Ready on Node " + m.name() + " was Unknown for more than "
                                + GoDuration.format(healthCheckTimeout),
                        m.remediationAt));
                list.add(cond(
                        "OwnerRemediated",
                        Cond.FALSE,
                        "WaitingForRemediation",
                        "Waiting for remediation",
                        m.remediationAt));
            } else {
                list.add(cond("HealthCheckSucceeded", Cond.TRUE, "HealthCheckSucceeded", null, m.nodeReadyAt));
            }
        }
        ArrayNode out = Json.array();
        for (Cond c : list) {
            ObjectNode o = condition(c, false);
            o.put("observedGeneration", m.meta.generation);
            out.add(o);
        }
        return out;
    }

    /**
     * CAPI's NodeHealthy of a reporting node: False while a pressure condition of the node is True, Unknown while one
     * is Unknown (as CAPI summarises MemoryPressure, DiskPressure and PIDPressure; NetworkUnavailable does not count).
     */
    private static Cond nodeHealthy(MachineObject m, Instant healthySince) {
        List<String> bad = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        Instant since = healthySince;
        for (MachineObject.NodeCondition c : m.nodeConditions.values()) {
            if (c.type().equals("NetworkUnavailable") || c.status().equals("False")) {
                continue;
            }
            (c.status().equals("True") ? bad : unknown).add("Node." + c.type() + ": " + c.message());
            if (since == null || c.since().isAfter(since)) {
                since = c.since();
            }
        }
        if (!bad.isEmpty()) {
            bad.addAll(unknown);
            return cond("NodeHealthy", Cond.FALSE, "NodeNotHealthy", String.join("; ", bad), since);
        }
        if (!unknown.isEmpty()) {
            return cond("NodeHealthy", Cond.UNKNOWN, "NodeHealthUnknown", String.join("; ", unknown), since);
        }
        return cond("NodeHealthy", Cond.TRUE, "NodeHealthy", null, healthySince);
    }

    /**
     * Rancher's planner condition {@code Reconciled}: True on a Running machine whose rancher-system-agent checks in,
     * False (reason Waiting) while the agent is disconnected. Absent before the machine runs. The mapping of a
     * disconnected agent to this condition is inferred from the planner's messages, not read from a live system.
     */
    private static Cond reconciled(MachineObject m) {
        if (m.agentDisconnectedSince != null && m.hasNode()) {
            return cond(
                    "Reconciled",
                    Cond.FALSE,
                    "Waiting",
                    "rancher-system-agent on " + m.name() + " has not checked in since "
                            + Json.time(m.agentDisconnectedSince),
                    m.agentDisconnectedSince);
        }
        if (m.phase != Phase.RUNNING) {
            return null;
        }
        Instant since = m.agentReconnectedAt != null ? m.agentReconnectedAt : m.nodeReadyAt;
        return cond("Reconciled", Cond.TRUE, "Reconciled", null, since != null ? since : m.phaseSince);
    }

    private static Cond cond(String type, String status, String reason, String message, Instant since) {
        return new Cond(type, status, reason, message, since, since);
    }

    private static Instant latest(Cond... conds) {
        Instant latest = null;
        for (Cond c : conds) {
            Instant t = c.lastTransitionTime();
            if (t != null && (latest == null || t.isAfter(latest))) {
                latest = t;
            }
        }
        return latest;
    }

    // ---- machine configs, snapshots, ext tokens and kubeconfigs --------------------------------------------

    public static ObjectNode machineConfig(MachineConfigObject o) {
        ObjectNode metadata = metadata(o.meta);
        if (o.ownerCluster != null) {
            ArrayNode refs = Json.array();
            ObjectNode ref = refs.addObject();
            ref.put("apiVersion", "provisioning.cattle.io/v1");
            ref.put("kind", "Cluster");
            ref.put("name", o.ownerCluster.name());
            ref.put("uid", o.ownerCluster.meta.uid);
            metadata.set("ownerReferences", refs);
        }
        ObjectNode out = kube(SteveType.MACHINE_CONFIG_GROUP + "/v1", o.kind, metadata);
        for (Map.Entry<String, JsonNode> e : o.fields.properties()) {
            out.set(e.getKey(), e.getValue());
        }
        return out;
    }

    public static ObjectNode snapshot(EtcdSnapshotObject s, ClusterObject owner) {
        ObjectNode metadata = metadata(s.meta());
        ObjectNode annotations = metadata.putObject("annotations");
        annotations.put("etcdsnapshot.rke.io/snapshot-file-name", s.fileName());
        annotations.put("etcdsnapshot.rke.io/storage", "local");
        if (owner != null) {
            metadata.set(
                    "ownerReferences", ownedBy("provisioning.cattle.io/v1", "Cluster", owner.name(), owner.meta.uid));
        }
        ObjectNode out = kube(SteveType.ETCD_SNAPSHOT.apiVersion(), "ETCDSnapshot", metadata);
        ObjectNode file = out.putObject("snapshotFile");
        file.put("createdAt", Json.time(s.createdAt()));
        file.put("location", s.location());
        file.put("name", s.fileName());
        file.put("nodeName", s.nodeName());
        file.put("size", s.size());
        file.put("status", "successful");
        out.putObject("spec").put("clusterName", s.clusterName());
        out.putObject("status").put("missing", false);
        return out;
    }

    /**
     * An ext Token; {@code owner} is its user (null for the simulator's admin). The secret only when just
     * created.
     */
    public static ObjectNode extToken(ApiToken t, UserObject owner, Instant now, boolean withSecret) {
        ObjectNode metadata = Json.object();
        metadata.put("creationTimestamp", Json.time(t.created()));
        metadata.put("generation", 1);
        ObjectNode labels = metadata.putObject("labels");
        t.labels().forEach(labels::put);
        labels.put("cattle.io/user-id", t.userId());
        metadata.put("name", t.name());
        metadata.put("resourceVersion", Long.toString(t.resourceVersion()));
        metadata.put("uid", t.uid());
        ObjectNode out = kube(SteveType.EXT_TOKEN.apiVersion(), "Token", metadata);
        ObjectNode spec = out.putObject("spec");
        Json.putIfNotNull(spec, "clusterName", t.clusterId());
        spec.put("description", t.description());
        spec.put("enabled", true);
        spec.put("kind", t.kind().equals("session") ? "session" : "");
        spec.put("ttl", t.ttlMillis());
        spec.put("userID", t.userId());
        ObjectNode status = out.putObject("status");
        status.put("authProvider", "local");
        if (withSecret) {
            status.put("bearerToken", t.bearerName() + ":" + t.secret());
        }
        status.put("current", false);
        status.put("displayName", owner == null ? "Default Admin" : owner.displayName);
        status.put("expired", t.expiredAt(now));
        Json.putIfNotNull(status, "expiresAt", Json.time(t.expiresAt()));
        status.put("principalID", "local://" + t.userId());
        status.put("userName", owner == null ? "admin" : owner.username);
        if (withSecret) {
            status.put("value", t.secret());
        }
        return out;
    }

    /** A {@code management.cattle.io/v3} User: its fields at the top level, no spec. */
    public static ObjectNode user(UserObject u) {
        ObjectNode metadata = metadata(u.meta);
        metadata.putArray("finalizers").add("controller.cattle.io/mgmt-auth-users-controller");
        ObjectNode out = kube(SteveType.USER.apiVersion(), "User", metadata);
        Json.putIfNotNull(out, "description", u.description);
        Json.putIfNotNull(out, "displayName", u.displayName);
        out.put("enabled", u.enabled);
        out.put("mustChangePassword", u.mustChangePassword);
        out.putArray("principalIds").add(u.principalId());
        out.put("username", u.username);
        ArrayNode conditions = out.putObject("status").putArray("conditions");
        ObjectNode populated = conditions.addObject();
        populated.put("lastUpdateTime", Json.time(u.meta.creationTimestamp));
        populated.put("status", "True");
        populated.put("type", "InitialRolesPopulated");
        return out;
    }

    /** A ClusterRoleTemplateBinding or GlobalRoleBinding: subject and role at the top level. */
    public static ObjectNode roleBinding(RoleBindingObject b) {
        boolean cluster = b.clusterName() != null;
        SteveType type = cluster ? SteveType.CLUSTER_ROLE_TEMPLATE_BINDING : SteveType.GLOBAL_ROLE_BINDING;
        ObjectNode out = kube(type.apiVersion(), type.kind(), metadata(b.meta()));
        if (cluster) {
            out.put("clusterName", b.clusterName());
        } else {
            out.put("globalRoleName", b.roleName());
        }
        Json.putIfNotNull(out, "groupName", b.groupName());
        Json.putIfNotNull(out, "groupPrincipalName", b.groupPrincipalName());
        if (cluster) {
            out.put("roleTemplateName", b.roleName());
        }
        Json.putIfNotNull(out, "userName", b.userName());
        String principal = b.userPrincipalName() != null
                ? b.userPrincipalName()
                : b.userName() != null ? "local://" + b.userName() : null;
        Json.putIfNotNull(out, "userPrincipalName", principal);
        ObjectNode status = out.putObject("status");
        status.put("lastUpdateTime", Json.time(b.meta().creationTimestamp));
        status.put("summary", "Completed");
        return out;
    }

    public static ObjectNode kubeconfig(KubeconfigObject k, String value) {
        ObjectNode metadata = metadata(k.meta());
        ObjectNode out = kube(SteveType.EXT_KUBECONFIG.apiVersion(), "Kubeconfig", metadata);
        out.set("spec", k.spec());
        ObjectNode status = out.putObject("status");
        ArrayNode conditions = status.putArray("conditions");
        ObjectNode created = conditions.addObject();
        created.put("lastTransitionTime", Json.time(k.meta().creationTimestamp));
        created.put("status", "True");
        created.put("type", "TokenCreated");
        status.put("summary", "Complete");
        ArrayNode tokens = status.putArray("tokens");
        k.tokenNames().forEach(tokens::add);
        Json.putIfNotNull(status, "value", value);
        return out;
    }
}
