package dev.kubeyard.nodepool.healing;

import static dev.kubeyard.nodepool.healing.Fixtures.min;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The defaults are the README's table; a pool may override its role's; an invalid policy fails when built. */
class HealingPolicyTest {

    static final HealingPolicy DEFAULTS = HealingPolicy.defaults();

    static Stream<Arguments> roles() {
        return Stream.of(
                Arguments.argumentSet("etcd", NodeRole.ETCD, min(10), min(30), 1, 2),
                Arguments.argumentSet("controlPlane", NodeRole.CONTROL_PLANE, min(10), min(30), 1, 2),
                Arguments.argumentSet("worker", NodeRole.WORKER, min(5), min(20), 2, 5));
    }

    @ParameterizedTest
    @MethodSource("roles")
    void theDefaultsAreTheReadmeTable(
            NodeRole role, Duration notReady, Duration provisioning, int concurrent, int perHour) {
        RolePolicy policy = DEFAULTS.roleDefault(role);

        assertThat(policy.unhealthyConditions()).isEqualTo(RolePolicy.notReadyFor(notReady));
        assertThat(policy.provisioningTimeout()).isEqualTo(provisioning);
        assertThat(policy.deletionTimeout()).isEqualTo(min(30));
        assertThat(policy.maxUnhealthyPercent()).isEqualTo(40);
        assertThat(policy.maxConcurrent()).isEqualTo(concurrent);
        assertThat(policy.maxPerHour()).isEqualTo(perHour);
        assertThat(policy.dryRun()).isFalse();
    }

    @Test
    void theClusterDefaultsAreTheReadmeTable() {
        assertThat(DEFAULTS.clusterMaxPerHour()).isEqualTo(6);
        assertThat(DEFAULTS.backoff()).isEqualTo(new BackoffPolicy(min(15), Duration.ofHours(4), 3));
        assertThat(DEFAULTS.jump()).isEqualTo(new UnhealthyJumpPolicy(3, 20, min(15)));
        assertThat(DEFAULTS.reachabilitySettle()).isEqualTo(min(2));
        assertThat(DEFAULTS.idleLookIn()).isEqualTo(min(5));
        assertThat(DEFAULTS.inFlightLookIn()).isEqualTo(Duration.ofSeconds(30));
        assertThat(DEFAULTS.dryRun()).isFalse();
    }

    @Test
    void aPoolTakesItsOverrideElseItsMostCarefulRole() {
        ObservedPool cp = new ObservedPool("cp", Set.of(NodeRole.ETCD, NodeRole.CONTROL_PLANE), 3, false, List.of());
        ObservedPool gpu = new ObservedPool("gpu", Set.of(NodeRole.WORKER), 2, false, List.of());
        RolePolicy patient =
                DEFAULTS.roleDefault(NodeRole.WORKER).withCondition("Ready", ConditionStatus.FALSE, min(30));

        HealingPolicy policy = DEFAULTS.withPoolOverride("gpu", patient);

        assertThat(policy.forPool(cp)).isEqualTo(DEFAULTS.roleDefault(NodeRole.ETCD));
        assertThat(policy.forPool(gpu)).isEqualTo(patient);
        assertThat(policy.forPool(gpu).unhealthyConditions())
                .extracting(UnhealthyCondition::label, UnhealthyCondition::timeout)
                .containsExactlyInAnyOrder(tuple("Ready=Unknown", min(5)), tuple("Ready=False", min(30)));
    }

    @Test
    void anInvalidPolicyFailsWhenItIsBuilt() {
        RolePolicy worker = DEFAULTS.roleDefault(NodeRole.WORKER);

        assertThatIllegalArgumentException().isThrownBy(() -> worker.withMaxUnhealthyPercent(140));
        assertThatIllegalArgumentException().isThrownBy(() -> worker.withMaxConcurrent(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> worker.withProvisioningTimeout(Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> new BackoffPolicy(min(30), min(10), 3));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new HealingPolicy(
                        Map.of(NodeRole.WORKER, worker),
                        Map.of(),
                        6,
                        DEFAULTS.backoff(),
                        DEFAULTS.jump(),
                        min(2),
                        min(5),
                        Duration.ofSeconds(30),
                        false))
                .withMessageContaining("no policy for role etcd");
    }
}
