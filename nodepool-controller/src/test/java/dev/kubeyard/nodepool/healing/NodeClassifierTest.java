package dev.kubeyard.nodepool.healing;

import static dev.kubeyard.nodepool.healing.Fixtures.NOW;
import static dev.kubeyard.nodepool.healing.Fixtures.healthy;
import static dev.kubeyard.nodepool.healing.Fixtures.machine;
import static dev.kubeyard.nodepool.healing.Fixtures.min;
import static dev.kubeyard.nodepool.healing.Fixtures.with;
import static dev.kubeyard.nodepool.healing.Fixtures.workers;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every machine is healthy, unhealthy (which condition, how long), provisioning, stuck, failed, deleting or unseen. */
class NodeClassifierTest {

    /** Workers: Ready=False/Unknown 5 min, provisioning 20 min, deletion 30 min. */
    static final RolePolicy WORKER = Fixtures.DEFAULTS.roleDefault(NodeRole.WORKER);

    static final RolePolicy WITH_DISK_PRESSURE = WORKER.withCondition("DiskPressure", ConditionStatus.TRUE, min(10));

    static Stream<Arguments> nodes() {
        return Stream.of(
                Arguments.argumentSet(
                        "aRunningNodeThatIsReadyIsHealthy",
                        healthy("w-0"),
                        WORKER,
                        NodeHealth.Healthy.class,
                        false,
                        false),
                Arguments.argumentSet(
                        "aNodeNotReadyWithinItsTimeoutIsUnhealthyButNotDue",
                        machine("w-0").notReadyFor(min(2)).build(),
                        WORKER,
                        NodeHealth.Unhealthy.class,
                        false,
                        true),
                Arguments.argumentSet(
                        "aNodeNotReadyExactlyForItsTimeoutIsDue",
                        machine("w-0").notReadyFor(min(5)).build(),
                        WORKER,
                        NodeHealth.Unhealthy.class,
                        true,
                        true),
                Arguments.argumentSet(
                        "aNodeNotReadyPastItsTimeoutIsDue",
                        machine("w-0").notReadyFor(min(7)).build(),
                        WORKER,
                        NodeHealth.Unhealthy.class,
                        true,
                        true),
                Arguments.argumentSet(
                        "aNodeWhoseKubeletStoppedReportingPastItsTimeoutIsDue",
                        machine("w-0").readyUnknownFor(min(6)).build(),
                        WORKER,
                        NodeHealth.Unhealthy.class,
                        true,
                        true),
                Arguments.argumentSet(
                        "aMachineProvisioningWithinItsTimeoutIsNotJudged",
                        machine("w-0").provisioningFor(min(10)).build(),
                        WORKER,
                        NodeHealth.Provisioning.class,
                        false,
                        false),
                Arguments.argumentSet(
                        "aMachineProvisioningPastItsTimeoutIsStuck",
                        machine("w-0").provisioningFor(min(25)).build(),
                        WORKER,
                        NodeHealth.StuckProvisioning.class,
                        true,
                        true),
                Arguments.argumentSet(
                        "aRunningMachineWhoseNodeNeverJoinedIsStuckPastTheTimeout",
                        machine("w-0")
                                .provisioningFor(min(25))
                                .phase(MachinePhase.RUNNING)
                                .build(),
                        WORKER,
                        NodeHealth.StuckProvisioning.class,
                        true,
                        true),
                Arguments.argumentSet(
                        "aJoiningNodeIsNotJudgedByItsConditions",
                        machine("w-0").joiningSince(NOW.minus(min(8))).build(),
                        WORKER,
                        NodeHealth.Provisioning.class,
                        false,
                        false),
                Arguments.argumentSet(
                        "aYoungNodeWhoseKubeletWentSilentIsJudgedByItsConditionNotAsProvisioning",
                        machine("w-0")
                                .createdAt(NOW.minus(min(8)))
                                .readyUnknownFor(min(6))
                                .build(),
                        WORKER,
                        NodeHealth.Unhealthy.class,
                        true,
                        true),
                Arguments.argumentSet(
                        "aNodeNeverReadyPastTheProvisioningTimeoutIsDue",
                        machine("w-0").joiningSince(NOW.minus(min(25))).build(),
                        WORKER,
                        NodeHealth.Unhealthy.class,
                        true,
                        true),
                Arguments.argumentSet(
                        "aFailedMachineIsDueAtOnce",
                        machine("w-0").failed("VM deleted by the provider").build(),
                        WORKER,
                        NodeHealth.MachineFailed.class,
                        true,
                        true),
                Arguments.argumentSet(
                        "aMachineBeingDeletedIsNeverJudged",
                        machine("w-0").notReadyFor(min(30)).deletingFor(min(2)).build(),
                        WORKER,
                        NodeHealth.Deleting.class,
                        false,
                        false),
                Arguments.argumentSet(
                        "aMachineInAPhaseNotKnownIsNotJudged",
                        machine("w-0").phase(MachinePhase.UNKNOWN).build(),
                        WORKER,
                        NodeHealth.NotObserved.class,
                        false,
                        false),
                Arguments.argumentSet(
                        "aNodeWithoutAReadyConditionIsNotJudged",
                        machine("w-0").noConditions().build(),
                        WORKER,
                        NodeHealth.NotObserved.class,
                        false,
                        false),
                Arguments.argumentSet(
                        "aConditionThePolicyDoesNotListIsNotJudged",
                        machine("w-0")
                                .condition("DiskPressure", ConditionStatus.TRUE, NOW.minus(min(60)))
                                .build(),
                        WORKER,
                        NodeHealth.Healthy.class,
                        false,
                        false),
                Arguments.argumentSet(
                        "aConditionAPoolAddedIsDuePastItsOwnTimeout",
                        machine("w-0")
                                .condition("DiskPressure", ConditionStatus.TRUE, NOW.minus(min(11)))
                                .build(),
                        WITH_DISK_PRESSURE,
                        NodeHealth.Unhealthy.class,
                        true,
                        true),
                Arguments.argumentSet(
                        "aConditionSinceTheFutureCountsAsJustBegun",
                        machine("w-0").notReadySince(NOW.plusSeconds(30)).build(),
                        WORKER,
                        NodeHealth.Unhealthy.class,
                        false,
                        true));
    }

