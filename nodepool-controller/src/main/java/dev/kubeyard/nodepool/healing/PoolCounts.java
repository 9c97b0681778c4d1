package dev.kubeyard.nodepool.healing;

/**
 * A pool's nodes counted by health: the inputs of the pool's guards.
 *
 * @param desired nodes the pool asks for
 * @param machines machines that are not being deleted
 * @param unhealthy nodes with an unhealthy condition, whether or not past its timeout
 * @param failed machines Rancher reports Failed
 * @param missing nodes the pool lacks: desired minus machines not being deleted (Rancher creates them)
 */
public record PoolCounts(
        int desired,
        int machines,
        int healthy,
        int unhealthy,
        int failed,
        int stuckProvisioning,
        int provisioning,
        int deleting,
        int notObserved,
        int missing) {

    /** What the max-unhealthy and jump shares count: unhealthy, failed, stuck and missing nodes. */
    public int unhealthyTotal() {
        return unhealthy + failed + stuckProvisioning + missing;
    }

    /**
     * Replacements in flight, from observed state alone: a replacement shows as a machine being deleted, then as a new
     * one provisioning, often both at once; the larger of the two counts (new machines of a pool growing count too).
     */
    public int inFlight() {
        return Math.max(deleting, provisioning);
    }
}
