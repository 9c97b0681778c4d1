package dev.kubeyard.rancher.client.provisioning;

import java.util.List;

/** {@code spec.rkeConfig.rotateCertificates}: raise the generation; an empty list means all services. */
public record RotateCertificates(Long generation, List<String> services) {

    public long value() {
        return generation == null ? 0 : generation;
    }
}
