package dev.kubeyard.rancher.sim.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulated kube-apiserver {@code /metrics}, with time moved by hand. */
class ApiServerMetricsTest {

    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

    private static final String LEASE_GETS = "apiserver_request_duration_seconds_count{component=\"apiserver\","
            + "dry_run=\"\",group=\"coordination.k8s.io\",resource=\"leases\",scope=\"namespace\",subresource=\"\","
            + "verb=\"GET\",version=\"v1\"}";

    private final ApiServerMetrics metrics = new ApiServerMetrics(START);

    private PromSamples scrapeAt(long seconds) {
        return PromSamples.parse(metrics.scrape(START.plusSeconds(seconds), 3, ApiHealth.DEFAULT));
    }

    private static double nonWatch(PromSamples s, String codePrefix) {
        return s.sum(
                "apiserver_request_total", k -> !k.contains("verb=\"WATCH\"") && k.contains("code=\"" + codePrefix));
    }

    @Test
    void serves20NonWatchRequestsASecondFromTheStart() {
        PromSamples s = scrapeAt(100);

        assertThat(nonWatch(s, "")).isCloseTo(2000, within(14.0));
        assertThat(nonWatch(s, "5")).isZero();
        assertThat(s.sum("apiserver_request_total", k -> k.contains("verb=\"WATCH\"")))
                .isCloseTo(100, within(3.0));
        assertThat(s.get(LEASE_GETS)).isEqualTo(600);
    }

    @Test
    void aRateBetweenTwoScrapesReflectsTheSettingsInBetween() {
        PromSamples before = scrapeAt(10);
        metrics.traffic(START.plusSeconds(10), 0.5, 0);
        PromSamples during = scrapeAt(110);
        metrics.traffic(START.plusSeconds(110), 0, 0);
        PromSamples after = scrapeAt(210);

        // each series is rounded down on its own: 18 error series, 14 others
        assertThat(nonWatch(during, "5") - nonWatch(before, "5")).isCloseTo(1000, within(18.0));
        assertThat(nonWatch(during, "2") + nonWatch(during, "4") - nonWatch(before, "2") - nonWatch(before, "4"))
                .isCloseTo(1000, within(14.0));
        assertThat(nonWatch(after, "5"))
                .as("no 5xx after the ratio went back to 0")
                .isEqualTo(nonWatch(during, "5"));
        assertThat(during.all())
                .containsKey(
                        "apiserver_request_total{code=\"503\",component=\"apiserver\",dry_run=\"\","
                                + "group=\"\",resource=\"nodes\",scope=\"resource\",subresource=\"status\",verb=\"PATCH\",version=\"v1\"}");
    }

    @Test
    void countersNeverGoBackwards() {
        PromSamples previous = scrapeAt(0);
        for (int second = 1; second <= 30; second++) {
            metrics.traffic(START.plusSeconds(second), second % 2 == 0 ? 0.9 : 0, second * 40L);
            PromSamples next = scrapeAt(second);
            for (Map.Entry<String, Double> e : previous.all().entrySet()) {
                if (!e.getKey().startsWith("apiserver_storage") && !e.getKey().startsWith("process_")) {
                    assertThat(next.get(e.getKey())).as(e.getKey()).isGreaterThanOrEqualTo(e.getValue());
                }
            }
            previous = next;
        }
    }

    @Test
    void histogramBucketsAreCumulativeAndTheCountIsTheInfBucket() {
        PromSamples s = scrapeAt(60);
        String labels = LEASE_GETS.substring(LEASE_GETS.indexOf('{') + 1, LEASE_GETS.length() - 1);

        double previous = 0;
        for (double le : ApiServerMetrics.BUCKETS) {
            double bucket = s.get(
                    "apiserver_request_duration_seconds_bucket{" + labels + ",le=\"" + PromText.number(le) + "\"}");
            assertThat(bucket).isGreaterThanOrEqualTo(previous);
            previous = bucket;
        }
        assertThat(s.get("apiserver_request_duration_seconds_bucket{" + labels + ",le=\"+Inf\"}"))
                .isEqualTo(s.get(LEASE_GETS));
    }

    @Test
    void theP99LatencySetsWhereNinetyNinePercentOfRequestsFall() {
        metrics.traffic(START, 0, 2000);
        PromSamples s = scrapeAt(100);
        String labels = LEASE_GETS.substring(LEASE_GETS.indexOf('{') + 1, LEASE_GETS.length() - 1);
        double count = s.get(LEASE_GETS);

        assertThat(s.get("apiserver_request_duration_seconds_bucket{" + labels + ",le=\"2\"}") / count)
                .isGreaterThanOrEqualTo(0.99);
        assertThat(s.get("apiserver_request_duration_seconds_bucket{" + labels + ",le=\"1.5\"}") / count)
                .isLessThan(0.99);
        assertThat(s.get("apiserver_request_duration_seconds_bucket{" + labels + ",le=\"0.2\"}"))
                .as("with the default 30 ms they would all be here")
                .isZero();
    }

    @Test
    void watchesLandInTheSixtySecondBucket() {
        PromSamples s = scrapeAt(100);
        String labels = "component=\"apiserver\",dry_run=\"\",group=\"\",resource=\"pods\",scope=\"cluster\","
                + "subresource=\"\",verb=\"WATCH\",version=\"v1\"";

        assertThat(s.get("apiserver_request_duration_seconds_bucket{" + labels + ",le=\"45\"}"))
                .isZero();
        assertThat(s.get("apiserver_request_duration_seconds_bucket{" + labels + ",le=\"60\"}"))
                .isEqualTo(40);
    }

    @Test
    void storageGaugesShowTheNodesAndTheEtcdSize() {
        PromSamples healthy = scrapeAt(1);
        String unhealthyText = metrics.scrape(START.plusSeconds(2), 3, ApiHealth.DEFAULT.withEtcd(false, 123_456_789));
        PromSamples unhealthy = PromSamples.parse(unhealthyText);

        assertThat(healthy.get("apiserver_storage_objects{resource=\"nodes\"}")).isEqualTo(3);
        assertThat(healthy.get("apiserver_storage_size_bytes{storage_cluster_id=\"etcd-0\"}"))
                .isEqualTo(ApiHealth.DEFAULT_ETCD_DB_SIZE_BYTES);
        assertThat(unhealthy.get("apiserver_storage_size_bytes{storage_cluster_id=\"etcd-0\"}"))
                .isEqualTo(123_456_789);
        assertThat(unhealthy.get("apiserver_storage_objects{resource=\"nodes\"}"))
                .as("a failed count is -1")
                .isEqualTo(-1);
        assertThat(healthy.get("process_start_time_seconds")).isEqualTo(START.getEpochSecond());
        assertThat(unhealthyText).contains("# TYPE etcd_request_duration_seconds histogram\n");
        assertThat(healthy.all())
                .containsKey(
                        "etcd_request_duration_seconds_count{operation=\"update\",type=\"leases.coordination.k8s.io\"}");
    }

    @Test
    void timeGoingBackwardsAddsNothing() {
        PromSamples later = scrapeAt(50);
        PromSamples earlier = scrapeAt(20);

        assertThat(earlier.get(LEASE_GETS)).isEqualTo(later.get(LEASE_GETS));
    }
}
