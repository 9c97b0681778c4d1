package dev.kubeyard.nodepool.healing;

import static dev.kubeyard.nodepool.healing.Fixtures.NOW;
import static dev.kubeyard.nodepool.healing.Fixtures.min;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Many nodes going bad between two evaluations freeze healing of the cluster; a slow rise does not. */
class UnhealthyJumpGuardTest {

    /** The defaults: a jump is at least 3 nodes and 20 points; it freezes for 15 min. */
    static final UnhealthyJumpPolicy POLICY = Fixtures.DEFAULTS.jump();

    static Optional<EvaluationSummary> before(int unhealthy, int desired) {
        return Optional.of(EvaluationSummary.seen(NOW.minus(min(1)), unhealthy, desired));
    }

    static Optional<Instant> jumpedAgo(long minutes) {
        return Optional.of(NOW.minus(min(minutes)));
    }

    static Stream<Arguments> shares() {
        return Stream.of(
                Arguments.argumentSet("noBaselineNoJump", 10, 20, Optional.empty(), Optional.empty(), false),
                Arguments.argumentSet(
                        "aBlindBaselineIsNoBaseline",
                        10,
                        20,
                        Optional.of(EvaluationSummary.blind(NOW.minus(min(1)))),
                        Optional.empty(),
                        false),
                Arguments.argumentSet("freezesWhenThreeOfTenGoBadAtOnce", 4, 10, before(1, 10), Optional.empty(), true),
                Arguments.argumentSet("freezesExactlyAtBothThresholds", 3, 15, before(0, 15), Optional.empty(), true),
                Arguments.argumentSet(
                        "aRiseOfTwoNodesIsNoJumpWhateverTheShare", 2, 3, before(0, 3), Optional.empty(), false),
                Arguments.argumentSet(
                        "aRiseOfTenNodesInAHundredIsBelowTwentyPoints",
                        10,
                        100,
                        before(0, 100),
                        Optional.empty(),
                        false),
                Arguments.argumentSet("aFallIsNoJump", 1, 10, before(5, 10), Optional.empty(), false),
                Arguments.argumentSet("staysFrozenAfterAJump", 4, 10, before(4, 10), jumpedAgo(5), true),
                Arguments.argumentSet("thawsOnceTheFreezeIsOver", 4, 10, before(4, 10), jumpedAgo(16), false));
    }

    @ParameterizedTest
    @MethodSource("shares")
    void freezesHealingWhenTheUnhealthyShareJumps(
            int unhealthy,
            int desired,
            Optional<EvaluationSummary> previous,
            Optional<Instant> lastJumpAt,
            boolean frozen) {
        Optional<Held> held = UnhealthyJumpGuard.check(unhealthy, desired, previous, lastJumpAt, POLICY, NOW);

        assertThat(held.isPresent()).as("frozen").isEqualTo(frozen);
        held.ifPresent(h -> assertThat(h.reason()).isEqualTo(HealingReasons.UNHEALTHY_SHARE_JUMPED));
    }

    @Test
    void saysFromWhatToWhatAndForHowLong() {
        Held held = UnhealthyJumpGuard.check(4, 10, before(1, 10), Optional.empty(), POLICY, NOW)
                .orElseThrow();

        assertThat(held.message())
                .isEqualTo("Unhealthy nodes rose from 1 of 10 (10%) to 4 of 10 (40%) since the evaluation at"
                        + " 2026-11-22T09:59:00Z, a jump of at least 3 nodes and 20 points: healing of the cluster"
                        + " frozen for 15 min");
        assertThat(held.lookAgainIn()).contains(min(15));
    }

    @Test
    void aFreezeSaysHowLongItLasts() {
        Held held = UnhealthyJumpGuard.check(4, 10, before(4, 10), jumpedAgo(5), POLICY, NOW)
                .orElseThrow();

        assertThat(held.lookAgainIn()).contains(min(10));
        assertThat(held.message()).contains("frozen until 2026-11-22T10:10:00Z (10 min more)");
    }
}
