package dev.kubeyard.nodepool.healing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A paused cluster or pool is never healed, and says so. */
class PauseGuardTest {

    static Stream<Arguments> switches() {
        return Stream.of(
                Arguments.argumentSet("healsWhenNothingIsPaused", false, false, null),
                Arguments.argumentSet(
                        "holdsBackEverythingWhenTheClusterIsPaused", true, false, HealingReasons.CLUSTER_PAUSED),
                Arguments.argumentSet("holdsBackThePoolWhenItIsPaused", false, true, HealingReasons.NODE_POOL_PAUSED),
                Arguments.argumentSet(
                        "theClusterSwitchIsSeenFirstWhenBothArePaused", true, true, HealingReasons.CLUSTER_PAUSED));
    }

    @ParameterizedTest
    @MethodSource("switches")
    void neverHealsWhatIsPaused(boolean clusterPaused, boolean poolPaused, String reason) {
        Optional<Held> held =
                PauseGuard.checkCluster("alpha", clusterPaused).or(() -> PauseGuard.checkPool("workers", poolPaused));

        assertThat(held.map(Held::reason)).isEqualTo(Optional.ofNullable(reason));
        held.ifPresent(h -> {
            assertThat(h.rule()).isEqualTo(HealingRule.PAUSE);
            assertThat(h.message()).contains(clusterPaused ? "cluster alpha" : "pool workers");
        });
    }
}
