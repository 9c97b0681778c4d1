package dev.kubeyard.inventory.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T1 = Instant.parse("2026-01-01T00:05:00Z");

    @Test
    void addsANewTypeWithNowAsTransitionTime() {
        List<ClusterCondition> next =
                Conditions.set(List.of(), "Ready", ConditionStatus.FALSE, "Provisioning", "0 of 3 nodes ready", T0);

        assertThat(next)
                .containsExactly(
                        new ClusterCondition("Ready", ConditionStatus.FALSE, "Provisioning", "0 of 3 nodes ready", T0));
    }

    @Test
    void keepsTheTransitionTimeWhenOnlyReasonOrMessageChange() {
        List<ClusterCondition> current =
                Conditions.set(List.of(), "Ready", ConditionStatus.FALSE, "Provisioning", "0 of 3 nodes ready", T0);

        List<ClusterCondition> next =
                Conditions.set(current, "Ready", ConditionStatus.FALSE, "Provisioning", "2 of 3 nodes ready", T1);

        assertThat(next.getFirst().lastTransitionTime()).isEqualTo(T0);
        assertThat(next.getFirst().message()).isEqualTo("2 of 3 nodes ready");
    }

    @Test
    void takesNowAsTransitionTimeWhenTheStatusFlips() {
        List<ClusterCondition> current =
                Conditions.set(List.of(), "Ready", ConditionStatus.FALSE, "Provisioning", "0 of 3 nodes ready", T0);

        List<ClusterCondition> next =
                Conditions.set(current, "Ready", ConditionStatus.TRUE, "NodesReady", "3 of 3 nodes ready", T1);

        assertThat(next.getFirst().lastTransitionTime()).isEqualTo(T1);
        assertThat(next.getFirst().status()).isEqualTo(ConditionStatus.TRUE);
    }

    @Test
    void leavesOtherTypesInPlace() {
        List<ClusterCondition> current = Conditions.set(
                Conditions.set(List.of(), "Ready", ConditionStatus.TRUE, "NodesReady", "3 of 3 nodes ready", T0),
                "Paused",
                ConditionStatus.FALSE,
                "NotPaused",
                "Reconciled normally",
                T0);

        List<ClusterCondition> next =
                Conditions.set(current, "Ready", ConditionStatus.FALSE, "NodesNotReady", "1 of 3 nodes ready", T1);

        assertThat(next).extracting(ClusterCondition::type).containsExactly("Ready", "Paused");
        assertThat(Conditions.find(next, "Paused")).contains(current.get(1));
    }

    @Test
    void reportsNoChangeWhenNothingDiffers() {
        List<ClusterCondition> current =
                Conditions.set(List.of(), "Ready", ConditionStatus.TRUE, "NodesReady", "3 of 3 nodes ready", T0);

        List<ClusterCondition> same =
                Conditions.set(current, "Ready", ConditionStatus.TRUE, "NodesReady", "3 of 3 nodes ready", T1);

        assertThat(Conditions.changed(current, same)).isFalse();
    }
}
