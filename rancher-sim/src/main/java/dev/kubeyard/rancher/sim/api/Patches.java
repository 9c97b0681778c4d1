package dev.kubeyard.rancher.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JSON merge patch (RFC 7386) and JSON patch (RFC 6902), the two PATCH types Kubernetes accepts for CRDs. */
public final class Patches {

    public static final String MERGE = "application/merge-patch+json";
    public static final String JSON_PATCH = "application/json-patch+json";

    private Patches() {}

    /** Applies a patch of the given content type to a copy of {@code target}. */
    public static JsonNode apply(String contentType, JsonNode target, JsonNode patch) {
        String type =
                contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase();
        return switch (type) {
            case MERGE -> merge(target.deepCopy(), patch);
            case JSON_PATCH -> jsonPatch(target.deepCopy(), patch);
            default ->
                throw ApiError.of(
                        415,
                        "UnsupportedMediaType",
                        "the body of the request was in an unknown format - accepted media types include: "
                                + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        };
    }

    static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : Json.object();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }

    static JsonNode jsonPatch(JsonNode target, JsonNode patch) {
        if (!patch.isArray()) {
            throw invalid("a JSON patch must be an array of operations");
        }
        JsonNode doc = target;
        for (JsonNode op : patch) {
            String name = op.path("op").asText("");
            String path = op.path("path").asText(null);
            if (path == null) {
                throw invalid("operation has no path: " + op);
            }
            switch (name) {
                case "add" -> doc = add(doc, path, value(op));
                case "remove" -> doc = remove(doc, path);
                case "replace" -> {
                    get(doc, path);
                    doc = add(remove(doc, path), path, value(op));
                }
                case "move" -> {
                    String from = op.path("from").asText(null);
                    JsonNode moved = get(doc, from).deepCopy();
                    doc = add(remove(doc, from), path, moved);
                }
                case "copy" ->
                    doc = add(doc, path, get(doc, op.path("from").asText(null)).deepCopy());
                case "test" -> {
                    if (!get(doc, path).equals(value(op))) {
                        throw invalid("testing value " + path + " failed");
                    }
                }
                default -> throw invalid("unexpected operation: " + name);
            }
        }
        return doc;
    }

    private static JsonNode value(JsonNode op) {
        if (!op.has("value")) {
            throw invalid("operation has no value: " + op);
        }
        return op.get("value").deepCopy();
    }

    private static List<String> pointer(String path) {
        if (path == null) {
            throw invalid("missing from");
        }
        if (path.isEmpty()) {
            return List.of();
        }
        if (!path.startsWith("/")) {
            throw invalid("invalid JSON pointer: " + path);
        }
        List<String> out = new ArrayList<>();
        for (String token : path.substring(1).split("/", -1)) {
            out.add(token.replace("~1", "/").replace("~0", "~"));
        }
        return out;
    }

    private static JsonNode get(JsonNode doc, String path) {
        JsonNode node = doc;
        for (String token : pointer(path)) {
            node = child(node, token);
            if (node == null) {
                throw invalid("path " + path + " does not exist");
            }
        }
        return node;
    }

    private static JsonNode child(JsonNode node, String token) {
        if (node.isObject()) {
            return node.get(token);
        }
        if (node.isArray()) {
            int index = index(token, node.size() - 1);
            return node.get(index);
        }
        return null;
    }

    private static JsonNode add(JsonNode doc, String path, JsonNode value) {
        List<String> tokens = pointer(path);
        if (tokens.isEmpty()) {
            return value;
        }
        JsonNode parent = parent(doc, tokens, path);
        String last = tokens.get(tokens.size() - 1);
        if (parent instanceof ObjectNode obj) {
            obj.set(last, value);
        } else if (parent instanceof ArrayNode arr) {
            if (last.equals("-")) {
                arr.add(value);
            } else {
                arr.insert(index(last, arr.size()), value);
            }
        } else {
            throw invalid("path " + path + " does not exist");
        }
        return doc;
    }

    private static JsonNode remove(JsonNode doc, String path) {
        List<String> tokens = pointer(path);
        if (tokens.isEmpty()) {
            throw invalid("cannot remove the whole document");
        }
        JsonNode parent = parent(doc, tokens, path);
        String last = tokens.get(tokens.size() - 1);
        if (parent instanceof ObjectNode obj) {
            if (!obj.has(last)) {
                throw invalid("path " + path + " does not exist");
            }
            obj.remove(last);
        } else if (parent instanceof ArrayNode arr) {
            arr.remove(index(last, arr.size() - 1));
        } else {
            throw invalid("path " + path + " does not exist");
        }
        return doc;
    }

    private static JsonNode parent(JsonNode doc, List<String> tokens, String path) {
        JsonNode node = doc;
        for (String token : tokens.subList(0, tokens.size() - 1)) {
            node = child(node, token);
            if (node == null) {
                throw invalid("path " + path + " does not exist");
            }
        }
        return node;
    }

    private static int index(String token, int max) {
        try {
            int i = Integer.parseInt(token);
            if (i < 0 || i > max) {
                throw invalid("array index " + token + " out of bounds");
            }
            return i;
        } catch (NumberFormatException e) {
            throw invalid("invalid array index: " + token);
        }
    }

    private static ApiError invalid(String message) {
        return ApiError.of(
                422, "Invalid", "the server rejected our request due to an error in our request: " + message);
    }
}
