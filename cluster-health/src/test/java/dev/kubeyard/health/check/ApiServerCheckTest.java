package dev.kubeyard.health.check;

import static dev.kubeyard.health.check.Observations.DEFAULTS;
import static dev.kubeyard.health.check.Observations.healthy;
import static dev.kubeyard.health.check.Observations.unreachable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * api-server: the 5xx rate and the p99 latency of short requests (not WATCH or CONNECT), between two scrapes when the
 * previous one's counters allow, else over the server's lifetime.
 */
class ApiServerCheckTest {

    static CheckResult apiServer(String metrics) {
        return apiServer(metrics, Observation.Previous.NONE);
    }

    static CheckResult apiServer(String metrics, Observation.Previous previous) {
        return HealthChecks.apiServer(healthy().metrics(metrics).build(), previous, DEFAULTS);
    }

    static Observation.Previous after(CheckResult first) {
        return new Observation.Previous(Map.of(CheckId.API_SERVER, first.figures()));
    }

    /** Request counters: {@code ok} GETs answered 200, {@code errors} LISTs answered 503. */
    static String requests(long ok, long errors) {
        return "# TYPE apiserver_request_total counter\n"
                + "apiserver_request_total{code=\"200\",resource=\"pods\",verb=\"GET\"} " + ok + "\n"
                + "apiserver_request_total{code=\"503\",resource=\"pods\",verb=\"LIST\"} " + errors + "\n";
    }

    /** A latency histogram of GETs: cumulative counts by upper bound, then +Inf with the last count. */
    static String latency(double... boundsAndCounts) {
        StringBuilder text = new StringBuilder("# TYPE apiserver_request_duration_seconds histogram\n");
        double last = 0;
        for (int i = 0; i < boundsAndCounts.length; i += 2) {
            last = boundsAndCounts[i + 1];
            text.append("apiserver_request_duration_seconds_bucket{verb=\"GET\",le=\"")
                    .append(boundsAndCounts[i])
                    .append("\"} ")
                    .append((long) last)
                    .append('\n');
        }
        text.append("apiserver_request_duration_seconds_bucket{verb=\"GET\",le=\"+Inf\"} ")
                .append((long) last)
                .append('\n');
        return text.toString();
    }

