package dev.kubeyard.platform.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.kubeyard.platform.testing.PackagedApplications;
import dev.kubeyard.platform.testing.Specs;
import dev.kubeyard.rancher.sim.SimTiming;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged application with its scheduled sweep (the clustered Quartz job, at a 1 s interval here) opens an alert
 * while its Alertmanager is down, is killed, and the next process delivers the notification once the receiver is back:
 * nothing is lost to a receiver outage or a crash.
 */
class PackagedHealthIT {

    static final String TOKEN = "token-health:health-packaged-secret";

    PackagedApplications apps;
    HttpServer receiver;

    @BeforeEach
    void start() throws Exception {
        apps = PackagedApplications.withOwnDatabaseAndRancher(TOKEN, SimTiming.fast());
    }

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (apps != null) {
            apps.close();
        }
    }

    @Test
    void anAlertOpenedWhileTheReceiverIsDownIsDeliveredByTheNextProcessAfterACrash() throws Exception {
        int port = PackagedApplications.freePort();
        int receiverPort = PackagedApplications.freePort();
        Map<String, String> settings = Map.ofEntries(
                Map.entry("kubeyard.health.interval", "1s"),
                Map.entry("kubeyard.health.call-timeout", "2s"),
                Map.entry("kubeyard.health.rules.ClusterUnreachable.for", "2s"),
                Map.entry("kubeyard.health.receivers.ops.type", "alertmanager"),
                Map.entry("kubeyard.health.receivers.ops.url", "http://127.0.0.1:" + receiverPort),
                Map.entry("kubeyard.health.delivery.interval", "200ms"),
                Map.entry("kubeyard.health.delivery.backoff-initial", "200ms"),
                Map.entry("kubeyard.health.delivery.backoff-max", "1s"),
                Map.entry("kubeyard.health.delivery.resend-interval", "1h"));
        Process first = apps.start(port, "health-first", settings);
        String name = "packaged-health-" + Long.toHexString(System.nanoTime());
        assertThat(apps.put(port, "/api/v1/clusters/" + name, Specs.small("payments", 1))
                        .statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(90)).until(() -> apps.get(port, "/api/v1/clusters/" + name)
                .at("/status/phase")
                .asText()
                .equals("Ready"));
        // the scheduled sweep checks the cluster by itself
        await().atMost(Duration.ofSeconds(30)).until(() -> apps.get(port, "/api/v1/clusters/" + name + "/health")
                .path("status")
                .asText()
                .matches("Pass|Warn"));

        apps.rancher().faults().apiReachable(name, false);
        JsonNode alert = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> apps.get(port, "/api/v1/alerts?rule=ClusterUnreachable&cluster=" + name)
                                .path("items")
                                .path(0),
                        a -> !a.isMissingNode());
        long id = alert.path("id").asLong();
        // the receiver is down: the delivery is tried and waits
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode delivery =
                    apps.get(port, "/api/v1/alerts/" + id + "/deliveries").path(0);
            return delivery.path("state").asText().equals("Pending")
                    && delivery.path("attempts").asInt() >= 1;
        });

        first.destroyForcibly(); // a crash, not a graceful stop
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

        List<String> bodies = new CopyOnWriteArrayList<>();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", receiverPort), 0);
        receiver.createContext("/api/v2/alerts", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();

        Process second = apps.start(port, "health-second", settings);
        await().atMost(Duration.ofSeconds(30)).until(() -> !bodies.isEmpty());
        assertThat(bodies.getFirst())
                .contains("\"alertname\":\"ClusterUnreachable\"")
                .contains(name);
        await().atMost(Duration.ofSeconds(10)).until(() -> apps.get(port, "/api/v1/alerts/" + id + "/deliveries")
                .path(0)
                .path("state")
                .asText()
                .equals("Delivered"));
        apps.rancher().faults().apiReachable(name, true);
        second.destroy();
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
