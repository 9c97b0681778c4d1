package dev.kubeyard.rancher.sim.downstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * fabric8's CRUD dispatcher plus what a simulated cluster needs on top of it: server-side apply and strategic merge
 * patch emulated as JSON merge patch, PATCH answering 200 like a real API server, label selectors with set-based
 * requirements, and direct writes of Node objects for {@link DownstreamApis#syncNodes}.
 *
 * <p>Every mutation (HTTP or node sync) runs under one monitor, so "find, then create or patch" is atomic with respect
 * to other writes. Reads keep the parent's read lock; the store map is a synchronized map, so a read sees a node
 * either before or after a sync write.
 */
final class SimCrudDispatcher extends KubernetesCrudDispatcher {

    static final String NODES_PATH = "/api/v1/nodes";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final Object writes = new Object();

    /** A failure inside the mock would leave the request unanswered (the client times out): answer 500 instead. */
    @Override
    public MockResponse dispatch(RecordedRequest request) {
        try {
            return super.dispatch(request);
        } catch (RuntimeException e) {
            return status(500, "InternalError", "the simulated API server failed: " + e);
        }
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        synchronized (writes) {
            return super.handleCreate(request);
        }
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        synchronized (writes) {
            return super.handleUpdate(request);
        }
    }

    /** Also deletes by a label selector the mock cannot evaluate (it ignores {@code in} and {@code notin}). */
    @Override
    public MockResponse handleDelete(String path) {
        synchronized (writes) {
            if (queryParameter(path, "labelSelector") != null) {
                MockResponse listed = handleGet(path);
                JsonNode items = readBody(listed).path("items");
                if (listed.code() == 400) {
                    return listed;
                }
                if (listed.code() == 200 && items.isArray()) {
                    String collection = withoutQuery(path);
                    for (JsonNode item : items) {
                        super.handleDelete(collection + "/"
                                + item.path("metadata").path("name").asText());
                    }
                    return listed;
                }
            }
            return super.handleDelete(path);
        }
    }

    /** Lists filtered by this class's {@link LabelSelector}, not the mock's (which ignores set-based requirements). */
    @Override
    public MockResponse handleGet(String path) {
        String selector = queryParameter(path, "labelSelector");
        if (selector == null) {
            return super.handleGet(path);
        }
        LabelSelector parsed;
        try {
            parsed = LabelSelector.parse(selector);
        } catch (IllegalArgumentException e) {
            return status(400, "BadRequest", e.getMessage());
        }
        MockResponse response = super.handleGet(withoutQueryParameter(path, "labelSelector"));
        JsonNode list = readBody(response);
        if (response.code() != 200
                || !(list instanceof ObjectNode listObject)
                || !list.path("items").isArray()) {
            return response;
        }
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode item : list.path("items")) {
            Map<String, String> labels = new LinkedHashMap<>();
            item.path("metadata")
                    .path("labels")
                    .properties()
                    .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            if (parsed.matches(labels)) {
                kept.add(item);
            }
        }
        listObject.set("items", kept);
        return response.setBody(listObject.toString());
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        synchronized (writes) {
            String subtype = mediaSubtype(request.getHeader("Content-Type"));
            if (subtype.startsWith("apply-patch+")) {
                return apply(request);
            }
            if (subtype.equals("merge-patch+json") || subtype.equals("strategic-merge-patch+json")) {
                ObjectNode patch;
                try {
                    patch = parseObject(request.getUtf8Body());
                } catch (IllegalArgumentException e) {
                    return status(400, "BadRequest", e.getMessage());
                }
                return mergeInto(request, withoutQuery(request.getPath()), patch);
            }
            return patched(super.handlePatch(request));
        }
    }

    /** Server-side apply without field ownership: create when missing, else JSON-merge the applied configuration. */
    private MockResponse apply(RecordedRequest request) {
        String path = withoutQuery(request.getPath());
        ObjectNode applied;
        try {
            applied = parseObject(request.getUtf8Body());
        } catch (IllegalArgumentException e) {
            return status(400, "BadRequest", e.getMessage());
        }
        String apiVersion = applied.path("apiVersion").asText("");
        String kind = applied.path("kind").asText("");
        String name = applied.path("metadata").path("name").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            return status(400, "BadRequest", "apiVersion and kind are required in an apply configuration");
        }
        boolean statusPath = path.endsWith("/status");
        String objectPath = statusPath ? path.substring(0, path.length() - "/status".length()) : path;
        String pathName = objectPath.substring(objectPath.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            applied.withObject("/metadata").put("name", pathName);
        } else if (!name.equals(pathName)) {
            return status(
                    400,
                    "BadRequest",
                    "the name of the object (" + name + ") does not match the name on the URL (" + pathName + ")");
        }
        if (findResource(getKey(objectPath)) == null && !statusPath) {
            applied.withObject("/metadata").remove("resourceVersion");
            String collection = objectPath.substring(0, objectPath.lastIndexOf('/'));
            return super.handleCreate(
                    copy(request, HttpMethod.POST, collection, "application/json", applied.toString()));
        }
        return mergeInto(request, path, applied);
    }

    /**
     * JSON merge patch (RFC 7386) of the stored object, stored with the CRUD mock's PUT handler (resourceVersion
     * check, metadata kept, status subresource rules). The mock's own merge keeps null values instead of removing
     * the fields.
     */
    private MockResponse mergeInto(RecordedRequest request, String path, ObjectNode patch) {
        boolean statusPath = path.endsWith("/status");
        String objectPath = statusPath ? path.substring(0, path.length() - "/status".length()) : path;
        Map.Entry<AttributeSet, String> current = findResource(getKey(objectPath));
        if (current == null) {
            String name = objectPath.substring(objectPath.lastIndexOf('/') + 1);
            return status(404, "NotFound", "\"" + name + "\" not found");
        }
        JsonNode merged;
        try {
            merged = mergePatch(JSON.readTree(current.getValue()), patch);
        } catch (JsonProcessingException e) {
            return status(500, "InternalError", "stored object is not JSON: " + e.getOriginalMessage());
        }
        MockResponse response =
                super.handleUpdate(copy(request, HttpMethod.PUT, path, "application/json", merged.toString()));
        return patched(response);
    }

    /** RFC 7386: objects merge recursively, null removes, anything else replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result =
                target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : JSON.createObjectNode();
        patch.properties().forEach(field -> {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        });
        return result;
    }

    /**
     * Makes the stored Node objects match the node set {@code latest} gives inside the write lock: creates, updates (only when something changed) and
     * deletes Nodes; touches no other kind. Watchers see ADDED, MODIFIED and DELETED events as usual.
     */
    void reconcileNodes(Supplier<List<SimNode>> latest, NodeManifests.Memo memo) {
        synchronized (writes) {
            List<SimNode> desired = latest.get();
            AttributeSet nodeQuery = getKey(NODES_PATH);
            Map<String, Map.Entry<AttributeSet, String>> existing = new LinkedHashMap<>();
            for (Map.Entry<AttributeSet, String> entry : new ArrayList<>(getMap().entrySet())) {
                if (entry.getKey().matches(nodeQuery)) {
                    GenericKubernetesResource stored =
                            SERIALIZATION.unmarshal(entry.getValue(), GenericKubernetesResource.class);
                    existing.put(stored.getMetadata().getName(), entry);
                }
            }
            Map<String, SimNode> wanted = new LinkedHashMap<>();
            for (SimNode node : desired) {
                if (node != null && node.name() != null && !node.name().isBlank()) {
                    wanted.put(node.name(), node);
                }
            }
            for (SimNode node : wanted.values()) {
                String path = NODES_PATH + "/" + node.name();
                Map.Entry<AttributeSet, String> current = existing.remove(node.name());
                String currentJson = current == null ? null : current.getValue();
                String next = NodeManifests.reconcile(node, currentJson, memo, () -> requestResourceVersion());
                if (next != null) {
                    processEvent(
                            path,
                            getKey(path),
                            current == null ? null : current.getKey(),
                            SERIALIZATION.unmarshal(next, GenericKubernetesResource.class),
                            next);
                }
            }
            for (Map.Entry<String, Map.Entry<AttributeSet, String>> gone : existing.entrySet()) {
                String path = NODES_PATH + "/" + gone.getKey();
                processEvent(path, getKey(path), gone.getValue().getKey(), null, null);
                memo.forget(gone.getKey());
            }
        }
    }

    /** The response's body as JSON (a missing node when it has none or it is not JSON), without consuming it. */
    private static JsonNode readBody(MockResponse response) {
        Buffer body = response.getBody();
        if (body == null || body.size() == 0) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(body.getBytes());
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    private static MockResponse patched(MockResponse response) {
        // fabric8's mock answers a successful PATCH with 202; kube-apiserver answers 200.
        if (response.code() == 202) {
            response.setResponseCode(200);
        }
        return response;
    }

    private static RecordedRequest copy(
            RecordedRequest original, HttpMethod method, String path, String contentType, String body) {
        Headers.Builder headers = Headers.builder();
        for (Map.Entry<String, List<String>> header :
                original.getHeaders().toMultimap().entrySet()) {
            String lower = header.getKey().toLowerCase(Locale.ROOT);
            if (!lower.equals("content-type") && !lower.equals("content-length")) {
                header.getValue().forEach(value -> headers.add(header.getKey(), value));
            }
        }
        headers.add("Content-Type", contentType);
        return new RecordedRequest(
                "HTTP/1.1", method, path, headers.build(), new Buffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    static ObjectNode parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("the apply configuration is empty");
        }
        JsonNode tree;
        try {
            String trimmed = body.strip();
            tree = trimmed.startsWith("{") ? JSON.readTree(trimmed) : YAML.readTree(trimmed);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot parse the apply configuration: " + e.getOriginalMessage(), e);
        }
        if (tree instanceof ObjectNode object) {
            return object;
        }
        throw new IllegalArgumentException("the apply configuration must be an object");
    }

    private static String mediaSubtype(String contentType) {
        if (contentType == null) {
            return "";
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        return slash < 0 ? type : type.substring(slash + 1);
    }

    private static String withoutQuery(String path) {
        int question = path.indexOf('?');
        return question < 0 ? path : path.substring(0, question);
    }

    /** A query parameter's decoded value, or null when the path has none of that name. */
    static String queryParameter(String path, String name) {
        int question = path.indexOf('?');
        if (question < 0) {
            return null;
        }
        for (String pair : path.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static String withoutQueryParameter(String path, String name) {
        int question = path.indexOf('?');
        if (question < 0) {
            return path;
        }
        List<String> kept = new ArrayList<>();
        for (String pair : path.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (!pair.isEmpty()
                    && !URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                kept.add(pair);
            }
        }
        return kept.isEmpty() ? path.substring(0, question) : path.substring(0, question + 1) + String.join("&", kept);
    }

    static MockResponse status(int code, String reason, String message) {
        ObjectNode status = JSON.createObjectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        status.put("code", code);
        return new MockResponse()
                .setResponseCode(code)
                .addHeader("Content-Type", "application/json")
                .setBody(status.toString());
    }
}
