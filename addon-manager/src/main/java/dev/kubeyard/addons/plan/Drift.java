package dev.kubeyard.addons.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a live object still holds what was applied: every field of the applied configuration must be in the live
 * object with the same value; fields the API server or others added (defaults, status, annotations of their own) do
 * not count. A list must have the applied length, element by element. This is what server-side apply with
 * Kubeyard's field manager would put back, so a difference here is drift to repair.
 */
public final class Drift {

    private Drift() {}

    /** The path of the first applied field the live object lacks or holds differently, if any. */
    public static Optional<String> difference(JsonNode applied, JsonNode live) {
        return difference(applied, live, "");
    }

    private static Optional<String> difference(JsonNode applied, JsonNode live, String path) {
        if (applied == null || applied.isNull()) {
            return Optional.empty();
        }
        if (live == null || live.isMissingNode() || live.isNull()) {
            return Optional.of(path.isEmpty() ? "/" : path);
        }
        if (applied.isObject()) {
            if (!live.isObject()) {
                return Optional.of(path);
            }
            for (Map.Entry<String, JsonNode> field : applied.properties()) {
                if (path.isEmpty() && field.getKey().equals("status")) {
                    continue;
                }
                Optional<String> d =
                        difference(field.getValue(), live.get(field.getKey()), path + "/" + field.getKey());
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        if (applied.isArray()) {
            if (!live.isArray() || live.size() != applied.size()) {
                return Optional.of(path);
            }
            for (int i = 0; i < applied.size(); i++) {
                Optional<String> d = difference(applied.get(i), live.get(i), path + "/" + i);
                if (d.isPresent()) {
                    return d;
                }
            }
            return Optional.empty();
        }
        return sameScalar(applied, live) ? Optional.empty() : Optional.of(path);
    }

    /** Numbers compare by value (1 and 1.0); other values by type and text. */
    private static boolean sameScalar(JsonNode applied, JsonNode live) {
        if (applied.isNumber() && live.isNumber()) {
            return applied.decimalValue().compareTo(live.decimalValue()) == 0;
        }
        return applied.getNodeType() == live.getNodeType() && applied.asText().equals(live.asText());
    }
}
