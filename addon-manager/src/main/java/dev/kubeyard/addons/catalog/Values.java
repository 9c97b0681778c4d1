package dev.kubeyard.addons.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** Values as Helm treats them: user values merge over defaults (maps recurse, anything else replaces, null removes). */
public final class Values {

    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Values() {}

    /** A new tree: {@code over} merged into a copy of {@code base}. */
    public static ObjectNode merge(ObjectNode base, ObjectNode over) {
        ObjectNode result = base.deepCopy();
        over.properties().forEach(e -> {
            JsonNode value = e.getValue();
            if (value.isNull()) {
                result.remove(e.getKey());
            } else if (value.isObject() && result.get(e.getKey()) instanceof ObjectNode existing) {
                result.set(e.getKey(), merge(existing, (ObjectNode) value));
            } else {
                result.set(e.getKey(), value.deepCopy());
            }
        });
        return result;
    }

    public static ObjectNode of(Map<String, Object> values) {
        return values == null ? CANONICAL.createObjectNode() : CANONICAL.valueToTree(values);
    }

    /** A stable digest of a JSON tree (keys sorted), for caches and for telling whether what was applied changed. */
    public static String digest(JsonNode... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (JsonNode part : parts) {
                Object plain = CANONICAL.treeToValue(part, Object.class);
                sha.update(CANONICAL.writeValueAsString(plain).getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
