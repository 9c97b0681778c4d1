package dev.kubeyard.nodepool.healing;

import static dev.kubeyard.nodepool.healing.Fixtures.DEFAULTS;
import static dev.kubeyard.nodepool.healing.Fixtures.NOW;
import static dev.kubeyard.nodepool.healing.Fixtures.cluster;
import static dev.kubeyard.nodepool.healing.Fixtures.healthy;
import static dev.kubeyard.nodepool.healing.Fixtures.machine;
import static dev.kubeyard.nodepool.healing.Fixtures.min;
import static dev.kubeyard.nodepool.healing.Fixtures.with;
import static dev.kubeyard.nodepool.healing.Fixtures.workers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.nodepool.healing.HealingHistory.PastReplacement;
import dev.kubeyard.nodepool.healing.HealingHistory.ReplacementOutcome;
import dev.kubeyard.nodepool.healing.ReplacementSettler.Settlement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How replacements in progress end, from what an evaluation observes (worker defaults: deletion 30 min, boot 20). */
class ReplacementSettlerTest {

    static HealingHistory requested(String machine, Duration ago) {
        return new HealingHistory(
                List.of(PastReplacement.inProgress("workers", machine, NOW.minus(ago))),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    static List<Settlement> settle(ObservedCluster observed, HealingHistory history) {
        return ReplacementSettler.settle(observed, DEFAULTS, history, NOW);
    }

    @Test
    void succeedsOnceTheMachineIsGoneAndThePoolIsHealthyAgain() {
        ObservedNode successor = machine("w-new")
                .createdAt(NOW.minus(min(4)))
                .readySince(NOW.minus(min(1)))
                .build();
        var observed =
                cluster("c", workers(3, with(healthy("w", 2), successor))).build();

        assertThat(settle(observed, requested("w-old", min(5)))).singleElement().satisfies(s -> {
            assertThat(s.outcome()).isEqualTo(ReplacementOutcome.SUCCEEDED);
            assertThat(s.message()).contains("w-old is gone").contains("3 of 3 nodes healthy");
        });
    }

    @Test
    void staysInProgressWhileTheSuccessorIsStillProvisioning() {
        ObservedNode successor = machine("w-new").provisioningFor(min(3)).build();
        var observed =
                cluster("c", workers(3, with(healthy("w", 2), successor))).build();

        assertThat(settle(observed, requested("w-old", min(4)))).isEmpty();
    }

    @Test
    void staysInProgressWhileTheMachineIsBeingDeletedWithinTheDeletionTimeout() {
        ObservedNode old =
                machine("w-old").notReadyFor(min(20)).deletingFor(min(10)).build();
        var observed = cluster("c", workers(3, with(healthy("w", 2), old))).build();

        assertThat(settle(observed, requested("w-old", min(10)))).isEmpty();
    }

    @Test
    void failsWhenTheMachineIsStillDeletingAfterTheDeletionTimeout() {
        ObservedNode old =
                machine("w-old").notReadyFor(min(50)).deletingFor(min(31)).build();
        var observed = cluster("c", workers(3, with(healthy("w", 2), old))).build();

        assertThat(settle(observed, requested("w-old", min(31))))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.outcome()).isEqualTo(ReplacementOutcome.FAILED);
                    assertThat(s.message()).contains("deleting for 31 min").contains("deletion timeout of 30 min");
                });
    }

    @Test
    void failsWhenRancherNeverTookTheMachineIntoDeletion() {
        ObservedNode old = machine("w-old").notReadyFor(min(50)).build();
        var observed = cluster("c", workers(3, with(healthy("w", 2), old))).build();

        assertThat(settle(observed, requested("w-old", min(29)))).isEmpty();
        assertThat(settle(observed, requested("w-old", min(30))))
                .singleElement()
                .extracting(Settlement::outcome)
                .isEqualTo(ReplacementOutcome.FAILED);
    }

    @Test
    void failsWhenTheSuccessorFailsOrSticksInProvisioning() {
        ObservedNode failedSuccessor = machine("w-new")
                .createdAt(NOW.minus(min(3)))
                .failed("quota exceeded")
                .build();
        ObservedNode stuckSuccessor = machine("w-new").provisioningFor(min(25)).build();

        assertThat(settle(
                        cluster("c", workers(3, with(healthy("w", 2), failedSuccessor)))
                                .build(),
                        requested("w-old", min(4))))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.outcome()).isEqualTo(ReplacementOutcome.FAILED);
                    assertThat(s.message()).contains("w-new").contains("quota exceeded");
                });
        assertThat(settle(
                        cluster("c", workers(3, with(healthy("w", 2), stuckSuccessor)))
                                .build(),
                        requested("w-old", min(26))))
                .singleElement()
                .satisfies(s -> assertThat(s.message()).contains("more than the provisioning timeout"));
    }

    @Test
    void aMachineThatFailedBeforeTheRequestIsNotItsSuccessor() {
        ObservedNode olderFailure = machine("w-other")
                .createdAt(NOW.minus(Duration.ofDays(1)))
                .failed("disk")
                .build();
        ObservedNode successor = machine("w-new").provisioningFor(min(2)).build();
        var observed = cluster("c", workers(4, with(healthy("w", 2), olderFailure, successor)))
                .build();

        assertThat(settle(observed, requested("w-old", min(3)))).isEmpty();
    }

    @Test
    void aMemberThatFailsNextToTheReplacedOneInAYoungClusterIsNotItsSuccessor() {
        ObservedNode neighbour = machine("w-2")
                .createdAt(NOW.minus(min(1)).minusSeconds(1))
                .failed("disk")
                .build();
        ObservedNode successor = machine("w-new").provisioningFor(min(0)).build();
        var observed = cluster("c", workers(3, with(healthy("w", 1), neighbour, successor)))
                .build();

        assertThat(settle(observed, requested("w-old", min(1)))).isEmpty();
    }

    @Test
    void failsWhenThePoolStaysShortPastTheDeletionAndProvisioningTimeouts() {
        var observed = cluster("c", workers(3, healthy("w", 2))).build();

        assertThat(settle(observed, requested("w-old", min(49)))).isEmpty();
        assertThat(settle(observed, requested("w-old", min(50))))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.outcome()).isEqualTo(ReplacementOutcome.FAILED);
                    assertThat(s.message()).contains("2 of 3 nodes healthy");
                });
    }

    @Test
    void settlesNothingInAClusterThatCouldNotBeSeen() {
        var observed =
                cluster("c", workers(3, healthy("w", 2))).apiUnreachable().build();

        assertThat(settle(observed, requested("w-old", min(120)))).isEmpty();
    }

    @Test
    void replacementsAlreadySettledStaySettled() {
        Instant at = NOW.minus(min(10));
        var history = requested("w-old", min(60)).withOutcome("w-old", ReplacementOutcome.FAILED, at);
        var observed = cluster("c", workers(3, healthy("w", 3))).build();

        assertThat(settle(observed, history)).isEmpty();
    }

    @Test
    void aReplacementInAPoolThatWasRemovedEnds() {
        var observed = cluster("c", Fixtures.etcd(3, healthy("e", 3))).build();

        assertThat(settle(observed, requested("w-old", min(1)))).singleElement().satisfies(s -> assertThat(s.message())
                .contains("no longer exists"));
    }
}
