package dev.kubeyard.rancher.client.provisioning;

/** {@code spec.rkeConfig.etcdSnapshotRestore} and its echo in the control plane status. */
public record EtcdSnapshotRestore(String name, Long generation, String restoreRKEConfig) {

    public long value() {
        return generation == null ? 0 : generation;
    }
}
