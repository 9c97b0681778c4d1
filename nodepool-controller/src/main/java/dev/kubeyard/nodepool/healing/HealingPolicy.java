package dev.kubeyard.nodepool.healing;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The rules of healing for one cluster: defaults per role, overrides per pool, and what holds for the cluster as a
 * whole. The fleet-wide budget is not here: it is shared by every cluster of a sweep ({@link FleetBudget}).
 *
 * @param roleDefaults the policy of each role; a pool is governed by its {@linkplain NodeRole#governing governing role}
 * @param poolOverrides a pool's own policy, by pool name, in place of its role's
 * @param clusterMaxPerHour replacements requested in the cluster in any hour, all pools together
 * @param backoff how healing backs off after its own replacements failed
 * @param jump what counts as a jump of the unhealthy share, and how long it freezes healing
 * @param reachabilitySettle how long healing waits after the cluster could not be seen, so that nodes whose status
 *     could not reach the API in the meantime can report again
 * @param idleLookIn when to look again when nothing is pending
 * @param inFlightLookIn when to look again while a replacement or a new machine is in flight
 * @param dryRun plan and record every replacement of the cluster without carrying any out
 */
public record HealingPolicy(
        Map<NodeRole, RolePolicy> roleDefaults,
        Map<String, RolePolicy> poolOverrides,
        int clusterMaxPerHour,
        BackoffPolicy backoff,
        UnhealthyJumpPolicy jump,
        Duration reachabilitySettle,
        Duration idleLookIn,
        Duration inFlightLookIn,
        boolean dryRun) {

    public HealingPolicy {
        for (NodeRole role : NodeRole.values()) {
            if (!roleDefaults.containsKey(role)) {
                throw new IllegalArgumentException("roleDefaults has no policy for role " + role.wireName());
            }
        }
        roleDefaults = Map.copyOf(roleDefaults);
        poolOverrides = Map.copyOf(poolOverrides);
        Policies.requireNotNegative(clusterMaxPerHour, "clusterMaxPerHour");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(jump, "jump");
        Policies.requireNotNegative(reachabilitySettle, "reachabilitySettle");
        Policies.requirePositive(idleLookIn, "idleLookIn");
        Policies.requirePositive(inFlightLookIn, "inFlightLookIn");
    }

    /** The defaults; the table in the module README mirrors them. */
    public static HealingPolicy defaults() {
        Map<NodeRole, RolePolicy> roles = new EnumMap<>(NodeRole.class);
        roles.put(
                NodeRole.ETCD,
                new RolePolicy(
                        RolePolicy.notReadyFor(Duration.ofMinutes(10)),
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(30),
                        40,
                        1,
                        2,
                        false));
        roles.put(
                NodeRole.CONTROL_PLANE,
                new RolePolicy(
                        RolePolicy.notReadyFor(Duration.ofMinutes(10)),
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(30),
                        40,
                        1,
                        2,
                        false));
        roles.put(
                NodeRole.WORKER,
                new RolePolicy(
                        RolePolicy.notReadyFor(Duration.ofMinutes(5)),
                        Duration.ofMinutes(20),
                        Duration.ofMinutes(30),
                        40,
                        2,
                        5,
                        false));
        return new HealingPolicy(
                roles,
                Map.of(),
                6,
                new BackoffPolicy(Duration.ofMinutes(15), Duration.ofHours(4), 3),
                new UnhealthyJumpPolicy(3, 20, Duration.ofMinutes(15)),
                Duration.ofMinutes(2),
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                false);
    }

    /** The policy that governs a pool: its override, else its governing role's defaults. */
    public RolePolicy forPool(ObservedPool pool) {
        RolePolicy override = poolOverrides.get(pool.name());
        return override != null ? override : roleDefaults.get(pool.governingRole());
    }

    /** Whether the pool's replacements are planned and recorded only: the cluster's or the pool's dry run. */
    public boolean dryRunFor(ObservedPool pool) {
        return dryRun || forPool(pool).dryRun();
    }

    public RolePolicy roleDefault(NodeRole role) {
        return roleDefaults.get(role);
    }

    public HealingPolicy withRoleDefault(NodeRole role, RolePolicy policy) {
        Copy c = new Copy(this);
        c.roleDefaults.put(role, policy);
        return c.build();
    }

    public HealingPolicy withPoolOverride(String pool, RolePolicy policy) {
        Copy c = new Copy(this);
        c.poolOverrides.put(pool, policy);
        return c.build();
    }

    public HealingPolicy withClusterMaxPerHour(int perHour) {
        Copy c = new Copy(this);
        c.clusterMaxPerHour = perHour;
        return c.build();
    }

    public HealingPolicy withBackoff(BackoffPolicy policy) {
        Copy c = new Copy(this);
        c.backoff = policy;
        return c.build();
    }

    public HealingPolicy withJump(UnhealthyJumpPolicy policy) {
        Copy c = new Copy(this);
        c.jump = policy;
        return c.build();
    }

    public HealingPolicy withDryRun(boolean dry) {
        Copy c = new Copy(this);
        c.dryRun = dry;
        return c.build();
    }

    public HealingPolicy withReachabilitySettle(Duration settle) {
        Copy c = new Copy(this);
        c.reachabilitySettle = settle;
        return c.build();
    }

    /** A policy's values, to change one and build the new policy (which checks them all again). */
    private static final class Copy {
        final Map<NodeRole, RolePolicy> roleDefaults;
        final Map<String, RolePolicy> poolOverrides;
        int clusterMaxPerHour;
        BackoffPolicy backoff;
        UnhealthyJumpPolicy jump;
        Duration reachabilitySettle;
        final Duration idleLookIn;
        final Duration inFlightLookIn;
        boolean dryRun;

        Copy(HealingPolicy p) {
            roleDefaults = new EnumMap<>(p.roleDefaults);
            poolOverrides = new HashMap<>(p.poolOverrides);
            clusterMaxPerHour = p.clusterMaxPerHour;
            backoff = p.backoff;
            jump = p.jump;
            reachabilitySettle = p.reachabilitySettle;
            idleLookIn = p.idleLookIn;
            inFlightLookIn = p.inFlightLookIn;
            dryRun = p.dryRun;
        }

        HealingPolicy build() {
            return new HealingPolicy(
                    roleDefaults,
                    poolOverrides,
                    clusterMaxPerHour,
                    backoff,
                    jump,
                    reachabilitySettle,
                    idleLookIn,
                    inFlightLookIn,
                    dryRun);
        }
    }
}
