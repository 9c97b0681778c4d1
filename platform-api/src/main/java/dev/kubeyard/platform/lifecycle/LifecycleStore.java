package dev.kubeyard.platform.lifecycle;

import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.cluster.ManagedClusterRepository;
import dev.kubeyard.inventory.cluster.NodePool;
import dev.kubeyard.inventory.operation.Operation;
import dev.kubeyard.inventory.operation.OperationRepository;
import dev.kubeyard.inventory.operation.OperationState;
import dev.kubeyard.platform.audit.AuditLog;
import dev.kubeyard.platform.cluster.SpecJson;
import dev.kubeyard.platform.lifecycle.ClusterPlan.PlannedCondition;
import dev.kubeyard.platform.lifecycle.ClusterPlan.PlannedStatus;
import dev.kubeyard.platform.lifecycle.ClusterPlan.PoolNodes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The reconciler's reads and writes of the inventory, each in a transaction of its own: a pass never holds a
 * transaction (or a connection) open while it waits for Rancher.
 */
@ApplicationScoped
public class LifecycleStore {

    @Inject
    ManagedClusterRepository clusters;

    @Inject
    OperationRepository operations;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Transactional
    public List<Long> clusterIds() {
        return clusters.listIds();
    }

    /**
     * The cluster as the planner needs it; empty when it is gone or has no spec to carry out (a row without node pools
     * was not made by the API, for example one imported by hand: it is not ours to provision).
     */
    @Transactional
    public Optional<DesiredCluster> load(long id) {
        ManagedCluster cluster = clusters.findById(id);
        if (cluster == null
                || SpecJson.isEmpty(cluster.getSpec())
                || !(cluster.getSpec().get("nodePools") instanceof List<?>)) {
            return Optional.empty();
        }
        List<DesiredCluster.OpenOperation> open = operations.listOpen(cluster.getName()).stream()
                .map(op -> new DesiredCluster.OpenOperation(
                        op.getId(),
                        OperationKind.fromWireName(op.getKind()),
                        op.getState(),
                        op.getParameters(),
                        op.getCheckpoint(),
                        op.getProgress(),
                        op.getCreatedAt()))
                .toList();
        return Optional.of(new DesiredCluster(
                cluster.getId(),
                cluster.getName(),
                cluster.getGeneration(),
                SpecJson.fromMap(cluster.getSpec()),
                cluster.isDeletionRequested(),
                cluster.getExpiresAt().orElse(null),
                cluster.getCorrelationId().orElse(null),
                cluster.getObservedGeneration(),
                cluster.getCreatedAt(),
                open));
    }

    @Transactional
    public void startOperation(UUID id, Map<String, Object> checkpoint) {
        Operation op = operations.findById(id);
        if (op != null && op.getState() == OperationState.PENDING) {
            op.start(checkpoint, clock.instant());
        }
    }

    @Transactional
    public void reportProgress(UUID id, int percent) {
        Operation op = operations.findById(id);
        if (op != null && op.getState() == OperationState.RUNNING) {
            op.reportProgress(percent);
        }
    }

    @Transactional
    public void finishOperation(UUID id, OperationState state, Map<String, Object> result, String message) {
        Operation op = operations.findById(id);
        if (op == null || op.getState().isTerminal()) {
            return;
        }
        Instant now = clock.instant();
        if (op.getState() == OperationState.PENDING && state == OperationState.SUCCEEDED) {
            op.start(now);
        }
        switch (state) {
            case SUCCEEDED -> op.succeed(result, now);
            case FAILED -> op.fail(message, now);
            case CANCELLED -> op.cancel(message, now);
            default -> throw new IllegalArgumentException("Not a final state: " + state);
        }
    }

