package dev.kubeyard.rancher.sim.downstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * kube-apiserver's deprecated {@code /api/v1/componentstatuses}: the scheduler, the controller manager and etcd,
 * each with one condition {@code Healthy}. Pure.
 *
 * <p>A failed probe: status {@code False}, the probe's error text in {@code message} (where kube-apiserver's HTTP
 * prober puts a connection error) and also in {@code error}, so that a client reading either sees it.
 */
final class ComponentStatuses {

    /** The Warning header kube-apiserver adds since 1.19. */
    static final String DEPRECATION_WARNING = "299 - \"v1 ComponentStatus is deprecated in v1.19+\"";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ComponentStatuses() {}

    static String list(ApiHealth health) {
        ObjectNode out = JSON.createObjectNode();
        out.put("kind", "ComponentStatusList");
        out.put("apiVersion", "v1");
        out.putObject("metadata");
        ArrayNode items = out.putArray("items");
        for (String component : ApiHealth.COMPONENTS) {
            items.add(status(component, health));
        }
        return out.toString();
    }

    /** One component, or null for a name kube-apiserver does not know. */
    static String one(String name, ApiHealth health) {
        return ApiHealth.COMPONENTS.contains(name) ? status(name, health).toString() : null;
    }

    /** kube-apiserver's answer to an unknown name: a plain error, hence 500. */
    static String notFound(String name) {
        ObjectNode status = JSON.createObjectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", "Component not found: " + name);
        status.put("code", 500);
        return status.toString();
    }

    private static ObjectNode status(String component, ApiHealth health) {
        ObjectNode item = JSON.createObjectNode();
        item.put("kind", "ComponentStatus");
        item.put("apiVersion", "v1");
        ObjectNode metadata = item.putObject("metadata");
        metadata.put("name", component);
        metadata.putNull("creationTimestamp");
        ObjectNode condition = item.putArray("conditions").addObject();
        condition.put("type", "Healthy");
        if (health.componentUnhealthy(component)) {
            String given = health.unhealthyComponents().get(component);
            String message = given == null || given.isBlank() ? defaultError(component) : given;
            condition.put("status", "False");
            condition.put("message", message);
            condition.put("error", message);
        } else {
            condition.put("status", "True");
            condition.put("message", "ok");
        }
        return item;
    }

    static String defaultError(String component) {
        return switch (component) {
            case "scheduler" ->
                "Get \"https://127.0.0.1:10259/healthz\": dial tcp 127.0.0.1:10259: connect: connection refused";
            case "controller-manager" ->
                "Get \"https://127.0.0.1:10257/healthz\": dial tcp 127.0.0.1:10257: connect: connection refused";
            default ->
                "{\"health\":\"false\",\"reason\":\"failed to establish etcd client: context deadline exceeded\"}";
        };
    }
}
