package dev.kubeyard.rancher.client.identity;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kubeyard.rancher.client.model.ObjectMeta;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code ext.cattle.io/v1} Token as Rancher lists it: never with its secret ({@code status.value} and {@code
 * status.bearerToken} are dropped even when Rancher sends them, which it does only on create).
 */
public record ExtToken(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        Spec spec,
        Status status,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String STEVE_TYPE = "ext.cattle.io.token";
    public static final String COLLECTION = "ext.cattle.io.tokens";

    /** The label Rancher puts on every token: the id of the user it belongs to. */
    public static final String USER_ID_LABEL = "cattle.io/user-id";

    public ExtToken {
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    /**
     * @param ttl time to live in milliseconds, as Rancher stores it
     * @param clusterName the management id of the only cluster the token is valid for, or null
     */
    public record Spec(
            @JsonProperty("userID") String userId,
            String clusterName,
            Long ttl,
            String description,
            Boolean enabled,
            String kind,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

        public Spec {
            extra = extra == null ? new LinkedHashMap<>() : extra;
        }
    }

    public record Status(
            Boolean expired,
            String expiresAt,
            String lastUsedAt,
            Boolean current,
            String userName,
            String displayName,
            @JsonProperty("principalID") String principalId,
            String authProvider,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

        public Status {
            extra = extra == null ? new LinkedHashMap<>() : new LinkedHashMap<>(extra);
            // The secret comes only in the answer to a create; never keep it in this listing type.
            extra.remove("value");
            extra.remove("bearerToken");
        }
    }

    public String name() {
        return metadata.name();
    }

    /** The user the token authenticates as. */
    public String userId() {
        return spec == null || spec.userId() == null ? metadata.labels().get(USER_ID_LABEL) : spec.userId();
    }

    /** The only cluster the token is valid for, if it is scoped to one. */
    public Optional<String> clusterId() {
        return Optional.ofNullable(spec).map(Spec::clusterName).filter(s -> !s.isEmpty());
    }

    /** When it stops working; empty when it never expires or Rancher did not say. */
    public Optional<Instant> expiresAt() {
        String at = status == null ? null : status.expiresAt();
        if (at == null || at.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(at));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public boolean isExpired() {
        return status != null && Boolean.TRUE.equals(status.expired());
    }
}