    /** The platform asks for deletion on its own account: the same path as a user's DELETE, with its own reason. */
    @Transactional
    public void requestDeletion(long id, String reason) {
        ManagedCluster cluster = clusters.findById(id);
        if (cluster == null || cluster.isDeletionRequested()) {
            return;
        }
        String correlationId = UUID.randomUUID().toString();
        cluster.requestDeletion(clock.instant());
        cluster.setCorrelationId(correlationId);
        operations.persist(new Operation(
                UUID.randomUUID(),
                cluster,
                OperationKind.DELETE.wireName(),
                Map.of("reason", reason),
                AuditLog.SYSTEM_ACTOR,
                correlationId,
                null));
        audit.record(
                AuditLog.SYSTEM_ACTOR,
                "cluster.delete",
                "cluster",
                cluster.getName(),
                AuditLog.REASON_TIME_TO_LIVE,
                correlationId,
                Map.of("message", reason));
    }

    @Transactional
    public void forget(long id, String reason, String correlationId) {
        ManagedCluster cluster = clusters.findById(id);
        if (cluster == null) {
            return;
        }
        audit.record(
                AuditLog.SYSTEM_ACTOR,
                "cluster.forget",
                "cluster",
                cluster.getName(),
                AuditLog.REASON_USER_REQUEST,
                correlationId == null ? UUID.randomUUID().toString() : correlationId,
                Map.of("message", reason));
        clusters.delete(cluster);
    }

    /**
     * Writes the observed status. Hibernate writes only what changed, and conditions keep their transition time unless
     * their status flips, so a pass that sees nothing new writes nothing.
     *
     * @param failure a Rancher failure that stopped the pass, or null
     */
    @Transactional
    public void recordStatus(long id, PlannedStatus status, boolean allActionsDone, String failure) {
        ManagedCluster cluster = clusters.findById(id);
        if (cluster == null) {
            return;
        }
        Instant now = clock.instant();
        cluster.setPhase(status.phase());
        for (PlannedCondition condition : status.conditions()) {
            if (failure != null && condition.type().equals(ClusterPlanner.CONDITION_SYNCED)) {
                continue;
            }
            cluster.setCondition(condition.type(), condition.status(), condition.reason(), condition.message(), now);
        }
        if (failure != null) {
            cluster.setCondition(
                    ClusterPlanner.CONDITION_SYNCED,
                    dev.kubeyard.inventory.cluster.ConditionStatus.FALSE,
                    "RancherUnavailable",
                    failure,
                    now);
        }
        if (allActionsDone && failure == null) {
            cluster.setObservedGeneration(Math.min(status.observedGeneration(), cluster.getGeneration()));
        }
        if (status.observedKubernetesVersion() != null) {
            cluster.setObservedKubernetesVersion(status.observedKubernetesVersion());
        }
        if (status.managementId() != null
                && !status.managementId()
                        .equals(cluster.getRancherManagementId().orElse(null))) {
            cluster.setRancherIds(cluster.getName(), status.managementId());
        }
        if (cluster.getNodesDesired() != status.nodesDesired() || cluster.getNodesReady() != status.nodesReady()) {
            cluster.setNodeCounts(status.nodesDesired(), status.nodesReady());
        }
        for (NodePool pool : cluster.getNodePools()) {
            PoolNodes counts = status.pools().get(pool.getName());
            if (counts != null
                    && (pool.getNodesTotal() != counts.total()
                            || pool.getNodesReady() != Math.min(counts.ready(), counts.total()))) {
                pool.setNodeCounts(counts.total(), Math.min(counts.ready(), counts.total()));
            }
        }
    }

    /** Like {@link #recordUnreachable}, for a cluster the reconciler provisions (one {@link #load} would return). */
    @Transactional
    public void recordUnreachableIfOurs(long id, String message) {
        if (load(id).isPresent()) {
            recordUnreachable(id, message);
        }
    }

    /** Records that Rancher could not be read: the cluster keeps its phase, Synced says why nothing moved. */
    @Transactional
    public void recordUnreachable(long id, String message) {
        ManagedCluster cluster = clusters.findById(id);
        if (cluster != null) {
            cluster.setCondition(
                    ClusterPlanner.CONDITION_SYNCED,
                    dev.kubeyard.inventory.cluster.ConditionStatus.FALSE,
                    "RancherUnavailable",
                    message,
                    clock.instant());
        }
    }
}
