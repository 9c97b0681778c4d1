package dev.kubeyard.rancher.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;

/** A response to write: status, content type (null for no body), body and an optional Location header. */
public record ApiResponse(int status, String contentType, byte[] body, String location) {

    public static ApiResponse json(int status, JsonNode body) {
        return new ApiResponse(status, "application/json", Json.bytes(body), null);
    }

    public static ApiResponse text(int status, String body) {
        return new ApiResponse(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), null);
    }

    public static ApiResponse empty(int status) {
        return new ApiResponse(status, null, new byte[0], null);
    }

    public static ApiResponse redirect(String location) {
        return new ApiResponse(302, null, new byte[0], location);
    }
}
