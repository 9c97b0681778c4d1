package dev.kubeyard.addons.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.addons.catalog.HealthCheck;
import java.util.Optional;

/**
 * Whether a workload a health check names is ready, from its live object, as {@code kubectl rollout status} judges:
 * the controller has seen the current generation and every replica is updated, ready and available.
 */
public final class WorkloadHealth {

    /** @param message says what is not ready (empty when ready) */
    public record Result(HealthCheck check, String namespace, boolean ready, String message) {}

    private WorkloadHealth() {}

    public static Result evaluate(HealthCheck check, String namespace, Optional<JsonNode> live) {
        String what = check.kind().kind() + " " + namespace + "/" + check.name();
        if (live.isEmpty()) {
            return new Result(check, namespace, false, what + " does not exist");
        }
        JsonNode object = live.get();
        JsonNode spec = object.path("spec");
        JsonNode status = object.path("status");
        long generation = object.path("metadata").path("generation").asLong(0);
        boolean seen = status.path("observedGeneration").asLong(0) >= generation;
        return switch (check.kind()) {
            case DEPLOYMENT -> {
                int want = spec.path("replicas").asInt(1);
                int updated = status.path("updatedReplicas").asInt(0);
                int ready = status.path("readyReplicas").asInt(0);
                int available = status.path("availableReplicas").asInt(0);
                boolean ok = seen && updated >= want && ready >= want && available >= want;
                yield result(
                        check,
                        namespace,
                        ok,
                        what + ": " + ready + " of " + want + " replicas ready"
                                + (updated < want ? ", " + updated + " updated" : "") + because(status, seen));
            }
            case STATEFUL_SET -> {
                int want = spec.path("replicas").asInt(1);
                int updated = status.path("updatedReplicas").asInt(0);
                int ready = status.path("readyReplicas").asInt(0);
                boolean ok = seen && ready >= want && updated >= want;
                yield result(
                        check,
                        namespace,
                        ok,
                        what + ": " + ready + " of " + want + " replicas ready" + because(status, seen));
            }
            case DAEMON_SET -> {
                int want = status.path("desiredNumberScheduled").asInt(0);
                int ready = status.path("numberReady").asInt(0);
                int updated = status.path("updatedNumberScheduled").asInt(0);
                boolean ok = seen && ready >= want && updated >= want;
                yield result(
                        check,
                        namespace,
                        ok,
                        what + ": " + ready + " of " + want + " pods ready" + because(status, seen));
            }
            case CRON_JOB -> {
                boolean suspended = spec.path("suspend").asBoolean(false);
                yield result(check, namespace, !suspended, what + " is suspended");
            }
        };
    }

    private static Result result(HealthCheck check, String namespace, boolean ok, String message) {
        return new Result(check, namespace, ok, ok ? "" : message);
    }

    /** The controller's own word on why, from a False condition, or that it has not seen the change yet. */
    private static String because(JsonNode status, boolean seen) {
        if (!seen) {
            return " (the change is not observed yet)";
        }
        for (JsonNode c : status.path("conditions")) {
            if ("False".equals(c.path("status").asText()) && c.hasNonNull("reason")) {
                String message = c.path("message").asText("");
                return " (" + c.path("reason").asText() + (message.isEmpty() ? "" : ": " + message) + ")";
            }
        }
        return "";
    }
}
