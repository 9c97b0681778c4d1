package dev.kubeyard.nodepool.healing;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One managed cluster at the start of an evaluation: what Rancher and the cluster's API showed, and whether they could
 * be reached at all.
 *
 * @param name the cluster's name in the inventory
 * @param fleetKey the infrastructure provider and region the cluster runs in (for example {@code openstack/eu-west-1}):
 *     the key of the fleet-wide budget
 * @param rancherReachable whether Rancher answered; when it did not, {@code pools} are not to be trusted
 * @param apiReachable whether the cluster's API answered; when it did not, the nodes' conditions are unknown
 * @param operationsInProgress day-two operations running on the cluster (none, usually)
 * @param paused the cluster's pause switch
 * @param rancherRemediation pools on which Rancher's own machine health check is on, with its
 *     {@code unhealthyNodeTimeout}: Rancher heals those, and Kubeyard keeps out of them
 */
public record ObservedCluster(
        String name,
        String fleetKey,
        boolean rancherReachable,
        boolean apiReachable,
        Set<DayTwoOperation> operationsInProgress,
        boolean paused,
        List<ObservedPool> pools,
        Map<String, Duration> rancherRemediation) {

    public ObservedCluster {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fleetKey, "fleetKey");
        operationsInProgress =
                operationsInProgress.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(operationsInProgress));
        pools = List.copyOf(pools);
        rancherRemediation = Map.copyOf(rancherRemediation);
    }

    /** A cluster none of whose pools Rancher heals by itself. */
    public ObservedCluster(
            String name,
            String fleetKey,
            boolean rancherReachable,
            boolean apiReachable,
            Set<DayTwoOperation> operationsInProgress,
            boolean paused,
            List<ObservedPool> pools) {
        this(name, fleetKey, rancherReachable, apiReachable, operationsInProgress, paused, pools, Map.of());
    }

    /** Whether both Rancher and the cluster's API answered, so that the nodes can be judged. */
    public boolean observable() {
        return rancherReachable && apiReachable;
    }
}
