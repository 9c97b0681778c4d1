package dev.kubeyard.nodepool.healing;

import static dev.kubeyard.nodepool.healing.Fixtures.NOW;
import static dev.kubeyard.nodepool.healing.Fixtures.min;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A cluster that cannot be seen is not judged; after a blackout healing settles before it judges again. */
class ReachabilityGuardTest {

    static final Duration SETTLE = min(2);

    static Optional<EvaluationSummary> seen(Duration ago) {
        return Optional.of(EvaluationSummary.seen(NOW.minus(ago), 0, 5));
    }

    static Optional<EvaluationSummary> blind(Duration ago) {
        return Optional.of(EvaluationSummary.blind(NOW.minus(ago)));
    }

    static Optional<Instant> ago(Duration ago) {
        return Optional.of(NOW.minus(ago));
    }

    static Stream<Arguments> sights() {
        return Stream.of(
                Arguments.argumentSet("judgesAClusterItCanSee", true, true, seen(min(1)), Optional.empty(), null, null),
                Arguments.argumentSet(
                        "judgesAtTheFirstEvaluationEver", true, true, Optional.empty(), Optional.empty(), null, null),
                Arguments.argumentSet(
                        "freezesHealingWhileRancherIsUnreachable",
                        false,
                        true,
                        seen(min(1)),
                        Optional.empty(),
                        HealingReasons.RANCHER_UNREACHABLE,
                        null),
                Arguments.argumentSet(
                        "namesRancherWhenNeitherAnswersForItsProxyCarriesTheApi",
                        false,
                        false,
                        seen(min(1)),
                        Optional.empty(),
                        HealingReasons.RANCHER_UNREACHABLE,
                        null),
                Arguments.argumentSet(
                        "skipsAClusterWhoseApiCannotBeReached",
                        true,
                        false,
                        seen(min(1)),
                        Optional.empty(),
                        HealingReasons.CLUSTER_API_UNREACHABLE,
                        null),
                Arguments.argumentSet(
                        "judgesNothingAtTheFirstSightAfterABlackout",
                        true,
                        true,
                        blind(min(5)),
                        ago(min(5)),
                        HealingReasons.REACHABILITY_SETTLING,
                        SETTLE),
                Arguments.argumentSet(
                        "waitsTheSettlingTimeAfterABlackout",
                        true,
                        true,
                        seen(Duration.ofSeconds(30)),
                        ago(Duration.ofSeconds(90)),
                        HealingReasons.REACHABILITY_SETTLING,
                        Duration.ofSeconds(30)),
                Arguments.argumentSet("judgesAgainOnceSettled", true, true, seen(min(1)), ago(min(3)), null, null));
    }

    @ParameterizedTest
    @MethodSource("sights")
    void neverJudgesAClusterItCannotSee(
            boolean rancher,
            boolean api,
            Optional<EvaluationSummary> previous,
            Optional<Instant> lastBlindAt,
            String reason,
            Duration lookAgainIn) {
        Optional<Held> held = ReachabilityGuard.check(rancher, api, previous, lastBlindAt, SETTLE, NOW);

        assertThat(held.map(Held::reason)).isEqualTo(Optional.ofNullable(reason));
        assertThat(held.flatMap(Held::lookAgainIn)).isEqualTo(Optional.ofNullable(lookAgainIn));
    }
}
