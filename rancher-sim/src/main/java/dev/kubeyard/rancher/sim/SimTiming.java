package dev.kubeyard.rancher.sim;

/**
 * How long each simulated lifecycle step takes, in milliseconds.
 *
 * <p>{@link #fast()} suits tests (steps of 50 to 150 ms), {@link #realistic()} a sandbox or a demo
 * (a few seconds per step, a cluster is ready in about 15 s). Every field can be changed at run time
 * through {@code POST /_sim/timing} with a JSON object holding any subset of these names.
 *
 * @param tickMillis period of the lifecycle timer that advances objects in flight
 * @param machinePendingMillis Pending until the machine's bootstrap data exists and the server is requested
 * @param machineProvisioningMillis Provisioning until the server exists (infrastructure ready)
 * @param machineBootMillis Provisioned until the node registered and Ready (phase Running)
 * @param machineDeleteMillis Deleting until the machine is gone
 * @param agentConnectMillis all machines Running until the cluster agent connects (cluster Ready)
 * @param clusterDeleteMillis a deleted cluster stays {@code removing} this long
 * @param upgradeStepMillis time to upgrade one batch of machines to a new Kubernetes version
 * @param certRotationMillis certificate rotation duration
 * @param snapshotPhaseMillis duration of each etcd snapshot creation phase
 * @param restorePhaseMillis duration of each etcd restore phase
 * @param encryptionKeyPhaseMillis duration of each encryption-key rotation phase
 * @param registrationCommandMillis a new registration token's commands stay empty this long
 * @param workloadReadyMillis a downstream Deployment, StatefulSet or DaemonSet whose spec changed reports progressing
 *     this long, then ready (or not ready under a workload fault); a workload fault set or healed takes this long too
 */
public record SimTiming(
        long tickMillis,
        long machinePendingMillis,
        long machineProvisioningMillis,
        long machineBootMillis,
        long machineDeleteMillis,
        long agentConnectMillis,
        long clusterDeleteMillis,
        long upgradeStepMillis,
        long certRotationMillis,
        long snapshotPhaseMillis,
        long restorePhaseMillis,
        long encryptionKeyPhaseMillis,
        long registrationCommandMillis,
        long workloadReadyMillis) {

    public SimTiming {
        if (tickMillis < 1) {
            throw new IllegalArgumentException("tickMillis must be at least 1, was " + tickMillis);
        }
        for (long value : new long[] {
            machinePendingMillis,
            machineProvisioningMillis,
            machineBootMillis,
            machineDeleteMillis,
            agentConnectMillis,
            clusterDeleteMillis,
            upgradeStepMillis,
            certRotationMillis,
            snapshotPhaseMillis,
            restorePhaseMillis,
            encryptionKeyPhaseMillis,
            registrationCommandMillis,
            workloadReadyMillis
        }) {
            if (value < 0) {
                throw new IllegalArgumentException("timing values must not be negative, got " + value);
            }
        }
    }

    /** Steps of 50 to 150 ms: a three-pool cluster is Ready in well under a second, a workload in 150 ms. */
    public static SimTiming fast() {
        return new SimTiming(10, 50, 50, 50, 50, 50, 100, 50, 100, 50, 50, 50, 100, 150);
    }

    /** Every step takes {@code stepMillis}; the timer ticks ten times per step (at least every 5 ms). */
    public static SimTiming uniform(long stepMillis) {
        long s = stepMillis;
        return new SimTiming(Math.max(5, s / 10), s, s, s, s, s, s, s, s, s, s, s, s, s);
    }

    /** Steps of a few seconds: a cluster is Ready in about 15 s, a workload in 3 s. The default of {@link Main}. */
    public static SimTiming realistic() {
        return new SimTiming(
                200, 2_000, 5_000, 5_000, 3_000, 3_000, 5_000, 4_000, 6_000, 3_000, 3_000, 3_000, 3_000, 3_000);
    }
}
