package dev.kubeyard.rancher.client.provisioning;

/** A generation counter that asks Rancher for a one-off act when raised (etcd snapshot). */
public record GenerationRequest(Long generation) {

    public long value() {
        return generation == null ? 0 : generation;
    }
}
