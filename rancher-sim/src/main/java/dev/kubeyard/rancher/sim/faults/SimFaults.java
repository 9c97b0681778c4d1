package dev.kubeyard.rancher.sim.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.SimTiming;
import java.util.NoSuchElementException;

/**
 * Fault injection and simulator control; the same operations as the admin HTTP API under {@code /_sim}.
 * Machines and clusters are named by their Kubernetes name in {@code fleet-default}; a cluster may also be
 * named by its management id. Unknown names throw {@link NoSuchElementException}.
 */
public interface SimFaults {

    /** Machine failure modes of {@link #failMachine}. */
    String MODE_ERROR = "error";

    String MODE_NOT_READY = "notready";

    /** New-machine fault modes of {@link #newMachineFault}, besides {@link #MODE_ERROR}. */
    String MODE_STUCK = "stuck";

    String MODE_NONE = "none";

    /**
     * {@code error}: the server failed (phase Failed, InfrastructureReady False, state error).
     * {@code notready}: the node stops reporting (node Ready Unknown, NodeHealthy and NodeReady False, phase
     * stays Running).
     */
    void failMachine(String machineName, String mode);

    void recoverMachine(String machineName);

    /**
     * Machines the pool creates from now on (replacements and scale-ups; not the ones it has) misbehave when
     * they reach Provisioning. {@code stuck}: provisioning hangs, the phase stays Provisioning with
     * InfrastructureReady False, no nodeRef and no Node. {@code error}: the machine fails as {@link #failMachine}
     * in mode error makes it. {@code none}: the pool's fault is off; machines created while it was on keep it.
     * {@link #recoverMachine} clears it from one machine (a stuck one goes on provisioning).
     *
     * @throws NoSuchElementException for an unknown cluster, or a pool not in its spec
     * @throws IllegalArgumentException for another mode
     */
    void newMachineFault(String clusterName, String poolName, String mode);

    /**
     * While on, {@code DELETE /v1/cluster.x-k8s.io.machines/<namespace>/<name>} of the cluster's machines is
     * denied as by an admission webhook (400 BadRequest, {@code admission webhook "..." denied the request: ...})
     * and deletes nothing. Pool scale-down, health-check remediation and cluster deletion still remove machines.
     */
    void refuseMachineDeletion(String clusterName, boolean refuse);

    /**
     * How many {@code DELETE}s of the machine the Steve API accepted since the last {@link #reset}, the DELETE
     * of an already deleting machine included, a refused or failed one not. Counts outlive the machine; 0 for a
     * name never deleted. The machine is named by name (or {@code namespace/name}).
     */
    int machineDeletions(String machineName);

    /** Provisioning and day-2 progress of the cluster stops until {@link #unstall}. */
    void stall(String clusterName);

    void unstall(String clusterName);

    /** A disconnected agent: management {@code Connected=False}, the proxy answers 500. */
    void agentConnected(String clusterName, boolean connected);

    /** An unreachable Kubernetes API: the proxy answers 502. */
    void apiReachable(String clusterName, boolean reachable);

    /** Serve the cluster's Kubernetes API from a real kube-apiserver instead of the in-memory one. */
    void useExternalApi(String clusterName, String apiServerUrl, String bearerToken);

    /**
     * The cluster's Deployments, StatefulSets and DaemonSets that match the fault never become ready, as if a pod
     * could not pull its image: existing ones turn not ready {@code workloadReadyMillis} after this call, ones created
     * or changed later settle not ready. Deployment: Available False {@code MinimumReplicasUnavailable}, Progressing
     * False {@code ProgressDeadlineExceeded}, no ready replicas, all unavailable, the fault's message in both
     * conditions; StatefulSet: no ready or available replicas; DaemonSet: none ready or available, all unavailable;
     * both with a condition Available False with the fault's reason and message. Faults add up (the first that
     * matches a workload wins); one with the same matchers as an earlier one replaces it. Not for a cluster whose API
     * is external.
     *
     * @throws NoSuchElementException for an unknown cluster
     */
    void failWorkloads(String clusterName, WorkloadFault fault);

    /** Clears the cluster's workload faults: its workloads become ready {@code workloadReadyMillis} later. */
    void healWorkloads(String clusterName);

    /** Delays every response under {@code pathPrefix} (null or empty: every path); 0 removes the delay. */
    void latency(long millis, String pathPrefix);

    /**
     * Answers a share of the requests under {@code pathPrefix} with {@code status} in Rancher's error shape
     * ({@code mode} "status"), or resets their connection ({@code mode} "reset"); rate 0 turns it off. A seed
     * makes the choice of requests repeatable.
     */
    void errors(double rate, int status, String mode, String pathPrefix, Long seed);

    void timing(SimTiming timing);

    SimTiming timing();

    /** All faults off, timing back to the start options, every cluster deleted and the demo clusters recreated. */
    void reset();

    /** Counts and active faults, as {@code GET /_sim/state} shows them. */
    ObjectNode state();

    /**
     * What the simulator holds for one Rancher user, as {@code GET /_sim/users/{id}} shows it: whether it exists,
     * its tokens (name, kind, clusterId, expiresAt; never a secret) and the ids of its role bindings. Answers for
     * a user that does not exist (any more) too, so that a test can see that nothing is left.
     */
    ObjectNode user(String userId);
}
