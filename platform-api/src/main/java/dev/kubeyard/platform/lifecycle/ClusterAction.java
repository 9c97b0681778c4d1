package dev.kubeyard.platform.lifecycle;

import dev.kubeyard.inventory.operation.OperationState;
import dev.kubeyard.rancher.client.machineconfig.MachineConfig;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import dev.kubeyard.rancher.client.provisioning.RestoreMode;
import java.util.Map;
import java.util.UUID;

/**
 * One step of a {@link ClusterPlan}, with the reason it is taken. Steps that write to the inventory come before the
 * Rancher calls that depend on them, so that a crash between the two resumes rather than repeats.
 */
public sealed interface ClusterAction {

    /** Why, in a sentence a user can read in the audit trail. */
    String reason();

    /** Whether carrying it out calls Rancher (and is audited as a Rancher write). */
    default boolean writesToRancher() {
        return true;
    }

    record CreateMachineConfig(MachineConfig config, String reason) implements ClusterAction {}

    record CreateCluster(ProvisioningCluster cluster, String reason) implements ClusterAction {}

    /** Lays the desired spec over whatever Rancher holds now (read-modify-write, retried on 409). */
    record UpdateCluster(String cluster, String reason) implements ClusterAction {}

    record DeleteCluster(String cluster, String reason) implements ClusterAction {}

    record DeleteMachineConfig(String kind, String name, String reason) implements ClusterAction {}

    /** Asks Rancher for a one-off act by raising its generation counter to at least {@code generation}. */
    record RequestGeneration(
            UUID operation, OperationKind kind, long generation, String snapshot, RestoreMode mode, String reason)
            implements ClusterAction {}

    record DeleteMachine(UUID operation, String machine, String reason) implements ClusterAction {}

    /** Marks an operation Running with what the reconciler commits to. */
    record StartOperation(UUID operation, Map<String, Object> checkpoint, String reason) implements ClusterAction {
        @Override
        public boolean writesToRancher() {
            return false;
        }
    }

    /** How far a running operation has got, in percent (never backwards). */
    record ReportProgress(UUID operation, int percent, String reason) implements ClusterAction {
        @Override
        public boolean writesToRancher() {
            return false;
        }
    }

    record FinishOperation(
            UUID operation, OperationState state, Map<String, Object> result, String message, String reason)
            implements ClusterAction {
        @Override
        public boolean writesToRancher() {
            return false;
        }
    }

    /** Asks for the cluster's deletion on the platform's own account (its time-to-live ran out). */
    record RequestDeletion(String reason) implements ClusterAction {
        @Override
        public boolean writesToRancher() {
            return false;
        }
    }

    /** Removes the cluster from the inventory once Rancher no longer has it. */
    record ForgetCluster(String reason) implements ClusterAction {
        @Override
        public boolean writesToRancher() {
            return false;
        }
    }
}
