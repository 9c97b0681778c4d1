package dev.kubeyard.nodepool.healing;

import static dev.kubeyard.nodepool.healing.Fixtures.min;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Only a node past its condition's timeout, a machine past the provisioning timeout, or a failed one is due. */
class TimeoutGuardTest {

    static Stream<Arguments> healths() {
        return Stream.of(
                Arguments.argumentSet(
                        "aHealthyNodeIsNeverDue", new NodeHealth.Healthy(), HealingReasons.NODE_HEALTHY, null),
                Arguments.argumentSet(
                        "neverReplacesANodeNotReadyForLessThanItsTimeout",
                        new NodeHealth.Unhealthy("Ready", ConditionStatus.FALSE, min(2), min(5)),
                        HealingReasons.WAITING_FOR_TIMEOUT,
                        min(3)),
                Arguments.argumentSet(
                        "replacesANodeNotReadyForItsTimeout",
                        new NodeHealth.Unhealthy("Ready", ConditionStatus.FALSE, min(5), min(5)),
                        null,
                        null),
                Arguments.argumentSet(
                        "replacesANodeNotReadyPastItsTimeout",
                        new NodeHealth.Unhealthy("Ready", ConditionStatus.UNKNOWN, min(7), min(5)),
                        null,
                        null),
                Arguments.argumentSet(
                        "neverReplacesAMachineProvisioningWithinItsTimeout",
                        new NodeHealth.Provisioning(min(10), min(20)),
                        HealingReasons.STILL_PROVISIONING,
                        min(10)),
                Arguments.argumentSet(
                        "replacesAMachineStuckProvisioning",
                        new NodeHealth.StuckProvisioning(min(25), min(20)),
                        null,
                        null),
                Arguments.argumentSet("replacesAFailedMachineAtOnce", new NodeHealth.MachineFailed("gone"), null, null),
                Arguments.argumentSet(
                        "neverReplacesAMachineBeingDeleted",
                        new NodeHealth.Deleting(min(2), min(30)),
                        HealingReasons.NODE_BEING_DELETED,
                        min(28)),
                Arguments.argumentSet(
                        "flagsAMachineStuckDeleting",
                        new NodeHealth.Deleting(min(31), min(30)),
                        HealingReasons.STUCK_DELETING,
                        null),
                Arguments.argumentSet(
                        "neverReplacesANodeItCannotJudge",
                        new NodeHealth.NotObserved("no Ready condition"),
                        HealingReasons.NODE_NOT_OBSERVED,
                        null));
    }

    @ParameterizedTest
    @MethodSource("healths")
    void replacesOnlyPastTheTimeout(NodeHealth health, String reason, Duration lookAgainIn) {
        Optional<Held> held = TimeoutGuard.check(health);

        assertThat(held.map(Held::reason)).isEqualTo(Optional.ofNullable(reason));
        assertThat(held.flatMap(Held::lookAgainIn)).isEqualTo(Optional.ofNullable(lookAgainIn));
        assertThat(held.isEmpty()).as("due").isEqualTo(health.due());
    }
}
