package dev.kubeyard.rancher.sim.downstream;

import java.util.List;

/**
 * The node conditions a test may inject ({@code MemoryPressure}, {@code DiskPressure}, {@code PIDPressure} written by
 * the kubelet, {@code NetworkUnavailable} written by Calico on RKE2 with canal or calico), their default reasons and
 * messages, and the taints the node lifecycle controller adds while one is True (TaintNodesByCondition).
 */
public final class NodeConditions {

    public static final String MEMORY_PRESSURE = "MemoryPressure";
    public static final String DISK_PRESSURE = "DiskPressure";
    public static final String PID_PRESSURE = "PIDPressure";
    public static final String NETWORK_UNAVAILABLE = "NetworkUnavailable";

    /** The condition types {@code nodeCondition} accepts. */
    public static final List<String> TYPES = List.of(MEMORY_PRESSURE, DISK_PRESSURE, PID_PRESSURE, NETWORK_UNAVAILABLE);

    /** Node condition statuses. */
    public static final List<String> STATUSES = List.of("True", "False", "Unknown");

    static final String UNKNOWN_REASON = "NodeStatusUnknown";
    static final String UNKNOWN_MESSAGE = "Kubelet stopped posting node status.";

    private NodeConditions() {}

    /** The reason the component that owns the condition writes for this status. */
    public static String defaultReason(String type, String status) {
        if ("Unknown".equals(status)) {
            return UNKNOWN_REASON;
        }
        boolean bad = "True".equals(status);
        return switch (type) {
            case MEMORY_PRESSURE -> bad ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory";
            case DISK_PRESSURE -> bad ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure";
            case PID_PRESSURE -> bad ? "KubeletHasInsufficientPID" : "KubeletHasSufficientPID";
            case NETWORK_UNAVAILABLE -> bad ? "CalicoIsDown" : "CalicoIsUp";
            default -> throw new IllegalArgumentException("no default for condition " + type);
        };
    }

    /** The message the component that owns the condition writes for this status. */
    public static String defaultMessage(String type, String status) {
        if ("Unknown".equals(status)) {
            return UNKNOWN_MESSAGE;
        }
        boolean bad = "True".equals(status);
        return switch (type) {
            case MEMORY_PRESSURE ->
                bad ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available";
            case DISK_PRESSURE -> bad ? "kubelet has disk pressure" : "kubelet has no disk pressure";
            case PID_PRESSURE ->
                bad ? "kubelet has insufficient PID available" : "kubelet has sufficient PID available";
            case NETWORK_UNAVAILABLE -> bad ? "Calico is shutting down on this node" : "Calico is running on this node";
            default -> throw new IllegalArgumentException("no default for condition " + type);
        };
    }

    /** The NoSchedule taint key the node lifecycle controller sets while the condition is True. */
    public static String taintKey(String type) {
        return switch (type) {
            case MEMORY_PRESSURE -> "node.kubernetes.io/memory-pressure";
            case DISK_PRESSURE -> "node.kubernetes.io/disk-pressure";
            case PID_PRESSURE -> "node.kubernetes.io/pid-pressure";
            case NETWORK_UNAVAILABLE -> "node.kubernetes.io/network-unavailable";
            default -> throw new IllegalArgumentException("no taint for condition " + type);
        };
    }
}
