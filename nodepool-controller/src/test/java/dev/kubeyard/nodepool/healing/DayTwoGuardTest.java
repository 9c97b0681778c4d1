package dev.kubeyard.nodepool.healing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Healing never fights an upgrade, a certificate rotation or an etcd restore. */
class DayTwoGuardTest {

    static Stream<Arguments> operations() {
        return Stream.of(
                Arguments.argumentSet("healsWhenNoOperationRuns", Set.of(), null),
                Arguments.argumentSet(
                        "holdsBackDuringAnUpgrade", EnumSet.of(DayTwoOperation.UPGRADE), "UpgradeInProgress"),
                Arguments.argumentSet(
                        "holdsBackDuringACertificateRotation",
                        EnumSet.of(DayTwoOperation.CERTIFICATE_ROTATION),
                        "CertificateRotationInProgress"),
                Arguments.argumentSet(
                        "holdsBackDuringAnEtcdRestore",
                        EnumSet.of(DayTwoOperation.ETCD_RESTORE),
                        "EtcdRestoreInProgress"),
                Arguments.argumentSet(
                        "namesTheFirstOfSeveral",
                        EnumSet.of(DayTwoOperation.ETCD_RESTORE, DayTwoOperation.UPGRADE),
                        "UpgradeInProgress"));
    }

    @ParameterizedTest
    @MethodSource("operations")
    void neverHealsDuringADayTwoOperation(Set<DayTwoOperation> running, String reason) {
        Optional<Held> held = DayTwoGuard.check(running);

        assertThat(held.map(Held::reason)).isEqualTo(Optional.ofNullable(reason));
        held.ifPresent(h -> assertThat(h.message()).endsWith("in progress: healing holds back until it ends"));
    }
}
