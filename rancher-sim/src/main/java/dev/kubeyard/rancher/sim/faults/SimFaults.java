package dev.kubeyard.rancher.sim.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.SimTiming;
import java.time.Instant;
import java.util.List;
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

    /** New-machine fault modes of {@link #newMachineFault} that fail creation as the OpenStack driver reports it. */
    String MODE_QUOTA = "quota";

    String MODE_IMAGE = "image";

    String MODE_INFRASTRUCTURE = "infrastructure";

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
     * {@link #recoverMachine} clears it from one machine (a stuck one goes on provisioning). {@code quota},
     * {@code image} (the user's mistakes) and {@code infrastructure} (the cloud failing) fail the machine as
     * {@code error} does, with the OpenStack driver's message in the InfrastructureReady condition and in
     * {@code status.deprecated.v1beta1.failureMessage} (failureReason {@code CreateError}): {@code Error creating
     * machine: Error in driver during machine creation: } followed by {@code Quota exceeded for instances: Requested
     * 1, but already used 20 of 20 instances}, {@code Unable to find image: <the pool's imageName>} or {@code No valid
     * host was found. There are not enough hosts available.}
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
     * Creates objects in the cluster's in-memory Kubernetes API as POSTs to their collections would, without HTTP
     * (seeding a benchmark's thousands of objects); starts the API server if needed and blocks meanwhile.
     *
     * @return the objects created
     * @throws NoSuchElementException for an unknown cluster
     * @throws IllegalArgumentException for an object without apiVersion, kind or name, one the API refuses (the ones
     *     before it stay created), or a cluster served by an external API server
     */
    int createObjects(String clusterName, List<JsonNode> objects);

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

    // ---- cluster health (what a health checker probes) -------------------------------------------------------

    /**
     * Shows a condition on the machine's downstream Node instead of its default: {@code type} MemoryPressure,
     * DiskPressure, PIDPressure or NetworkUnavailable, {@code status} True, False or Unknown; reason and message
     * default to what the kubelet (or Calico, for NetworkUnavailable) writes. {@code lastTransitionTime} changes only
     * when the status flips; watchers see MODIFIED. While a condition is True the node carries the matching
     * {@code node.kubernetes.io/<memory|disk|pid>-pressure} or {@code network-unavailable} NoSchedule taint, and a
     * True pressure condition makes the machine's NodeHealthy False (Unknown: Unknown), as CAPI summarises it. Kept
     * for a node that registers later; a node whose kubelet stopped reporting shows the kubelet's conditions
     * Unknown.
     *
     * @throws NoSuchElementException for an unknown machine
     * @throws IllegalArgumentException for another type or status, or a reason that is not a CamelCase word
     */
    void nodeCondition(String machineName, String type, String status, String reason, String message);

    /** Back to the default node conditions (the pressure ones False, NetworkUnavailable False {@code CalicoIsUp}). */
    void clearNodeConditions(String machineName);

    /**
     * What metrics-server reports for the machine's node ({@code /apis/metrics.k8s.io/v1beta1/nodes}); by default
     * 350-449m of its 4 CPUs and about a quarter of its 16 GiB.
     *
     * @throws IllegalArgumentException for a negative value
     */
    void nodeUsage(String machineName, long cpuMillis, long memoryBytes);

    /**
     * rancher-system-agent on the machine's node stops (or resumes) checking in: the CAPI Machine's condition
     * {@code Reconciled} turns False with reason {@code Waiting} and message {@code rancher-system-agent on <node> has
     * not checked in since <time>} (state {@code reconciling}), and back to True. The node itself stays Ready.
     */
    void nodeAgentConnected(String machineName, boolean connected);

    /**
     * The component's probe in {@code /api/v1/componentstatuses}: {@code component} is {@code scheduler},
     * {@code controller-manager} or {@code etcd-0}; unhealthy gives condition Healthy False with the message (null
     * or empty: a connection refused on the component's port, as kube-apiserver's prober reports it).
     *
     * @throws IllegalArgumentException for another component
     */
    void componentHealthy(String clusterName, String component, boolean healthy, String message);

    /**
     * The cluster's etcd: unhealthy fails the {@code etcd} check of {@code /readyz}, {@code /livez} and
     * {@code /healthz} (and {@code etcd-readiness} of {@code /readyz}), makes component {@code etcd-0} unhealthy and
     * {@code apiserver_storage_objects} -1. {@code dbSizeBytes} is {@code apiserver_storage_size_bytes}; 0 or less:
     * the default of 40 MiB.
     */
    void etcd(String clusterName, boolean healthy, long dbSizeBytes);

    /**
     * Fails (or passes again) one named check of {@code /readyz}, and of {@code /livez} and {@code /healthz} when they
     * have it ({@code etcd}, {@code informer-sync}, {@code poststarthook/rbac/bootstrap-roles}, {@code shutdown}, ...).
     * The checks {@link #etcd} fails stay failed while etcd is unhealthy.
     *
     * @throws IllegalArgumentException for a check kube-apiserver does not have
     */
    void readyzCheck(String clusterName, String check, boolean ok);

    /**
     * The simulated traffic behind the cluster's {@code /metrics} (20 non-watch requests and 1 finished watch per
     * second since its API became known): from now on {@code errorRatio} of the non-watch requests are answered 500
     * or 503, and their latency has its 99th percentile at {@code p99LatencyMillis} (0: the default 30 ms). Counters
     * advance with time at the settings in force, so a rate between two scrapes reflects the settings in between.
     *
     * @throws IllegalArgumentException for a ratio outside [0, 1] or a negative latency
     */
    void apiServerTraffic(String clusterName, double errorRatio, long p99LatencyMillis);

    /**
     * Whether the cluster serves metrics-server's {@code metrics.k8s.io}; when not, every path of the group answers
     * 404 {@code NotFound} {@code the server could not find the requested resource}, as without its APIService.
     */
    void metricsApi(String clusterName, boolean available);

    /**
     * When the certificates of the cluster's control-plane machines expire ({@code status.certificatesExpiryDate});
     * null: back to the default, a year after the node registered or a certificate rotation finished. A finished
     * rotation clears it.
     */
    void certificatesExpireAt(String clusterName, Instant at);

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
