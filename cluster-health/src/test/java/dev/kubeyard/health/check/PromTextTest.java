package dev.kubeyard.health.check;

import static dev.kubeyard.health.check.Observations.METRICS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.within;

import dev.kubeyard.health.check.PromText.Sample;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The Prometheus text format as kube-apiserver serves it, and histogram quantiles as Prometheus computes them. */
class PromTextTest {

    static NavigableMap<Double, Double> histogram(double... boundsAndCounts) {
        NavigableMap<Double, Double> h = new TreeMap<>();
        for (int i = 0; i < boundsAndCounts.length; i += 2) {
            h.put(boundsAndCounts[i], boundsAndCounts[i + 1]);
        }
        return h;
    }

    // ---- parsing

    @Test
    void aSampleHasItsNameLabelsAndValue() {
        List<Sample> samples =
                PromText.parse("apiserver_request_total{code=\"200\",resource=\"pods\",verb=\"GET\"} 12000\n");

        assertThat(samples)
                .containsExactly(new Sample(
                        "apiserver_request_total", Map.of("code", "200", "resource", "pods", "verb", "GET"), 12000));
    }

    @Test
    void commentsHelpTypeAndBlankLinesAreSkipped() {
        List<Sample> samples = PromText.parse("""
                # HELP go_goroutines Number of goroutines that currently exist.
                # TYPE go_goroutines gauge

                   \s
                # a comment of the operator's own
                go_goroutines 412
                """);

        assertThat(samples).containsExactly(new Sample("go_goroutines", Map.of(), 412));
    }

    @Test
    void labelValuesKeepEscapedQuotesBackslashesAndNewlines() {
        List<Sample> samples = PromText.parse("m{path=\"C:\\\\dir\",msg=\"say \\\"hi\\\"\\nbye\",empty=\"\"} 1\n");

        assertThat(samples.get(0).labels())
                .containsExactly(entry("path", "C:\\dir"), entry("msg", "say \"hi\"\nbye"), entry("empty", ""));
    }

    @Test
    void labelValuesMayHoldCommasBracesAndEqualSigns() {
        List<Sample> samples = PromText.parse("m{a=\"x,y\",b=\"{z}\",c=\"k=v\"} 2\n");

        assertThat(samples.get(0).labels()).containsExactly(entry("a", "x,y"), entry("b", "{z}"), entry("c", "k=v"));
    }

    static Stream<Arguments> sampleLines() {
        return Stream.of(
                Arguments.argumentSet("anInteger", "m 42", 42.0),
                Arguments.argumentSet("aNegativeDecimal", "m -3.5", -3.5),
                Arguments.argumentSet(
                        "scientificNotation", "process_start_time_seconds 1.71700428381e+09", 1.71700428381e9),
                Arguments.argumentSet("plusInf", "m +Inf", Double.POSITIVE_INFINITY),
                Arguments.argumentSet("minusInf", "m -Inf", Double.NEGATIVE_INFINITY),
                Arguments.argumentSet("notANumber", "m NaN", Double.NaN),
                Arguments.argumentSet("aTimestampIsIgnored", "m{a=\"b\"} 7 1717004283810", 7.0),
                Arguments.argumentSet("emptyBraces", "m{} 8", 8.0),
                Arguments.argumentSet("aTrailingComma", "m{a=\"b\",} 9", 9.0),
                Arguments.argumentSet("spacesAroundLabels", "m{ a=\"b\", c=\"d\" } 10", 10.0),
                Arguments.argumentSet("aCarriageReturn", "m 11\r", 11.0),
                Arguments.argumentSet("tabsBeforeTheValue", "m\t\t12", 12.0));
    }

    @ParameterizedTest
    @MethodSource("sampleLines")
    void everyValueOfTheFormatIsRead(String line, double value) {
        assertThat(PromText.parse(line).get(0).value()).isEqualByComparingTo(value); // NaN included
    }

    static Stream<Arguments> badLines() {
        return Stream.of(
                Arguments.argumentSet("noValue", "m{a=\"b\"}"),
                Arguments.argumentSet("aValueThatIsNoNumber", "m twelve"),
                Arguments.argumentSet("anUnquotedLabelValue", "m{a=b} 1"),
                Arguments.argumentSet("anUnclosedBrace", "m{a=\"b\" 1"),
                Arguments.argumentSet("anUnclosedQuote", "m{a=\"b} 1"),
                Arguments.argumentSet("aLabelWithoutValue", "m{a} 1"),
                Arguments.argumentSet("noName", "{a=\"b\"} 1"),
                Arguments.argumentSet("anHtmlPage", "<html><body>Forbidden</body></html>"));
    }

