package dev.kubeyard.rancher.client.provisioning;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.kubeyard.rancher.client.model.Taint;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One entry of {@code spec.rkeConfig.machinePools[]}. Durations are Go duration strings as Rancher
 * keeps them ({@code "5m0s"}); {@code unhealthyNodeTimeout} stays unset or {@code "0s"} on pools that
 * Kubeyard heals itself, so that Rancher's health check and ours never fight over a node.
 */
public record MachinePool(
        String name,
        Integer quantity,
        Boolean etcdRole,
        Boolean controlPlaneRole,
        Boolean workerRole,
        MachineConfigRef machineConfigRef,
        Map<String, String> labels,
        List<Taint> taints,
        Boolean drainBeforeDelete,
        String unhealthyNodeTimeout,
        Boolean paused,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public MachinePool {
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    /** A new pool with the given roles, draining nodes before deleting them. */
    public static MachinePool of(String name, int quantity, Set<NodeRole> roles, MachineConfigRef config) {
        return new MachinePool(
                name,
                quantity,
                roles.contains(NodeRole.ETCD),
                roles.contains(NodeRole.CONTROL_PLANE),
                roles.contains(NodeRole.WORKER),
                config,
                Map.of(),
                List.of(),
                true,
                null,
                null,
                null);
    }

    public Set<NodeRole> roles() {
        Set<NodeRole> r = EnumSet.noneOf(NodeRole.class);
        if (Boolean.TRUE.equals(etcdRole)) {
            r.add(NodeRole.ETCD);
        }
        if (Boolean.TRUE.equals(controlPlaneRole)) {
            r.add(NodeRole.CONTROL_PLANE);
        }
        if (Boolean.TRUE.equals(workerRole)) {
            r.add(NodeRole.WORKER);
        }
        return r;
    }

    public int quantityOrZero() {
        return quantity == null ? 0 : quantity;
    }

    public MachinePool withQuantity(int newQuantity) {
        return new MachinePool(
                name,
                newQuantity,
                etcdRole,
                controlPlaneRole,
                workerRole,
                machineConfigRef,
                labels,
                taints,
                drainBeforeDelete,
                unhealthyNodeTimeout,
                paused,
                extra);
    }

    public MachinePool withLabelsAndTaints(Map<String, String> newLabels, List<Taint> newTaints) {
        return new MachinePool(
                name,
                quantity,
                etcdRole,
                controlPlaneRole,
                workerRole,
                machineConfigRef,
                newLabels,
                newTaints,
                drainBeforeDelete,
                unhealthyNodeTimeout,
                paused,
                extra);
    }

    public MachinePool withMachineConfigRef(MachineConfigRef ref) {
        return new MachinePool(
                name,
                quantity,
                etcdRole,
                controlPlaneRole,
                workerRole,
                ref,
                labels,
                taints,
                drainBeforeDelete,
                unhealthyNodeTimeout,
                paused,
                extra);
    }

    public MachinePool withPaused(boolean newPaused) {
        return new MachinePool(
                name,
                quantity,
                etcdRole,
                controlPlaneRole,
                workerRole,
                machineConfigRef,
                labels,
                taints,
                drainBeforeDelete,
                unhealthyNodeTimeout,
                newPaused,
                extra);
    }
}
