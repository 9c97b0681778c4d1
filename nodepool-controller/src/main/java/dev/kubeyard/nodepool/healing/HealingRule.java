package dev.kubeyard.nodepool.healing;

/** The rule (guard) a decision was made by: recorded with every decision, carried out or held back. */
public enum HealingRule {
    PAUSE("PauseGuard"),
    RANCHER_REMEDIATION("RancherRemediationGuard"),
    REACHABILITY("ReachabilityGuard"),
    DAY_TWO("DayTwoGuard"),
    UNHEALTHY_JUMP("UnhealthyJumpGuard"),
    MAX_UNHEALTHY("MaxUnhealthyGuard"),
    TIMEOUT("TimeoutGuard"),
    BACKOFF("BackoffGuard"),
    ETCD_QUORUM("EtcdQuorumGuard"),
    BUDGET("BudgetGuard"),
    /** No guard stopped anything: the evaluation's summary, or a replacement every guard let through. */
    NONE("None");

    private final String guard;

    HealingRule(String guard) {
        this.guard = guard;
    }

    /** The guard's class name, as records and logs show it. */
    public String guard() {
        return guard;
    }
}
