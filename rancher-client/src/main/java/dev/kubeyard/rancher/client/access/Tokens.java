package dev.kubeyard.rancher.client.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.client.RancherToken;
import dev.kubeyard.rancher.client.internal.NormanLists;
import dev.kubeyard.rancher.client.internal.RancherHttp;
import dev.kubeyard.rancher.client.internal.Resources;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * v3 API tokens ({@code /v3/tokens}). Deprecated by Rancher since 2.14 in favour of ext tokens, still
 * served; kept as the fallback the 2.12+ line accepts everywhere.
 */
public final class Tokens {

    private static final String PATH = "/v3/tokens";

    private final RancherHttp http;

    public Tokens(RancherHttp http) {
        this.http = http;
    }

    /**
     * @param ttl zero for Rancher's default
     * @param clusterId null for a token valid on all clusters
     */
    public CreatedToken create(String description, Duration ttl, String clusterId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "token");
        body.put("description", description);
        body.put("ttl", ttl.toMillis());
        if (clusterId != null) {
            body.put("clusterId", clusterId);
        }
        JsonNode out = http.send("POST", http.url(PATH), body, RancherHttp.JSON);
        String secret = out.path("token").asText("");
        if (secret.isEmpty()) {
            throw new IllegalStateException("Rancher created a token without returning its value");
        }
        return new CreatedToken(Resources.read(out, ApiToken.class), RancherToken.of(secret));
    }

    public ApiToken get(String id) {
        return Resources.read(
                http.getJson(http.url(PATH).newBuilder().addPathSegment(id).build()), ApiToken.class);
    }

    public List<ApiToken> list() {
        return NormanLists.listAll(http, http.url(PATH), ApiToken.class);
    }

    public void delete(String id) {
        http.send("DELETE", http.url(PATH).newBuilder().addPathSegment(id).build(), null, RancherHttp.JSON);
    }
}
