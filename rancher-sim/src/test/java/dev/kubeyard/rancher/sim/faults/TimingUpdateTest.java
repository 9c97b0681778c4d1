package dev.kubeyard.rancher.sim.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeyard.rancher.sim.SimTiming;
import dev.kubeyard.rancher.sim.api.Json;
import org.junit.jupiter.api.Test;

/** {@code POST /_sim/timing} applies a partial set of fields over the current timing. */
class TimingUpdateTest {

    @Test
    void givenFieldsReplaceTheCurrentOnesAndOthersStay() throws Exception {
        SimTiming updated = AdminApi.timing(
                SimTiming.fast(), Json.MAPPER.readTree("{\"machineBootMillis\":900,\"tickMillis\":20}"));

        assertThat(updated.machineBootMillis()).isEqualTo(900);
        assertThat(updated.tickMillis()).isEqualTo(20);
        assertThat(updated.machinePendingMillis()).isEqualTo(SimTiming.fast().machinePendingMillis());
    }

    @Test
    void workloadReadyDelayCanBeChangedAndMustNotBeNegative() throws Exception {
        SimTiming updated = AdminApi.timing(SimTiming.fast(), Json.MAPPER.readTree("{\"workloadReadyMillis\":2500}"));

        assertThat(updated.workloadReadyMillis()).isEqualTo(2500);
        assertThat(SimTiming.fast().workloadReadyMillis()).isBetween(100L, 300L);
        assertThat(SimTiming.realistic().workloadReadyMillis()).isBetween(1_000L, 10_000L);
        assertThat(SimTiming.uniform(400).workloadReadyMillis()).isEqualTo(400);
        assertThatThrownBy(
                        () -> AdminApi.timing(SimTiming.fast(), Json.MAPPER.readTree("{\"workloadReadyMillis\":-1}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownOrInvalidFieldsAreRejected() {
        assertThatThrownBy(() -> AdminApi.timing(SimTiming.fast(), Json.MAPPER.readTree("{\"bogus\":1}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bogus");
        assertThatThrownBy(() -> AdminApi.timing(SimTiming.fast(), Json.MAPPER.readTree("{\"tickMillis\":0}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdminApi.timing(SimTiming.fast(), Json.MAPPER.readTree("{\"tickMillis\":\"x\"}")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
