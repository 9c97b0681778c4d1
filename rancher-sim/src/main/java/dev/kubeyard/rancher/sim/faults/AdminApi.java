package dev.kubeyard.rancher.sim.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.SimTiming;
import dev.kubeyard.rancher.sim.api.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The admin API under {@code /_sim}: JSON in and out, no authentication. Each route calls the same
 * {@link SimFaults} operation the Java facade offers.
 *
 * <p>Errors: unknown machine or cluster 404, bad input 400, both as {@code {"message": ...}}.
 */
public final class AdminApi {

    private static final Set<String> WORKLOAD_FAULT_FIELDS = Collections.unmodifiableSortedSet(
            new TreeSet<>(Set.of("ready", "namespace", "name", "image", "reason", "message")));

    private final SimFaults faults;

    public AdminApi(SimFaults faults) {
        this.faults = faults;
    }

    public void mount(Router router) {
        router.route("/_sim/*").handler(BodyHandler.create(false).setBodyLimit(1 << 20));
        router.post("/_sim/machines/:name/fail")
                .handler(ctx -> run(
                        ctx,
                        body -> faults.failMachine(
                                ctx.pathParam("name"), body.path("mode").asText(SimFaults.MODE_ERROR))));
        router.post("/_sim/machines/:name/recover")
                .handler(ctx -> run(ctx, body -> faults.recoverMachine(ctx.pathParam("name"))));
        router.get("/_sim/machines/:name/deletions").handler(ctx -> {
            ObjectNode out = Json.object();
            out.put("deletions", faults.machineDeletions(ctx.pathParam("name")));
            json(ctx, 200, out);
        });
        router.post("/_sim/clusters/:name/pools/:pool/new-machines")
                .handler(ctx -> run(
                        ctx,
                        body -> faults.newMachineFault(
                                ctx.pathParam("name"), ctx.pathParam("pool"), requiredText(body, "mode"))));
        router.post("/_sim/clusters/:name/machine-deletion")
                .handler(ctx -> run(
                        ctx,
                        body -> faults.refuseMachineDeletion(ctx.pathParam("name"), requiredBoolean(body, "refuse"))));
        router.post("/_sim/clusters/:name/stall").handler(ctx -> run(ctx, body -> faults.stall(ctx.pathParam("name"))));
        router.post("/_sim/clusters/:name/unstall")
                .handler(ctx -> run(ctx, body -> faults.unstall(ctx.pathParam("name"))));
        router.post("/_sim/clusters/:name/agent")
                .handler(ctx -> run(
                        ctx, body -> faults.agentConnected(ctx.pathParam("name"), requiredBoolean(body, "connected"))));
        router.post("/_sim/clusters/:name/api")
                .handler(ctx -> run(
                        ctx, body -> faults.apiReachable(ctx.pathParam("name"), requiredBoolean(body, "reachable"))));
        router.post("/_sim/clusters/:name/external")
                .handler(ctx -> run(
                        ctx,
                        body -> faults.useExternalApi(
                                ctx.pathParam("name"),
                                requiredText(body, "url"),
                                body.path("token").asText(""))));
        // Blocking (the cluster's in-memory API server may have to start first), unordered: clusters seed in parallel.
        router.post("/_sim/clusters/:name/objects")
                .blockingHandler(ctx -> answer(ctx, 201, body -> created(objects(ctx.pathParam("name"), body))), false);
        router.post("/_sim/clusters/:name/workloads")
                .handler(ctx -> run(ctx, body -> workloads(ctx.pathParam("name"), body)));
        router.post("/_sim/machines/:name/node-conditions")
                .handler(ctx -> run(
                        ctx,
                        body -> faults.nodeCondition(
                                ctx.pathParam("name"),
                                requiredText(body, "type"),
                                requiredText(body, "status"),
                                optionalText(body, "reason"),
                                optionalText(body, "message"))));
        router.delete("/_sim/machines/:name/node-conditions")
                .handler(ctx -> run(ctx, body -> faults.clearNodeConditions(ctx.pathParam("name"))));
        router.post("/_sim/machines/:name/usage")
                .handler(ctx -> run(
                        ctx,
                        body -> faults.nodeUsage(
                                ctx.pathParam("name"),
                                requiredLong(body, "cpuMillis"),
                                requiredLong(body, "memoryBytes"))));
        router.post("/_sim/machines/:name/agent")
                .handler(ctx -> run(
                        ctx,
                        body -> faults.nodeAgentConnected(ctx.pathParam("name"), requiredBoolean(body, "connected"))));
        router.post("/_sim/clusters/:name/components/:component")
                .handler(ctx -> run(
                        ctx,
                        body -> faults.componentHealthy(
                                ctx.pathParam("name"),
                                ctx.pathParam("component"),
                                requiredBoolean(body, "healthy"),
                                optionalText(body, "message"))));
        router.post("/_sim/clusters/:name/etcd")
                .handler(ctx -> run(
                        ctx,
                        body -> faults.etcd(
                                ctx.pathParam("name"),
                                requiredBoolean(body, "healthy"),
                                optionalLong(body, "dbSizeBytes", 0))));
        router.post("/_sim/clusters/:name/readyz")
                .handler(ctx -> run(
                        ctx,
                        body -> faults.readyzCheck(
                                ctx.pathParam("name"), requiredText(body, "check"), requiredBoolean(body, "ok"))));
        router.post("/_sim/clusters/:name/apiserver")
                .handler(ctx -> run(
                        ctx,
                        body -> faults.apiServerTraffic(
                                ctx.pathParam("name"),
                                optionalDouble(body, "errorRatio", 0),
                                optionalLong(body, "p99LatencyMillis", 0))));
        router.post("/_sim/clusters/:name/metrics-api")
                .handler(ctx ->
                        run(ctx, body -> faults.metricsApi(ctx.pathParam("name"), requiredBoolean(body, "available"))));
        router.post("/_sim/clusters/:name/certificates")
                .handler(ctx -> run(
                        ctx, body -> faults.certificatesExpireAt(ctx.pathParam("name"), instant(body, "expiresAt"))));
        router.post("/_sim/latency")
                .handler(ctx -> run(
                        ctx,
                        body -> faults.latency(
                                body.path("millis").asLong(0),
                                body.path("pathPrefix").asText(""))));
        router.post("/_sim/errors")
                .handler(ctx -> run(
                        ctx,
                        body -> faults.errors(
                                body.path("rate").asDouble(0),
                                body.path("status").asInt(503),
                                body.path("mode").asText("status"),
                                body.path("pathPrefix").asText(""),
                                body.hasNonNull("seed") ? body.path("seed").asLong() : null)));
        router.post("/_sim/timing").handler(ctx -> run(ctx, body -> faults.timing(timing(faults.timing(), body))));
        router.get("/_sim/timing").handler(ctx -> json(ctx, 200, Json.MAPPER.valueToTree(faults.timing())));
        router.post("/_sim/reset").handler(ctx -> run(ctx, body -> faults.reset()));
        router.get("/_sim/state").handler(ctx -> json(ctx, 200, faults.state()));
        router.get("/_sim/users/:id").handler(ctx -> json(ctx, 200, faults.user(ctx.pathParam("id"))));
        router.route("/_sim/*")
                .handler(ctx -> json(
                        ctx,
                        404,
                        message("no such admin operation: " + ctx.request().path())));
    }

