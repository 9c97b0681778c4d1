package dev.kubeyard.health.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Posts a JSON body to a receiver, once: the whole exchange within the delivery timeout, no redirects followed (the
 * token would travel with them), no silent resend by OkHttp on a broken connection (the outbox decides when to try
 * again). Nothing here logs; a failure is a {@link DeliveryFailure} that names the receiver only.
 */
final class WebhookClient implements AutoCloseable {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final String USER_AGENT = "kubeyard-health/1";

    private final OkHttpClient http;

    WebhookClient(Duration timeout) {
        long ms = timeout.toMillis();
        this.http = new OkHttpClient.Builder()
                .connectTimeout(ms, TimeUnit.MILLISECONDS)
                .readTimeout(ms, TimeUnit.MILLISECONDS)
                .writeTimeout(ms, TimeUnit.MILLISECONDS)
                .callTimeout(ms, TimeUnit.MILLISECONDS)
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .build();
    }

    /**
     * Posts {@code json} to the receiver's endpoint.
     *
     * @throws DeliveryFailure when the receiver answers other than 2xx or does not answer
     */
    void post(Receiver receiver, String json) {
        Request.Builder request = new Request.Builder()
                .url(receiver.endpoint())
                .post(RequestBody.create(json.getBytes(StandardCharsets.UTF_8), JSON))
                .header("User-Agent", USER_AGENT);
        receiver.bearerToken().ifPresent(token -> request.header("Authorization", "Bearer " + token));
        try (Response response = http.newCall(request.build()).execute()) {
            if (!response.isSuccessful()) {
                throw DeliveryFailure.answered(
                        receiver.name(), response.code(), retryAfter(response.header("Retry-After")));
            }
        } catch (IOException e) {
            throw DeliveryFailure.noAnswer(receiver.name(), e);
        }
    }

    /** {@code Retry-After} in seconds (the HTTP-date form is not used by the receivers we know: ignored). */
    static Optional<Duration> retryAfter(String header) {
        if (header == null) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds > 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
