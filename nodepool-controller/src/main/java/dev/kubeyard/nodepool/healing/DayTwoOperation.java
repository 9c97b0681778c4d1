package dev.kubeyard.nodepool.healing;

/** Day-two operations during which a cluster's nodes go down on purpose, so healing holds back. */
public enum DayTwoOperation {
    UPGRADE,
    CERTIFICATE_ROTATION,
    ETCD_RESTORE;

    /** The reason word a hold-back during this operation carries. */
    public String reason() {
        return switch (this) {
            case UPGRADE -> HealingReasons.UPGRADE_IN_PROGRESS;
            case CERTIFICATE_ROTATION -> HealingReasons.CERTIFICATE_ROTATION_IN_PROGRESS;
            case ETCD_RESTORE -> HealingReasons.ETCD_RESTORE_IN_PROGRESS;
        };
    }

    /** For messages: "an upgrade". */
    public String description() {
        return switch (this) {
            case UPGRADE -> "an upgrade";
            case CERTIFICATE_ROTATION -> "a certificate rotation";
            case ETCD_RESTORE -> "an etcd restore";
        };
    }
}
