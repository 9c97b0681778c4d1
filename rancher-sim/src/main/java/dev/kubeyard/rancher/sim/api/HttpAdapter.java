package dev.kubeyard.rancher.sim.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Converts between Vert.x and the simulator's request/response records, and renders errors per API. */
public final class HttpAdapter {

    private static final Logger LOG = Logger.getLogger(HttpAdapter.class.getName());

    /** The error shape of the API a path belongs to. */
    public enum Shape {
        STEVE,
        NORMAN
    }

    private HttpAdapter() {}

    /** The request with its path segments after {@code prefix} ({@code /v1}, {@code /v3}). */
    public static ApiRequest request(RoutingContext ctx, String prefix, String fallbackBase) {
        String path = ctx.request().path();
        String rest = path.length() > prefix.length() ? path.substring(prefix.length()) : "";
        Map<String, List<String>> params = new LinkedHashMap<>();
        MultiMap query = ctx.queryParams();
        for (String name : query.names()) {
            params.put(name, List.copyOf(query.getAll(name)));
        }
        RequestBody body = ctx.body();
        return new ApiRequest(
                ctx.request().method().name(),
                Urls.segments(rest),
                params,
                ctx.request().getHeader("Content-Type"),
                body == null || body.isEmpty() ? "" : body.asString(),
                base(ctx, fallbackBase),
                ctx.get(Caller.KEY));
    }

    /** Scheme and authority the client used, so that links and kubeconfigs point back where it connected. */
    public static String base(RoutingContext ctx, String fallbackBase) {
        String host = ctx.request().getHeader("Host");
        return host == null || host.isBlank() ? fallbackBase : "http://" + host;
    }

    public static void write(RoutingContext ctx, ApiResponse r) {
        HttpServerResponse response = ctx.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(r.status());
        if (r.location() != null) {
            response.putHeader("Location", r.location());
        }
        if (r.contentType() != null) {
            response.putHeader("Content-Type", r.contentType());
        }
        response.end(Buffer.buffer(r.body()));
    }

    /** Runs an API call: its answer, or its error in the API's shape. Safe on any thread. */
    public static ApiResponse answer(Shape shape, String what, Supplier<ApiResponse> call) {
        try {
            return call.get();
        } catch (ApiError e) {
            return error(shape, e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Unexpected failure answering " + what, e);
            return error(shape, ApiError.of(500, "ServerError", String.valueOf(e.getMessage())));
        }
    }

    public static ApiResponse error(Shape shape, ApiError e) {
        if (e.emptyBody()) {
            return ApiResponse.empty(e.status());
        }
        ObjectNode body = Json.object();
        if (shape == Shape.NORMAN) {
            body.put("baseType", "error");
            body.put("code", e.code());
            Json.putIfNotNull(body, "fieldName", e.fieldName());
            body.put("message", e.getMessage());
            body.put("status", e.status());
            body.put("type", "error");
        } else {
            body.put("type", "error");
            body.putObject("links");
            body.put("code", e.code());
            body.put("message", e.getMessage());
            body.put("status", e.status());
        }
        return ApiResponse.json(e.status(), body);
    }

    /** The error shape Rancher uses under this path. */
    public static Shape shapeFor(String path) {
        return path.startsWith("/v3") ? Shape.NORMAN : Shape.STEVE;
    }
}
