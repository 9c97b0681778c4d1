package dev.kubeyard.addons.catalog;

import java.util.Locale;
import java.util.Optional;

/**
 * A workload that must be ready for an installation to count as healthy: a Deployment, DaemonSet or StatefulSet with
 * all its replicas ready at its current generation, or a CronJob that exists and is not suspended. The namespace is
 * the installation's unless given.
 */
public record HealthCheck(Kind kind, String name, Optional<String> namespace) {

    public enum Kind {
        DEPLOYMENT("Deployment", "apps/v1"),
        DAEMON_SET("DaemonSet", "apps/v1"),
        STATEFUL_SET("StatefulSet", "apps/v1"),
        CRON_JOB("CronJob", "batch/v1");

        private final String kind;
        private final String apiVersion;

        Kind(String kind, String apiVersion) {
            this.kind = kind;
            this.apiVersion = apiVersion;
        }

        public String kind() {
            return kind;
        }

        public String apiVersion() {
            return apiVersion;
        }

        public static Optional<Kind> of(String kind) {
            for (Kind k : values()) {
                if (k.kind.toLowerCase(Locale.ROOT).equals(kind == null ? "" : kind.toLowerCase(Locale.ROOT))) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    public HealthCheck {
        namespace = namespace == null ? Optional.empty() : namespace.filter(n -> !n.isBlank());
    }

    /** The namespace to look in, given the installation's. */
    public String namespaceOr(String installationNamespace) {
        return namespace.orElse(installationNamespace);
    }

    @Override
    public String toString() {
        return kind.kind() + " " + name;
    }
}
