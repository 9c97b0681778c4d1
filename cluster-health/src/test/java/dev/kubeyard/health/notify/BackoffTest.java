package dev.kubeyard.health.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

    /** The defaults: 5 s doubling up to 5 min. */
    static final Backoff DEFAULTS = new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5));

    @ParameterizedTest(name = "after failure {0}: {1}")
    @CsvSource({
        "1, PT5S",
        "2, PT10S",
        "3, PT20S",
        "4, PT40S",
        "5, PT1M20S",
        "6, PT2M40S",
        "7, PT5M",
        "8, PT5M",
        "100, PT5M",
        "2147483647, PT5M",
    })
    void delayDoublesFromTheInitialOneUpToTheLargest(int failures, Duration expected) {
        assertThat(DEFAULTS.base(failures)).isEqualTo(expected);
    }

    @Test
    void jitterOnlyShortensADelayAndByAFifthAtMost() {
        Duration base = Duration.ofSeconds(10);

        assertThat(Backoff.jitter(base, 0.0)).isEqualTo(base);
        assertThat(Backoff.jitter(base, 0.5)).isEqualTo(Duration.ofSeconds(9));
        assertThat(Backoff.jitter(base, 0.999_999)).isGreaterThan(Duration.ofSeconds(8));
        assertThat(DEFAULTS.next(7, Optional.empty(), 0.999)).isLessThanOrEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void retryAfterIsWaitedForButNoLongerThanTheLargestDelay() {
        assertThat(DEFAULTS.next(1, Optional.of(Duration.ofSeconds(30)), 0.0)).isEqualTo(Duration.ofSeconds(30));
        assertThat(DEFAULTS.next(1, Optional.of(Duration.ofHours(1)), 0.0)).isEqualTo(Duration.ofMinutes(5));
        assertThat(DEFAULTS.next(3, Optional.of(Duration.ofSeconds(1)), 0.0))
                .as("a shorter Retry-After does not hurry the schedule")
                .isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void testSettingsGiveTheScheduleTheDeliveryTestsExpect() {
        Backoff tests = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1));

        assertThat(tests.base(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(tests.base(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(tests.base(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(tests.base(4)).isEqualTo(Duration.ofSeconds(1));
    }
}