    @ParameterizedTest
    @MethodSource("nodes")
    void classifiesEveryMachine(
            ObservedNode node,
            RolePolicy policy,
            Class<? extends NodeHealth> expected,
            boolean due,
            boolean countsAsUnhealthy) {
        NodeHealth health = NodeClassifier.classify(node, policy, NOW);

        assertThat(health).isInstanceOf(expected);
        assertThat(health.due()).as("due").isEqualTo(due);
        assertThat(health.countsAsUnhealthy()).as("counts as unhealthy").isEqualTo(countsAsUnhealthy);
    }

    @Test
    void saysWhichConditionAndForHowLong() {
        NodeHealth health =
                NodeClassifier.classify(machine("w-0").notReadyFor(min(12)).build(), WORKER, NOW);

        assertThat(health).isEqualTo(new NodeHealth.Unhealthy("Ready", ConditionStatus.FALSE, min(12), min(5)));
        assertThat(health.describe()).isEqualTo("Ready=False for 12 min, more than its timeout of 5 min");
    }

    @Test
    void theMostOverdueConditionDecides() {
        ObservedNode node = machine("w-0")
                .notReadyFor(min(6))
                .condition("DiskPressure", ConditionStatus.TRUE, NOW.minus(min(40)))
                .build();

        NodeHealth health = NodeClassifier.classify(node, WITH_DISK_PRESSURE, NOW);

        assertThat(health).isInstanceOfSatisfying(NodeHealth.Unhealthy.class, u -> assertThat(u.condition())
                .isEqualTo("DiskPressure"));
    }

    @Test
    void countsAPoolAndTheNodesItLacks() {
        ObservedPool pool = workers(
                5,
                with(
                        List.of(healthy("w-0"), healthy("w-1"), healthy("w-2")),
                        machine("w-3").notReadyFor(min(1)).build(),
                        machine("w-4").notReadyFor(min(9)).deletingFor(min(1)).build()));

        PoolHealth health = NodeClassifier.classify(pool, WORKER, NOW);

        assertThat(health.counts()).isEqualTo(new PoolCounts(5, 4, 3, 1, 0, 0, 0, 1, 0, 1));
        assertThat(health.counts().unhealthyTotal()).isEqualTo(2);
        assertThat(health.counts().inFlight()).isEqualTo(1);
        assertThat(health.unhealthyBreakdown()).isEqualTo("1 Ready=False, 1 missing");
    }
}
