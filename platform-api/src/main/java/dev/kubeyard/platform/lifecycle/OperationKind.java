package dev.kubeyard.platform.lifecycle;

/** The kinds of long-running operation on a cluster; {@link #wireName()} is the name in API, database and logs. */
public enum OperationKind {
    CREATE("Create"),
    UPDATE("Update"),
    DELETE("Delete"),
    UPGRADE("Upgrade"),
    ROTATE_CERTIFICATES("RotateCertificates"),
    ETCD_SNAPSHOT("EtcdSnapshot"),
    ETCD_RESTORE("EtcdRestore"),
    REPLACE_NODE("ReplaceNode");

    private final String wireName;

    OperationKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Operations that ask Rancher for a one-off act through a generation counter; they run one at a time. */
    public boolean isDayTwo() {
        return this == ROTATE_CERTIFICATES || this == ETCD_SNAPSHOT || this == ETCD_RESTORE || this == REPLACE_NODE;
    }

    public static OperationKind fromWireName(String wireName) {
        for (OperationKind kind : values()) {
            if (kind.wireName.equals(wireName)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("Unknown operation kind: " + wireName);
    }
}
