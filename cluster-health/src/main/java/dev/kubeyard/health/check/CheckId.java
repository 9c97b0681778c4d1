package dev.kubeyard.health.check;

/** The checks run on every cluster. Simple checks run on every sweep, advanced ones every advanced interval. */
public enum CheckId {
    API_REACHABLE("api-reachable", false, "The Kubernetes API answers through Rancher's proxy (GET /version)."),
    API_READY("api-ready", false, "The API server reports itself ready (GET /readyz?verbose), check by check."),
    RANCHER_AGENT("rancher-agent", false, "Rancher reports the cluster agent connected (condition Connected)."),
    NODE_AGENTS("node-agents", false, "Rancher reports each node's agent (rancher-system-agent) checked in."),
    NODE_CONDITIONS(
            "node-conditions",
            false,
            "Every node is Ready, without MemoryPressure, DiskPressure, PIDPressure or NetworkUnavailable."),
    COMPONENTS("components", false, "The control-plane components report healthy (componentstatuses)."),
    CLUSTER_CONDITIONS("cluster-conditions", false, "Rancher's conditions of the cluster: none failed or stalled."),
    PROVISIONING(
            "provisioning",
            false,
            "Provisioning of the cluster and of its machines within its time, and why not (the error's class)."),
    CERTIFICATES("certificates", false, "The control plane's certificates are not about to expire."),
    NODE_RESOURCES("node-resources", true, "CPU and memory use of each node (the metrics API, where present)."),
    ETCD("etcd", true, "etcd answers the API server, keeps quorum, and its database is within its quota."),
    API_SERVER("api-server", true, "The API server's error rate and request latency (its /metrics).");

    private final String wireName;
    private final boolean advanced;
    private final String description;

    CheckId(String wireName, boolean advanced, String description) {
        this.wireName = wireName;
        this.advanced = advanced;
        this.description = description;
    }

    public String wireName() {
        return wireName;
    }

    public boolean advanced() {
        return advanced;
    }

    public String description() {
        return description;
    }

    public static CheckId fromWireName(String name) {
        for (CheckId c : values()) {
            if (c.wireName.equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown check '" + name + "'");
    }
}
