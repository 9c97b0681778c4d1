package dev.kubeyard.rancher.client.access;

import dev.kubeyard.rancher.client.RancherToken;

/**
 * A kubeconfig for one cluster, as Rancher generated it or as {@link #forToken} writes it. It holds a live token: {@link #toString()} never shows
 * it; hand {@link #yaml()} only to its owner.
 */
public final class Kubeconfig {

    private final String clusterId;
    private final String yaml;

    public Kubeconfig(String clusterId, String yaml) {
        this.clusterId = clusterId;
        this.yaml = yaml;
    }

    /**
     * A kubeconfig for one cluster through Rancher's proxy, authenticated with a bearer token: one cluster, user
     * and context, all named {@code name}, with {@code server: <rancherUrl>/k8s/clusters/<clusterId>} as in the
     * files Rancher writes. Values are YAML double-quoted strings.
     *
     * @param insecureSkipTlsVerify for a lab Rancher with a self-signed certificate only
     */
    public static Kubeconfig forToken(
            String rancherUrl, String clusterId, String name, RancherToken token, boolean insecureSkipTlsVerify) {
        if (clusterId == null || clusterId.isBlank() || clusterId.contains("/")) {
            throw new IllegalArgumentException("a management cluster id such as c-m-abcd1234 is required");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a kubeconfig entry needs a name");
        }
        String base = rancherUrl.endsWith("/") ? rancherUrl.substring(0, rancherUrl.length() - 1) : rancherUrl;
        String n = quote(name);
        StringBuilder out = new StringBuilder();
        out.append("apiVersion: v1\nkind: Config\nclusters:\n");
        out.append("- name: ").append(n).append('\n');
        out.append("  cluster:\n");
        out.append("    server: ")
                .append(quote(base + "/k8s/clusters/" + clusterId))
                .append('\n');
        if (insecureSkipTlsVerify) {
            out.append("    insecure-skip-tls-verify: true\n");
        }
        out.append("users:\n");
        out.append("- name: ").append(n).append('\n');
        out.append("  user:\n");
        out.append("    token: ").append(quote(token.reveal())).append('\n');
        out.append("contexts:\n");
        out.append("- name: ").append(n).append('\n');
        out.append("  context:\n");
        out.append("    user: ").append(n).append('\n');
        out.append("    cluster: ").append(n).append('\n');
        out.append("current-context: ").append(n).append('\n');
        return new Kubeconfig(clusterId, out.toString());
    }

    /** A YAML double-quoted scalar; control characters are refused rather than escaped. */
    static String quote(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("a kubeconfig value may not hold control characters");
            }
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
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
