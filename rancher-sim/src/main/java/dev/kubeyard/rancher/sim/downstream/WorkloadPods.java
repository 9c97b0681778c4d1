package dev.kubeyard.rancher.sim.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.downstream.WorkloadStatus.Kind;
import dev.kubeyard.rancher.sim.downstream.WorkloadStatus.Stage;
import dev.kubeyard.rancher.sim.faults.WorkloadFault;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The Pods a ReplicaSet, StatefulSet or DaemonSet controller and the kubelets would keep for a workload whose status
 * the simulator just computed: a pure function of the workload (with that status), the stage of its rollout, the
 * fault that matches it, the cluster's nodes, the pods stored before and the time. As many pods as the status counts
 * (Deployment and StatefulSet {@code replicas}, DaemonSet {@code desiredNumberScheduled}), the first
 * {@code readyReplicas} ({@code numberReady}) of them Ready. Names, uids and times stay as they were while nothing
 * changes, so an unchanged workload gives pods equal to the stored ones. See DESIGN.md ("Workload controllers").
 */
final class WorkloadPods {

    /** A node pods can run on. */
    record Host(String name, String internalIp, boolean schedulable) {}

    /** How a fault's reason shows in a pod. */
    private enum Failure {
        /** Not scheduled: Pending, PodScheduled False, no container statuses. */
        UNSCHEDULABLE,
        /** Started and crashed: Running, waiting in CrashLoopBackOff, restarted, the last exit in lastState. */
        CRASHING,
        /** Never started (image pull, configuration): Pending, waiting with the reason. */
        NOT_STARTED
    }

    static final String POD_TEMPLATE_HASH = "pod-template-hash";
    static final String REVISION_HASH = "controller-revision-hash";
    static final String POD_NAME = "statefulset.kubernetes.io/pod-name";
    static final String POD_INDEX = "apps.kubernetes.io/pod-index";
    static final String TEMPLATE_GENERATION = "pod-template-generation";
    /** How often a crash-looping container has been restarted (fixed: a count that grew would rewrite pods). */
    static final int CRASH_RESTARTS = 5;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int SUFFIX_LENGTH = 5;

    private WorkloadPods() {}

