package dev.kubeyard.platform.lifecycle;

import dev.kubeyard.rancher.client.machine.Machine;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import dev.kubeyard.rancher.client.provisioning.RkeControlPlane;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What Rancher holds for one cluster at the start of a pass.
 *
 * @param cluster the provisioning cluster, empty when Rancher has none by that name
 * @param machines the cluster's machines (empty when there is no cluster)
 * @param machineConfigs names of the machine configs the desired pools need that exist in Rancher (only looked up when
 *     the cluster is to be created or its pools changed; otherwise all are assumed present)
 * @param controlPlane the RKEControlPlane, read only while an operation needs its progress
 */
public record ObservedCluster(
        Optional<ProvisioningCluster> cluster,
        List<Machine> machines,
        Set<String> machineConfigs,
        Optional<RkeControlPlane> controlPlane) {

    public ObservedCluster {
        machines = List.copyOf(machines);
        machineConfigs = Set.copyOf(machineConfigs);
    }
}
