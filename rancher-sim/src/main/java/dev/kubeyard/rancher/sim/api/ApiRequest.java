package dev.kubeyard.rancher.sim.api;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request as the API layers see it, independent of Vert.x.
 *
 * @param path the decoded path segments after the API prefix ({@code /v1} or {@code /v3})
 * @param params decoded query parameters
 * @param base scheme and authority the client used, for links ({@code http://127.0.0.1:8443})
 * @param caller who sent it, as the auth filter authenticated it
 */
public record ApiRequest(
        String method,
        List<String> path,
        Map<String, List<String>> params,
        String contentType,
        String body,
        String base,
        Caller caller) {

    public ApiRequest {
        caller = caller == null ? Caller.ADMIN : caller;
    }

    public String param(String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
