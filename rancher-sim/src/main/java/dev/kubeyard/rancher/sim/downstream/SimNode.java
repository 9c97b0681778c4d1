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
 */
public record SimNode(
        String name,
        Map<String, String> labels,
        List<SimTaint> taints,
        boolean ready,
        String readyReason,
        String kubeletVersion,
        String internalIp,
        Instant createdAt) {}
