package dev.kubeyard.addons.plan;

import java.time.Instant;

/**
 * One condition of an installation's status, Kubernetes style: Applied, Progressing, Healthy, Degraded.
 *
 * @param status {@code True}, {@code False} or {@code Unknown}
 * @param lastTransitionTime when the status last changed (kept while only reason or message change)
 */
public record Condition(String type, String status, String reason, String message, Instant lastTransitionTime) {

    public static final String APPLIED = "Applied";
    public static final String PROGRESSING = "Progressing";
    public static final String HEALTHY = "Healthy";
    public static final String DEGRADED = "Degraded";

    public boolean isTrue() {
        return "True".equals(status);
    }
}
