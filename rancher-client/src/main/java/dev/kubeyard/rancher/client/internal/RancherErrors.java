package dev.kubeyard.rancher.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.client.RancherAlreadyExistsException;
import dev.kubeyard.rancher.client.RancherApiException;
import dev.kubeyard.rancher.client.RancherConflictException;
import dev.kubeyard.rancher.client.RancherForbiddenException;
import dev.kubeyard.rancher.client.RancherInvalidRequestException;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.RancherServerException;
import dev.kubeyard.rancher.client.RancherUnauthorizedException;
import java.io.IOException;

/**
 * Turns an error answer into a typed exception. Rancher answers errors in five shapes: Norman v3 ({@code
 * baseType: error}, maybe {@code fieldName}), Steve v1 ({@code type: error, links}), the auth filter's
 * ({@code status} as a string, no code), a Kubernetes {@code Status} passed through the cluster proxy,
 * and the cluster router's Go struct ({@code {"Code":{"Code":..,"Status":..},"Message":..}}); plus
 * text/plain from the proxy and empty bodies for unknown types.
 */
public final class RancherErrors {

    private static final int MAX_TEXT = 500;

    private RancherErrors() {}

    public static RancherApiException from(String method, String path, int status, String contentType, String body) {
        Parsed p = parse(status, contentType, body);
        return create(method, path, status, p.code, p.message, p.fieldName);
    }

    private record Parsed(String code, String message, String fieldName) {}

    private static Parsed parse(int status, String contentType, String body) {
        String fallbackCode = defaultCode(status);
        if (body == null || body.isBlank()) {
            return new Parsed(fallbackCode, fallbackCode.equals("NotFound") ? "not found" : "HTTP " + status, null);
        }
        boolean json = contentType != null && contentType.contains("json")
                || body.stripLeading().startsWith("{");
        if (json) {
            try {
                JsonNode n = Json.mapper().readTree(body);
                if (n != null && n.isObject()) {
                    return fromJson(n, fallbackCode);
                }
            } catch (IOException e) {
                // Not JSON after all: fall through to the text form.
            }
        }
        return new Parsed(fallbackCode, truncate(body.strip()), null);
    }

    private static Parsed fromJson(JsonNode n, String fallbackCode) {
        if ("Status".equals(n.path("kind").asText())) {
            return new Parsed(text(n, "reason", fallbackCode), text(n, "message", ""), fieldOf(n.path("details")));
        }
        JsonNode goCode = n.path("Code");
        if (goCode.isObject()) {
            return new Parsed(text(goCode, "Code", fallbackCode), text(n, "Message", ""), null);
        }
        String field = n.hasNonNull("fieldName") ? n.get("fieldName").asText() : null;
        return new Parsed(text(n, "code", fallbackCode), text(n, "message", ""), field);
    }

    private static String fieldOf(JsonNode details) {
        JsonNode causes = details.path("causes");
        if (causes.isArray() && !causes.isEmpty() && causes.get(0).hasNonNull("field")) {
            return causes.get(0).get("field").asText();
        }
        return null;
    }

    private static String text(JsonNode n, String field, String fallback) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? fallback : v.asText();
    }

    private static String truncate(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "...";
    }

    private static String defaultCode(int status) {
        return switch (status) {
            case 400 -> "BadRequest";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "NotFound";
            case 409 -> "Conflict";
            case 415 -> "UnsupportedMediaType";
            case 422 -> "Invalid";
            case 429 -> "TooManyRequests";
            case 503 -> "ServiceUnavailable";
            default -> status >= 500 ? "ServerError" : "HTTP" + status;
        };
    }

    private static RancherApiException create(
            String method, String path, int status, String code, String message, String field) {
        return switch (status) {
            case 401 -> new RancherUnauthorizedException(method, path, status, code, message, field);
            case 403 -> new RancherForbiddenException(method, path, status, code, message, field);
            case 404 -> new RancherNotFoundException(method, path, status, code, message, field);
            case 409 ->
                "AlreadyExists".equals(code)
                        ? new RancherAlreadyExistsException(method, path, status, code, message, field)
                        : new RancherConflictException(method, path, status, code, message, field);
            case 400, 422 -> new RancherInvalidRequestException(method, path, status, code, message, field);
            default ->
                status >= 500
                        ? new RancherServerException(method, path, status, code, message, field)
                        : new RancherApiException(method, path, status, code, message, field);
        };
    }
}
