package dev.kubeyard.nodepool.control;

import dev.kubeyard.nodepool.healing.BackoffPolicy;
import dev.kubeyard.nodepool.healing.HealingPolicy;
import dev.kubeyard.nodepool.healing.NodeRole;
import dev.kubeyard.nodepool.healing.RolePolicy;
import dev.kubeyard.nodepool.healing.UnhealthyJumpPolicy;
import dev.kubeyard.nodepool.observe.HealingObserver.ClusterTarget;
import dev.kubeyard.nodepool.observe.HealingObserver.PoolTarget;
import dev.kubeyard.nodepool.observe.PoolHealing;
import java.util.List;

/** The planner's policy from the settings: the defaults, with what the settings name laid over them. */
public final class HealingPolicies {

    private HealingPolicies() {}

    public static HealingPolicy from(HealingConfig config) {
        HealingPolicy policy = HealingPolicy.defaults();
        policy = policy.withRoleDefault(NodeRole.ETCD, role(policy.roleDefault(NodeRole.ETCD), config.etcd()));
        policy = policy.withRoleDefault(
                NodeRole.CONTROL_PLANE, role(policy.roleDefault(NodeRole.CONTROL_PLANE), config.controlPlane()));
        policy = policy.withRoleDefault(NodeRole.WORKER, role(policy.roleDefault(NodeRole.WORKER), config.worker()));
        BackoffPolicy b = policy.backoff();
        policy = policy.withBackoff(new BackoffPolicy(
                config.backoff().initial().orElse(b.initial()),
                config.backoff().max().orElse(b.max()),
                config.backoff().alertAfterFailures().orElse(b.alertAfterFailures())));
        UnhealthyJumpPolicy j = policy.jump();
        policy = policy.withJump(new UnhealthyJumpPolicy(
                config.jump().minNodes().orElse(j.minNodes()),
                config.jump().minPercentPoints().orElse(j.minPercentPoints()),
                config.jump().freeze().orElse(j.freeze())));
        policy = policy.withClusterMaxPerHour(config.clusterMaxPerHour()).withDryRun(config.dryRun());
        if (config.reachabilitySettle().isPresent()) {
            policy = policy.withReachabilitySettle(config.reachabilitySettle().get());
        }
        return policy;
    }

    /** The cluster's policy: {@code base} with each pool's own rules laid over its governing role's defaults. */
    public static HealingPolicy forCluster(HealingPolicy base, ClusterTarget target) {
        return forPools(base, target.pools());
    }

    /** {@code base} with each pool's own rules laid over its governing role's defaults. */
    public static HealingPolicy forPools(HealingPolicy base, List<PoolTarget> pools) {
        HealingPolicy policy = base;
        for (PoolTarget pool : pools) {
            if (pool.healing().isEmpty()) {
                continue;
            }
            PoolHealing h = pool.healing().get();
            RolePolicy role = base.roleDefault(NodeRole.governing(pool.roles()));
            if (h.notReadyTimeout().isPresent()) {
                role = role.withUnhealthyConditions(
                        RolePolicy.notReadyFor(h.notReadyTimeout().get()));
            }
            policy = policy.withPoolOverride(
                    pool.name(),
                    new RolePolicy(
                            role.unhealthyConditions(),
                            h.provisioningTimeout().orElse(role.provisioningTimeout()),
                            h.deletionTimeout().orElse(role.deletionTimeout()),
                            h.maxUnhealthyPercent().orElse(role.maxUnhealthyPercent()),
                            h.maxConcurrent().orElse(role.maxConcurrent()),
                            h.maxPerHour().orElse(role.maxPerHour()),
                            h.dryRun().orElse(role.dryRun())));
        }
        return policy;
    }

    static RolePolicy role(RolePolicy base, HealingConfig.Role role) {
        RolePolicy out = base;
        if (role.notReadyTimeout().isPresent()) {
            out = out.withUnhealthyConditions(
                    RolePolicy.notReadyFor(role.notReadyTimeout().get()));
        }
        return new RolePolicy(
                out.unhealthyConditions(),
                role.provisioningTimeout().orElse(out.provisioningTimeout()),
                role.deletionTimeout().orElse(out.deletionTimeout()),
                role.maxUnhealthyPercent().orElse(out.maxUnhealthyPercent()),
                role.maxConcurrent().orElse(out.maxConcurrent()),
                role.maxPerHour().orElse(out.maxPerHour()),
                out.dryRun());
    }
}
