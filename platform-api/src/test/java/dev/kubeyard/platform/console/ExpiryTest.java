package dev.kubeyard.platform.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ExpiryTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    static Stream<Arguments> expiries() {
        return Stream.of(
                Arguments.of(
                        "a 3-hour cluster created a moment ago",
                        Duration.ofHours(3).minusSeconds(2),
                        "expires in 3 h"),
                Arguments.of("half an hour rounds up to the hour", Duration.ofMinutes(90), "expires in 2 h"),
                Arguments.of("just under half an hour rounds down", Duration.ofMinutes(89), "expires in 1 h"),
                Arguments.of("under an hour in minutes", Duration.ofMinutes(42), "expires in 42 min"),
                Arguments.of("the last seconds still say a minute", Duration.ofSeconds(5), "expires in 1 min"),
                Arguments.of("two days still relative", Duration.ofHours(48), "expires in 48 h"),
                Arguments.of("beyond two days the instant", Duration.ofHours(49), "expires 2026-03-03 11:00 UTC"),
                Arguments.of("the expiry instant itself is expired", Duration.ZERO, "expired"),
                Arguments.of("past expiry", Duration.ofMinutes(-3), "expired"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expiries")
    void saysWhenATemporaryClusterRunsOut(String row, Duration left, String text) {
        assertThat(Expiry.of(NOW.plus(left), NOW).text()).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expiries")
    void isExpiredOnlyOnceTheTimeIsUp(String row, Duration left, String text) {
        assertThat(Expiry.of(NOW.plus(left), NOW).expired()).isEqualTo(!left.isPositive());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expiries")
    void givesTheInstantToTheSecondInUtc(String row, Duration left, String text) {
        Expiry expiry = Expiry.of(NOW.plus(left).plusNanos(123_456_000), NOW);
        assertThat(expiry.instant()).isEqualTo(NOW.plus(left).toString());
    }
}