    @ParameterizedTest
    @MethodSource("badLines")
    void aLineThatIsNoSampleIsRefusedByItsNumber(String line) {
        assertThatThrownBy(() -> PromText.parse("# TYPE m gauge\nm 1\n" + line + "\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("line 3 is not a metric sample");
    }

    @Test
    void theApiServerFixtureParsesWholly() {
        List<Sample> samples = PromText.parse(METRICS);

        assertThat(samples).hasSize(145);
        assertThat(PromText.has(samples, "apiserver_request_total")).isTrue();
        assertThat(PromText.has(samples, "apiserver_storage_size_bytes")).isTrue();
        assertThat(PromText.has(samples, "etcd_db_total_size_in_bytes")).isFalse();
        assertThat(PromText.sum(samples, "apiserver_request_total", l -> true)).isEqualTo(27_225);
    }

    // ---- sums and buckets

    @Test
    void sumAddsTheSamplesWhoseLabelsPass() {
        List<Sample> samples = PromText.parse(METRICS);

        assertThat(PromText.sum(samples, "apiserver_request_total", l -> "WATCH".equals(l.get("verb"))))
                .isEqualTo(2200);
        assertThat(PromText.sum(
                        samples, "apiserver_request_total", l -> l.get("code").startsWith("5")))
                .isEqualTo(750);
        assertThat(PromText.sum(samples, "no_such_metric", l -> true)).isZero();
    }

    @Test
    void bucketsAreSummedOverTheLabelSetsThatPass() {
        List<Sample> samples = PromText.parse("""
                h_bucket{verb="GET",le="0.1"} 3
                h_bucket{verb="GET",le="1"} 5
                h_bucket{verb="GET",le="+Inf"} 6
                h_bucket{verb="PUT",le="0.1"} 1
                h_bucket{verb="PUT",le="1"} 1
                h_bucket{verb="PUT",le="+Inf"} 2
                h_bucket{verb="WATCH",le="+Inf"} 100
                h_bucket{verb="GET"} 99
                h_sum{verb="GET"} 2.5
                h_count{verb="GET"} 6
                """);

        NavigableMap<Double, Double> buckets = PromText.buckets(samples, "h", l -> !"WATCH".equals(l.get("verb")));

        assertThat(buckets).containsExactly(entry(0.1, 4.0), entry(1.0, 6.0), entry(Double.POSITIVE_INFINITY, 8.0));
    }

    // ---- quantiles

    static Stream<Arguments> quantiles() {
        // 100 observations: 50 up to 0.1 s, 40 more up to 0.5 s, 10 more up to 1 s
        return Stream.of(
                Arguments.argumentSet("theMedianIsTheTopOfTheFirstBucket", 0.5, 0.1),
                Arguments.argumentSet("insideTheFirstBucketFromZero", 0.25, 0.05),
                Arguments.argumentSet("theNinetiethIsTheTopOfTheSecondBucket", 0.9, 0.5),
                Arguments.argumentSet("halfWayIntoTheSecondBucket", 0.7, 0.3),
                Arguments.argumentSet("halfWayIntoTheThirdBucket", 0.95, 0.75),
                Arguments.argumentSet("theNinetyNinth", 0.99, 0.95),
                Arguments.argumentSet("theMaximumIsTheTopBound", 1.0, 1.0));
    }

    @ParameterizedTest
    @MethodSource("quantiles")
    void histogramQuantileInterpolatesInsideTheBucket(double q, double expected) {
        NavigableMap<Double, Double> h = histogram(0.1, 50, 0.5, 90, 1, 100, Double.POSITIVE_INFINITY, 100);

        assertThat(PromText.quantile(q, h)).isCloseTo(expected, within(1e-9));
    }

    @Test
    void aQuantileInTheInfBucketIsTheHighestFiniteBound() {
        NavigableMap<Double, Double> h = histogram(0.1, 50, 1, 90, Double.POSITIVE_INFINITY, 100);

        assertThat(PromText.quantile(0.99, h)).isEqualTo(1.0);
    }

    @Test
    void aHistogramWithoutObservationsHasNoQuantile() {
        assertThat(PromText.quantile(0.99, new TreeMap<>())).isNaN();
        assertThat(PromText.quantile(0.99, histogram(0.1, 0, 1, 0, Double.POSITIVE_INFINITY, 0)))
                .isNaN();
    }

    @Test
    void emptyBucketsBelowTheRankAreSkipped() {
        NavigableMap<Double, Double> h = histogram(0.1, 0, 0.5, 0, 1, 100, Double.POSITIVE_INFINITY, 100);

        assertThat(PromText.quantile(0.5, h)).isCloseTo(0.75, within(1e-9));
    }

    // ---- deltas

    @Test
    void deltaSubtractsBucketByBucket() {
        NavigableMap<Double, Double> before = histogram(0.1, 10, 1, 20, Double.POSITIVE_INFINITY, 20);
        NavigableMap<Double, Double> now = histogram(0.1, 15, 1, 40, Double.POSITIVE_INFINITY, 45);

        assertThat(PromText.delta(now, before))
                .containsExactly(entry(0.1, 5.0), entry(1.0, 20.0), entry(Double.POSITIVE_INFINITY, 25.0));
    }

    @Test
    void aCounterThatWentBackwardsGivesNoDelta() {
        NavigableMap<Double, Double> before = histogram(0.1, 10, 1, 20, Double.POSITIVE_INFINITY, 20);
        NavigableMap<Double, Double> restarted = histogram(0.1, 2, 1, 30, Double.POSITIVE_INFINITY, 30);

        assertThat(PromText.delta(restarted, before)).isEmpty();
    }
}
