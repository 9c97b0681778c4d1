package dev.kubeyard.platform.lifecycle;

import dev.kubeyard.platform.lifecycle.ClusterAction.CreateCluster;
import dev.kubeyard.platform.lifecycle.ClusterAction.CreateMachineConfig;
import dev.kubeyard.platform.lifecycle.ClusterAction.DeleteCluster;
import dev.kubeyard.platform.lifecycle.ClusterAction.DeleteMachine;
import dev.kubeyard.platform.lifecycle.ClusterAction.DeleteMachineConfig;
import dev.kubeyard.platform.lifecycle.ClusterAction.RequestGeneration;
import dev.kubeyard.platform.lifecycle.ClusterAction.UpdateCluster;
import dev.kubeyard.platform.rancher.RancherConnection;
import dev.kubeyard.rancher.client.RancherAlreadyExistsException;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.provisioning.EtcdSnapshotRestore;
import dev.kubeyard.rancher.client.provisioning.GenerationRequest;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import dev.kubeyard.rancher.client.provisioning.RkeConfig;
import dev.kubeyard.rancher.client.provisioning.RotateCertificates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Carries out the Rancher steps of a plan through the one port, the Rancher client. Every step is safe to repeat: what
 * exists is not created twice, what is gone is not deleted twice, generation counters are raised to a target rather
 * than incremented.
 */
@ApplicationScoped
public class RancherActor {

    /** What happened to one step. */
    public enum Outcome {
        DONE,
        NOOP
    }

    @Inject
    RancherConnection rancher;

    @Inject
    RancherSpecs specs;

    /**
     * @throws dev.kubeyard.rancher.client.RancherException when Rancher refuses or cannot be reached
     */
    public Outcome execute(ClusterAction action, DesiredCluster desired) {
        RancherClient client = rancher.client();
        switch (action) {
            case CreateMachineConfig a -> {
                try {
                    client.machineConfigs().create(a.config());
                    return Outcome.DONE;
                } catch (RancherAlreadyExistsException e) {
                    return Outcome.NOOP;
                }
            }
            case CreateCluster a -> {
                try {
                    client.clusters().create(a.cluster());
                    return Outcome.DONE;
                } catch (RancherAlreadyExistsException e) {
                    return Outcome.NOOP;
                }
            }
            case UpdateCluster a -> {
                client.clusters().modify(a.cluster(), c -> specs.merge(c, desired.name(), desired.spec()));
                return Outcome.DONE;
            }
            case DeleteCluster a -> {
                try {
                    client.clusters().delete(a.cluster());
                    return Outcome.DONE;
                } catch (RancherNotFoundException e) {
                    return Outcome.NOOP;
                }
            }
            case DeleteMachineConfig a -> {
                try {
                    client.machineConfigs().delete(a.kind(), a.name());
                    return Outcome.DONE;
                } catch (RancherNotFoundException e) {
                    return Outcome.NOOP;
                }
            }
            case DeleteMachine a -> {
                try {
                    client.machines().delete(a.machine());
                    return Outcome.DONE;
                } catch (RancherNotFoundException e) {
                    return Outcome.NOOP;
                }
            }
            case RequestGeneration a -> {
                client.clusters().modify(desired.name(), c -> raise(c, a));
                return Outcome.DONE;
            }
            default -> throw new IllegalArgumentException("Not a Rancher step: " + action);
        }
    }

    /** The cluster with the operation's counter raised to the target (left alone when it is there already). */
    private static ProvisioningCluster raise(ProvisioningCluster c, RequestGeneration a) {
        if (ClusterPlanner.counter(c, a.kind()) >= a.generation()) {
            return c;
        }
        RkeConfig rke = c.spec().rkeConfig() == null
                ? RkeConfig.of(List.of())
                : c.spec().rkeConfig();
        RkeConfig raised =
                switch (a.kind()) {
                    case ROTATE_CERTIFICATES ->
                        rke.withRotateCertificates(new RotateCertificates(a.generation(), List.of()));
                    case ETCD_SNAPSHOT -> rke.withEtcdSnapshotCreate(new GenerationRequest(a.generation()));
                    case ETCD_RESTORE ->
                        rke.withEtcdSnapshotRestore(new EtcdSnapshotRestore(
                                a.snapshot(), a.generation(), a.mode().wire()));
                    default -> throw new IllegalArgumentException(a.kind() + " has no generation counter");
                };
        return c.withSpec(c.spec().withRkeConfig(raised));
    }
}
