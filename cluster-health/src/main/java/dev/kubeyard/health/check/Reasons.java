package dev.kubeyard.health.check;

/** The reason words of checks and findings: one place, CamelCase, never an exception's class name. */
public final class Reasons {

    private Reasons() {}

    // a check that passed
    public static final String ANSWERED = "Answered";
    public static final String READY = "Ready";
    public static final String CONNECTED = "Connected";
    public static final String HEALTHY = "Healthy";
    public static final String PROVISIONED = "Provisioned";
    public static final String WITHIN_TIME = "WithinTime";
    public static final String TRANSITIONING = "Transitioning";
    public static final String VALID = "Valid";
    public static final String CLEARED = "Cleared";

    // a check that could not run
    public static final String NOT_PROVISIONED = "NotProvisioned";
    public static final String NOT_RUN = "NotRun";
    public static final String NOT_REPORTED = "NotReported";
    public static final String NOT_SERVED = "NotServed";
    public static final String RANCHER_UNANSWERED = "RancherUnanswered";
    public static final String BASELINE = "Baseline";

    // the API did not answer
    public static final String AGENT_DISCONNECTED = "AgentDisconnected";
    public static final String UNREACHABLE = "Unreachable";
    public static final String TIMEOUT = "Timeout";
    public static final String UNAUTHORIZED = "Unauthorized";
    public static final String ERROR = "Error";
    public static final String BAD_ANSWER = "BadAnswer";

    // findings
    public static final String NOT_READY = "NotReady";
    public static final String CHECK_FAILED = "CheckFailed";
    public static final String PRESSURE = "Pressure";
    public static final String CONDITION_FALSE = "ConditionFalse";
    public static final String STALLED = "Stalled";
    public static final String UNHEALTHY = "Unhealthy";
    public static final String PROVISIONING_TOO_LONG = "ProvisioningTooLong";
    public static final String MACHINE_FAILED = "MachineFailed";
    public static final String EXPIRING = "Expiring";
    public static final String EXPIRED = "Expired";
    public static final String HIGH_USAGE = "HighUsage";
    public static final String QUORUM_LOST = "QuorumLost";
    public static final String DATABASE_FULL = "DatabaseNearQuota";
    public static final String ERROR_RATE = "HighErrorRate";
    public static final String LATENCY = "HighLatency";
}
