package dev.kubeyard.nodepool.observe;

import dev.kubeyard.nodepool.healing.ConditionStatus;
import dev.kubeyard.nodepool.healing.MachinePhase;
import dev.kubeyard.nodepool.healing.NodeCondition;
import dev.kubeyard.nodepool.healing.NodeEvent;
import dev.kubeyard.nodepool.healing.NodeRole;
import dev.kubeyard.nodepool.healing.ObservedNode;
import dev.kubeyard.nodepool.healing.ObservedPool;
import dev.kubeyard.rancher.client.machine.Machine;
import dev.kubeyard.rancher.client.model.Condition;
import dev.kubeyard.rancher.client.model.ResourceState;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the observer saw, in the planner's words: a Rancher machine, the node that joined from it (as the cluster's API
 * has it) and the recent events about them become an {@link ObservedNode}; a pool's machines become an {@link
 * ObservedPool}. Pure: the observer fetches, this maps, so that every odd shape Rancher or a kubelet sends is tested
 * here without a server.
 */
public final class NodeObservations {

    /** Evidence kept per node: the newest events, at most this many. */
    static final int MAX_EVENTS = 10;

    private NodeObservations() {}

    /**
     * @param machine as Rancher reports it
     * @param node the node of that name in the cluster's API, empty when it has none (yet, or any more)
     * @param events events about the node or the machine, in any order
     * @param now stands in for a timestamp the machine lacks (a machine without a creation time is treated as new,
     *     so that it is never judged stuck on a guess)
     */
    public static ObservedNode node(Machine machine, Optional<Node> node, List<Event> events, Instant now) {
        Instant created = instant(machine.metadata().creationTimestamp()).orElse(now);
        Optional<Instant> deleting = instant(machine.metadata().deletionTimestamp());
        List<NodeCondition> conditions = node.map(n -> conditions(n, created)).orElse(List.of());
        return new ObservedNode(
                machine.name(),
                node.map(n -> n.getMetadata().getName()).or(machine::nodeName),
                phase(machine),
                created,
                deleting,
                conditions,
                message(machine),
                events(events));
    }

    /**
     * A pool's machines (those labelled with its name) with their nodes.
     *
     * @param nodesByName the cluster's nodes by name; a machine whose node is not among them has none
     * @param eventsByObject events by the name of the node or machine they are about
     */
    public static ObservedPool pool(
            String name,
            Set<NodeRole> roles,
            int desiredQuantity,
            boolean paused,
            List<Machine> machines,
            Map<String, Node> nodesByName,
            Map<String, List<Event>> eventsByObject,
            Instant now) {
        List<ObservedNode> nodes = new ArrayList<>();
        for (Machine machine : machines) {
            if (!machine.pool().map(name::equals).orElse(false)) {
                continue;
            }
            Optional<Node> node = machine.nodeName().map(nodesByName::get);
            List<Event> events = new ArrayList<>(eventsByObject.getOrDefault(machine.name(), List.of()));
            // RKE2 names a node after its machine: the same events must not count twice.
            machine.nodeName()
                    .filter(n -> !n.equals(machine.name()))
                    .ifPresent(n -> events.addAll(eventsByObject.getOrDefault(n, List.of())));
            nodes.add(node(machine, node, events, now));
        }
        return new ObservedPool(name, roles, desiredQuantity, paused, nodes);
    }

    /** The planner's roles from Rancher's. */
    public static Set<NodeRole> roles(Set<dev.kubeyard.rancher.client.provisioning.NodeRole> rancher) {
        Set<NodeRole> roles = EnumSet.noneOf(NodeRole.class);
        for (var role : rancher) {
            roles.add(
                    switch (role) {
                        case ETCD -> NodeRole.ETCD;
                        case CONTROL_PLANE -> NodeRole.CONTROL_PLANE;
                        case WORKER -> NodeRole.WORKER;
                    });
        }
        return roles;
    }

    static MachinePhase phase(Machine machine) {
        if (machine.isDeleting()) {
            return MachinePhase.DELETING;
        }
        return switch (machine.phase()) {
            case PENDING -> MachinePhase.PENDING;
            case PROVISIONING -> MachinePhase.PROVISIONING;
            case PROVISIONED -> MachinePhase.PROVISIONED;
            case RUNNING -> MachinePhase.RUNNING;
            case UPDATING -> MachinePhase.UPDATING;
            case DELETING -> MachinePhase.DELETING;
            case DELETED -> MachinePhase.DELETED;
            case FAILED -> MachinePhase.FAILED;
            case UNKNOWN -> MachinePhase.UNKNOWN;
        };
    }

    /**
     * The node's conditions. A condition without a transition time counts from the machine's creation: never from
     * "now", which would restart every timeout at each look.
     */
    static List<NodeCondition> conditions(Node node, Instant fallback) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return List.of();
        }
        List<NodeCondition> conditions = new ArrayList<>();
        for (var c : node.getStatus().getConditions()) {
            if (c.getType() == null) {
                continue;
            }
            conditions.add(new NodeCondition(
                    c.getType(),
                    status(c.getStatus()),
                    instant(c.getLastTransitionTime()).orElse(fallback),
                    c.getReason(),
                    c.getMessage()));
        }
        return conditions;
    }

    static ConditionStatus status(String wire) {
        if (wire == null) {
            return ConditionStatus.UNKNOWN;
        }
        return switch (wire.toLowerCase(Locale.ROOT)) {
            case "true" -> ConditionStatus.TRUE;
            case "false" -> ConditionStatus.FALSE;
            default -> ConditionStatus.UNKNOWN;
        };
    }

    /** What Rancher says is wrong with the machine: a failing condition's message, else its state's message. */
    static Optional<String> message(Machine machine) {
        for (Condition c : machine.status().conditions()) {
            if ("False".equalsIgnoreCase(c.status())
                    && c.message() != null
                    && !c.message().isBlank()) {
                return Optional.of(c.type() + ": " + c.message());
            }
        }
        ResourceState state = machine.metadata().stateOrUnknown();
        if ((state.error() || state.transitioning())
                && state.message() != null
                && !state.message().isBlank()) {
            return Optional.of(state.message());
        }
        return Optional.empty();
    }

    /** The newest events first, at most {@link #MAX_EVENTS}; an event's time is its last sighting. */
    static List<NodeEvent> events(List<Event> events) {
        return events.stream()
                .map(e -> new NodeEvent(eventTime(e), e.getType(), e.getReason(), e.getMessage()))
                .sorted(Comparator.comparing(NodeEvent::at).reversed())
                .limit(MAX_EVENTS)
                .toList();
    }

    private static Instant eventTime(Event e) {
        return instant(e.getLastTimestamp())
                .or(() -> e.getEventTime() == null
                        ? Optional.empty()
                        : instant(e.getEventTime().getTime()))
                .or(() -> instant(e.getFirstTimestamp()))
                .or(() -> e.getMetadata() == null
                        ? Optional.empty()
                        : instant(e.getMetadata().getCreationTimestamp()))
                .orElse(Instant.EPOCH);
    }

    static Optional<Instant> instant(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(java.time.OffsetDateTime.parse(timestamp).toInstant());
            } catch (DateTimeParseException again) {
                return Optional.empty();
            }
        }
    }
}
