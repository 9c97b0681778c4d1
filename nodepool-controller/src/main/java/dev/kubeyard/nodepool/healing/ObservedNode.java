package dev.kubeyard.nodepool.healing;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One machine of a pool as Rancher reports it, with the node that joined from it as the cluster's API reports it.
 *
 * @param machine the machine's name in Rancher: what a replacement deletes
 * @param node the name of the node that joined from it, empty while none has
 * @param createdAt when the machine was created (its age decides "stuck provisioning")
 * @param deletingSince the machine's deletion timestamp, empty unless it is being deleted
 * @param conditions the node's conditions, empty while there is no node
 * @param machineMessage what Rancher says about the machine (its state or failure message), if anything
 * @param events recent events about the node or the machine, evidence for the decision record
 */
public record ObservedNode(
        String machine,
        Optional<String> node,
        MachinePhase phase,
        Instant createdAt,
        Optional<Instant> deletingSince,
        List<NodeCondition> conditions,
        Optional<String> machineMessage,
        List<NodeEvent> events) {

    public ObservedNode {
        Objects.requireNonNull(machine, "machine");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(deletingSince, "deletingSince");
        conditions = List.copyOf(conditions);
        Objects.requireNonNull(machineMessage, "machineMessage");
        events = List.copyOf(events);
    }

    /** Whether the machine is on its way out: work in flight, never judged. */
    public boolean deleting() {
        return deletingSince.isPresent() || phase == MachinePhase.DELETING || phase == MachinePhase.DELETED;
    }

    public Optional<NodeCondition> condition(String type) {
        return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
    }

    /** Whether it counts as a ready member: running, not deleting, its node {@code Ready=True}. */
    public boolean ready() {
        return !deleting()
                && phase.isRunning()
                && node.isPresent()
                && condition(NodeCondition.READY)
                        .map(c -> c.status() == ConditionStatus.TRUE)
                        .orElse(false);
    }
}