    @Test
    void theFixturesApiServerIsHealthySinceItStarted() {
        CheckResult r = HealthChecks.apiServer(healthy().build(), Observation.Previous.NONE, DEFAULTS);

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.reason()).isEqualTo(Reasons.HEALTHY);
        assertThat(r.message())
                .isEqualTo("Errors 0.2% of 25000 requests, p99 latency 0.392 s (since the API server started).");
        assertThat(r.figures())
                .contains(
                        entry("window", "since the API server started"),
                        entry("requests", 25_000L),
                        entry("errorPercent", 0.2),
                        entry("latencyP99Seconds", 0.392),
                        entry("requestsTotal", 25_000.0),
                        entry("errorsTotal", 50.0));
        assertThat(r.figures().get("buckets"))
                .asInstanceOf(MAP)
                .hasSize(24)
                .containsEntry("0.2", 23_690.0)
                .containsEntry("+Inf", 24_500.0);
    }

    @Test
    void watchesAndConnectsAreLeftOutOfRateAndLatency() {
        String metrics = requests(1000, 0)
                + "apiserver_request_total{code=\"500\",resource=\"events\",verb=\"WATCH\"} 900\n"
                + "apiserver_request_total{code=\"500\",resource=\"pods\",verb=\"CONNECT\"} 900\n"
                + latency(0.1, 1000)
                + "apiserver_request_duration_seconds_bucket{verb=\"WATCH\",le=\"60\"} 5000\n"
                + "apiserver_request_duration_seconds_bucket{verb=\"WATCH\",le=\"+Inf\"} 9000\n";

        CheckResult r = apiServer(metrics);

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.figures()).contains(entry("requests", 1000L), entry("errorPercent", 0.0));
        assertThat((double) r.figures().get("latencyP99Seconds")).isLessThanOrEqualTo(0.1);
    }

    @Test
    void clientErrorsAreNoServerErrors() {
        String metrics = requests(900, 0)
                + "apiserver_request_total{code=\"404\",verb=\"GET\"} 50\n"
                + "apiserver_request_total{code=\"409\",verb=\"PUT\"} 30\n"
                + "apiserver_request_total{code=\"429\",verb=\"LIST\"} 20\n";

        CheckResult r = apiServer(metrics);

        assertThat(r.figures()).contains(entry("requests", 1000L), entry("errorPercent", 0.0));
    }

    static Stream<Arguments> errorRates() {
        return Stream.of(
                Arguments.argumentSet("noErrorsPass", 0L, CheckStatus.PASS),
                Arguments.argumentSet("justUnderOnePercentPasses", 9L, CheckStatus.PASS),
                Arguments.argumentSet("onePercentWarns", 10L, CheckStatus.WARN),
                Arguments.argumentSet("justUnderFivePercentWarns", 49L, CheckStatus.WARN),
                Arguments.argumentSet("fivePercentFails", 50L, CheckStatus.FAIL),
                Arguments.argumentSet("everyRequestFailingFails", 1000L, CheckStatus.FAIL));
    }

    @ParameterizedTest
    @MethodSource("errorRates")
    void aServerErrorRateOverItsThresholdWarnsThenFails(long errors, CheckStatus status) {
        CheckResult r = apiServer(requests(1000 - errors, errors));

        assertThat(r.status()).isEqualTo(status);
        if (status == CheckStatus.PASS) {
            assertThat(r.findings()).isEmpty();
        } else {
            assertThat(r.reason()).isEqualTo(Reasons.ERROR_RATE);
            assertThat(r.findings()).singleElement().satisfies(f -> {
                assertThat(f.subject()).isEqualTo("apiserver/errors");
                assertThat(f.status()).isEqualTo(status);
                assertThat(f.labels()).containsOnly(entry("component", "kube-apiserver"));
            });
        }
    }

    @Test
    void anErrorRateSaysItsNumbersAndLimit() {
        CheckResult r = apiServer(requests(980, 20));

        assertThat(r.message()).isEqualTo("The API server answered 2.0% of 1000 requests with 5xx (limit 1.0%).");
    }

    @Test
    void apiErrorRateIsMeasuredBetweenTwoScrapes() {
        CheckResult first = apiServer(requests(9_990, 10));
        assertThat(first.status()).isEqualTo(CheckStatus.PASS);

        CheckResult second = apiServer(requests(10_930, 70), after(first));

        // 60 of the last 1000 requests failed (6 %), though only 0.6 % of all 11 000 did
        assertThat(second.figures())
                .contains(
                        entry("window", "since the last scrape"),
                        entry("requests", 1000L),
                        entry("errorPercent", 6.0),
                        entry("requestsTotal", 11_000.0),
                        entry("errorsTotal", 70.0));
        assertThat(second.status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void aCounterResetFallsBackToTheLifetimeRate() {
        CheckResult before = apiServer(requests(99_950, 50));

        CheckResult restarted = apiServer(requests(1_900, 100), after(before));

        assertThat(restarted.figures())
                .contains(
                        entry("window", "since the API server started"),
                        entry("requests", 2000L),
                        entry("errorPercent", 5.0));
        assertThat(restarted.status()).isEqualTo(CheckStatus.FAIL);
    }

    @Test
    void noRequestsSinceTheLastScrapeFallsBackToTheLifetimeRate() {
        CheckResult first = apiServer(requests(980, 20));

        CheckResult second = apiServer(requests(980, 20), after(first));

        assertThat(second.figures())
                .contains(entry("window", "since the API server started"), entry("errorPercent", 2.0));
    }

    @Test
    void latencyIsMeasuredBetweenTwoScrapes() {
        // the first 1000 requests were slow (1 to 5 s); the next 1000 all took under 0.1 s
        CheckResult first = apiServer(requests(1000, 0) + latency(0.1, 0, 1, 0, 5, 1000));
        assertThat(first.status()).isEqualTo(CheckStatus.FAIL);

        CheckResult second = apiServer(requests(2000, 0) + latency(0.1, 1000, 1, 1000, 5, 2000), after(first));

        assertThat(second.status()).isEqualTo(CheckStatus.PASS);
        assertThat(second.figures()).containsEntry("latencyP99Seconds", 0.099);
    }

    @Test
    void aHistogramResetFallsBackToTheLifetimeLatency() {
        CheckResult first = apiServer(requests(1000, 0) + latency(0.1, 1000, 1, 1000, 5, 1000));

        CheckResult second = apiServer(requests(1100, 0) + latency(0.1, 0, 1, 0, 5, 100), after(first));

        assertThat(second.figures()).containsEntry("latencyP99Seconds", 4.96);
    }

    @Test
    void previousFiguresReadBackFromTheDatabaseStillMakeAWindow() {
        // as a JSON column gives them back: whole numbers as Integer, bucket bounds as strings
        Map<String, Object> buckets = new LinkedHashMap<>();
        buckets.put("0.1", 0);
        buckets.put("1", 0);
        buckets.put("5.0", 1000);
        buckets.put("+Inf", 1000);
        Map<String, Object> stored = Map.of("requestsTotal", 1000, "errorsTotal", 0, "buckets", buckets);

        CheckResult r = apiServer(
                requests(1990, 10) + latency(0.1, 1000, 1, 1000, 5, 2000),
                new Observation.Previous(Map.of(CheckId.API_SERVER, stored)));

        assertThat(r.figures())
                .contains(
                        entry("window", "since the last scrape"),
                        entry("requests", 1000L),
                        entry("errorPercent", 1.0),
                        entry("latencyP99Seconds", 0.099));
    }

    static Stream<Arguments> latencies() {
        return Stream.of(
                Arguments.argumentSet("halfASecondPasses", 0.5, CheckStatus.PASS),
                Arguments.argumentSet("justUnderASecondPasses", 0.999, CheckStatus.PASS),
                Arguments.argumentSet("aSecondWarns", 1.0, CheckStatus.WARN),
                Arguments.argumentSet("justUnderFourSecondsWarns", 3.999, CheckStatus.WARN),
                Arguments.argumentSet("fourSecondsFail", 4.0, CheckStatus.FAIL));
    }

    @ParameterizedTest
    @MethodSource("latencies")
    void aP99LatencyOverItsThresholdWarnsThenFails(double p99, CheckStatus status) {
        // 99 of 100 requests within p99, the last one within twice that: the 99th percentile is exactly p99
        CheckResult r = apiServer(requests(100, 0) + latency(p99, 99, 2 * p99, 100));

        assertThat(r.figures()).containsEntry("latencyP99Seconds", p99);
        assertThat(r.status()).isEqualTo(status);
        if (status != CheckStatus.PASS) {
            assertThat(r.reason()).isEqualTo(Reasons.LATENCY);
            assertThat(r.findings()).singleElement().satisfies(f -> {
                assertThat(f.subject()).isEqualTo("apiserver/latency");
                assertThat(f.status()).isEqualTo(status);
            });
        }
    }

    @Test
    void aHighLatencySaysItsNumbersAndLimit() {
        CheckResult r = apiServer(requests(100, 0) + latency(4.5, 99, 9, 100));

        assertThat(r.message()).isEqualTo("The API server's p99 request latency is 4.5 s (limit 4.0 s).");
    }

    @Test
    void aHighLatencyLeadsOverAnErrorWarning() {
        CheckResult r = apiServer(requests(980, 20) + latency(5, 99, 10, 100));

        assertThat(r.findings()).extracting(Finding::subject).containsExactly("apiserver/errors", "apiserver/latency");
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.reason()).isEqualTo(Reasons.LATENCY);
        assertThat(r.message()).startsWith("The API server's p99 request latency is 5.0 s");
    }

    @Test
    void noLatencyHistogramLeavesLatencyUnknownNotFailed() {
        CheckResult r = apiServer(requests(1000, 0));

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.figures()).doesNotContainKey("latencyP99Seconds");
        assertThat(r.message())
                .isEqualTo("Errors 0.0% of 1000 requests, p99 latency unknown (since the API server started).");
    }

    static Stream<Arguments> badMetrics() {
        return Stream.of(
                Arguments.argumentSet("metricsWithoutRequestCounts", "go_goroutines 412\n"),
                Arguments.argumentSet("anHtmlPage", "<html><body>Forbidden</body></html>\n"),
                Arguments.argumentSet("anEmptyAnswer", ""));
    }

    @ParameterizedTest
    @MethodSource("badMetrics")
    void metricsThatCannotBeJudgedAreABadAnswerNotAPass(String metrics) {
        CheckResult r = apiServer(metrics);

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.BAD_ANSWER);
    }

    @Test
    void unreadMetricsAreUnknown() {
        CheckResult r =
                HealthChecks.apiServer(healthy().metrics(unreachable()).build(), Observation.Previous.NONE, DEFAULTS);

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.NOT_RUN);
        assertThat(r.message()).isEqualTo("Could not read the API server's metrics: 502 Bad Gateway.");
    }

    @Test
    void metricsKubeyardMayNotReadAreUnknownNotServed() {
        CheckResult r = HealthChecks.apiServer(
                healthy()
                        .metrics(Fetch.failed(Fetch.Failure.NOT_SERVED, "404 Not Found", 3))
                        .build(),
                Observation.Previous.NONE,
                DEFAULTS);

        assertThat(r.reason()).isEqualTo(Reasons.NOT_SERVED);
    }

    @Test
    void aWindowOfTooFewRequestsKeepsTheLastFullWindowsRateAndItsStart() {
        CheckResult first = apiServer(requests(9_000, 0));
        CheckResult full = apiServer(requests(9_900, 100), after(first));
        assertThat(full.status()).isEqualTo(CheckStatus.FAIL);

        // 2 of 10 requests since: no error rate of 20 % from ten requests; the full window's 10 % stands
        CheckResult few = apiServer(requests(9_908, 102), after(full));
        assertThat(few.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(few.figures())
                .contains(entry("errorPercent", 10.0), entry("requestsTotal", 10_000.0), entry("errorsTotal", 100.0));
        assertThat((String) few.figures().get("window")).startsWith("the last full window");

        // once the window holds enough requests, it counts again, from the kept start
        CheckResult next = apiServer(requests(10_100, 100), after(few));
        assertThat(next.status()).isEqualTo(CheckStatus.PASS);
        assertThat(next.figures()).contains(entry("requests", 200L), entry("errorPercent", 0.0));
    }
}
