package dev.kubeyard.rancher.sim.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.faults.WorkloadFault;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The status a workload controller would write for a Deployment, StatefulSet or DaemonSet: a pure function of the
 * stored object, the stage of its rollout, the fault that matches it, the number of nodes and the time. Field
 * presence follows the Go types of apps/v1: zero counts marked {@code omitempty} are left out, so that a client
 * sees what kube-apiserver would send (fabric8 reads a missing count as null).
 */
final class WorkloadStatus {

    /** The simulated kinds, all of apps/v1. */
    enum Kind {
        DEPLOYMENT("Deployment", "deployments"),
        STATEFUL_SET("StatefulSet", "statefulsets"),
        DAEMON_SET("DaemonSet", "daemonsets");

        final String kind;
        final String plural;

        Kind(String kind, String plural) {
            this.kind = kind;
            this.plural = plural;
        }

        static Optional<Kind> ofPlural(String plural) {
            for (Kind k : values()) {
                if (k.plural.equals(plural)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }

        /** The object's path, which is also its key in the rollouts. */
        String path(String namespace, String name) {
            return "/apis/apps/v1/namespaces/" + namespace + "/" + plural + "/" + name;
        }

        /** The path listing this kind in every namespace. */
        String collectionPath() {
            return "/apis/apps/v1/" + plural;
        }
    }

    /** Where a rollout is: pods being replaced, or done (ready, or failed under a fault). */
    enum Stage {
        PROGRESSING,
        SETTLED
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The alphabet kube-controller-manager encodes pod-template hashes with (no vowels, no look-alikes). */
    private static final String HASH_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private WorkloadStatus() {}

    /**
     * The status to store.
     *
     * @param workload the stored object (its current {@code status} gives the condition times to keep)
     * @param fault the first fault matching the workload, or null
     * @param nodes how many Node objects the cluster has (DaemonSets only)
     */
    static ObjectNode of(Kind kind, JsonNode workload, Stage stage, WorkloadFault fault, int nodes, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        JsonNode previous = workload.path("status");
        long generation = workload.path("metadata").path("generation").asLong(1);
        String faultMessage = fault == null ? null : fault.messageFor(images(workload));
        return switch (kind) {
            case DEPLOYMENT -> deployment(workload, stage, faultMessage, generation, previous, time);
            case STATEFUL_SET -> statefulSet(workload, stage, fault, faultMessage, generation, previous, time);
            case DAEMON_SET -> daemonSet(stage, fault, faultMessage, generation, nodes, previous, time);
        };
    }

    private static ObjectNode deployment(
            JsonNode workload, Stage stage, String faultMessage, long generation, JsonNode previous, String time) {
        int replicas = replicas(workload);
        String replicaSet = "ReplicaSet \"" + name(workload) + "-" + templateHash(workload) + "\"";
        boolean failed = stage == Stage.SETTLED && faultMessage != null;
        boolean ready = stage == Stage.SETTLED && faultMessage == null;
        ObjectNode status = NODES.objectNode();
        status.put("observedGeneration", generation);
        putIfNotZero(status, "replicas", replicas);
        putIfNotZero(status, "updatedReplicas", stage == Stage.SETTLED ? replicas : 0);
        putIfNotZero(status, "readyReplicas", ready ? replicas : 0);
        putIfNotZero(status, "availableReplicas", ready ? replicas : 0);
        putIfNotZero(status, "unavailableReplicas", ready ? 0 : replicas);
        ArrayNode conditions = status.putArray("conditions");
        JsonNode before = previous.path("conditions");
        if (ready) {
            conditions.add(condition(
                    before,
                    "Available",
                    "True",
                    "MinimumReplicasAvailable",
                    "Deployment has minimum availability.",
                    time,
                    true));
            conditions.add(condition(
                    before,
                    "Progressing",
                    "True",
                    "NewReplicaSetAvailable",
                    replicaSet + " has successfully progressed.",
                    time,
                    true));
        } else {
            conditions.add(condition(
                    before,
                    "Available",
                    "False",
                    "MinimumReplicasUnavailable",
                    failed
                            ? "Deployment does not have minimum availability: " + faultMessage
                            : "Deployment does not have minimum availability.",
                    time,
                    true));
            conditions.add(
                    failed
                            ? condition(
                                    before,
                                    "Progressing",
                                    "False",
                                    "ProgressDeadlineExceeded",
                                    replicaSet + " has timed out progressing: " + faultMessage,
                                    time,
                                    true)
                            : condition(
                                    before,
                                    "Progressing",
                                    "True",
                                    "ReplicaSetUpdated",
                                    replicaSet + " is progressing.",
                                    time,
                                    true));
        }
        return status;
    }

    private static ObjectNode statefulSet(
            JsonNode workload,
            Stage stage,
            WorkloadFault fault,
            String faultMessage,
            long generation,
            JsonNode previous,
            String time) {
        int replicas = replicas(workload);
        String revision = name(workload) + "-" + templateHash(workload);
        String previousRevision = previous.path("currentRevision").asText("");
        boolean ready = stage == Stage.SETTLED && fault == null;
        String currentRevision = ready || previousRevision.isEmpty() ? revision : previousRevision;
        ObjectNode status = NODES.objectNode();
        status.put("observedGeneration", generation);
        status.put("replicas", replicas);
        putIfNotZero(status, "readyReplicas", ready ? replicas : 0);
        putIfNotZero(
                status, "currentReplicas", stage == Stage.SETTLED && currentRevision.equals(revision) ? replicas : 0);
        putIfNotZero(status, "updatedReplicas", stage == Stage.SETTLED ? replicas : 0);
        status.put("currentRevision", currentRevision);
        status.put("updateRevision", revision);
        status.put("collisionCount", 0);
        status.put("availableReplicas", ready ? replicas : 0);
        addFaultCondition(status, stage, fault, faultMessage, previous, time);
        return status;
    }

    private static ObjectNode daemonSet(
            Stage stage,
            WorkloadFault fault,
            String faultMessage,
            long generation,
            int nodes,
            JsonNode previous,
            String time) {
        boolean ready = stage == Stage.SETTLED && fault == null;
        ObjectNode status = NODES.objectNode();
        status.put("currentNumberScheduled", nodes);
        status.put("numberMisscheduled", 0);
        status.put("desiredNumberScheduled", nodes);
        status.put("numberReady", ready ? nodes : 0);
        status.put("observedGeneration", generation);
        putIfNotZero(status, "updatedNumberScheduled", stage == Stage.SETTLED ? nodes : 0);
        putIfNotZero(status, "numberAvailable", ready ? nodes : 0);
        putIfNotZero(status, "numberUnavailable", ready ? 0 : nodes);
        addFaultCondition(status, stage, fault, faultMessage, previous, time);
        return status;
    }

    /**
     * The StatefulSet and DaemonSet controllers set no conditions; under a fault the simulator adds one of type
     * Available so that the fault's reason and message show.
     */
    private static void addFaultCondition(
            ObjectNode status, Stage stage, WorkloadFault fault, String message, JsonNode previous, String time) {
        if (stage == Stage.SETTLED && fault != null) {
            status.putArray("conditions")
                    .add(condition(
                            previous.path("conditions"), "Available", "False", fault.reason(), message, time, false));
        }
    }

    /**
     * A condition whose {@code lastTransitionTime} changes only when its status flips, and (with {@code updateTime})
     * whose {@code lastUpdateTime} changes only when status, reason or message change.
     */
    private static ObjectNode condition(
            JsonNode previousConditions,
            String type,
            String status,
            String reason,
            String message,
            String time,
            boolean updateTime) {
        JsonNode before = NODES.missingNode();
        for (JsonNode c : previousConditions) {
            if (type.equals(c.path("type").asText())) {
                before = c;
            }
        }
        boolean sameStatus = status.equals(before.path("status").asText(null));
        boolean unchanged = sameStatus
                && reason.equals(before.path("reason").asText(null))
                && message.equals(before.path("message").asText(null));
        ObjectNode condition = NODES.objectNode();
        condition.put("type", type);
        condition.put("status", status);
        if (updateTime) {
            condition.put(
                    "lastUpdateTime", unchanged ? before.path("lastUpdateTime").asText(time) : time);
        }
        condition.put(
                "lastTransitionTime",
                sameStatus ? before.path("lastTransitionTime").asText(time) : time);
        condition.put("reason", reason);
        condition.put("message", message);
        return condition;
    }

    /** {@code spec.replicas}, 1 when unset as the API server defaults it. */
    static int replicas(JsonNode workload) {
        JsonNode replicas = workload.path("spec").path("replicas");
        return replicas.canConvertToInt() ? Math.max(0, replicas.asInt()) : 1;
    }

    /** Every container image of the pod template, init containers included. */
    static List<String> images(JsonNode workload) {
        return podImages(workload.path("spec").path("template").path("spec"));
    }

    /** Every container image of a pod spec, init containers included. */
    static List<String> podImages(JsonNode podSpec) {
        List<String> images = new ArrayList<>();
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode container : podSpec.path(list)) {
                String image = container.path("image").asText("");
                if (!image.isEmpty()) {
                    images.add(image);
                }
            }
        }
        return images;
    }

