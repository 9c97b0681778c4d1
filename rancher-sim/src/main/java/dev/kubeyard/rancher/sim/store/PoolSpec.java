package dev.kubeyard.rancher.sim.store;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code spec.rkeConfig.machinePools[]}, as far as the simulator acts on it.
 *
 * @param unhealthyNodeTimeout null when the pool has no machine health check (Rancher's auto-replace off)
 */
public record PoolSpec(
        String name,
        int quantity,
        boolean etcdRole,
        boolean controlPlaneRole,
        boolean workerRole,
        String machineConfigKind,
        String machineConfigName,
        Map<String, String> labels,
        List<Taint> taints,
        boolean paused,
        boolean drainBeforeDelete,
        Duration unhealthyNodeTimeout) {

    /** A core/v1 Taint of a pool. */
    public record Taint(String key, String value, String effect) {}

    /** {@code OpenstackConfig} becomes {@code OpenstackMachine}, the infrastructure kind of its machines. */
    public String infrastructureKind() {
        String kind = machineConfigKind == null || machineConfigKind.isEmpty() ? "OpenstackConfig" : machineConfigKind;
        return kind.endsWith("Config") ? kind.substring(0, kind.length() - "Config".length()) + "Machine" : kind;
    }

    /** The machine-config collection name: {@code OpenstackConfig} lives in {@code openstackconfigs}. */
    public String machineConfigPlural() {
        return machineConfigKind == null ? null : machineConfigKind.toLowerCase(java.util.Locale.ROOT) + "s";
    }
}
