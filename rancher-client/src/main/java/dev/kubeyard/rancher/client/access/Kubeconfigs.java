package dev.kubeyard.rancher.client.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.client.internal.RancherHttp;
import java.util.Map;

/**
 * Kubeconfigs through v3 {@code generateKubeconfig}. Every call mints a new Rancher token (30 days by
 * default), so callers cache the result instead of calling per request.
 */
public final class Kubeconfigs {

    private final RancherHttp http;

    public Kubeconfigs(RancherHttp http) {
        this.http = http;
    }

    /** @param clusterId the management id ({@code c-m-...}) */
    public Kubeconfig generate(String clusterId) {
        var url = http.url("/v3/clusters")
                .newBuilder()
                .addPathSegment(clusterId)
                .addQueryParameter("action", "generateKubeconfig")
                .build();
        JsonNode out = http.send("POST", url, Map.of(), RancherHttp.JSON);
        String config = out.path("config").asText("");
        if (config.isEmpty()) {
            throw new IllegalStateException(
                    "Rancher answered generateKubeconfig for " + clusterId + " without a config");
        }
        return new Kubeconfig(clusterId, config);
    }
}
