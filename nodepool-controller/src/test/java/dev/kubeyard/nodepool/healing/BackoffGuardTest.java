package dev.kubeyard.nodepool.healing;

import static dev.kubeyard.nodepool.healing.Fixtures.NOW;
import static dev.kubeyard.nodepool.healing.Fixtures.min;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.nodepool.healing.HealingHistory.PastReplacement;
import dev.kubeyard.nodepool.healing.HealingHistory.ReplacementOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A failing replacement is not repeated at once: exponential back-off, and an alert after repeated failures. */
class BackoffGuardTest {

    /** The defaults: 15 min, doubling, at most 4 h; alert from 3 failures in a row. */
    static final BackoffPolicy POLICY = Fixtures.DEFAULTS.backoff();

    static PastReplacement failed(String machine, long minutesAgo) {
        return new PastReplacement(
                "workers",
                machine,
                NOW.minus(min(minutesAgo + 20)),
                ReplacementOutcome.FAILED,
                Optional.of(NOW.minus(min(minutesAgo))));
    }

    static PastReplacement succeeded(String machine, long minutesAgo) {
        return new PastReplacement(
                "workers",
                machine,
                NOW.minus(min(minutesAgo + 10)),
                ReplacementOutcome.SUCCEEDED,
                Optional.of(NOW.minus(min(minutesAgo))));
    }

    static PastReplacement inProgress(String machine, long minutesAgo) {
        return PastReplacement.inProgress("workers", machine, NOW.minus(min(minutesAgo)));
    }

    static List<PastReplacement> failures(int count, long lastMinutesAgo) {
        List<PastReplacement> out = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--) {
            out.add(failed("w-" + i, lastMinutesAgo + 30L * i));
        }
        return out;
    }

    static Stream<Arguments> histories() {
        return Stream.of(
                Arguments.argumentSet("noHistoryNoBackoff", List.of(), "w-9", null),
                Arguments.argumentSet("aSuccessIsNoReasonToWait", List.of(succeeded("w-1", 2)), "w-9", null),
                Arguments.argumentSet("waitsFifteenMinutesAfterAFailure", List.of(failed("w-1", 5)), "w-9", min(10)),
                Arguments.argumentSet("retriesOnceTheBackoffIsOver", List.of(failed("w-1", 16)), "w-9", null),
                Arguments.argumentSet(
                        "waitsThirtyMinutesAfterTwoFailuresInARow",
                        List.of(failed("w-1", 50), failed("w-2", 20)),
                        "w-9",
                        min(10)),
                Arguments.argumentSet(
                        "aSuccessEndsTheStreak",
                        List.of(failed("w-1", 50), failed("w-2", 20), succeeded("w-3", 2)),
                        "w-9",
                        null),
                Arguments.argumentSet(
                        "aReplacementInProgressNeitherCountsNorEndsTheStreak",
                        List.of(failed("w-1", 5), inProgress("w-2", 1)),
                        "w-9",
                        min(10)),
                Arguments.argumentSet(
                        "theBackoffIsCappedAtFourHours", failures(10, 239), "w-99", Duration.ofMinutes(1)),
                Arguments.argumentSet(
                        "aMachineWhoseOwnReplacementFailedBacksOffAlone",
                        List.of(failed("w-1", 5), succeeded("w-2", 1)),
                        "w-1",
                        min(10)),
                Arguments.argumentSet(
                        "otherMachinesOfThePoolGoOnceItSucceededAgain",
                        List.of(failed("w-1", 5), succeeded("w-2", 1)),
                        "w-3",
                        null));
    }

    @ParameterizedTest
    @MethodSource("histories")
    void neverRepeatsAFailedReplacementAtOnce(List<PastReplacement> history, String machine, Duration waits) {
        Optional<Held> held = BackoffGuard.check("workers", machine, history, POLICY, NOW);

        assertThat(held.flatMap(Held::lookAgainIn)).isEqualTo(Optional.ofNullable(waits));
        held.ifPresent(h -> assertThat(h.reason()).isEqualTo(HealingReasons.REPLACEMENT_BACKOFF));
    }

    static Stream<Arguments> delays() {
        return Stream.of(
                Arguments.argumentSet("noFailureNoWait", 0, Duration.ZERO),
                Arguments.argumentSet("oneFailure", 1, min(15)),
                Arguments.argumentSet("twoFailures", 2, min(30)),
                Arguments.argumentSet("threeFailures", 3, min(60)),
                Arguments.argumentSet("fiveFailures", 5, min(240)),
                Arguments.argumentSet("manyFailuresStayAtTheCap", 40, min(240)));
    }

    @ParameterizedTest
    @MethodSource("delays")
    void theWaitDoublesUpToItsCap(int failures, Duration delay) {
        assertThat(POLICY.delayAfter(failures)).isEqualTo(delay);
    }

    static Stream<Arguments> alerts() {
        return Stream.of(
                Arguments.argumentSet("twoFailuresRaiseNoAlert", failures(2, 5), false),
                Arguments.argumentSet("threeFailuresInARowRaiseAnAlert", failures(3, 5), true),
                Arguments.argumentSet(
                        "aSuccessAfterThemEndsTheAlert",
                        Stream.concat(failures(3, 60).stream(), Stream.of(succeeded("w-7", 1)))
                                .toList(),
                        false));
    }

    @ParameterizedTest
    @MethodSource("alerts")
    void alertsAfterRepeatedFailures(List<PastReplacement> history, boolean alert) {
        Optional<String> message = BackoffGuard.alert("workers", history, POLICY);

        assertThat(message.isPresent()).isEqualTo(alert);
        message.ifPresent(m -> assertThat(m).startsWith("3 replacements in pool workers failed in a row"));
    }
}
