package dev.kubeyard.rancher.client.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A status condition as Rancher serves it: Kubernetes fields plus Steve's {@code error} and {@code
 * transitioning} flags. Times are kept as text because Rancher sends empty strings for unset times.
 */
public record Condition(
        String type,
        String status,
        String reason,
        String message,
        String lastTransitionTime,
        String lastUpdateTime,
        Boolean error,
        Boolean transitioning,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public Condition {
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    public boolean isTrue() {
        return "True".equals(status);
    }

    public boolean isFalse() {
        return "False".equals(status);
    }

    public boolean isUnknown() {
        return !isTrue() && !isFalse();
    }

    /** When the status last flipped, if Rancher said. */
    public Optional<Instant> lastTransition() {
        return parse(lastTransitionTime).or(() -> parse(lastUpdateTime));
    }

    private static Optional<Instant> parse(String t) {
        if (t == null || t.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(t));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The condition of that type in the list, if present. */
    public static Optional<Condition> find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream().filter(c -> type.equals(c.type())).findFirst();
    }
}