    /**
     * A stable pod-template hash in the form kube-controller-manager gives it: the 32-bit FNV-1a of the template
     * written as ten decimal digits, each digit turned into a letter of the controller's alphabet.
     */
    static String templateHash(JsonNode workload) {
        long value = Integer.toUnsignedLong(
                fnv(workload.path("spec").path("template").toString()));
        String digits = String.format("%010d", value);
        StringBuilder out = new StringBuilder(digits.length());
        for (int i = 0; i < digits.length(); i++) {
            out.append(HASH_ALPHABET.charAt(digits.charAt(i) % HASH_ALPHABET.length()));
        }
        return out.toString();
    }

    /** {@code length} letters of the controller's alphabet from the text's hash, as in generated object names. */
    static String suffix(String text, int length) {
        long value = Integer.toUnsignedLong(fnv(text));
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(HASH_ALPHABET.charAt((int) (value % HASH_ALPHABET.length())));
            value /= HASH_ALPHABET.length();
        }
        return out.toString();
    }

    /** FNV-1a, 32 bits, over the UTF-8 bytes. */
    private static int fnv(String text) {
        int hash = 0x811c9dc5;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return hash;
    }

    private static String name(JsonNode workload) {
        return workload.path("metadata").path("name").asText("");
    }

    private static void putIfNotZero(ObjectNode status, String field, int value) {
        if (value != 0) {
            status.put(field, value);
        }
    }
}
