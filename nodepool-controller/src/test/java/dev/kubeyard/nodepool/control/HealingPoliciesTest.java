package dev.kubeyard.nodepool.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.nodepool.healing.HealingPolicy;
import dev.kubeyard.nodepool.healing.NodeRole;
import dev.kubeyard.nodepool.healing.ObservedPool;
import dev.kubeyard.nodepool.healing.RolePolicy;
import dev.kubeyard.nodepool.observe.HealingObserver.ClusterTarget;
import dev.kubeyard.nodepool.observe.HealingObserver.PoolTarget;
import dev.kubeyard.nodepool.observe.PoolHealing;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A pool's own rules replace exactly what they name of its governing role's defaults. */
class HealingPoliciesTest {

    static final HealingPolicy BASE = HealingPolicy.defaults();

    static ObservedPool observed(String name, Set<NodeRole> roles) {
        return new ObservedPool(name, roles, 3, false, List.of());
    }

    @Test
    void aPoolsOwnRulesReplaceWhatTheyNameAndKeepTheRestOfItsRolesDefaults() {
        PoolHealing own = new PoolHealing(
                Optional.of(Duration.ofMinutes(15)),
                Optional.empty(),
                Optional.empty(),
                OptionalInt.empty(),
                OptionalInt.of(1),
                OptionalInt.empty(),
                Optional.of(true));
        ClusterTarget target = new ClusterTarget(
                "c",
                "c-m-1",
                "default",
                List.of(
                        new PoolTarget("gpu", Set.of(NodeRole.WORKER), 3, false, Optional.of(own)),
                        new PoolTarget("workers", Set.of(NodeRole.WORKER), 3, false)),
                Set.of(),
                false);

        HealingPolicy policy = HealingPolicies.forCluster(BASE, target);

        RolePolicy worker = BASE.roleDefault(NodeRole.WORKER);
        RolePolicy gpu = policy.forPool(observed("gpu", Set.of(NodeRole.WORKER)));
        assertThat(gpu.unhealthyConditions()).isEqualTo(RolePolicy.notReadyFor(Duration.ofMinutes(15)));
        assertThat(gpu.maxConcurrent()).isEqualTo(1);
        assertThat(gpu.dryRun()).isTrue();
        assertThat(gpu.provisioningTimeout()).isEqualTo(worker.provisioningTimeout());
        assertThat(gpu.maxPerHour()).isEqualTo(worker.maxPerHour());
        assertThat(policy.dryRunFor(observed("gpu", Set.of(NodeRole.WORKER)))).isTrue();

        assertThat(policy.forPool(observed("workers", Set.of(NodeRole.WORKER)))).isEqualTo(worker);
        assertThat(policy.dryRunFor(observed("workers", Set.of(NodeRole.WORKER))))
                .isFalse();
    }

    @Test
    void anEtcdPoolsOwnRulesStartFromTheEtcdDefaults() {
        PoolHealing own = new PoolHealing(
                Optional.empty(),
                Optional.of(Duration.ofMinutes(45)),
                Optional.empty(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                OptionalInt.empty(),
                Optional.empty());
        ClusterTarget target = new ClusterTarget(
                "c",
                "c-m-1",
                "default",
                List.of(new PoolTarget(
                        "cp", Set.of(NodeRole.ETCD, NodeRole.CONTROL_PLANE), 3, false, Optional.of(own))),
                Set.of(),
                false);

        RolePolicy cp = HealingPolicies.forCluster(BASE, target)
                .forPool(observed("cp", Set.of(NodeRole.ETCD, NodeRole.CONTROL_PLANE)));

        RolePolicy etcd = BASE.roleDefault(NodeRole.ETCD);
        assertThat(cp.provisioningTimeout()).isEqualTo(Duration.ofMinutes(45));
        assertThat(cp.maxConcurrent()).isEqualTo(etcd.maxConcurrent());
        assertThat(cp.unhealthyConditions()).isEqualTo(etcd.unhealthyConditions());
    }
}
