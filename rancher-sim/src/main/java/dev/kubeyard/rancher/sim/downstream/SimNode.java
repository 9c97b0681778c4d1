package dev.kubeyard.rancher.sim.downstream;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The desired state of one Kubernetes node of a simulated cluster, derived from its machine.
 *
 * <p>{@code ready=false} gives the Ready condition status False with {@code readyReason} (default
 * KubeletNotReady), except the reason {@value NodeManifests#STATUS_UNKNOWN_REASON}, which gives status Unknown (the
 * node controller's verdict on a silent kubelet). Labels {@code rke.cattle.io/<role>-role=true} add the matching
 * {@code node-role.kubernetes.io/<role>} labels.
 *
 * @param conditions injected conditions of the types in {@link NodeConditions#TYPES}, shown instead of the
 *     defaults (the kubelet's ones only while the node is not Unknown)
 * @param usage what metrics-server reports for the node; null: the default (about 10% CPU, 25% memory)
 */
public record SimNode(
        String name,
        Map<String, String> labels,
        List<SimTaint> taints,
        boolean ready,
        String readyReason,
        String kubeletVersion,
        String internalIp,
        Instant createdAt,
        List<Condition> conditions,
        Usage usage) {

    public SimNode {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    /** A node without injected conditions and with the default usage. */
    public SimNode(
            String name,
            Map<String, String> labels,
            List<SimTaint> taints,
            boolean ready,
            String readyReason,
            String kubeletVersion,
            String internalIp,
            Instant createdAt) {
        this(name, labels, taints, ready, readyReason, kubeletVersion, internalIp, createdAt, List.of(), null);
    }

    /** An injected node condition; reason and message are shown as given. */
    public record Condition(String type, String status, String reason, String message) {}

    /** A node's resource usage as metrics-server reports it. */
    public record Usage(long cpuMillis, long memoryBytes) {}
}
