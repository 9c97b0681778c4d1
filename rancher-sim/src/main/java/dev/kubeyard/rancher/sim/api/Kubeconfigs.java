package dev.kubeyard.rancher.sim.api;

import dev.kubeyard.rancher.sim.store.ApiToken;
import dev.kubeyard.rancher.sim.store.ClusterObject;
import dev.kubeyard.rancher.sim.store.SimStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Mints tokens and writes kubeconfig files the way Rancher's templates do (rancher-api.md §4). */
public final class Kubeconfigs {

    /** {@code kubeconfig-default-token-ttl-minutes}: 43200 minutes, 30 days. */
    public static final long KUBECONFIG_TOKEN_TTL_MILLIS = Duration.ofDays(30).toMillis();

    private Kubeconfigs() {}

    /**
     * Mints and stores a token.
     *
     * @param kind {@code ext}, {@code ext-kubeconfig}, {@code v3}, {@code session} or {@code kubeconfig}
     * @param userId the user the token authenticates as
     */
    public static ApiToken mint(
            SimStore store,
            String kind,
            String namePrefix,
            String userId,
            String description,
            String clusterId,
            long ttlMillis,
            Map<String, String> labels) {
        String name = store.uniqueTokenName(namePrefix);
        boolean ext = kind.startsWith("ext");
        ApiToken token = new ApiToken(
                name,
                ext ? "ext/" + name : name,
                store.ids().tokenSecret(),
                kind,
                userId,
                store.ids().uid(),
                description == null ? "" : description,
                clusterId,
                ttlMillis,
                store.now(),
                store.nextRevision(),
                Map.copyOf(labels));
        store.tokens.put(name, token);
        return token;
    }

    /** A kubeconfig with one cluster, user and context per cluster, named after the display name. */
    public static String yaml(String base, List<ClusterObject> clusters, String bearerToken, String currentContext) {
        StringBuilder out = new StringBuilder();
        out.append("apiVersion: v1\nkind: Config\nclusters:\n");
        for (ClusterObject c : clusters) {
            out.append("- name: \"").append(c.displayName()).append("\"\n");
            out.append("  cluster:\n");
            out.append("    server: \"")
                    .append(base)
                    .append("/k8s/clusters/")
                    .append(c.managementId)
                    .append("\"\n");
        }
        out.append("\nusers:\n");
        for (ClusterObject c : clusters) {
            out.append("- name: \"").append(c.displayName()).append("\"\n");
            out.append("  user:\n");
            out.append("    token: \"").append(bearerToken).append("\"\n");
        }
        out.append("\n\ncontexts:\n");
        for (ClusterObject c : clusters) {
            out.append("- name: \"").append(c.displayName()).append("\"\n");
            out.append("  context:\n");
            out.append("    user: \"").append(c.displayName()).append("\"\n");
            out.append("    cluster: \"").append(c.displayName()).append("\"\n");
        }
        out.append("\ncurrent-context: \"").append(currentContext).append("\"\n");
        return out.toString();
    }
}
