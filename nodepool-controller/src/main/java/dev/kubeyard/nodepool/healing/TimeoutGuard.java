package dev.kubeyard.nodepool.healing;

import java.util.Optional;

/**
 * A node is replaced only once its unhealthy condition has held longer than that condition's timeout, a machine only
 * once it has been provisioning longer than the provisioning timeout (a failed machine at once). Everything else
 * waits, and says until when: a node that is merely slow or briefly NotReady is left to recover.
 */
public final class TimeoutGuard {

    private TimeoutGuard() {}

    /** Empty when the node is due for replacement; otherwise why it waits (or is not a candidate at all). */
    public static Optional<Held> check(NodeHealth health) {
        return switch (health) {
            case NodeHealth.Healthy h -> Held.by(HealingRule.TIMEOUT, HealingReasons.NODE_HEALTHY, "Healthy");
            case NodeHealth.Provisioning p ->
                Held.by(
                        HealingRule.TIMEOUT,
                        HealingReasons.STILL_PROVISIONING,
                        "Provisioning for " + Text.duration(p.age()) + ", within the provisioning timeout of "
                                + Text.duration(p.timeout()) + ": stuck in " + Text.duration(p.remaining())
                                + " if its node is not Ready by then",
                        p.remaining());
            case NodeHealth.Unhealthy u
            when !u.due() ->
                Held.by(
                        HealingRule.TIMEOUT,
                        HealingReasons.WAITING_FOR_TIMEOUT,
                        u.label() + " for " + Text.duration(u.duration()) + ", within its timeout of "
                                + Text.duration(u.timeout()) + ": replaced in " + Text.duration(u.remaining())
                                + " if it does not recover",
                        u.remaining());
            case NodeHealth.Unhealthy u -> Optional.empty();
            case NodeHealth.StuckProvisioning s -> Optional.empty();
            case NodeHealth.MachineFailed f -> Optional.empty();
            case NodeHealth.Deleting d
            when d.stuck() ->
                Held.by(
                        HealingRule.TIMEOUT,
                        HealingReasons.STUCK_DELETING,
                        "Being deleted for " + Text.duration(d.duration()) + ", more than the deletion timeout of "
                                + Text.duration(d.timeout()) + ": still counted in flight, a person should look");
            case NodeHealth.Deleting d ->
                Held.by(
                        HealingRule.TIMEOUT,
                        HealingReasons.NODE_BEING_DELETED,
                        "Being deleted for " + Text.duration(d.duration()) + ": in flight, not judged",
                        d.timeout().minus(d.duration()));
            case NodeHealth.NotObserved n ->
                Held.by(HealingRule.TIMEOUT, HealingReasons.NODE_NOT_OBSERVED, n.why() + ": not judged");
        };
    }

    /** The reason word of replacing a node that is due. */
    public static String replacementReason(NodeHealth due) {
        return switch (due) {
            case NodeHealth.MachineFailed f -> HealingReasons.MACHINE_FAILED;
            case NodeHealth.StuckProvisioning s -> HealingReasons.STUCK_PROVISIONING;
            default -> HealingReasons.NODE_UNHEALTHY;
        };
    }
}
