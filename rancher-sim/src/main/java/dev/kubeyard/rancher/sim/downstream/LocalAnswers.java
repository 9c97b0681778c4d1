package dev.kubeyard.rancher.sim.downstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The GETs an in-memory cluster answers without starting its API server: {@code /version}, the health endpoints,
 * {@code /metrics}, {@code componentstatuses} and metrics-server's {@code metrics.k8s.io}. Decides the answer from the
 * cluster's nodes and {@link ApiHealth}; writes nothing.
 */
final class LocalAnswers {

    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON_TYPE = "application/json";
    private static final String METRICS_API = "/apis/metrics.k8s.io";
    private static final String METRICS_API_VERSION = METRICS_API + "/v1beta1";
    private static final String COMPONENT_STATUSES = "/api/v1/componentstatuses";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LocalAnswers() {}

    /** An HTTP answer with its extra headers. */
    record Answer(int status, String contentType, String body, Map<String, String> headers) {

        static Answer text(int status, String body) {
            return new Answer(status, TEXT, body, Map.of("X-Content-Type-Options", "nosniff"));
        }

        static Answer json(int status, String body) {
            return new Answer(status, JSON_TYPE, body, Map.of());
        }
    }

    /**
     * The answer to a GET of {@code path} (without query; no trailing slash), or null when the API server must
     * answer.
     */
    static Answer answer(ClusterApi api, String path, String query, Instant now) {
        if (path.equals("/version")) {
            return Answer.json(200, DownstreamApis.versionJson(api.nodes()));
        }
        ApiHealth health = api.health();
        for (String endpoint : List.of("readyz", "livez", "healthz")) {
            if (path.equals("/" + endpoint)) {
                HealthChecks.Answer a = HealthChecks.root(
                        endpoint, parameters(query, "verbose").size() > 0, parameters(query, "exclude"), health);
                return Answer.text(a.status(), a.body());
            }
            if (path.startsWith("/" + endpoint + "/")) {
                HealthChecks.Answer a = HealthChecks.single(endpoint, path.substring(endpoint.length() + 2), health);
                return a == null ? Answer.text(404, "404 page not found\n") : Answer.text(a.status(), a.body());
            }
        }
        if (path.equals("/metrics")) {
            return new Answer(
                    200,
                    PromText.CONTENT_TYPE,
                    api.metrics().scrape(now, api.nodes().size(), health),
                    Map.of());
        }
        if (path.equals(COMPONENT_STATUSES)) {
            return componentStatuses(200, ComponentStatuses.list(health));
        }
        if (path.startsWith(COMPONENT_STATUSES + "/")) {
            String name = path.substring(COMPONENT_STATUSES.length() + 1);
            String one = ComponentStatuses.one(name, health);
            return one == null ? componentStatuses(500, ComponentStatuses.notFound(name)) : componentStatuses(200, one);
        }
        if (path.equals(METRICS_API) || path.startsWith(METRICS_API + "/")) {
            return health.metricsApiAvailable() ? metricsApi(api.nodes(), path, now) : notFound(null);
        }
        return null;
    }

    private static Answer metricsApi(List<SimNode> nodes, String path, Instant now) {
        String nodesPath = METRICS_API_VERSION + "/nodes";
        if (path.equals(METRICS_API_VERSION)) {
            return Answer.json(200, NodeMetrics.discovery());
        }
        if (path.equals(nodesPath)) {
            return Answer.json(200, NodeMetrics.list(nodes, now));
        }
        if (path.startsWith(nodesPath + "/") && path.indexOf('/', nodesPath.length() + 1) < 0) {
            String name = path.substring(nodesPath.length() + 1);
            String one = NodeMetrics.one(nodes, name, now);
            return one == null ? notFound(name) : Answer.json(200, one);
        }
        if (path.equals(METRICS_API_VERSION + "/pods")
                || (path.startsWith(METRICS_API_VERSION + "/namespaces/") && path.endsWith("/pods"))) {
            return Answer.json(200, NodeMetrics.pods());
        }
        return notFound(null);
    }

    private static Answer componentStatuses(int status, String body) {
        return new Answer(status, JSON_TYPE, body, Map.of("Warning", ComponentStatuses.DEPRECATION_WARNING));
    }

    /** kube-apiserver's 404: for a node without metrics, or for the whole group when it has no APIService. */
    private static Answer notFound(String nodeName) {
        ObjectNode status = JSON.createObjectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put(
                "message",
                nodeName == null
                        ? "the server could not find the requested resource"
                        : "nodemetrics.metrics.k8s.io \"" + nodeName + "\" not found");
        status.put("reason", "NotFound");
        ObjectNode details = status.putObject("details");
        if (nodeName != null) {
            details.put("name", nodeName);
            details.put("group", "metrics.k8s.io");
            details.put("kind", "nodes");
        }
        status.put("code", 404);
        return Answer.json(404, status.toString());
    }

    /** Every value of a query parameter (a parameter without value gives ""). */
    static List<String> parameters(String query, String name) {
        List<String> values = new ArrayList<>();
        if (query == null || query.isEmpty()) {
            return values;
        }
        for (String part : query.split("&")) {
            int equals = part.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? part : part.substring(0, equals), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                values.add(equals < 0 ? "" : URLDecoder.decode(part.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
