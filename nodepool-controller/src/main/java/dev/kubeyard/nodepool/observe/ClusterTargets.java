package dev.kubeyard.nodepool.observe;

import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.cluster.NodePool;
import dev.kubeyard.inventory.cluster.NodeRoles;
import dev.kubeyard.nodepool.healing.DayTwoOperation;
import dev.kubeyard.nodepool.healing.NodeRole;
import dev.kubeyard.nodepool.observe.HealingObserver.ClusterTarget;
import dev.kubeyard.nodepool.observe.HealingObserver.PoolTarget;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the observer looks for in a cluster, from the inventory: its pools as the spec has them (with their own healing
 * rules, {@code nodePools[].healing}), the day-two operation
 * in progress (from its open operations), and the fleet key that shares a healing budget (a provider or region, from
 * the cluster's labels). A cluster Rancher has not provisioned yet, or one being deleted, is not a target.
 */
public final class ClusterTargets {

    /** Cluster label naming the fleet (provider, region) whose healing budget the cluster shares. */
    public static final String FLEET_LABEL = "kubeyard.dev/fleet";

    /** The well-known region label, used when the fleet label is absent. */
    public static final String REGION_LABEL = "topology.kubernetes.io/region";

    /** The fleet of clusters that name none. */
    public static final String DEFAULT_FLEET = "default";

    /** Operation kinds (their wire names) during which healing holds back. */
    static final Map<String, DayTwoOperation> HOLDING_OPERATIONS = Map.of(
            "Upgrade", DayTwoOperation.UPGRADE,
            "RotateCertificates", DayTwoOperation.CERTIFICATE_ROTATION,
            "EtcdRestore", DayTwoOperation.ETCD_RESTORE);

    private ClusterTargets() {}

    /**
     * @param openOperationKinds the wire names of the cluster's pending and running operations
     */
    public static Optional<ClusterTarget> of(ManagedCluster cluster, Collection<String> openOperationKinds) {
        if (cluster.isDeletionRequested() || cluster.getRancherManagementId().isEmpty()) {
            return Optional.empty();
        }
        Set<DayTwoOperation> operations = EnumSet.noneOf(DayTwoOperation.class);
        for (String kind : openOperationKinds) {
            DayTwoOperation op = HOLDING_OPERATIONS.get(kind);
            if (op != null) {
                operations.add(op);
            }
        }
        List<PoolTarget> pools = pools(cluster);
        return Optional.of(new ClusterTarget(
                cluster.getName(),
                cluster.getRancherManagementId().get(),
                fleetKey(cluster.getLabels()),
                pools,
                operations,
                false));
    }

    /** The cluster's pools as its spec has them, with their own healing rules; none paused. */
    public static List<PoolTarget> pools(ManagedCluster cluster) {
        Map<String, Object> specPools = specPools(cluster.getSpec());
        return cluster.getNodePools().stream()
                .map(p -> new PoolTarget(
                        p.getName(),
                        roles(p),
                        p.getQuantity(),
                        false,
                        PoolHealing.fromSpec(specPools.get(p.getName()))))
                .toList();
    }

    /** The spec's {@code healing} of each pool, by pool name. */
    private static Map<String, Object> specPools(Map<String, Object> spec) {
        Map<String, Object> healing = new java.util.HashMap<>();
        if (spec != null && spec.get("nodePools") instanceof List<?> pools) {
            for (Object pool : pools) {
                if (pool instanceof Map<?, ?> p && p.get("name") instanceof String name && p.get("healing") != null) {
                    healing.put(name, p.get("healing"));
                }
            }
        }
        return healing;
    }

    static String fleetKey(Map<String, String> labels) {
        String fleet = labels.get(FLEET_LABEL);
        if (fleet != null && !fleet.isBlank()) {
            return fleet;
        }
        String region = labels.get(REGION_LABEL);
        return region != null && !region.isBlank() ? "region/" + region : DEFAULT_FLEET;
    }

    private static Set<NodeRole> roles(NodePool pool) {
        NodeRoles roles = pool.getRoles();
        Set<NodeRole> out = EnumSet.noneOf(NodeRole.class);
        if (roles.etcd()) {
            out.add(NodeRole.ETCD);
        }
        if (roles.controlPlane()) {
            out.add(NodeRole.CONTROL_PLANE);
        }
        if (roles.worker()) {
            out.add(NodeRole.WORKER);
        }
        return out;
    }
}
