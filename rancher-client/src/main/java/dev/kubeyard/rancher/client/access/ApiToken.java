package dev.kubeyard.rancher.client.access;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.LinkedHashMap;
import java.util.Map;

/** A v3 API token as Rancher lists it: never with its secret. */
public record ApiToken(
        String id,
        String name,
        String description,
        String userId,
        String clusterId,
        Long ttl,
        String expiresAt,
        Boolean expired,
        Boolean enabled,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public ApiToken {
        extra = extra == null ? new LinkedHashMap<>() : new LinkedHashMap<>(extra);
        // Rancher sends the secret only in the answer to a create; never keep it in this listing type.
        extra.remove("token");
    }
}
