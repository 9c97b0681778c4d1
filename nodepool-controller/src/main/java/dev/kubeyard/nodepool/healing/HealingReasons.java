package dev.kubeyard.nodepool.healing;

/**
 * Every reason word healing writes into its actions, decision records, alerts and conditions: CamelCase, one place, a
 * small fixed vocabulary. The message next to a reason carries the numbers.
 */
public final class HealingReasons {

    private HealingReasons() {}

    // What a node is found to be
    public static final String NODE_HEALTHY = "NodeHealthy";
    public static final String NODE_UNHEALTHY = "NodeUnhealthy";
    public static final String MACHINE_FAILED = "MachineFailed";
    public static final String STUCK_PROVISIONING = "StuckProvisioning";
    public static final String STILL_PROVISIONING = "StillProvisioning";
    public static final String WAITING_FOR_TIMEOUT = "WaitingForTimeout";
    public static final String NODE_BEING_DELETED = "NodeBeingDeleted";
    public static final String STUCK_DELETING = "StuckDeleting";
    public static final String NODE_NOT_OBSERVED = "NodeNotObserved";
    public static final String NODES_MISSING = "NodesMissing";

    // What the cluster as a whole comes to
    public static final String ALL_NODES_HEALTHY = "AllNodesHealthy";
    public static final String NOTHING_DUE = "NothingDue";
    public static final String EVALUATED = "Evaluated";

    // PauseGuard
    public static final String CLUSTER_PAUSED = "ClusterPaused";
    public static final String NODE_POOL_PAUSED = "NodePoolPaused";

    // RancherRemediationGuard
    public static final String RANCHER_REMEDIATION_ON = "RancherRemediationOn";

    // ReachabilityGuard
    public static final String RANCHER_UNREACHABLE = "RancherUnreachable";
    public static final String CLUSTER_API_UNREACHABLE = "ClusterApiUnreachable";
    public static final String REACHABILITY_SETTLING = "ReachabilitySettling";

    // DayTwoGuard
    public static final String UPGRADE_IN_PROGRESS = "UpgradeInProgress";
    public static final String CERTIFICATE_ROTATION_IN_PROGRESS = "CertificateRotationInProgress";
    public static final String ETCD_RESTORE_IN_PROGRESS = "EtcdRestoreInProgress";

    // UnhealthyJumpGuard
    public static final String UNHEALTHY_SHARE_JUMPED = "UnhealthyShareJumped";

    // MaxUnhealthyGuard
    public static final String TOO_MANY_UNHEALTHY = "TooManyUnhealthy";

    // BackoffGuard
    public static final String REPLACEMENT_BACKOFF = "ReplacementBackoff";
    public static final String REPEATED_REPLACEMENT_FAILURES = "RepeatedReplacementFailures";

    // EtcdQuorumGuard
    public static final String ETCD_QUORUM_LOST = "EtcdQuorumLost";
    public static final String ETCD_QUORUM_AT_RISK = "EtcdQuorumAtRisk";
    public static final String ETCD_REPLACEMENT_IN_PROGRESS = "EtcdReplacementInProgress";
    public static final String ONE_ETCD_REPLACEMENT_AT_A_TIME = "OneEtcdReplacementAtATime";

    // BudgetGuard
    public static final String POOL_CONCURRENCY_LIMIT = "PoolConcurrencyLimit";
    public static final String POOL_HOURLY_BUDGET_EXHAUSTED = "PoolHourlyBudgetExhausted";
    public static final String CLUSTER_HOURLY_BUDGET_EXHAUSTED = "ClusterHourlyBudgetExhausted";
    public static final String FLEET_BUDGET_EXHAUSTED = "FleetBudgetExhausted";
}
