package dev.kubeyard.rancher.sim.downstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.DaemonEndpoint;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeDaemonEndpoints;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Builds the Node object an RKE2 cluster would show for a {@link SimNode}, merged into the stored Node so that what
 * users added (labels, taints, annotations, conditions of other types) survives unless the simulator manages it.
 */
final class NodeManifests {

    /** Ready reason that yields status Unknown, as the node lifecycle controller sets it for a silent kubelet. */
    static final String STATUS_UNKNOWN_REASON = "NodeStatusUnknown";

    static final String DEFAULT_KUBELET_VERSION = "v1.33.4+rke2r1";

    static final String ROLE_LABEL_PREFIX = "node-role.kubernetes.io/";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The conditions the kubelet writes: their heartbeat moves with every write of a reporting node. */
    private static final List<String> KUBELET_CONDITIONS =
            List.of(NodeConditions.MEMORY_PRESSURE, NodeConditions.DISK_PRESSURE, NodeConditions.PID_PRESSURE, "Ready");
    /** The conditions the simulator manages; Calico's NetworkUnavailable comes first, as on a real node. */
    private static final List<String> OWN_CONDITIONS = List.of(
            NodeConditions.NETWORK_UNAVAILABLE,
            NodeConditions.MEMORY_PRESSURE,
            NodeConditions.DISK_PRESSURE,
            NodeConditions.PID_PRESSURE,
            "Ready");

    private static final Map<String, String> CAPACITY =
            Map.of("cpu", "4", "memory", "16386204Ki", "pods", "110", "ephemeral-storage", "81106868Ki");
    private static final Map<String, String> ALLOCATABLE =
            Map.of("cpu", "4", "memory", "16386204Ki", "pods", "110", "ephemeral-storage", "78901109040");

    private NodeManifests() {}

    /** What the simulator wrote last per node: the label keys and taints it manages (guarded by the dispatcher). */
    static final class Memo {
        private final Map<String, Set<String>> labelKeys = new HashMap<>();
        private final Map<String, Set<String>> taintIds = new HashMap<>();

        void forget(String node) {
            labelKeys.remove(node);
            taintIds.remove(node);
        }
    }

    /**
     * The JSON to store for {@code sim}, or null when the stored Node {@code currentJson} already matches (so that an
     * unchanged machine produces no watch event).
     */
    static String reconcile(SimNode sim, String currentJson, Memo memo, LongSupplier resourceVersions) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        boolean creating = currentJson == null;
        Node node = creating ? new Node() : SERIALIZATION.unmarshal(currentJson, Node.class);
        JsonNode before = creating ? null : tree(node);

        String name = sim.name();
        ObjectMeta meta = node.getMetadata() == null ? new ObjectMeta() : node.getMetadata();
        node.setMetadata(meta);
        node.setApiVersion("v1");
        node.setKind("Node");
        meta.setName(name);
        meta.setLabels(labels(sim, meta.getLabels(), memo));
        Map<String, String> annotations = new LinkedHashMap<>(nullToEmpty(meta.getAnnotations()));
        annotations.put("rke2.io/hostname", name);
        if (notBlank(sim.internalIp())) {
            annotations.put("rke2.io/internal-ips", sim.internalIp());
        }
        annotations.put("node.alpha.kubernetes.io/ttl", "0");
        annotations.put("volumes.kubernetes.io/controller-managed-attach-detach", "true");
        meta.setAnnotations(annotations);

        NodeSpec spec = node.getSpec() == null ? new NodeSpec() : node.getSpec();
        node.setSpec(spec);
        spec.setProviderID("rke2://" + name);
        spec.setTaints(taints(sim, spec.getTaints(), memo));

        NodeStatus status = node.getStatus() == null ? new NodeStatus() : node.getStatus();
        node.setStatus(status);
        Instant firstTransition =
                creating && sim.createdAt() != null && sim.createdAt().isBefore(now)
                        ? sim.createdAt().truncatedTo(ChronoUnit.SECONDS)
                        : now;
        List<NodeCondition> conditions = conditions(sim, status.getConditions(), firstTransition.toString());
        status.setConditions(conditions);
        List<NodeAddress> addresses = new ArrayList<>();
        if (notBlank(sim.internalIp())) {
            addresses.add(new NodeAddress(sim.internalIp(), "InternalIP"));
        }
        addresses.add(new NodeAddress(name, "Hostname"));
        status.setAddresses(addresses);
        status.setNodeInfo(nodeInfo(name, kubeletVersion(sim)));
        status.setCapacity(quantities(status.getCapacity(), CAPACITY));
        status.setAllocatable(quantities(status.getAllocatable(), ALLOCATABLE));
        status.setDaemonEndpoints(new NodeDaemonEndpoints(new DaemonEndpoint(10250)));

