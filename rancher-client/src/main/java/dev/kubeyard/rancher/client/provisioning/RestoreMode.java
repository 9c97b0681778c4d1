package dev.kubeyard.rancher.client.provisioning;

import com.fasterxml.jackson.annotation.JsonValue;

/** What an etcd restore also rolls back, besides the etcd data ({@code restoreRKEConfig}). */
public enum RestoreMode {
    /** Only etcd data. */
    NONE("none"),
    /** Etcd data and the Kubernetes version recorded in the snapshot. */
    KUBERNETES_VERSION("kubernetesVersion"),
    /** Etcd data and the whole cluster configuration recorded in the snapshot. */
    ALL("all");

    private final String wire;

    RestoreMode(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
