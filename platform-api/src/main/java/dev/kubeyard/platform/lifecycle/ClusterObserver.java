package dev.kubeyard.platform.lifecycle;

import dev.kubeyard.inventory.operation.OperationState;
import dev.kubeyard.platform.cluster.ClusterSpec.NodePoolSpec;
import dev.kubeyard.platform.rancher.RancherConnection;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.machine.Machine;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import dev.kubeyard.rancher.client.provisioning.RkeControlPlane;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads what Rancher holds for one cluster: only what the planner needs for this pass. */
@ApplicationScoped
public class ClusterObserver {

    @Inject
    RancherConnection rancher;

    @Inject
    RancherSpecs specs;

    public ObservedCluster observe(DesiredCluster desired) {
        RancherClient client = rancher.client();
        Optional<ProvisioningCluster> cluster = client.clusters().find(desired.name());
        List<Machine> machines = cluster.isPresent() ? client.machines().list(desired.name()) : List.of();

        Set<String> configs = new HashSet<>(specs.machineConfigNames(desired.name(), desired.spec()));
        boolean creatingOrChanging = !desired.deletionRequested()
                && (cluster.isEmpty()
                        || !specs.differences(cluster.get(), desired.name(), desired.spec())
                                .isEmpty());
        if (creatingOrChanging) {
            configs.clear();
            for (NodePoolSpec pool : desired.spec().nodePools()) {
                String name = specs.machineConfigName(desired.name(), pool);
                try {
                    client.machineConfigs().get(specs.machineConfigKind(), name);
                    configs.add(name);
                } catch (RancherNotFoundException e) {
                    // Absent: the planner creates it.
                }
            }
        }

        Optional<RkeControlPlane> plane = Optional.empty();
        boolean progressNeeded = desired.operations().stream()
                .anyMatch(op -> op.state() == OperationState.RUNNING
                        && op.kind().isDayTwo()
                        && op.kind() != OperationKind.REPLACE_NODE);
        if (cluster.isPresent() && progressNeeded) {
            try {
                plane = Optional.of(client.clusters().controlPlane(desired.name()));
            } catch (RancherNotFoundException e) {
                // Not there yet: progress stays unknown this pass.
            }
        }
        return new ObservedCluster(cluster, machines, configs, plane);
    }
}
