package dev.kubeyard.platform.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-12-01T08:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    final ManualClock clock = new ManualClock();
    final LoginThrottle throttle = new LoginThrottle(5, Duration.ofMinutes(5), Duration.ofMinutes(15), 1000, clock);

    @Test
    void letsTheFirstFailuresThroughUnhindered() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("10.0.0.1");
            assertThat(throttle.blockedFor("10.0.0.1")).isEmpty();
        }
    }

    @Test
    void blocksASourceAfterTooManyFailuresWithADelayThatDoubles() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("10.0.0.1");
        }
        assertThat(throttle.blockedFor("10.0.0.1")).contains(Duration.ofSeconds(1));
        throttle.failed("10.0.0.1");
        assertThat(throttle.blockedFor("10.0.0.1")).contains(Duration.ofSeconds(2));
        throttle.failed("10.0.0.1");
        assertThat(throttle.blockedFor("10.0.0.1")).contains(Duration.ofSeconds(4));
        clock.advance(Duration.ofSeconds(4));
        assertThat(throttle.blockedFor("10.0.0.1")).as("the wait is over").isEmpty();
    }

    @Test
    void neverMakesASourceWaitLongerThanTheMaximum() {
        for (int i = 0; i < 40; i++) {
            throttle.failed("10.0.0.1");
        }
        assertThat(throttle.blockedFor("10.0.0.1")).contains(Duration.ofMinutes(5));
    }

    @Test
    void doesNotSlowDownOtherSources() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("10.0.0.1");
        }
        assertThat(throttle.blockedFor("10.0.0.2")).isEmpty();
    }

    @Test
    void forgetsASourceThatStayedQuiet() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("10.0.0.1");
        }
        clock.advance(Duration.ofMinutes(16));
        throttle.failed("10.0.0.1");
        assertThat(throttle.blockedFor("10.0.0.1"))
                .as("old failures no longer count")
                .isEmpty();
    }

    @Test
    void aFloodOfAddressesCannotGrowTheMemoryPastItsBound() {
        LoginThrottle small = new LoginThrottle(5, Duration.ofMinutes(5), Duration.ofMinutes(15), 100, clock);
        for (int i = 0; i < 1000; i++) {
            small.failed("10.1." + (i / 256) + "." + (i % 256));
            clock.advance(Duration.ofMillis(1));
        }
        assertThat(small.size()).isLessThanOrEqualTo(100);
    }
}
