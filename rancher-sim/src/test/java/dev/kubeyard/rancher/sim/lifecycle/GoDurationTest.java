package dev.kubeyard.rancher.sim.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go duration text as metav1.Duration carries it. */
class GoDurationTest {

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({"5m0s, 300000", "1h30m, 5400000", "250ms, 250", "1.5s, 1500", "0, 0", "10s, 10000"})
    void parsesGoDurations(String text, long millis) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"5 minutes", "m5", "10", "1x"})
    void rejectsWhatGoRejects(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource({"300000, 5m0s", "3600000, 1h0m0s", "1500, 1s", "300, 300ms"})
    void formatsLikeGo(long millis, String text) {
        assertThat(GoDuration.format(Duration.ofMillis(millis))).isEqualTo(text);
    }
}
