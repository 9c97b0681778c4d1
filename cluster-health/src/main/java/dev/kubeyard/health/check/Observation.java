package dev.kubeyard.health.check;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one probe of a cluster saw, each call with its own outcome. The input of {@link HealthChecks}: no I/O
 * happens after this is built.
 *
 * @param advanced whether the advanced calls were made this time (node usage, API server metrics); when not, the
 *     advanced checks keep their previous results
 */
public record Observation(
        ClusterFacts cluster,
        Fetch<RancherCluster> rancher,
        Fetch<List<MachineFacts>> machines,
        Fetch<ApiAnswer> version,
        Fetch<ApiAnswer> readyz,
        Fetch<List<ComponentFacts>> components,
        Fetch<List<NodeFacts>> nodes,
        Fetch<List<NodeUsage>> usage,
        Fetch<String> metrics,
        boolean advanced,
        Instant observedAt) {

    public Observation {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(observedAt, "observedAt");
    }

    /** What the inventory knows of the cluster. */
    public record ClusterFacts(
            String name,
            String team,
            String phase,
            Instant createdAt,
            Optional<String> managementId,
            boolean deletionRequested) {}

    /** A condition as Kubernetes and Rancher write them. */
    public record Cond(String type, String status, String reason, String message, Instant lastTransition) {

        public boolean isTrue() {
            return "True".equalsIgnoreCase(status);
        }

        public boolean isFalse() {
            return "False".equalsIgnoreCase(status);
        }

        public String text() {
            return message == null || message.isBlank() ? (reason == null ? "" : reason) : message;
        }
    }

    /** Rancher's provisioning cluster: its conditions and summarised state. */
    public record RancherCluster(List<Cond> conditions, boolean error, boolean transitioning, String state) {

        public Optional<Cond> condition(String type) {
            return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
        }
    }

    /** One CAPI machine of the cluster as Rancher shows it. */
    public record MachineFacts(
            String name,
            String pool,
            String phase,
            Optional<String> nodeName,
            Set<String> roles,
            List<Cond> conditions,
            Optional<Instant> certificatesExpiry,
            Optional<String> failureMessage,
            Instant createdAt) {

        public Optional<Cond> condition(String type) {
            return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
        }
    }

    /** The status and body of a plain GET on the API server. */
    public record ApiAnswer(int status, String body) {}

    public record ComponentFacts(String name, boolean healthy, String message) {}

    public record NodeFacts(String name, Set<String> roles, List<Cond> conditions, long cpuMillis, long memoryBytes) {

        public Optional<Cond> condition(String type) {
            return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
        }
    }

    public record NodeUsage(String name, long cpuMillis, long memoryBytes) {}

    /** The previous results' figures by check, which counters are compared with. */
    public record Previous(Map<CheckId, Map<String, Object>> figures) {
        public static final Previous NONE = new Previous(Map.of());
    }
}
