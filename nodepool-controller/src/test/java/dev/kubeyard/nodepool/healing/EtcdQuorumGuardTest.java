package dev.kubeyard.nodepool.healing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Etcd is never taken below quorum, and its members are replaced one at a time. */
class EtcdQuorumGuardTest {

    static Stream<Arguments> members() {
        return Stream.of(
                Arguments.argumentSet("replacesTheFailedMemberOfThree", 3, 2, false, 0, 0, null),
                Arguments.argumentSet("replacesAReadyMemberOfThreeHealthyOnes", 3, 3, true, 0, 0, null),
                Arguments.argumentSet("replacesOneOfTwoFailedMembersOfFive", 5, 3, false, 0, 0, null),
                Arguments.argumentSet("neverReplacesTheOnlyMember", 1, 0, false, 0, 0, HealingReasons.ETCD_QUORUM_LOST),
                Arguments.argumentSet(
                        "neverReplacesAnythingOnceQuorumIsLost", 3, 1, false, 0, 0, HealingReasons.ETCD_QUORUM_LOST),
                Arguments.argumentSet(
                        "neverReplacesTwoMembersInOneEvaluation",
                        5,
                        3,
                        false,
                        0,
                        1,
                        HealingReasons.ONE_ETCD_REPLACEMENT_AT_A_TIME),
                Arguments.argumentSet(
                        "waitsUntilTheNewMemberIsHealthy",
                        3,
                        2,
                        false,
                        1,
                        0,
                        HealingReasons.ETCD_REPLACEMENT_IN_PROGRESS),
                Arguments.argumentSet(
                        "neverReplacesAReadyMemberWhileAnotherIsDown",
                        3,
                        2,
                        true,
                        0,
                        0,
                        HealingReasons.ETCD_QUORUM_AT_RISK),
                Arguments.argumentSet(
                        "neverReplacesAReadyMemberOfFiveWithTwoDown",
                        5,
                        3,
                        true,
                        0,
                        0,
                        HealingReasons.ETCD_QUORUM_AT_RISK));
    }

    @ParameterizedTest
    @MethodSource("members")
    void neverTakesEtcdBelowQuorum(
            int desired, int ready, boolean candidateReady, int inFlight, int planned, String reason) {
        Optional<Held> held = EtcdQuorumGuard.check(desired, ready, candidateReady, inFlight, planned);

        assertThat(held.map(Held::reason)).isEqualTo(Optional.ofNullable(reason));
    }

    static Stream<Arguments> quorums() {
        return Stream.of(
                Arguments.argumentSet("oneOfOne", 1, 1),
                Arguments.argumentSet("twoOfTwo", 2, 2),
                Arguments.argumentSet("twoOfThree", 3, 2),
                Arguments.argumentSet("threeOfFour", 4, 3),
                Arguments.argumentSet("threeOfFive", 5, 3));
    }

    @ParameterizedTest
    @MethodSource("quorums")
    void quorumIsMoreThanHalf(int members, int quorum) {
        assertThat(EtcdQuorumGuard.quorum(members)).isEqualTo(quorum);
    }
}