    /**
     * The names of the pods the workload has, in order (the first ones are the ready ones).
     *
     * @param workload the stored object with the status just computed
     * @param hosts the cluster's nodes, sorted by name
     */
    static List<String> names(Kind kind, JsonNode workload, List<Host> hosts) {
        String name = workload.path("metadata").path("name").asText();
        String uid = workload.path("metadata").path("uid").asText();
        String hash = WorkloadStatus.templateHash(workload);
        int count = count(kind, workload, hosts);
        List<String> names = new ArrayList<>(count);
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < count; i++) {
            if (kind == Kind.STATEFUL_SET) {
                names.add(name + "-" + i);
                continue;
            }
            String prefix = kind == Kind.DEPLOYMENT ? name + "-" + hash + "-" : name + "-";
            String slot =
                    kind == Kind.DEPLOYMENT ? String.valueOf(i) : hosts.get(i).name();
            String podName;
            int attempt = 0;
            do {
                podName =
                        prefix + WorkloadStatus.suffix(uid + "/" + hash + "/" + slot + "/" + attempt++, SUFFIX_LENGTH);
            } while (!taken.add(podName));
            names.add(podName);
        }
        return names;
    }

    /**
     * The pods to store, by name, without {@code resourceVersion} (the store sets it).
     *
     * @param workload the stored object with the status just computed
     * @param stage where its rollout is: progressing pods that are not ready are still being created
     * @param fault the first fault matching the workload, or null: it shows in the pods that are not ready once the
     *     rollout settled
     * @param hosts the cluster's nodes, sorted by name
     * @param previous the stored pods by name (those of the workload; others are ignored)
     */
    static Map<String, ObjectNode> of(
            Kind kind,
            JsonNode workload,
            Stage stage,
            WorkloadFault fault,
            List<Host> hosts,
            Map<String, JsonNode> previous,
            Instant now) {
        List<String> names = names(kind, workload, hosts);
        String hash = WorkloadStatus.templateHash(workload);
        int ready = Math.min(names.size(), readyCount(kind, workload));
        List<Host> schedulable = hosts.stream().filter(Host::schedulable).toList();
        List<Host> candidates = schedulable.isEmpty() ? hosts : schedulable;
        Map<String, ObjectNode> pods = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String podName = names.get(i);
            JsonNode before = previous.getOrDefault(podName, NODES.missingNode());
            Host host = kind == Kind.DAEMON_SET ? hosts.get(i) : placed(before, candidates, i);
            WorkloadFault shown = i < ready || stage != Stage.SETTLED ? null : fault;
            pods.put(
                    podName,
                    pod(
                            kind,
                            workload,
                            hash,
                            podName,
                            i,
                            i < ready,
                            shown,
                            host,
                            hosts.size(),
                            before,
                            now.truncatedTo(ChronoUnit.SECONDS)));
        }
        return pods;
    }

    /** The pods the workload has: the status's count (a DaemonSet's never more than there are nodes). */
    private static int count(Kind kind, JsonNode workload, List<Host> hosts) {
        JsonNode status = workload.path("status");
        return switch (kind) {
            case DEPLOYMENT, STATEFUL_SET -> Math.max(0, status.path("replicas").asInt(0));
            case DAEMON_SET ->
                Math.max(
                        0,
                        Math.min(
                                hosts.size(),
                                status.path("desiredNumberScheduled").asInt(0)));
        };
    }

    private static int readyCount(Kind kind, JsonNode workload) {
        JsonNode status = workload.path("status");
        return Math.max(
                0,
                status.path(kind == Kind.DAEMON_SET ? "numberReady" : "readyReplicas")
                        .asInt(0));
    }

    /** Pods do not move: the node a pod runs on stays; a new pod goes to the next node in turn. */
    private static Host placed(JsonNode before, List<Host> candidates, int index) {
        String nodeName = before.path("spec").path("nodeName").asText("");
        for (Host host : candidates) {
            if (host.name().equals(nodeName)) {
                return host;
            }
        }
        return candidates.isEmpty() ? null : candidates.get(index % candidates.size());
    }

    private static ObjectNode pod(
            Kind kind,
            JsonNode workload,
            String hash,
            String podName,
            int index,
            boolean ready,
            WorkloadFault fault,
            Host host,
            int nodeCount,
            JsonNode before,
            Instant now) {
        JsonNode meta = workload.path("metadata");
        JsonNode template = workload.path("spec").path("template");
        String namespace = meta.path("namespace").asText();
        String workloadName = meta.path("name").asText();
        String uid = UUID.nameUUIDFromBytes(
                        (meta.path("uid").asText() + "/" + podName + "/" + hash).getBytes(StandardCharsets.UTF_8))
                .toString();
        // the same name with another uid is a new pod (a StatefulSet replaces its pods under their names)
        JsonNode previous = uid.equals(before.path("metadata").path("uid").asText()) ? before : NODES.missingNode();
        String time = now.toString();
        Failure failure = fault == null ? null : failure(fault.reason());

        ObjectNode pod = NODES.objectNode();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        ObjectNode podMeta = pod.putObject("metadata");
        podMeta.put("name", podName);
        podMeta.put("generateName", kind == Kind.DEPLOYMENT ? workloadName + "-" + hash + "-" : workloadName + "-");
        podMeta.put("namespace", namespace);
        podMeta.put("uid", uid);
        podMeta.put("generation", 1);
        podMeta.put(
                "creationTimestamp",
                previous.path("metadata").path("creationTimestamp").asText(time));
        ObjectNode labels = podMeta.putObject("labels");
        template.path("metadata").path("labels").properties().forEach(e -> labels.set(e.getKey(), e.getValue()));
        switch (kind) {
            case DEPLOYMENT -> labels.put(POD_TEMPLATE_HASH, hash);
            case STATEFUL_SET -> {
                labels.put(REVISION_HASH, workloadName + "-" + hash);
                labels.put(POD_NAME, podName);
                labels.put(POD_INDEX, String.valueOf(index));
            }
            case DAEMON_SET -> {
                labels.put(REVISION_HASH, hash);
                labels.put(
                        TEMPLATE_GENERATION,
                        String.valueOf(meta.path("generation").asLong(1)));
            }
        }
        if (template.path("metadata").path("annotations").isObject()) {
            podMeta.set(
                    "annotations", template.path("metadata").path("annotations").deepCopy());
        }
        podMeta.putArray("ownerReferences")
                .addObject()
                .put("apiVersion", "apps/v1")
                .put("kind", kind.kind)
                .put("name", workloadName)
                .put("uid", meta.path("uid").asText())
                .put("controller", true)
                .put("blockOwnerDeletion", true);

        boolean scheduled = host != null && failure != Failure.UNSCHEDULABLE;
        ObjectNode spec =
                template.path("spec").isObject() ? ((ObjectNode) template.path("spec")).deepCopy() : NODES.objectNode();
        putIfAbsent(spec, "restartPolicy", "Always");
        putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
        putIfAbsent(spec, "schedulerName", "default-scheduler");
        if (kind == Kind.STATEFUL_SET) {
            spec.put("hostname", podName);
            String service = workload.path("spec").path("serviceName").asText("");
            if (!service.isEmpty()) {
                spec.put("subdomain", service);
            }
        }
        if (scheduled) {
            spec.put("nodeName", host.name());
        }
        pod.set("spec", spec);

        pod.set(
                "status",
                status(
                        podName,
                        namespace,
                        uid,
                        spec,
                        ready,
                        fault,
                        failure,
                        scheduled ? host : null,
                        nodeCount,
                        previous.path("status"),
                        time));
        return pod;
    }

    private static ObjectNode status(
            String podName,
            String namespace,
            String uid,
            JsonNode spec,
            boolean ready,
            WorkloadFault fault,
            Failure failure,
            Host host,
            int nodeCount,
            JsonNode previous,
            String time) {
        ObjectNode status = NODES.objectNode();
        JsonNode before = previous.path("conditions");
        if (host == null) {
            status.put("phase", "Pending");
            String message = fault != null && fault.message() != null
                    ? fault.message()
                    : "0/" + nodeCount + " nodes are available: " + nodeCount + " Insufficient cpu.";
            status.putArray("conditions")
                    .add(condition(before, "PodScheduled", "False", "Unschedulable", message, time));
            return status;
        }
        String message = fault == null ? null : fault.messageFor(WorkloadStatus.podImages(spec));
        ArrayNode containerStatuses = NODES.arrayNode();
        List<String> unready = new ArrayList<>();
        boolean created = false;
        boolean notStarted = false;
        JsonNode containers = spec.path("containers");
        boolean anyMatches = false;
        for (JsonNode container : containers) {
            anyMatches |= fault != null
                    && fault.image() != null
                    && container.path("image").asText("").contains(fault.image());
        }
        for (JsonNode container : containers) {
            String name = container.path("name").asText();
            String image = container.path("image").asText("");
            JsonNode was = containerStatus(previous, name);
            boolean affected = !ready && (fault == null || !anyMatches || image.contains(fault.image()));
            ObjectNode cs = NODES.objectNode();
            cs.put("name", name);
            cs.put("image", image);
            int restarts = was.path("restartCount").asInt(0);
            ObjectNode state = cs.putObject("state");
            if (!affected) {
                created = true;
                cs.put("ready", true);
                cs.put("started", true);
                state.putObject("running")
                        .put(
                                "startedAt",
                                was.path("state")
                                        .path("running")
                                        .path("startedAt")
                                        .asText(time));
            } else {
                unready.add(name);
                cs.put("ready", false);
                if (fault == null) {
                    notStarted = true;
                    cs.put("started", false);
                    state.putObject("waiting").put("reason", "ContainerCreating");
                } else if (failure == Failure.CRASHING) {
                    created = true;
                    restarts = Math.max(restarts, CRASH_RESTARTS);
                    cs.put("started", false);
                    state.putObject("waiting").put("reason", "CrashLoopBackOff").put("message", message);
                    boolean oom = "OOMKilled".equals(fault.reason());
                    cs.putObject("lastState")
                            .putObject("terminated")
                            .put("exitCode", oom ? 137 : 1)
                            .put("reason", oom ? "OOMKilled" : "Error");
                } else {
                    created = true;
                    notStarted = true;
                    cs.put("started", false);
                    state.putObject("waiting").put("reason", fault.reason()).put("message", message);
                }
            }
            cs.put("restartCount", restarts);
            containerStatuses.add(cs);
        }
        String containersReady = unready.isEmpty() ? "True" : "False";
        String unreadyMessage = "containers with unready status: [" + String.join(" ", unready) + "]";
        status.put("phase", notStarted ? "Pending" : "Running");
        ArrayNode conditions = status.putArray("conditions");
        conditions.add(condition(before, "PodReadyToStartContainers", created ? "True" : "False", null, null, time));
        conditions.add(condition(before, "Initialized", "True", null, null, time));
        for (String type : List.of("Ready", "ContainersReady")) {
            conditions.add(condition(
                    before,
                    type,
                    containersReady,
                    unready.isEmpty() ? null : "ContainersNotReady",
                    unready.isEmpty() ? null : unreadyMessage,
                    time));
        }
        conditions.add(condition(before, "PodScheduled", "True", null, null, time));
        if (host.internalIp() != null && !host.internalIp().isBlank()) {
            status.put("hostIP", host.internalIp());
            status.putArray("hostIPs").addObject().put("ip", host.internalIp());
        }
        if (created) {
            String ip = podIp(namespace + "/" + podName + "/" + uid);
            status.put("podIP", ip);
            status.putArray("podIPs").addObject().put("ip", ip);
        }
        status.put("startTime", previous.path("startTime").asText(time));
        status.set("containerStatuses", containerStatuses);
        return status;
    }

    /** A pod condition whose {@code lastTransitionTime} changes only when its status flips. */
    private static ObjectNode condition(
            JsonNode previousConditions, String type, String status, String reason, String message, String time) {
        String since = time;
        for (JsonNode c : previousConditions) {
            if (type.equals(c.path("type").asText())
                    && status.equals(c.path("status").asText())) {
                since = c.path("lastTransitionTime").asText(time);
            }
        }
        ObjectNode condition = NODES.objectNode();
        condition.put("type", type);
        condition.put("status", status);
        condition.putNull("lastProbeTime");
        condition.put("lastTransitionTime", since);
        if (reason != null) {
            condition.put("reason", reason);
        }
        if (message != null) {
            condition.put("message", message);
        }
        return condition;
    }

    private static JsonNode containerStatus(JsonNode previousStatus, String name) {
        for (JsonNode cs : previousStatus.path("containerStatuses")) {
            if (name.equals(cs.path("name").asText())) {
                return cs;
            }
        }
        return NODES.missingNode();
    }

    /** CrashLoopBackOff and the exits that lead to it crash; Unschedulable is not scheduled; anything else waits. */
    private static Failure failure(String reason) {
        return switch (reason) {
            case "Unschedulable" -> Failure.UNSCHEDULABLE;
            case "CrashLoopBackOff", "Error", "OOMKilled" -> Failure.CRASHING;
            default -> Failure.NOT_STARTED;
        };
    }

    /** An address in RKE2's default cluster CIDR (10.42.0.0/16), stable for the pod. */
    private static String podIp(String key) {
        int hash = key.hashCode() & 0xffff;
        return "10.42." + (hash >> 8) + "." + Math.max(2, hash & 0xff);
    }

    private static void putIfAbsent(ObjectNode node, String field, String value) {
        if (!node.hasNonNull(field)) {
            node.put(field, value);
        }
    }
}
