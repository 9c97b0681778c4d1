package dev.kubeyard.rancher.sim.downstream;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Forwards one request to a {@link Target} with the shared Vert.x HTTP and WebSocket clients and streams the answer
 * back: plain requests, chunked watch streams, and WebSocket upgrades. Against the in-memory server, whose CRUD mock
 * serves watches over WebSocket only, a chunked {@code ?watch=true} request is bridged onto a WebSocket watch.
 */
final class Forwarder implements AutoCloseable {

    /** Hop-by-hop headers (RFC 9110 section 7.6.1) plus the ones the proxy replaces. */
    private static final Set<String> NOT_FORWARDED = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "authorization",
            "host",
            "content-length",
            // the body is already read, so the backend is never asked to confirm it
            "expect");

    private static final Set<String> WEBSOCKET_HANDSHAKE =
            Set.of("sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol");

    private static final Set<String> NOT_RETURNED = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade");

    private static final int LARGE = 64 * 1024 * 1024;

    private final Vertx vertx;
    private final HttpClient http;
    private final WebSocketClient webSockets;

    Forwarder(Vertx vertx) {
        this.vertx = vertx;
        // Trust all: the simulator forwards to test clusters only (see DESIGN.md). Watches hold a connection each,
        // hence the large pools; no idle timeout, so that quiet watches stay open.
        this.http = vertx.createHttpClient(
                new HttpClientOptions()
                        .setTrustAll(true)
                        .setVerifyHost(false)
                        .setConnectTimeout(5_000)
                        .setKeepAlive(true)
                        .setMaxWaitQueueSize(10_000)
                        .setName("rancher-sim-downstream"),
                new PoolOptions().setHttp1MaxSize(1_000));
        this.webSockets = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setTrustAll(true)
                .setVerifyHost(false)
                .setConnectTimeout(5_000)
                .setMaxConnections(1_000)
                .setMaxFrameSize(LARGE)
                .setMaxMessageSize(LARGE)
                .setName("rancher-sim-downstream-ws"));
    }

    void forward(Target target, String rest, RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String query = request.query();
        if (isWebSocketUpgrade(request)) {
            forwardWebSocket(target, target.uri(rest, query), ctx);
            return;
        }
        if (target.inMemory() && request.method() == HttpMethod.GET && isWatch(query)) {
            bridgeWatch(target, target.uri(rest, normalizeWatch(query)), query, ctx);
            return;
        }
        MultiMap headers = forwardedHeaders(request, Set.of(), target);
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(target.host())
                .setPort(target.port())
                .setSsl(target.ssl())
                .setURI(target.uri(rest, query))
                .setHeaders(headers)
                .setFollowRedirects(false);
        requestBody(ctx)
                .compose(body -> http.request(options).compose(backendRequest -> {
                    ctx.response().closeHandler(v -> backendRequest.reset());
                    return body.length() == 0 ? backendRequest.send() : backendRequest.send(body);
                }))
                .onSuccess(response -> relay(response, ctx))
                .onFailure(error -> badGateway(ctx, error));
    }

    private static void relay(HttpClientResponse backend, RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        if (response.closed()) {
            backend.request().reset();
            return;
        }
        response.setStatusCode(backend.statusCode());
        if (backend.statusMessage() != null) {
            response.setStatusMessage(backend.statusMessage());
        }
        Set<String> connectionTokens = connectionTokens(backend.headers().getAll(HttpHeaders.CONNECTION));
        for (Map.Entry<String, String> header : backend.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_RETURNED.contains(name) && !connectionTokens.contains(name)) {
                response.headers().add(header.getKey(), header.getValue());
            }
        }
        boolean bodyless =
                ctx.request().method() == HttpMethod.HEAD || backend.statusCode() == 204 || backend.statusCode() == 304;
        if (!bodyless && !response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
        backend.pipeTo(response).onFailure(error -> {
            backend.request().reset();
            if (!response.ended() && !response.closed()) {
                response.reset();
            }
        });
    }

    /** A chunked watch against the in-memory mock, which serves watches over WebSocket only. */
    private void bridgeWatch(Target target, String uri, String query, RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.resume();
        WebSocketConnectOptions options =
                webSocketOptions(target, uri, forwardedHeaders(request, WEBSOCKET_HANDSHAKE, target), List.of());
        webSockets
                .connect(options)
                .onSuccess(watch -> {
                    HttpServerResponse response = ctx.response();
                    if (response.closed()) {
                        watch.close();
                        return;
                    }
                    watch.pause();
                    response.setStatusCode(200)
                            .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                            .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache, private")
                            .setChunked(true);
                    response.writeHead();
                    watch.textMessageHandler(event -> {
                        if (!response.ended() && !response.closed()) {
                            response.write(event.endsWith("\n") ? event : event + "\n");
                        }
                    });
                    watch.binaryMessageHandler(event -> {
                        if (!response.ended() && !response.closed()) {
                            response.write(event);
                        }
                    });
                    watch.closeHandler(v -> {
                        if (!response.ended() && !response.closed()) {
                            response.end();
                        }
                    });
                    watch.exceptionHandler(error -> watch.close());
                    response.closeHandler(v -> watch.close());
                    long timeoutSeconds = timeoutSeconds(query);
                    if (timeoutSeconds > 0) {
                        long timer = vertx.setTimer(timeoutSeconds * 1000, id -> watch.close());
                        response.endHandler(v -> vertx.cancelTimer(timer));
                    }
                    watch.resume();
                })
                .onFailure(error -> rejectedOrBadGateway(ctx, error));
    }

    private void forwardWebSocket(Target target, String uri, RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        List<String> subProtocols = new ArrayList<>();
        for (String value : request.headers().getAll("Sec-WebSocket-Protocol")) {
            for (String protocol : value.split(",")) {
                if (!protocol.isBlank()) {
                    subProtocols.add(protocol.strip());
                }
            }
        }
        WebSocketConnectOptions options =
                webSocketOptions(target, uri, forwardedHeaders(request, WEBSOCKET_HANDSHAKE, target), subProtocols);
        webSockets
                .connect(options)
                .onSuccess(backend -> {
                    backend.pause();
                    request.toWebSocket()
                            .onSuccess(front -> {
                                bridge(front, backend);
                                bridge(backend, front);
                                backend.resume();
                            })
                            .onFailure(error -> backend.close());
                })
                .onFailure(error -> rejectedOrBadGateway(ctx, error));
    }

    private static void bridge(WebSocketBase from, WebSocketBase to) {
        from.textMessageHandler(to::writeTextMessage);
        from.binaryMessageHandler(to::writeBinaryMessage);
        from.exceptionHandler(error -> from.close());
        from.closeHandler(v -> {
            if (to.isClosed()) {
                return;
            }
            Short code = from.closeStatusCode();
            if (code != null && sendableCloseCode(code)) {
                to.close(code, from.closeReason());
            } else {
                to.close();
            }
        });
    }

    private static boolean sendableCloseCode(short code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private static WebSocketConnectOptions webSocketOptions(
            Target target, String uri, MultiMap headers, List<String> subProtocols) {
        WebSocketConnectOptions options = new WebSocketConnectOptions();
        options.setHost(target.host());
        options.setPort(target.port());
        options.setSsl(target.ssl());
        options.setURI(uri);
        options.setHeaders(headers);
        options.setAllowOriginHeader(false);
        if (!subProtocols.isEmpty()) {
            options.setSubProtocols(subProtocols);
        }
        return options;
    }

    private static void rejectedOrBadGateway(RoutingContext ctx, Throwable error) {
        HttpServerResponse response = ctx.response();
        if (error instanceof UpgradeRejectedException rejected && !response.headWritten() && !response.closed()) {
            response.setStatusCode(rejected.getStatus());
            if (rejected.getHeaders() != null) {
                for (Map.Entry<String, String> header : rejected.getHeaders()) {
                    String name = header.getKey().toLowerCase(Locale.ROOT);
                    if (!NOT_RETURNED.contains(name) && !name.equals("content-length")) {
                        response.headers().add(header.getKey(), header.getValue());
                    }
                }
            }
            Buffer body = rejected.getBody();
            afterRequestEnded(ctx, () -> response.end(body == null ? Buffer.buffer() : body));
            return;
        }
        badGateway(ctx, error);
    }

    /** Rancher answers a failed downstream dial with 502 and the error text. */
    static void badGateway(RoutingContext ctx, Throwable error) {
        HttpServerResponse response = ctx.response();
        if (response.closed() || response.ended()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        String message = error.getMessage() == null ? error.toString() : error.getMessage();
        afterRequestEnded(ctx, () -> response.setStatusCode(502)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(message));
    }

    /**
     * Runs {@code respond} once the (paused) request has been read to its end. Ending the response of a request that
     * is still paused left the next request on the same keep-alive connection unanswered now and then.
     */
    static void afterRequestEnded(RoutingContext ctx, Runnable respond) {
        HttpServerRequest request = ctx.request();
        if (ctx.body().available() || request.isEnded()) {
            respond.run();
            return;
        }
        request.body().onComplete(ignored -> {
            if (!ctx.response().closed() && !ctx.response().ended()) {
                respond.run();
            }
        });
        request.resume();
    }

    private static Future<Buffer> requestBody(RoutingContext ctx) {
        if (ctx.body().available()) {
            Buffer buffered = ctx.body().buffer();
            return Future.succeededFuture(buffered == null ? Buffer.buffer() : buffered);
        }
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            return Future.succeededFuture(Buffer.buffer());
        }
        Future<Buffer> body = request.body();
        request.resume();
        return body;
    }

    private static MultiMap forwardedHeaders(HttpServerRequest request, Set<String> alsoDropped, Target target) {
        Set<String> connectionTokens = connectionTokens(request.headers().getAll(HttpHeaders.CONNECTION));
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> header : request.headers()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_FORWARDED.contains(name) && !alsoDropped.contains(name) && !connectionTokens.contains(name)) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        if (target.bearerToken() != null && !target.bearerToken().isEmpty()) {
            headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + target.bearerToken());
        }
        return headers;
    }

    private static Set<String> connectionTokens(List<String> connectionHeaders) {
        Set<String> tokens = new HashSet<>();
        for (String value : connectionHeaders) {
            for (String token : value.split(",")) {
                tokens.add(token.strip().toLowerCase(Locale.ROOT));
            }
        }
        return tokens;
    }

    static boolean isWebSocketUpgrade(HttpServerRequest request) {
        String upgrade = request.getHeader(HttpHeaders.UPGRADE);
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    static boolean isWatch(String query) {
        String watch = queryParameter(query, "watch");
        return watch != null && (watch.equals("true") || watch.equals("1"));
    }

    /** The CRUD mock recognises only {@code watch=true}; client-go may send {@code watch=1}. */
    static String normalizeWatch(String query) {
        List<String> parts = new ArrayList<>();
        for (String part : query.split("&")) {
            parts.add(part.equals("watch=1") ? "watch=true" : part);
        }
        return String.join("&", parts);
    }

    private static long timeoutSeconds(String query) {
        String value = queryParameter(query, "timeoutSeconds");
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static String queryParameter(String query, String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String part : query.split("&")) {
            int equals = part.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? part : part.substring(0, equals), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return equals < 0 ? "" : URLDecoder.decode(part.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close() {
        http.close();
        webSockets.close();
    }
}
