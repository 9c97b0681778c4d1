package dev.kubeyard.addons.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** An object as Kubeyard applies it: rendered, with its namespace filled in and Kubeyard's labels on. */
public record DesiredObject(ObjectKey key, ObjectNode body) {

    public static DesiredObject of(ObjectNode body) {
        return new DesiredObject(ObjectKey.of(body), body);
    }

    public String apiVersion() {
        return body.path("apiVersion").asText();
    }
}
