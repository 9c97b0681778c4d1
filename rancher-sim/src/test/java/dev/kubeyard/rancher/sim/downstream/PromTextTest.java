package dev.kubeyard.rancher.sim.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Prometheus text format as Go's client_golang writes it. */
class PromTextTest {

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({
        "0, 0",
        "1, 1",
        "60, 60",
        "0.005, 0.005",
        "1.25, 1.25",
        "123456, 123456",
        "1234567, 1.234567e+06",
        "1000000, 1e+06",
        "0.0001, 0.0001",
        "0.00001, 1e-05",
        "41943040, 4.194304e+07",
        "1771234567.891, 1.771234567891e+09",
        "-2.5, -2.5",
        "-1, -1"
    })
    void numbersAreWrittenInGosShortestGForm(double value, String written) {
        assertThat(PromText.number(value)).isEqualTo(written);
    }

    @Test
    void infinityAndNotANumberHaveTheirPrometheusSpelling() {
        assertThat(PromText.number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PromText.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(PromText.number(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void familiesHaveHelpAndTypeAndSamplesSortedByLabelValues() {
        PromText text = new PromText();
        text.family(
                "requests_total",
                "counter",
                "Requests.",
                List.of("code", "verb"),
                List.of(
                        new PromText.Sample(List.of("500", "GET"), 2),
                        new PromText.Sample(List.of("200", "LIST"), 1),
                        new PromText.Sample(List.of("200", "GET"), 3)));

        assertThat(text.text())
                .isEqualTo("# HELP requests_total Requests.\n"
                        + "# TYPE requests_total counter\n"
                        + "requests_total{code=\"200\",verb=\"GET\"} 3\n"
                        + "requests_total{code=\"200\",verb=\"LIST\"} 1\n"
                        + "requests_total{code=\"500\",verb=\"GET\"} 2\n");
    }

    @Test
    void histogramBucketsCarryLeLastAndEndWithSumAndCount() {
        PromText text = new PromText();
        text.histogram(
                "latency_seconds",
                "Latency.",
                List.of("verb"),
                List.of(new PromText.Histogram(List.of("GET"), new double[] {0.1, 1}, new double[] {4, 9, 10}, 3.5)));

        assertThat(text.text())
                .isEqualTo("# HELP latency_seconds Latency.\n"
                        + "# TYPE latency_seconds histogram\n"
                        + "latency_seconds_bucket{verb=\"GET\",le=\"0.1\"} 4\n"
                        + "latency_seconds_bucket{verb=\"GET\",le=\"1\"} 9\n"
                        + "latency_seconds_bucket{verb=\"GET\",le=\"+Inf\"} 10\n"
                        + "latency_seconds_sum{verb=\"GET\"} 3.5\n"
                        + "latency_seconds_count{verb=\"GET\"} 10\n");
    }

    @Test
    void labelValuesAreEscaped() {
        assertThat(PromText.escapeLabel("a\"b\\c\nd")).isEqualTo("a\\\"b\\\\c\\nd");
    }
}
