package dev.kubeyard.rancher.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeyard.rancher.client.Fixtures;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherException;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.RancherServerException;
import dev.kubeyard.rancher.client.RancherToken;
import dev.kubeyard.rancher.client.RancherTransportException;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transport rules that need a scripted server: exact request counts for retries, a stalled answer for
 * timeouts, a dropped connection. OkHttp's MockWebServer is a real HTTP server, not a mock of our own
 * classes; everything about Rancher's behaviour is tested against rancher-sim in the *IT tests.
 */
class RancherHttpTest {

    private static final String SECRET = "token-abcde:q8vlx6d4ct9hwm7kbg2npqrpz6vgh2lq8cd7mxt4kw9bnr5fsj2zq";

    private MockWebServer server;
    private final List<LogRecord> logs = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logs.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private final Logger clientLogger = Logger.getLogger("dev.kubeyard.rancher.client");

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
        clientLogger.setLevel(Level.ALL);
        clientLogger.addHandler(capture);
    }

    @AfterEach
    void stop() {
        clientLogger.removeHandler(capture);
        server.close();
    }

    private RancherHttp http(int retries, Duration callTimeout) {
        return new RancherHttp(RancherClientConfig.builder(server.url("/").toString(), RancherToken.of(SECRET))
                .readRetries(retries)
                .retryDelay(Duration.ofMillis(5), Duration.ofMillis(20))
                .callTimeout(callTimeout)
                .pageSize(1)
                .build());
    }

    private static MockResponse status(int code) {
        return new MockResponse.Builder()
                .code(code)
                .addHeader("Content-Type", "application/json")
                .body(
                        "{\"type\":\"error\",\"links\":{},\"code\":\"ServiceUnavailable\",\"message\":\"try later\",\"status\":"
                                + code + "}")
                .build();
    }

    private static MockResponse ok(String body) {
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body(body)
                .build();
    }

    @Test
    void readIsRetriedAfterTransientFailuresUntilRancherAnswers() {
        server.enqueue(status(503));
        server.enqueue(status(502));
        server.enqueue(ok("{\"ok\":true}"));

        var answer = http(3, Duration.ofSeconds(5)).getJson(server.url("/v1/x"));

        assertThat(answer.path("ok").asBoolean()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void readGivesUpAfterTheConfiguredRetries() {
        for (int i = 0; i < 5; i++) {
            server.enqueue(status(503));
        }

        assertThatThrownBy(() -> http(2, Duration.ofSeconds(5)).getJson(server.url("/v1/x")))
                .isInstanceOf(RancherServerException.class);
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void writeIsSentOnceEvenWhenRancherFailsTransiently() {
        server.enqueue(status(503));
        server.enqueue(ok("{}"));

        assertThatThrownBy(() ->
                        http(3, Duration.ofSeconds(5)).send("POST", server.url("/v1/x"), Map.of(), RancherHttp.JSON))
                .isInstanceOf(RancherServerException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void notFoundIsNotRetried() {
        server.enqueue(new MockResponse.Builder().code(404).build());
        server.enqueue(ok("{}"));

        assertThatThrownBy(() -> http(3, Duration.ofSeconds(5)).getJson(server.url("/v1/x")))
                .isInstanceOf(RancherNotFoundException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void stalledAnswerEndsAsATimeoutAfterTheCallTimeout() {
        server.enqueue(new MockResponse.Builder()
                .headersDelay(3, TimeUnit.SECONDS)
                .body("{}")
                .build());

        assertThatThrownBy(() -> http(0, Duration.ofMillis(300)).getJson(server.url("/v1/x")))
                .isInstanceOfSatisfying(RancherTransportException.class, e -> assertThat(e.timedOut())
                        .isTrue());
    }

    @Test
    void droppedConnectionFailsAWriteWithoutResendingIt() {
        server.enqueue(new MockResponse.Builder()
                .onRequestStart(new SocketEffect.CloseSocket())
                .build());
        server.enqueue(ok("{}"));

        assertThatThrownBy(() ->
                        http(3, Duration.ofSeconds(5)).send("POST", server.url("/v1/x"), Map.of(), RancherHttp.JSON))
                .isInstanceOf(RancherTransportException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void droppedConnectionIsRetriedForReads() {
        server.enqueue(new MockResponse.Builder()
                .onRequestStart(new SocketEffect.CloseSocket())
                .build());
        server.enqueue(ok("{\"ok\":true}"));

        assertThat(http(2, Duration.ofSeconds(5))
                        .getJson(server.url("/v1/x"))
                        .path("ok")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void sendsTheBearerTokenAndAsksForJsonWithoutABrowserUserAgent() throws Exception {
        server.enqueue(ok("{}"));

        http(0, Duration.ofSeconds(5)).getJson(server.url("/v1/x"));

        RecordedRequest r = server.takeRequest();
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + SECRET);
        assertThat(r.getHeaders().get("Accept")).isEqualTo("application/json");
        assertThat(r.getHeaders().get("User-Agent")).doesNotContain("Mozilla");
    }

    @Test
    void tokenNeverReachesALogLineOrAnExceptionMessage() {
        server.enqueue(status(503));
        server.enqueue(new MockResponse.Builder()
                .code(401)
                .body("{\"type\":\"error\",\"status\":\"401\",\"message\":\"Unauthorized 401: must authenticate\"}")
                .build());
        RancherHttp http = http(0, Duration.ofSeconds(5));
        RancherHttp unreachable =
                new RancherHttp(RancherClientConfig.builder("http://127.0.0.1:1", RancherToken.of(SECRET))
                        .readRetries(0)
                        .build());
        List<String> messages = new CopyOnWriteArrayList<>();

        for (RancherHttp client : List.of(http, http, unreachable)) {
            try {
                client.getJson(client.url("/v1/x"));
            } catch (RancherException e) {
                messages.add(e.getMessage());
                messages.add(String.valueOf(e.getCause()));
            }
        }

        assertThat(messages).hasSize(6);
        assertThat(logs).hasSizeGreaterThanOrEqualTo(3);
        String secretPart = SECRET.substring(SECRET.indexOf(':') + 1);
        assertThat(messages).noneMatch(m -> m.contains(secretPart));
        assertThat(logs).noneMatch(r -> String.valueOf(r.getMessage()).contains(secretPart));
    }

    @Test
    void steveListFollowsContinueTokensToTheLastPage() throws Exception {
        server.enqueue(ok(Fixtures.text("v1/provisioning-clusters-page1.json")));
        server.enqueue(ok(Fixtures.text("v1/provisioning-clusters-page2.json")));

        List<ProvisioningCluster> all = SteveLists.listAll(
                http(0, Duration.ofSeconds(5)),
                "/v1/provisioning.cattle.io.clusters/fleet-default",
                Map.of(),
                ProvisioningCluster.class);

        assertThat(all).extracting(ProvisioningCluster::name).containsExactly("payments-prod-eu1", "search-dev");
        assertThat(server.takeRequest().getUrl().queryParameter("continue")).isNull();
        RecordedRequest second = server.takeRequest();
        assertThat(second.getUrl().queryParameter("continue")).isEqualTo("eyJyIjoiNDgzOTA0NDQiLCJzIjoxfQ");
        assertThat(second.getUrl().queryParameter("limit")).isEqualTo("1");
    }

    @Test
    void paginationLinkToAnotherHostIsFollowedOnRancherOnly() throws Exception {
        server.enqueue(ok("{\"type\":\"collection\",\"data\":[{\"id\":\"token-a\"}],"
                + "\"pagination\":{\"limit\":1,\"total\":2,\"partial\":true,"
                + "\"next\":\"https://elsewhere.example.com/v3/tokens?marker=token-b&limit=1\"}}"));
        server.enqueue(ok(
                "{\"type\":\"collection\",\"data\":[{\"id\":\"token-b\"}],\"pagination\":{\"limit\":1,\"total\":2}}"));

        try (RancherClient client =
                RancherClient.create(RancherClientConfig.builder(server.url("/").toString(), RancherToken.of(SECRET))
                        .readRetries(0)
                        .build())) {
            assertThat(client.tokens().list()).extracting(t -> t.id()).containsExactly("token-a", "token-b");
        }
        server.takeRequest();
        RecordedRequest second = server.takeRequest();
        assertThat(second.getTarget()).isEqualTo("/v3/tokens?marker=token-b&limit=1");
    }
}
