package dev.kubeyard.nodepool.healing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** More of a pool unhealthy at once than its share allows: nothing is replaced. */
class MaxUnhealthyGuardTest {

    static Stream<Arguments> shares() {
        return Stream.of(
                Arguments.argumentSet("replacesOneOfFive", 1, 5, 40, false),
                Arguments.argumentSet("replacesTwoOfFiveAtFortyPercent", 2, 5, 40, false),
                Arguments.argumentSet("holdsBackReplacementWhenThreeOfFiveAreUnhealthy", 3, 5, 40, true),
                Arguments.argumentSet("holdsBackReplacementWhenHalfThePoolIsNotReady", 5, 10, 40, true),
                Arguments.argumentSet("replacesTheOnlyNodeOfAPoolOfOne", 1, 1, 40, false),
                Arguments.argumentSet("holdsBackWhenBothNodesOfAPoolOfTwoAreDown", 2, 2, 40, true),
                Arguments.argumentSet("aShareOfAHundredPercentNeverHoldsBack", 5, 5, 100, false),
                Arguments.argumentSet("aShareOfZeroStillAllowsOne", 1, 10, 0, false),
                Arguments.argumentSet("aShareOfZeroHoldsBackTwo", 2, 10, 0, true));
    }

    @ParameterizedTest
    @MethodSource("shares")
    void neverReplacesWhenTooMuchOfThePoolIsUnhealthy(int unhealthy, int desired, int percent, boolean heldBack) {
        Optional<Held> held = MaxUnhealthyGuard.check("workers", unhealthy, desired, percent, "");

        assertThat(held.isPresent()).isEqualTo(heldBack);
        held.ifPresent(h -> assertThat(h.reason()).isEqualTo(HealingReasons.TOO_MANY_UNHEALTHY));
    }

    @Test
    void saysHowManyOfWhatAndTheLimit() {
        Held held = MaxUnhealthyGuard.check("workers", 3, 5, 40, "2 Ready=False, 1 missing")
                .orElseThrow();

        assertThat(held.message())
                .isEqualTo("3 of 5 nodes of pool workers unhealthy (2 Ready=False, 1 missing, 60%), more than"
                        + " maxUnhealthy 40% (at most 2 of 5): remediation held back, the cause is likely wider than"
                        + " the nodes");
    }
}
