package dev.kubeyard.rancher.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherException;
import dev.kubeyard.rancher.client.RancherToken;
import dev.kubeyard.rancher.client.RancherTransportException;
import io.smallrye.faulttolerance.api.Guard;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The one place that speaks HTTP to Rancher: authentication header, timeouts, error mapping, and
 * retries of idempotent reads. Writes are sent exactly once: a retried POST with a generated name would
 * create a duplicate, and a retried PUT hides a conflict the caller must see.
 *
 * <p>Nothing here logs a header or a body; the log line of a call names method, path, status and time.
 */
public final class RancherHttp implements AutoCloseable {

    public static final MediaType JSON = MediaType.get("application/json");
    public static final MediaType MERGE_PATCH = MediaType.get("application/merge-patch+json");

    private static final System.Logger LOG = System.getLogger(RancherHttp.class.getName());
    private static final String USER_AGENT = "kubeyard-rancher-client/1";

    private final RancherClientConfig config;
    private final HttpUrl base;
    private final OkHttpClient http;
    private final Guard readGuard;

    public RancherHttp(RancherClientConfig config) {
        this.config = config;
        this.base = HttpUrl.get(config.baseUrl().toString());
        this.http = buildClient(config);
        this.readGuard = config.readRetries() == 0 ? null : buildReadGuard(config);
    }

    private static OkHttpClient buildClient(RancherClientConfig config) {
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
                // A followed 302 on a POST becomes a GET (Rancher's v1 generateKubeconfig does this):
                // surface redirects instead of silently changing the method, and never carry the token
                // to another host.
                .followRedirects(false)
                // OkHttp would silently resend a request after a connection failure, POSTs included;
                // retries are decided above this layer, for reads only.
                .retryOnConnectionFailure(false)
                .followSslRedirects(false);
        if (config.insecureSkipTlsVerify()) {
            X509TrustManager trustAll = new TrustAll();
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {trustAll}, new SecureRandom());
                b.sslSocketFactory(ctx.getSocketFactory(), trustAll).hostnameVerifier((host, session) -> true);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot set up TLS without verification", e);
            }
        }
        return b.build();
    }

    private static Guard buildReadGuard(RancherClientConfig config) {
        long delay = config.retryDelay().toMillis();
        long attempts = config.readRetries() + 1L;
        long worstCase = attempts * config.callTimeout().toMillis()
                + config.readRetries() * config.retryMaxDelay().toMillis();
        return Guard.create()
                .withDescription("rancher-read")
                .withRetry()
                .maxRetries(config.readRetries())
                .delay(delay, ChronoUnit.MILLIS)
                .jitter(Math.max(1, delay / 2), ChronoUnit.MILLIS)
                .maxDuration(worstCase + 1000, ChronoUnit.MILLIS)
                .whenException(e -> e instanceof RancherException re && re.isTransient())
                .withExponentialBackoff()
                .factor(2)
                .maxDelay(config.retryMaxDelay().toMillis(), ChronoUnit.MILLIS)
                .done()
                .done()
                .build();
    }

    public RancherClientConfig config() {
        return config;
    }

    /** An absolute URL for a path below Rancher's base (the path may carry a query). */
    public HttpUrl url(String pathAndQuery) {
        HttpUrl resolved = base.resolve(pathAndQuery.startsWith("/") ? pathAndQuery.substring(1) : pathAndQuery);
        if (resolved == null) {
            throw new IllegalArgumentException("not a valid path: " + pathAndQuery);
        }
        return resolved;
    }

    /**
     * A link Rancher returned (pagination {@code next}): followed only on Rancher's own host, so that the
     * token never goes elsewhere; otherwise its path and query are taken against the base URL.
     */
    public HttpUrl link(String absoluteOrPath) {
        HttpUrl parsed = HttpUrl.parse(absoluteOrPath);
        if (parsed == null) {
            return url(absoluteOrPath);
        }
        if (parsed.host().equals(base.host()) && parsed.port() == base.port()) {
            return parsed;
        }
        String query = parsed.encodedQuery();
        return url(parsed.encodedPath() + (query == null ? "" : "?" + query));
    }

    /** GET returning the parsed JSON; retried on transient failures. */
    public JsonNode getJson(HttpUrl url) {
        return parse("GET", url, get(url));
    }

    /** GET returning the raw answer; retried on transient failures. */
    public Answer get(HttpUrl url) {
        if (readGuard == null) {
            return execute("GET", url, null);
        }
        try {
            return readGuard.call(() -> execute("GET", url, null), Answer.class);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("unexpected checked exception from a read", e);
        }
    }

    /** A write, sent once. {@code body} is serialised as JSON with the given media type; may be null. */
    public JsonNode send(String method, HttpUrl url, Object body, MediaType type) {
        return sendAs(config.token(), method, url, body, type);
    }

    /**
     * A write sent once with another bearer token than the client's ({@code null}: none, for Rancher's public
     * login). For calls that Rancher allows only to a user for itself, such as creating its own token.
     */
    public JsonNode sendAs(RancherToken token, String method, HttpUrl url, Object body, MediaType type) {
        RequestBody rb = null;
        if (body != null) {
            try {
                rb = RequestBody.create(Json.mapper().writeValueAsBytes(body), type);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(
                        "cannot serialise request body for " + method + " " + url.encodedPath(), e);
            }
        } else if (!"DELETE".equals(method)) {
            rb = RequestBody.create(new byte[0], type);
        }
        return parse(method, url, execute(token, method, url, rb));
    }

    private Answer execute(String method, HttpUrl url, RequestBody body) {
        return execute(config.token(), method, url, body);
    }

    private Answer execute(RancherToken token, String method, HttpUrl url, RequestBody body) {
        Request.Builder builder = new Request.Builder()
                .url(url)
                .method(method, body)
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token.reveal());
        }
        Request request = builder.build();
        String path = url.encodedPath();
        long start = System.nanoTime();
        try (Response response = http.newCall(request).execute()) {
            ResponseBody rb = response.body();
            String text = rb.string();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            LOG.log(Level.DEBUG, () -> method + " " + path + " -> " + response.code() + " in " + ms + " ms");
            MediaType mt = rb.contentType();
            String contentType = mt == null ? null : mt.toString();
            if (!response.isSuccessful()) {
                throw RancherErrors.from(method, path, response.code(), contentType, text);
            }
            return new Answer(response.code(), contentType, text);
        } catch (IOException e) {
            LOG.log(
                    Level.DEBUG,
                    () -> method + " " + path + " -> no answer: " + e.getClass().getSimpleName());
            throw new RancherTransportException(method, path, e);
        }
    }

    private static JsonNode parse(String method, HttpUrl url, Answer answer) {
        if (answer.body().isBlank()) {
            return Json.mapper().createObjectNode();
        }
        try {
            return Json.mapper().readTree(answer.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    method + " " + url.encodedPath() + ": Rancher answered " + answer.status()
                            + " with a body that is not JSON",
                    e);
        }
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** A successful answer. */
    public record Answer(int status, String contentType, String body) {}

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // Trust everything: only with insecureSkipTlsVerify, for a lab Rancher.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Trust everything: only with insecureSkipTlsVerify, for a lab Rancher.
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
