package dev.kubeyard.rancher.sim.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** The one ObjectMapper and a few helpers for building Rancher-shaped JSON. */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {}

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** RFC 3339 with seconds, as Kubernetes writes timestamps. */
    public static String time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public static ObjectNode map(Map<String, String> values) {
        ObjectNode out = object();
        values.forEach(out::put);
        return out;
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise JSON", e);
        }
    }

    /** Parses a request body; an empty body is an empty object. */
    public static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return object();
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.of(422, "InvalidBodyContent", "Failed to parse body: " + e.getOriginalMessage());
        }
    }

    /** Parses a request body that must be a JSON object. */
    public static ObjectNode parseObject(String body) {
        JsonNode node = parse(body);
        if (!node.isObject()) {
            throw ApiError.of(422, "InvalidBodyContent", "Failed to parse body: expected a JSON object");
        }
        return (ObjectNode) node;
    }

    public static void putIfNotNull(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