        if (!creating && before.equals(tree(node))) {
            return null;
        }
        for (NodeCondition condition : conditions) {
            if (KUBELET_CONDITIONS.contains(condition.getType()) && !"Unknown".equals(condition.getStatus())) {
                condition.setLastHeartbeatTime(now.toString());
            }
        }
        if (creating) {
            meta.setUid(UUID.randomUUID().toString());
            Instant created = sim.createdAt() == null ? now : sim.createdAt().truncatedTo(ChronoUnit.SECONDS);
            meta.setCreationTimestamp(created.toString());
            // the CRUD mock's update handlers expect every stored object to carry a generation
            meta.setGeneration(1L);
        }
        meta.setResourceVersion(String.valueOf(resourceVersions.getAsLong()));
        return SERIALIZATION.asJson(node);
    }

    static String kubeletVersion(SimNode sim) {
        return sim != null && notBlank(sim.kubeletVersion()) ? sim.kubeletVersion() : DEFAULT_KUBELET_VERSION;
    }

    private static Map<String, String> labels(SimNode sim, Map<String, String> current, Memo memo) {
        Map<String, String> desired = desiredLabels(sim);
        Map<String, String> labels = new LinkedHashMap<>(nullToEmpty(current));
        for (String previouslyManaged : memo.labelKeys.getOrDefault(sim.name(), Set.of())) {
            if (!desired.containsKey(previouslyManaged)) {
                labels.remove(previouslyManaged);
            }
        }
        labels.putAll(desired);
        memo.labelKeys.put(sim.name(), Set.copyOf(desired.keySet()));
        return labels;
    }

    /** The labels the simulator gives the node of {@code sim}. */
    static Map<String, String> desiredLabels(SimNode sim) {
        Map<String, String> desired = new LinkedHashMap<>();
        desired.put("kubernetes.io/hostname", sim.name());
        desired.put("kubernetes.io/os", "linux");
        desired.put("kubernetes.io/arch", "amd64");
        desired.put("beta.kubernetes.io/os", "linux");
        desired.put("beta.kubernetes.io/arch", "amd64");
        desired.put("node.kubernetes.io/instance-type", "rke2");
        Map<String, String> machine = nullToEmpty(sim.labels());
        machine.forEach((key, value) -> {
            if (key != null && value != null) {
                desired.put(key, value);
            }
        });
        if (isTrue(machine, "rke.cattle.io/etcd-role")) {
            desired.put(ROLE_LABEL_PREFIX + "etcd", "true");
        }
        if (isTrue(machine, "rke.cattle.io/control-plane-role")) {
            desired.put(ROLE_LABEL_PREFIX + "control-plane", "true");
            desired.put(ROLE_LABEL_PREFIX + "master", "true");
        }
        if (isTrue(machine, "rke.cattle.io/worker-role")) {
            desired.put(ROLE_LABEL_PREFIX + "worker", "true");
        }
        return desired;
    }

    private static List<Taint> taints(SimNode sim, List<Taint> current, Memo memo) {
        List<Taint> result = new ArrayList<>();
        Set<String> desiredIds = new HashSet<>();
        for (SimTaint taint : sim.taints() == null ? List.<SimTaint>of() : sim.taints()) {
            if (taint != null && notBlank(taint.key()) && desiredIds.add(taintId(taint.key(), taint.effect()))) {
                result.add(new Taint(taint.effect(), taint.key(), null, taint.value()));
            }
        }
        Set<String> previouslyManaged = memo.taintIds.getOrDefault(sim.name(), Set.of());
        for (Taint taint : current == null ? List.<Taint>of() : current) {
            String id = taintId(taint.getKey(), taint.getEffect());
            if (!previouslyManaged.contains(id) && !desiredIds.contains(id)) {
                result.add(taint);
            }
        }
        memo.taintIds.put(sim.name(), Set.copyOf(desiredIds));
        return result;
    }

    private static String taintId(String key, String effect) {
        return key + ":" + effect;
    }

    private static List<NodeCondition> conditions(SimNode sim, List<NodeCondition> current, String firstTransition) {
        boolean unknown = !sim.ready() && STATUS_UNKNOWN_REASON.equals(sim.readyReason());
        Map<String, SimNode.Condition> injected = new HashMap<>();
        for (SimNode.Condition c : sim.conditions()) {
            injected.put(c.type(), c);
        }
        List<NodeCondition> own = new ArrayList<>();
        // Calico's condition: a kubelet that stops reporting leaves it as it was
        own.add(injectedOrDefault(NodeConditions.NETWORK_UNAVAILABLE, injected));
        for (String pressure :
                List.of(NodeConditions.MEMORY_PRESSURE, NodeConditions.DISK_PRESSURE, NodeConditions.PID_PRESSURE)) {
            own.add(unknown ? unknownCondition(pressure) : injectedOrDefault(pressure, injected));
        }
        if (sim.ready()) {
            own.add(condition(
                    "Ready",
                    "True",
                    notBlank(sim.readyReason()) ? sim.readyReason() : "KubeletReady",
                    "kubelet is posting ready status"));
        } else if (unknown) {
            own.add(unknownCondition("Ready"));
        } else {
            String reason = notBlank(sim.readyReason()) ? sim.readyReason() : "KubeletNotReady";
            own.add(condition("Ready", "False", reason, notReadyMessage(reason)));
        }
        Map<String, NodeCondition> previous = new HashMap<>();
        List<NodeCondition> others = new ArrayList<>();
        for (NodeCondition condition : current == null ? List.<NodeCondition>of() : current) {
            if (OWN_CONDITIONS.contains(condition.getType())) {
                previous.put(condition.getType(), condition);
            } else {
                others.add(condition);
            }
        }
        boolean existingNode = current != null && !current.isEmpty();
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        for (NodeCondition condition : own) {
            NodeCondition before = previous.get(condition.getType());
            boolean same = before != null
                    && condition.getStatus().equals(before.getStatus())
                    && before.getLastTransitionTime() != null;
            String transition = same ? before.getLastTransitionTime() : existingNode ? now : firstTransition;
            condition.setLastTransitionTime(transition);
            // Calico writes its condition only when the status changes, heartbeat and transition alike
            boolean keepHeartbeat = before != null
                    && before.getLastHeartbeatTime() != null
                    && (same || !condition.getType().equals(NodeConditions.NETWORK_UNAVAILABLE));
            condition.setLastHeartbeatTime(keepHeartbeat ? before.getLastHeartbeatTime() : transition);
        }
        own.addAll(others);
        return own;
    }

    private static NodeCondition injectedOrDefault(String type, Map<String, SimNode.Condition> injected) {
        SimNode.Condition c = injected.get(type);
        if (c == null) {
            return condition(
                    type,
                    "False",
                    NodeConditions.defaultReason(type, "False"),
                    NodeConditions.defaultMessage(type, "False"));
        }
        return condition(
                type,
                c.status(),
                notBlank(c.reason()) ? c.reason() : NodeConditions.defaultReason(type, c.status()),
                c.message() != null ? c.message() : NodeConditions.defaultMessage(type, c.status()));
    }

    private static String notReadyMessage(String reason) {
        if (reason.equals("KubeletNotReady")) {
            return "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady"
                    + " message:Network plugin returns error: cni plugin not initialized";
        }
        return "kubelet is not ready: " + reason;
    }

    private static NodeCondition condition(String type, String status, String reason, String message) {
        NodeCondition condition = new NodeCondition();
        condition.setType(type);
        condition.setStatus(status);
        condition.setReason(reason);
        condition.setMessage(message);
        return condition;
    }

    private static NodeCondition unknownCondition(String type) {
        return condition(type, "Unknown", STATUS_UNKNOWN_REASON, NodeConditions.UNKNOWN_MESSAGE);
    }

    private static NodeSystemInfo nodeInfo(String name, String kubeletVersion) {
        UUID machine = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
        UUID boot = UUID.nameUUIDFromBytes(("boot:" + name).getBytes(StandardCharsets.UTF_8));
        NodeSystemInfo info = new NodeSystemInfo();
        info.setArchitecture("amd64");
        info.setBootID(boot.toString());
        info.setContainerRuntimeVersion("containerd://2.0.5-k3s2");
        info.setKernelVersion("6.8.0-79-generic");
        info.setKubeProxyVersion(kubeletVersion);
        info.setKubeletVersion(kubeletVersion);
        info.setMachineID(machine.toString().replace("-", ""));
        info.setOperatingSystem("linux");
        info.setOsImage("Ubuntu 24.04.3 LTS");
        info.setSystemUUID(machine.toString());
        return info;
    }

    private static Map<String, Quantity> quantities(Map<String, Quantity> current, Map<String, String> defaults) {
        Map<String, Quantity> result = new LinkedHashMap<>(current == null ? Map.of() : current);
        defaults.forEach((key, value) -> result.putIfAbsent(key, new Quantity(value)));
        return result;
    }

    private static JsonNode tree(Node node) {
        try {
            return JSON.readTree(SERIALIZATION.asJson(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read back a serialized Node", e);
        }
    }

    private static boolean isTrue(Map<String, String> labels, String key) {
        return "true".equalsIgnoreCase(labels.get(key));
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }

    private static <K, V> Map<K, V> nullToEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
