package dev.kubeyard.health.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.health.notify.DeliveryRules.Due;
import dev.kubeyard.health.notify.DeliveryRules.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the worker does with a due delivery before sending anything. */
class DeliveryRulesTest {

    static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");
    static final Duration MAX_AGE = Duration.ofHours(24);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "a due notice of a configured receiver is sent,          FIRING,   1,  true,  true,  true,  false, SEND",
        "a resolution of a resolved alert is sent,               RESOLVED, 1,  true,  true,  false, false, SEND",
        "a notice of a receiver that is gone is given up,        FIRING,   1,  false, false, true,  false, GIVE_UP_RECEIVER_GONE",
        "and so is a refresh of one,                             REFRESH,  1,  false, false, false, false, GIVE_UP_RECEIVER_GONE",
        "a receiver whose settings changed gets nothing,         RESOLVED, 1,  true,  false, false, false, GIVE_UP_NOT_WANTED",
        "a refresh of an alert that resolved is superseded,      REFRESH,  1,  true,  true,  false, false, SUPERSEDE",
        "a refresh with a newer one behind it is superseded,     REFRESH,  1,  true,  true,  true,  true,  SUPERSEDE",
        "a first notice with a resolution behind it is sent,     FIRING,   1,  true,  true,  false, true,  SEND",
        "a notice still owed after the maximum age is given up,  FIRING,   25, true,  true,  true,  false, GIVE_UP_TOO_OLD",
        "a notice one hour short of it is still sent,            FIRING,   23, true,  true,  true,  false, SEND",
        "a notice exactly the maximum age old is given up,       FIRING,   24, true,  true,  true,  false, GIVE_UP_TOO_OLD",
    })
    void dueDeliveryIsSentSupersededOrGivenUp(
            String row,
            DeliveryKind kind,
            long hoursOld,
            boolean configured,
            boolean wants,
            boolean firing,
            boolean newer,
            Verdict expected) {
        Due due = new Due(kind, NOW.minus(Duration.ofHours(hoursOld)), 3, configured, wants, firing, newer);

        assertThat(DeliveryRules.decide(due, NOW, MAX_AGE)).as(row).isEqualTo(expected);
    }

    @Test
    void givingUpSaysWhyWithTheNumbersAndTheLastError() {
        Due due = new Due(DeliveryKind.FIRING, NOW.minus(Duration.ofHours(25)), 37, true, true, true, false);

        assertThat(DeliveryRules.reason(
                        Verdict.GIVE_UP_TOO_OLD, "ops-am", due, MAX_AGE, "receiver ops-am answered 503"))
                .isEqualTo("not delivered within 24h (37 attempts); last: receiver ops-am answered 503");
        assertThat(DeliveryRules.reason(Verdict.GIVE_UP_RECEIVER_GONE, "old-slack", due, MAX_AGE, null))
                .isEqualTo("receiver old-slack is no longer configured");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"PT24H, 24h", "PT5M, 5m", "PT90S, 90s", "PT0.2S, 200ms"})
    void durationsAreWrittenTheWayTheSettingsAre(Duration d, String expected) {
        assertThat(DeliveryRules.human(d)).isEqualTo(expected);
    }
}
