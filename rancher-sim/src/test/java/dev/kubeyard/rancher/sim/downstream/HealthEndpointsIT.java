package dev.kubeyard.rancher.sim.downstream;

import static dev.kubeyard.rancher.sim.downstream.ProxyHarness.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kubeyard.rancher.sim.SimHttp;
import dev.kubeyard.rancher.sim.SimHttp.Resp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The health endpoints, {@code /metrics}, {@code componentstatuses} and {@code metrics.k8s.io} of a cluster over HTTP
 * through the proxy, with the downstream APIs' clock moved by hand.
 */
class HealthEndpointsIT {

    private static final HandClock CLOCK = new HandClock();

    private static ProxyHarness harness;

    @BeforeAll
    static void start() {
        harness = ProxyHarness.start(CLOCK);
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    private static SimHttp cluster(String id) {
        return new SimHttp(harness.url(id), "Bearer " + ProxyHarness.RANCHER_TOKEN);
    }

    @Test
    void healthMetricsAndComponentStatusesAreAnsweredWithoutStartingTheApiServer() {
        String id = "c-m-health01";
        harness.apis.syncNodes(
                id, List.of(node("h-cp-1", true, null, "etcd", "control-plane"), node("h-w-1", true, null, "worker")));
        SimHttp http = cluster(id);

        Resp readyz = http.get("/readyz?verbose");
        Resp metrics = http.get("/metrics");
        Resp components = http.get("/api/v1/componentstatuses");
        Resp nodeMetrics = http.get("/apis/metrics.k8s.io/v1beta1/nodes");

        assertThat(readyz.code()).isEqualTo(200);
        assertThat(readyz.body()).endsWith("readyz check passed\n");
        assertThat(readyz.headers().get("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(metrics.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(PromSamples.parse(metrics.body()).get("apiserver_storage_objects{resource=\"nodes\"}"))
                .isEqualTo(2);
        assertThat(components.json().path("items")).hasSize(3);
        assertThat(nodeMetrics.json().path("items")).hasSize(2);
        assertThat(harness.apis.runningClusterIds()).doesNotContain(id);
    }

    @Test
    void metricsRatesFollowTheTrafficSettingsInForceBetweenScrapes() {
        String id = "c-m-health02";
        harness.apis.syncNodes(id, List.of(node("m-cp-1", true, null, "etcd", "control-plane")));
        SimHttp http = cluster(id);
        PromSamples start = scrape(http);

        harness.apis.apiHealth(id, ApiHealth.DEFAULT.withTraffic(0.25, 0));
        CLOCK.advance(Duration.ofSeconds(60));
        PromSamples faulty = scrape(http);
        harness.apis.apiHealth(id, ApiHealth.DEFAULT);
        CLOCK.advance(Duration.ofSeconds(60));
        PromSamples healed = scrape(http);

        // each series is rounded down on its own: 18 error series, 14 others
        assertThat(errors(faulty) - errors(start))
                .as("a quarter of 60 s x 20/s")
                .isCloseTo(300, within(18.0));
        assertThat(errors(healed)).isEqualTo(errors(faulty));
        assertThat(answered(healed) - answered(faulty)).isCloseTo(1200, within(14.0));
        assertThat(scrape(http).get("process_start_time_seconds")).isEqualTo(HandClock.START.getEpochSecond());
    }

    private static PromSamples scrape(SimHttp http) {
        Resp r = http.get("/metrics");
        assertThat(r.code()).isEqualTo(200);
        return PromSamples.parse(r.body());
    }

    private static double errors(PromSamples s) {
        return s.sum("apiserver_request_total", k -> k.contains("code=\"5"));
    }

    private static double answered(PromSamples s) {
        return s.sum("apiserver_request_total", k -> !k.contains("code=\"5") && !k.contains("verb=\"WATCH\""));
    }

    /** A clock the test moves; it does not move by itself. */
    private static final class HandClock extends Clock {
        static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

        private volatile Instant now = START;

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
