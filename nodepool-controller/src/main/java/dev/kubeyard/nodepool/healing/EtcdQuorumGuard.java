package dev.kubeyard.nodepool.healing;

import java.util.Optional;

/**
 * Never take etcd below quorum. An etcd member is replaced only when the ready members left are at least a quorum of
 * the members the pools ask for; one at a time (one per evaluation, and none while another etcd machine is being
 * deleted or is still coming up, until the new member is healthy). When etcd has already lost quorum a replacement
 * cannot help (it needs a restore from a snapshot): nothing is replaced and an alert is raised. A single etcd member
 * is therefore never replaced automatically: its data would go with it.
 */
public final class EtcdQuorumGuard {

    private EtcdQuorumGuard() {}

    /** The members that must be ready for etcd to work: more than half. */
    public static int quorum(int members) {
        return members / 2 + 1;
    }

    /**
     * @param desiredMembers etcd nodes the cluster's pools ask for
     * @param readyMembers etcd machines whose node is Ready and that are not being deleted
     * @param candidateReady whether the member to replace is itself ready (unhealthy by another condition)
     * @param membersInFlight etcd machines being deleted or still coming up
     * @param plannedThisPass etcd replacements this evaluation already planned
     */
    public static Optional<Held> check(
            int desiredMembers, int readyMembers, boolean candidateReady, int membersInFlight, int plannedThisPass) {
        int members = Math.max(desiredMembers, readyMembers);
        int quorum = quorum(members);
        if (readyMembers < quorum) {
            return Held.by(
                    HealingRule.ETCD_QUORUM,
                    HealingReasons.ETCD_QUORUM_LOST,
                    "Only " + readyMembers + " of " + members + " etcd members ready, below the quorum of " + quorum
                            + ": etcd needs a restore, not a replacement; no etcd member is replaced");
        }
        if (plannedThisPass > 0) {
            return Held.by(
                    HealingRule.ETCD_QUORUM,
                    HealingReasons.ONE_ETCD_REPLACEMENT_AT_A_TIME,
                    "Another etcd member is replaced in this evaluation: etcd members are replaced one at a time");
        }
        if (membersInFlight > 0) {
            return Held.by(
                    HealingRule.ETCD_QUORUM,
                    HealingReasons.ETCD_REPLACEMENT_IN_PROGRESS,
                    Text.count(membersInFlight, "etcd machine is", "etcd machines are")
                            + " being deleted or still coming up: the next etcd member is replaced once "
                            + (membersInFlight == 1 ? "it is" : "they are") + " healthy");
        }
        int after = readyMembers - (candidateReady ? 1 : 0);
        if (after < quorum) {
            return Held.by(
                    HealingRule.ETCD_QUORUM,
                    HealingReasons.ETCD_QUORUM_AT_RISK,
                    "Replacing it would leave " + after + " of " + members + " etcd members ready, below the quorum of "
                            + quorum + ": replacement held back");
        }
        return Optional.empty();
    }
}
