package dev.kubeyard.platform.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.health.alert.Severity;
import dev.kubeyard.health.notify.AlertOutbox;
import dev.kubeyard.health.notify.AlertRefresher;
import dev.kubeyard.health.notify.DeliveryKind;
import dev.kubeyard.health.notify.DeliveryRecord;
import dev.kubeyard.health.notify.DeliveryStore;
import dev.kubeyard.health.notify.DeliveryStore.DeliveryView;
import dev.kubeyard.health.notify.DeliveryStore.ReceiverStatus;
import dev.kubeyard.health.notify.ReceiverType;
import dev.kubeyard.health.record.AlertRecord;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.RancherSimResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.sql.DataSource;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Alerts delivered from the outbox to two real HTTP receivers (OkHttp's MockWebServer on the loopback ports that the
 * test profile configures: Alertmanager on 18091, a Slack-style webhook on 18092), by the delivery worker of the test
 * application (rounds every 200 ms, back-off 200 ms doubling to 1 s). Alerts are opened as the sweep opens them: the
 * record and {@link AlertOutbox#enqueue} in one transaction. Each test has a cluster of its own, and the receivers
 * answer by cluster (the name is in every body), so that what one test does to a receiver is its own.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertDeliveryIT {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final String ALERTMANAGER = "test-alertmanager";
    static final String SLACK = "test-slack";
    /** The parts of the test receivers' settings (application.properties) that stand for secrets. */
    static final String TOKEN = "am-test-bearer-7d1c5e9a3f";

    static final String SLACK_PATH = "/services/T0TESTS/B0KUBEYARD/slack-hook-secret-5b8e";
    static final ObjectMapper JSON = new ObjectMapper();

    static TestReceiver alertmanager;
    static TestReceiver slack;

    @Inject
    AlertOutbox outbox;

    @Inject
    AlertRefresher refresher;

    @Inject
    DeliveryStore deliveries;

    @Inject
    EntityManager em;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void receivers() throws IOException {
        alertmanager = TestReceiver.start(18091);
        slack = TestReceiver.start(18092);
    }

    @AfterAll
    static void stopReceivers() {
        alertmanager.shutdown();
        slack.shutdown();
    }

    static boolean quiet;

    /**
     * Other test classes of the run (the health sweeps of ClusterHealthIT and the console's) open alerts whose
     * notifications went to these receivers while nobody listened. They are not this class's: once, before its
     * first test, they are given up and their alerts resolved, so that neither they nor their refreshes share the
     * receivers and the worker's rounds with this class's deliveries.
     */
    @BeforeEach
    void quietOtherTestsAlerts() {
        if (quiet) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("UPDATE health_alert_deliveries SET state = 'GaveUp',"
                            + " last_error = 'left by another test class' WHERE state = 'Pending'")
                    .executeUpdate();
            em.createNativeQuery("UPDATE health_alerts SET state = 'Resolved', resolved_at = now(), updated_at = now()"
                            + " WHERE state = 'Firing'")
                    .executeUpdate();
        });
        quiet = true;
    }

    static String newCluster() {
        return "notify-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Opens an alert as the sweep does: the record and its notifications in one transaction. */
    long open(String cluster, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> {
            AlertRecord alert = alert(cluster, now);
            em.persist(alert);
            assertThat(outbox.enqueue(alert, DeliveryKind.FIRING, now)).isEqualTo(2);
            return alert.getId();
        });
    }

    static AlertRecord alert(String cluster, Instant now) {
        return new AlertRecord(
                "ClusterUnreachable/" + cluster,
                "ClusterUnreachable",
                Severity.CRITICAL,
                cluster,
                "payments",
                "api",
                "",
                "The API of cluster " + cluster + " has not answered for 3m",
                "3 probes in a row failed: connection refused.",
                Map.of("alertname", "ClusterUnreachable", "cluster", cluster, "severity", "critical"),
                now.minus(Duration.ofMinutes(3)),
                now);
    }

    void resolve(long id, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> {
            AlertRecord alert = em.find(AlertRecord.class, id);
            alert.resolve("the API answers again.", now);
            outbox.enqueue(alert, DeliveryKind.RESOLVED, now);
        });
    }

    DeliveryView delivery(long alertId, String receiver, DeliveryKind kind) {
        List<DeliveryView> found = deliveries.deliveriesOf(alertId).stream()
                .filter(d -> d.receiver().equals(receiver) && d.kind() == kind)
                .toList();
        assertThat(found)
                .as("%s deliveries of alert %d to %s", kind, alertId, receiver)
                .hasSize(1);
        return found.getFirst();
    }

    boolean delivered(long alertId, String receiver, DeliveryKind kind) {
        return delivery(alertId, receiver, kind).state().equals(DeliveryRecord.DELIVERED);
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    @Test
    void openedAlertReachesAlertmanagerAndSlackWithTheirBodies() {
        String cluster = newCluster();
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        long id = open(cluster, before);

        await().atMost(WAIT)
                .until(() ->
                        delivered(id, ALERTMANAGER, DeliveryKind.FIRING) && delivered(id, SLACK, DeliveryKind.FIRING));
        Instant after = Instant.now();

        TestReceiver.Received am = alertmanager.answered(cluster).getFirst();
        assertThat(am.path()).isEqualTo("/api/v2/alerts");
        assertThat(am.headers().get("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(am.headers().get("Content-Type")).startsWith("application/json");
        JsonNode alerts = json(am.body());
        assertThat(alerts.isArray()).isTrue();
        assertThat(alerts).hasSize(1);
        JsonNode a = alerts.get(0);
        assertThat(a.get("labels").get("alertname").asText()).isEqualTo("ClusterUnreachable");
        assertThat(a.get("labels").get("cluster").asText()).isEqualTo(cluster);
        assertThat(a.get("labels").get("severity").asText()).isEqualTo("critical");
        assertThat(a.get("labels").get("team").asText()).isEqualTo("payments");
        assertThat(a.get("annotations").get("summary").asText())
                .isEqualTo("The API of cluster " + cluster + " has not answered for 3m");
        assertThat(a.get("annotations").get("description").asText())
                .isEqualTo("3 probes in a row failed: connection refused.");
        assertThat(Instant.parse(a.get("startsAt").asText())).isEqualTo(before);
        assertThat(Instant.parse(a.get("endsAt").asText()))
                .as("four resend intervals (1m) after it was sent")
                .isBetween(before.plus(Duration.ofMinutes(4)), after.plus(Duration.ofMinutes(4)));

        TestReceiver.Received chat = slack.answered(cluster).getFirst();
        assertThat(chat.path()).isEqualTo(SLACK_PATH);
        assertThat(chat.headers().get("Authorization"))
                .as("the Slack receiver has no token")
                .isNull();
        assertThat(json(chat.body()).get("text").asText())
                .isEqualTo("[FIRING] critical ClusterUnreachable on cluster " + cluster + ": The API of cluster "
                        + cluster + " has not answered for 3m\n3 probes in a row failed: connection refused.");

        DeliveryView d = delivery(id, ALERTMANAGER, DeliveryKind.FIRING);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.deliveredAt()).isPresent();
        assertThat(d.lastError()).isEmpty();

        String metrics = given().accept("text/plain")
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(metrics)
                .containsPattern(
                        "kubeyard_health_alert_deliveries_total\\{outcome=\"delivered\",receiver=\"test-alertmanager\",?}")
                .containsPattern(
                        "kubeyard_health_alert_deliveries_total\\{outcome=\"delivered\",receiver=\"test-slack\",?}")
                .containsPattern("(?m)^kubeyard_health_alert_deliveries_pending \\d")
                .containsPattern("kubeyard_health_alert_delivery_duration_seconds_count\\{receiver=\"test-slack\",?}");
    }

    @Test
    void receiverThatAnswers503IsRetriedWithBackOffAndGetsTheAlertExactlyOnceWhenBack() {
        String cluster = newCluster();
        alertmanager.unavailable(cluster);

        long id = open(cluster, Instant.now());

        await().atMost(WAIT).until(() -> alertmanager.requests(cluster).size() >= 4);
        await().atMost(WAIT).until(() -> delivered(id, SLACK, DeliveryKind.FIRING));
        DeliveryView waiting = delivery(id, ALERTMANAGER, DeliveryKind.FIRING);
        assertThat(waiting.state()).isEqualTo(DeliveryRecord.PENDING);
        assertThat(waiting.attempts()).isGreaterThanOrEqualTo(3);
        assertThat(waiting.lastError()).contains("receiver test-alertmanager answered 503");
        ReceiverStatus status = deliveries.receivers().stream()
                .filter(r -> r.name().equals(ALERTMANAGER))
                .findFirst()
                .orElseThrow();
        assertThat(status.type()).isEqualTo(ReceiverType.ALERTMANAGER);
        assertThat(status.pending()).isPositive();
        assertThat(status.lastError()).contains("receiver test-alertmanager answered 503");

        List<Instant> at = alertmanager.requests(cluster).stream()
                .map(TestReceiver.Received::at)
                .toList();
        // Back-off 200 ms, 400 ms, 800 ms (less up to 20 %), not every 200 ms round.
        assertThat(Duration.between(at.get(0), at.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(Duration.between(at.get(2), at.get(3))).isGreaterThanOrEqualTo(Duration.ofMillis(600));

        alertmanager.answer(cluster);

        await().atMost(WAIT).until(() -> delivered(id, ALERTMANAGER, DeliveryKind.FIRING));
        int requests = alertmanager.requests(cluster).size();
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> alertmanager.requests(cluster).size() == requests);
        assertThat(alertmanager.answered(cluster)).as("delivered exactly once").hasSize(1);
        assertThat(slack.answered(cluster))
                .as("the other receiver was not held up")
                .hasSize(1);
        assertThat(delivery(id, ALERTMANAGER, DeliveryKind.FIRING).lastError()).isEmpty();
    }

    @Test
    void resolutionIsDeliveredAfterTheFiringNoticeWhenBothWaitedForTheReceivers() {
        String cluster = newCluster();
        alertmanager.unavailable(cluster);
        slack.unavailable(cluster);
        long id = open(cluster, Instant.now());
        await().atMost(WAIT)
                .until(() -> !alertmanager.requests(cluster).isEmpty()
                        && !slack.requests(cluster).isEmpty());

        resolve(id, Instant.now());

        // Both notifications are pending; the resolution is due at once, but waits behind the first notice.
        await().during(Duration.ofMillis(800))
                .atMost(Duration.ofSeconds(3))
                .until(() -> slack.requests(cluster).stream()
                        .allMatch(r -> json(r.body()).get("text").asText().startsWith("[FIRING]")));
        alertmanager.answer(cluster);
        slack.answer(cluster);

        await().atMost(WAIT)
                .until(() -> delivered(id, ALERTMANAGER, DeliveryKind.RESOLVED)
                        && delivered(id, SLACK, DeliveryKind.RESOLVED));
        List<TestReceiver.Received> chat = slack.answered(cluster);
        assertThat(chat).hasSize(2);
        assertThat(json(chat.get(0).body()).get("text").asText()).startsWith("[FIRING] critical ClusterUnreachable");
        assertThat(json(chat.get(1).body()).get("text").asText())
                .startsWith("[RESOLVED] critical ClusterUnreachable")
                .endsWith("Resolved: the API answers again.");
        List<TestReceiver.Received> am = alertmanager.answered(cluster);
        assertThat(am).hasSize(2);
        Instant resolvedAt = QuarkusTransaction.requiringNew()
                .call(() -> em.find(AlertRecord.class, id).getResolvedAt().orElseThrow());
        assertThat(Instant.parse(json(am.get(0).body()).get(0).get("endsAt").asText()))
                .isAfter(resolvedAt);
        assertThat(Instant.parse(json(am.get(1).body()).get(0).get("endsAt").asText()))
                .isEqualTo(resolvedAt);
    }

    @Test
    void connectionClosedMidRequestLeavesTheDeliveryPendingAndALaterRoundDeliversIt() {
        String cluster = newCluster();
        slack.closeConnection(cluster);

        long id = open(cluster, Instant.now());

        await().atMost(WAIT)
                .until(() -> delivery(id, SLACK, DeliveryKind.FIRING).attempts() >= 1);
        DeliveryView broken = delivery(id, SLACK, DeliveryKind.FIRING);
        assertThat(broken.state()).isEqualTo(DeliveryRecord.PENDING);
        assertThat(broken.lastError())
                .hasValueSatisfying(e -> assertThat(e).matches("receiver test-slack: no answer( in time)? \\(\\w+\\)"));
        assertThat(slack.requests(cluster)).allMatch(r -> r.answered() == TestReceiver.CLOSED);

        slack.answer(cluster);

        await().atMost(WAIT).until(() -> delivered(id, SLACK, DeliveryKind.FIRING));
        assertThat(slack.answered(cluster)).hasSize(1);
        assertThat(delivery(id, SLACK, DeliveryKind.FIRING).attempts()).isGreaterThanOrEqualTo(2);
    }

    /**
     * A replica that took rows and died before committing: the test holds the rows locked in a transaction of its own
     * and marks them delivered, as a round does before it commits, then rolls back. Meanwhile the worker skips the
     * locked rows (and keeps delivering others); afterwards it delivers them, once.
     */
    @Test
    void roundThatDiesBeforeCommittingLeavesItsRowsPendingAndTheyAreDeliveredOnce() throws Exception {
        String cluster = newCluster();
        Instant due = Instant.now().plusMillis(1500);
        long id = QuarkusTransaction.requiringNew().call(() -> {
            AlertRecord alert = alert(cluster, Instant.now());
            em.persist(alert);
            outbox.enqueue(alert, DeliveryKind.FIRING, Instant.now());
            em.flush();
            // Due in a moment, so that the test locks the rows before the worker may take them.
            em.createNativeQuery("UPDATE health_alert_deliveries SET next_attempt_at = ?1 WHERE alert_id = ?2")
                    .setParameter(1, due)
                    .setParameter(2, alert.getId())
                    .executeUpdate();
            return alert.getId();
        });

        try (Connection replica = dataSource.getConnection()) {
            replica.setAutoCommit(false);
            try {
                holdAndMarkDelivered(replica, cluster, id, due);
            } finally {
                // The replica died: nothing of its round committed.
                replica.rollback();
            }
        }

        await().atMost(WAIT)
                .until(() ->
                        delivered(id, ALERTMANAGER, DeliveryKind.FIRING) && delivered(id, SLACK, DeliveryKind.FIRING));
        await().during(Duration.ofMillis(600))
                .atMost(Duration.ofSeconds(3))
                .until(() -> alertmanager.requests(cluster).size() == 1
                        && slack.requests(cluster).size() == 1);
        assertThat(delivery(id, SLACK, DeliveryKind.FIRING).attempts()).isEqualTo(1);
    }

    /** What a round does to its rows before it commits, while the due time passes and the worker goes on. */
    void holdAndMarkDelivered(Connection replica, String cluster, long id, Instant due) throws Exception {
        try (PreparedStatement lock = replica.prepareStatement(
                "SELECT id FROM health_alert_deliveries WHERE alert_id = ? AND state = 'Pending' FOR UPDATE")) {
            lock.setLong(1, id);
            try (ResultSet rows = lock.executeQuery()) {
                int n = 0;
                while (rows.next()) {
                    n++;
                }
                assertThat(n).as("both deliveries locked").isEqualTo(2);
            }
        }
        try (PreparedStatement mark = replica.prepareStatement("UPDATE health_alert_deliveries"
                + " SET state = 'Delivered', attempts = 1, delivered_at = now() WHERE alert_id = ?")) {
            mark.setLong(1, id);
            assertThat(mark.executeUpdate()).isEqualTo(2);
        }
        assertThat(Instant.now())
                .as("the rows were locked before they were due")
                .isBefore(due);

        String other = newCluster();
        long otherId = open(other, Instant.now());
        await().atMost(WAIT).until(() -> delivered(otherId, SLACK, DeliveryKind.FIRING));
        // Past the due time by four rounds, nothing of the held rows was sent.
        Duration untilDue = Duration.between(Instant.now(), due);
        Duration hold = (untilDue.isNegative() ? Duration.ZERO : untilDue).plusMillis(800);
        await().during(hold)
                .atMost(hold.plusSeconds(2))
                .until(() -> alertmanager.requests(cluster).isEmpty()
                        && slack.requests(cluster).isEmpty());
    }

    @Test
    void refreshReachesAlertmanagerAndNotSlack() {
        String cluster = newCluster();
        Instant opened = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.MILLIS);
        long id = open(cluster, opened);
        await().atMost(WAIT)
                .until(() ->
                        delivered(id, ALERTMANAGER, DeliveryKind.FIRING) && delivered(id, SLACK, DeliveryKind.FIRING));

        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        assertThat(refresher.refreshDue(now)).isPositive();

        List<DeliveryView> refreshes = deliveries.deliveriesOf(id).stream()
                .filter(d -> d.kind() == DeliveryKind.REFRESH)
                .toList();
        assertThat(refreshes).extracting(DeliveryView::receiver).containsExactly(ALERTMANAGER);
        await().atMost(WAIT).until(() -> delivered(id, ALERTMANAGER, DeliveryKind.REFRESH));
        List<TestReceiver.Received> am = alertmanager.answered(cluster);
        assertThat(am).hasSize(2);
        JsonNode refresh = json(am.get(1).body()).get(0);
        assertThat(Instant.parse(refresh.get("startsAt").asText())).isEqualTo(opened);
        assertThat(Instant.parse(refresh.get("endsAt").asText())).isAfter(now.plus(Duration.ofMinutes(4)));
        assertThat(QuarkusTransaction.requiringNew()
                        .call(() ->
                                em.find(AlertRecord.class, id).getRefreshedAt().orElseThrow()))
                .isEqualTo(now);

        refresher.refreshDue(Instant.now());
        assertThat(deliveries.deliveriesOf(id))
                .filteredOn(d -> d.kind() == DeliveryKind.REFRESH)
                .as("refreshed a moment ago: not due again")
                .hasSize(1);
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> slack.requests(cluster).size() == 1);
    }

    @Test
    void pendingRefreshOfAnAlertThatResolvedIsSupersededByTheResolution() {
        String cluster = newCluster();
        long id = open(cluster, Instant.now().minus(Duration.ofMinutes(5)));
        await().atMost(WAIT).until(() -> delivered(id, ALERTMANAGER, DeliveryKind.FIRING));
        alertmanager.unavailable(cluster);
        refresher.refreshDue(Instant.now());
        await().atMost(WAIT).until(() -> alertmanager.requests(cluster).size() >= 2);

        resolve(id, Instant.now());
        alertmanager.answer(cluster);

        await().atMost(WAIT).until(() -> delivered(id, ALERTMANAGER, DeliveryKind.RESOLVED));
        DeliveryView refresh = delivery(id, ALERTMANAGER, DeliveryKind.REFRESH);
        assertThat(refresh.state()).isEqualTo(DeliveryRecord.SUPERSEDED);
        assertThat(refresh.lastError()).contains("superseded: the alert resolved before its refresh was sent");
        List<TestReceiver.Received> am = alertmanager.answered(cluster);
        assertThat(am)
                .as("the first notice and the resolution; the refresh never got through")
                .hasSize(2);
    }

    @Test
    void deliveryToAReceiverNoLongerConfiguredIsGivenUp() {
        String cluster = newCluster();
        long id = QuarkusTransaction.requiringNew().call(() -> {
            AlertRecord alert = alert(cluster, Instant.now());
            em.persist(alert);
            em.persist(new DeliveryRecord(alert.getId(), "retired-receiver", DeliveryKind.FIRING, Instant.now()));
            return alert.getId();
        });

        await().atMost(WAIT).until(() -> delivery(id, "retired-receiver", DeliveryKind.FIRING)
                .state()
                .equals(DeliveryRecord.GAVE_UP));
        assertThat(delivery(id, "retired-receiver", DeliveryKind.FIRING).lastError())
                .contains("receiver retired-receiver is no longer configured");
    }

    /** After the others: what they made the receivers fail must not have put a URL or token anywhere. */
    @Test
    @Order(Integer.MAX_VALUE)
    void noStatusStoredErrorOrLogLineCarriesAReceiversUrlOrToken() throws IOException {
        List<String> secrets = List.of(TOKEN, "slack-hook-secret-5b8e", "127.0.0.1:1809");

        List<ReceiverStatus> statuses = deliveries.receivers();
        assertThat(statuses).extracting(ReceiverStatus::name).containsExactly(ALERTMANAGER, SLACK);
        assertThat(statuses.toString()).doesNotContain(secrets);

        List<String> errors = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                        "select d.lastError from DeliveryRecord d where d.lastError is not null", String.class)
                .getResultList());
        assertThat(errors).as("the tests made deliveries fail").isNotEmpty();
        assertThat(errors).allSatisfy(e -> assertThat(e).doesNotContain(secrets));

        StringBuilder logs = new StringBuilder();
        try (Stream<Path> files = Files.walk(Path.of("target", "app-logs"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                logs.append(Files.readString(f));
            }
        }
        assertThat(logs.toString()).as("the test application's log").doesNotContain(secrets);
    }

    /** A receiver that answers 200 unless told otherwise for a cluster, and keeps what it was sent. */
    static final class TestReceiver extends Dispatcher {

        static final int CLOSED = -1;

        enum Trouble {
            UNAVAILABLE,
            CLOSE_CONNECTION
        }

        record Received(Instant at, String path, Headers headers, String body, int answered) {}

        final MockWebServer server = new MockWebServer();
        final List<Received> received = new CopyOnWriteArrayList<>();
        final Map<String, Trouble> trouble = new ConcurrentHashMap<>();

        static TestReceiver start(int port) throws IOException {
            TestReceiver r = new TestReceiver();
            r.server.setDispatcher(r);
            r.server.start(InetAddress.getByName("127.0.0.1"), port);
            return r;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String body = request.getBody() == null ? "" : request.getBody().utf8();
            Trouble t = trouble.entrySet().stream()
                    .filter(e -> body.contains(e.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
            int code = t == null ? 200 : t == Trouble.UNAVAILABLE ? 503 : CLOSED;
            received.add(new Received(Instant.now(), request.getUrl().encodedPath(), request.getHeaders(), body, code));
            if (code == CLOSED) {
                return new MockResponse.Builder()
                        .onResponseStart(new SocketEffect.CloseSocket())
                        .build();
            }
            return new MockResponse.Builder().code(code).build();
        }

        void unavailable(String cluster) {
            trouble.put(cluster, Trouble.UNAVAILABLE);
        }

        void closeConnection(String cluster) {
            trouble.put(cluster, Trouble.CLOSE_CONNECTION);
        }

        void answer(String cluster) {
            trouble.remove(cluster);
        }

        /** Every request about the cluster, in the order they came. */
        List<Received> requests(String cluster) {
            return received.stream().filter(r -> r.body().contains(cluster)).toList();
        }

        /** The requests about the cluster that were answered 200: the deliveries. */
        List<Received> answered(String cluster) {
            return requests(cluster).stream().filter(r -> r.answered() == 200).toList();
        }

        void shutdown() {
            server.close();
        }
    }
}
