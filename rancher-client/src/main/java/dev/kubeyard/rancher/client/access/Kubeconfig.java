package dev.kubeyard.rancher.client.access;

/**
 * A kubeconfig Rancher generated for one cluster. It holds a live token: {@link #toString()} never shows
 * it; hand {@link #yaml()} only to its owner.
 */
public final class Kubeconfig {

    private final String clusterId;
    private final String yaml;

    public Kubeconfig(String clusterId, String yaml) {
        this.clusterId = clusterId;
        this.yaml = yaml;
    }

    public String clusterId() {
        return clusterId;
    }

    /** The whole kubeconfig YAML, token included. */
    public String yaml() {
        return yaml;
    }

    @Override
    public String toString() {
        return "Kubeconfig[cluster=" + clusterId + ", " + yaml.length() + " chars]";
    }
}
