package dev.kubeyard.rancher.client.model;

/**
 * Steve's {@code metadata.state}: a summary computed by Rancher from conditions. A display hint: a
 * machine whose node is NotReady still shows {@code running}.
 */
public record ResourceState(String name, boolean error, boolean transitioning, String message) {

    public static final ResourceState UNKNOWN = new ResourceState("unknown", false, false, "");
}
