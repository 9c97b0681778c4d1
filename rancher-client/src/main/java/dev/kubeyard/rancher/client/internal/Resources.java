package dev.kubeyard.rancher.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.HttpUrl;

/** URL and body helpers shared by the typed APIs. */
public final class Resources {

    private Resources() {}

    /** {@code /v1/<type>[/<namespace>[/<name>]]}, each segment encoded. */
    public static HttpUrl v1(RancherHttp http, String type, String namespace, String name) {
        HttpUrl.Builder b = http.url("/v1").newBuilder().addPathSegment(type);
        if (namespace != null) {
            b.addPathSegment(namespace);
        }
        if (name != null) {
            b.addPathSegment(name);
        }
        return b.build();
    }

    /**
     * The body of a create or update: the Kubernetes object with its Steve type, without what Steve
     * adds on reads (id, links, actions, metadata.state/fields/relationships) and without status, which
     * belongs to Rancher's controllers.
     */
    public static ObjectNode writeBody(Object resource, String steveType) {
        ObjectNode body = Json.mapper().valueToTree(resource);
        body.remove("id");
        body.remove("links");
        body.remove("actions");
        body.remove("status");
        body.put("type", steveType);
        JsonNode meta = body.get("metadata");
        if (meta instanceof ObjectNode m) {
            m.remove("state");
            m.remove("fields");
            m.remove("relationships");
        }
        return body;
    }

    public static <T> T read(JsonNode node, Class<T> type) {
        return Json.mapper().convertValue(node, type);
    }
}
