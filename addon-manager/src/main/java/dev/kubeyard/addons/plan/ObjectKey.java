package dev.kubeyard.addons.plan;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which object: API group, kind, namespace ({@code ""} for a cluster-scoped one) and name. The API version is not part
 * of it: {@code apps/v1} and a later version of the same kind are the same object.
 */
public record ObjectKey(String group, String kind, String namespace, String name) implements Comparable<ObjectKey> {

    public ObjectKey {
        namespace = namespace == null ? "" : namespace;
    }

    public static ObjectKey of(JsonNode object) {
        return new ObjectKey(
                group(object.path("apiVersion").asText()),
                object.path("kind").asText(),
                object.path("metadata").path("namespace").asText(""),
                object.path("metadata").path("name").asText());
    }

    /** The group of an apiVersion: {@code apps} of {@code apps/v1}, {@code ""} of {@code v1}. */
    public static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    @Override
    public int compareTo(ObjectKey o) {
        return toString().compareTo(o.toString());
    }

    /** {@code Deployment kube-system/metrics-server}, {@code ClusterRole system:metrics-server}. */
    @Override
    public String toString() {
        return kind + (group.isEmpty() ? "" : "." + group) + " " + (namespace.isEmpty() ? "" : namespace + "/") + name;
    }
}
