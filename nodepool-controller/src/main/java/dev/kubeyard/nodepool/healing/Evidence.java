package dev.kubeyard.nodepool.healing;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a node looked like when healing decided about it, captured into the decision record before the node is
 * replaced (the machine and its events are gone afterwards): the machine's status, the node's conditions, its most
 * recent events.
 *
 * @param health what the classifier made of it, with the numbers
 * @param recentEvents newest first, at most {@link #MAX_EVENTS}
 */
public record Evidence(
        String machine,
        Optional<String> node,
        MachinePhase phase,
        Instant machineCreatedAt,
        Optional<Instant> deletingSince,
        Optional<String> machineMessage,
        String health,
        List<NodeCondition> conditions,
        List<NodeEvent> recentEvents) {

    public static final int MAX_EVENTS = 20;

    public Evidence {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(machineCreatedAt, "machineCreatedAt");
        Objects.requireNonNull(deletingSince, "deletingSince");
        Objects.requireNonNull(machineMessage, "machineMessage");
        Objects.requireNonNull(health, "health");
        conditions = List.copyOf(conditions);
        recentEvents = List.copyOf(recentEvents);
    }

    public static Evidence of(ClassifiedNode classified) {
        ObservedNode n = classified.node();
        List<NodeEvent> events = n.events().stream()
                .sorted(Comparator.comparing(NodeEvent::at).reversed())
                .limit(MAX_EVENTS)
                .toList();
        return new Evidence(
                n.machine(),
                n.node(),
                n.phase(),
                n.createdAt(),
                n.deletingSince(),
                n.machineMessage(),
                classified.health().describe(),
                n.conditions(),
                events);
    }
}
