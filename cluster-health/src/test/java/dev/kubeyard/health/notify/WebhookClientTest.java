package dev.kubeyard.health.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kubeyard.health.alert.Severity;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sender against a real HTTP server (OkHttp's MockWebServer): what counts as delivered, and what errors say. */
class WebhookClientTest {

    static final String SECRET_PATH = "/services/T000/B000/webhook-secret-part";
    static final String TOKEN = "am-bearer-token-value";

    MockWebServer server;
    WebhookClient client;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        client = new WebhookClient(Duration.ofMillis(500));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    Receiver receiver(Optional<String> token) {
        return new Receiver("team-hook", ReceiverType.SLACK, server.url(SECRET_PATH), token, true, Severity.INFO);
    }

    @Test
    void a2xxAnswerIsADeliveryOfTheJsonBodyWithTheBearerToken() throws Exception {
        server.enqueue(new MockResponse.Builder().code(202).build());

        client.post(receiver(Optional.of(TOKEN)), "{\"text\":\"hello\"}");

        RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo(SECRET_PATH);
        assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(request.getBody().utf8()).isEqualTo("{\"text\":\"hello\"}");
    }

    @Test
    void noTokenNoAuthorizationHeader() throws Exception {
        server.enqueue(new MockResponse.Builder().code(200).build());

        client.post(receiver(Optional.empty()), "{}");

        assertThat(server.takeRequest(1, TimeUnit.SECONDS).getHeaders().get("Authorization"))
                .isNull();
    }

    @ParameterizedTest(name = "{0}: rejected {1}")
    @CsvSource({
        "500, false",
        "502, false",
        "503, false",
        "408, false",
        "429, false",
        "400, true",
        "401, true",
        "403, true",
        "404, true",
        "410, true"
    })
    void nonSuccessIsAFailureAndAConfigurationRefusalIsToldApart(int status, boolean rejected) {
        server.enqueue(new MockResponse.Builder().code(status).build());

        DeliveryFailure f =
                catchThrowableOfType(DeliveryFailure.class, () -> client.post(receiver(Optional.of(TOKEN)), "{}"));

        assertThat(f.status()).isEqualTo(status);
        assertThat(f.rejected()).isEqualTo(rejected);
        assertThat(f.getMessage()).startsWith("receiver team-hook answered " + status);
        assertThat(f.getMessage()).doesNotContain("webhook-secret-part", TOKEN, String.valueOf(server.getPort()));
    }

    @Test
    void aRedirectIsNotFollowedSoTheTokenStaysWhereItWasSent() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(302)
                .setHeader("Location", server.url("/elsewhere"))
                .build());

        DeliveryFailure f =
                catchThrowableOfType(DeliveryFailure.class, () -> client.post(receiver(Optional.of(TOKEN)), "{}"));

        assertThat(f.rejected()).isTrue();
        server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(server.takeRequest(200, TimeUnit.MILLISECONDS))
                .as("nothing else requested")
                .isNull();
    }

    @Test
    void retryAfterInSecondsIsPassedOn() {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", "30")
                .build());

        DeliveryFailure f =
                catchThrowableOfType(DeliveryFailure.class, () -> client.post(receiver(Optional.empty()), "{}"));

        assertThat(f.retryAfter()).contains(Duration.ofSeconds(30));
    }

    @Test
    void aClosedConnectionIsAFailureNamingTheExceptionClassNotTheUrl() {
        server.enqueue(new MockResponse.Builder()
                .onResponseStart(new SocketEffect.CloseSocket())
                .build());

        DeliveryFailure f =
                catchThrowableOfType(DeliveryFailure.class, () -> client.post(receiver(Optional.empty()), "{}"));

        assertThat(f.status()).isZero();
        assertThat(f.rejected()).isFalse();
        assertThat(f.getMessage()).matches("receiver team-hook: no answer \\(\\w+\\)");
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsAFailure() {
        server.enqueue(new MockResponse.Builder()
                .headersDelay(2, TimeUnit.SECONDS)
                .code(200)
                .build());

        DeliveryFailure f =
                catchThrowableOfType(DeliveryFailure.class, () -> client.post(receiver(Optional.empty()), "{}"));

        assertThat(f.getMessage()).startsWith("receiver team-hook: no answer in time (");
    }

    @Test
    void aReceiverThatIsNotListeningIsAFailure() {
        int port = server.getPort();
        server.close();
        Receiver gone = new Receiver(
                "team-hook",
                ReceiverType.SLACK,
                okhttp3.HttpUrl.get("http://127.0.0.1:" + port + SECRET_PATH),
                Optional.empty(),
                true,
                Severity.INFO);

        DeliveryFailure f = catchThrowableOfType(DeliveryFailure.class, () -> client.post(gone, "{}"));

        assertThat(f.getMessage()).isEqualTo("receiver team-hook: no answer (ConnectException)");
    }
}
