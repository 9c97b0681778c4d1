package dev.kubeyard.nodepool.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationsTest {

    @ParameterizedTest
    @CsvSource(
            nullValues = "null",
            value = {
                "5m0s, PT5M",
                "1h30m, PT1H30M",
                "90s, PT1M30S",
                "250ms, PT0.25S",
                "1.5h, PT1H30M",
                "0s, null",
                "0, null",
                "'', null",
                "null, null",
                "5 minutes, null",
                "m5, null",
                "-5m, null"
            })
    void readsRanchersDurationsAndTreatsZeroAndNonsenseAsOff(String text, String expected) {
        assertThat(GoDurations.positive(text))
                .isEqualTo(Optional.ofNullable(expected).map(Duration::parse));
    }
}