    /**
     * {@code {"ready":false, "namespace":…, "name":…, "image":…, "reason":…, "message":…}} adds a workload fault (the
     * matchers and texts are optional); {@code {"ready":true}} heals them all. Unknown fields are an error, because
     * a misspelt matcher would otherwise make every workload fail.
     */
    private void workloads(String cluster, JsonNode body) {
        boolean ready = requiredBoolean(body, "ready");
        Set<String> allowed = ready ? Set.of("ready") : WORKLOAD_FAULT_FIELDS;
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!allowed.contains(field.getKey())) {
                throw new IllegalArgumentException(
                        ready
                                ? "{\"ready\":true} heals every workload of the cluster and takes no other field, got \""
                                        + field.getKey() + "\""
                                : "unknown field \"" + field.getKey() + "\"; expected " + WORKLOAD_FAULT_FIELDS);
            }
            if (!field.getKey().equals("ready")
                    && !field.getValue().isTextual()
                    && !field.getValue().isNull()) {
                throw new IllegalArgumentException("\"" + field.getKey() + "\" must be a string");
            }
        }
        if (ready) {
            faults.healWorkloads(cluster);
        } else {
            faults.failWorkloads(
                    cluster,
                    new WorkloadFault(
                            text(body, "namespace"),
                            text(body, "name"),
                            text(body, "image"),
                            text(body, "reason"),
                            text(body, "message")));
        }
    }

    /**
     * A Kubernetes {@code List} (or a bare array) of objects, created in the cluster's in-memory API; answers {@code
     * {"created": n}} instead of the state.
     */
    private int objects(String cluster, JsonNode body) {
        JsonNode items = body.isArray() ? body : body.path("items");
        if (!items.isArray()) {
            throw new IllegalArgumentException("expected a List with \"items\" (or an array) of objects");
        }
        List<JsonNode> objects = new ArrayList<>();
        items.forEach(objects::add);
        return faults.createObjects(cluster, objects);
    }

    private static ObjectNode created(int created) {
        ObjectNode out = Json.object();
        out.put("created", created);
        return out;
    }

    private static String text(JsonNode body, String field) {
        return body.path(field).isTextual() ? body.path(field).asText() : null;
    }

    /** Applies the given fields over the current timing; unknown fields are an error. */
    static SimTiming timing(SimTiming current, JsonNode body) {
        ObjectNode merged = Json.MAPPER.valueToTree(current);
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            if (!merged.has(e.getKey())) {
                throw new IllegalArgumentException("unknown timing field: " + e.getKey());
            }
            if (!e.getValue().canConvertToLong()) {
                throw new IllegalArgumentException(e.getKey() + " must be a number of milliseconds");
            }
            merged.put(e.getKey(), e.getValue().asLong());
        }
        try {
            return Json.MAPPER.treeToValue(merged, SimTiming.class);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException(cause.getMessage(), e);
        }
    }

    private void run(RoutingContext ctx, Consumer<JsonNode> operation) {
        answer(ctx, 200, body -> {
            operation.accept(body);
            return faults.state();
        });
    }

    /** Parses the body, runs the operation and answers its result with {@code status}, or the error. */
    private void answer(RoutingContext ctx, int status, Function<JsonNode, JsonNode> operation) {
        JsonNode body;
        try {
            String text = ctx.body() == null ? "" : ctx.body().asString();
            body = text == null || text.isBlank() ? Json.object() : Json.MAPPER.readTree(text);
        } catch (Exception e) {
            json(ctx, 400, message("body is not JSON: " + e.getMessage()));
            return;
        }
        try {
            json(ctx, status, operation.apply(body));
        } catch (NoSuchElementException e) {
            json(ctx, 404, message(e.getMessage()));
        } catch (IllegalArgumentException e) {
            json(ctx, 400, message(e.getMessage()));
        }
    }

    private static boolean requiredBoolean(JsonNode body, String field) {
        if (!body.path(field).isBoolean()) {
            throw new IllegalArgumentException("\"" + field + "\" (true or false) is required");
        }
        return body.path(field).asBoolean();
    }

    private static String requiredText(JsonNode body, String field) {
        String value = body.path(field).asText("");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("\"" + field + "\" is required");
        }
        return value;
    }

    private static String optionalText(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return value.asText();
    }

    private static long requiredLong(JsonNode body, String field) {
        if (!body.path(field).canConvertToExactIntegral()) {
            throw new IllegalArgumentException("\"" + field + "\" (a whole number) is required");
        }
        return body.path(field).asLong();
    }

    private static long optionalLong(JsonNode body, String field, long defaultValue) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return defaultValue;
        }
        if (!value.canConvertToExactIntegral()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a whole number");
        }
        return value.asLong();
    }

    private static double optionalDouble(JsonNode body, String field, double defaultValue) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return defaultValue;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a number");
        }
        return value.asDouble();
    }

    /** An RFC 3339 time, or null when the field is null or missing. */
    private static Instant instant(JsonNode body, String field) {
        String text = optionalText(body, field);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "\"" + field + "\" must be an RFC 3339 time such as 2027-01-01T00:00:00Z, was \"" + text + "\"", e);
        }
    }

    private static ObjectNode message(String message) {
        ObjectNode out = Json.object();
        out.put("message", message);
        return out;
    }

    private static void json(RoutingContext ctx, int status, JsonNode body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(Json.write(body));
    }
}
