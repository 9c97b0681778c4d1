package dev.kubeyard.nodepool.healing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the nodes of one pool are healed: the defaults of a role ({@link HealingPolicy#defaults()}), or a pool's own
 * override.
 *
 * @param unhealthyConditions the node conditions that make a node unhealthy, each with its timeout
 * @param provisioningTimeout how long a machine may take from creation until its node is Ready before it counts as
 *     stuck provisioning
 * @param deletionTimeout how long a machine may take to be deleted before an alert is raised (it stays counted in
 *     flight)
 * @param maxUnhealthyPercent when more than this share of the pool is unhealthy at once, nothing in the pool is
 *     replaced (at least one unhealthy node is always allowed, or a pool of one would never heal)
 * @param maxConcurrent replacements in flight at once in the pool
 * @param maxPerHour replacements requested in the pool in any hour
 * @param dryRun plan and record the pool's replacements without carrying them out
 */
public record RolePolicy(
        List<UnhealthyCondition> unhealthyConditions,
        Duration provisioningTimeout,
        Duration deletionTimeout,
        int maxUnhealthyPercent,
        int maxConcurrent,
        int maxPerHour,
        boolean dryRun) {

    public RolePolicy {
        unhealthyConditions = List.copyOf(unhealthyConditions);
        Policies.requirePositive(provisioningTimeout, "provisioningTimeout");
        Policies.requirePositive(deletionTimeout, "deletionTimeout");
        Policies.requirePercent(maxUnhealthyPercent, "maxUnhealthyPercent");
        Policies.requireNotNegative(maxConcurrent, "maxConcurrent");
        Policies.requireNotNegative(maxPerHour, "maxPerHour");
    }

    /** Ready=False and Ready=Unknown, both with the given timeout. */
    public static List<UnhealthyCondition> notReadyFor(Duration timeout) {
        return List.of(
                new UnhealthyCondition(NodeCondition.READY, ConditionStatus.FALSE, timeout),
                new UnhealthyCondition(NodeCondition.READY, ConditionStatus.UNKNOWN, timeout));
    }

    public RolePolicy withUnhealthyConditions(List<UnhealthyCondition> conditions) {
        return new RolePolicy(
                conditions,
                provisioningTimeout,
                deletionTimeout,
                maxUnhealthyPercent,
                maxConcurrent,
                maxPerHour,
                dryRun);
    }

    /** Adds (or replaces) the timeout of one condition. */
    public RolePolicy withCondition(String type, ConditionStatus status, Duration timeout) {
        List<UnhealthyCondition> conditions = new ArrayList<>(unhealthyConditions);
        conditions.removeIf(c -> c.type().equals(type) && c.status() == status);
        conditions.add(new UnhealthyCondition(type, status, timeout));
        return withUnhealthyConditions(conditions);
    }

    public RolePolicy withProvisioningTimeout(Duration timeout) {
        return new RolePolicy(
                unhealthyConditions, timeout, deletionTimeout, maxUnhealthyPercent, maxConcurrent, maxPerHour, dryRun);
    }

    public RolePolicy withMaxUnhealthyPercent(int percent) {
        return new RolePolicy(
                unhealthyConditions, provisioningTimeout, deletionTimeout, percent, maxConcurrent, maxPerHour, dryRun);
    }

    public RolePolicy withMaxConcurrent(int concurrent) {
        return new RolePolicy(
                unhealthyConditions,
                provisioningTimeout,
                deletionTimeout,
                maxUnhealthyPercent,
                concurrent,
                maxPerHour,
                dryRun);
    }

    public RolePolicy withMaxPerHour(int perHour) {
        return new RolePolicy(
                unhealthyConditions,
                provisioningTimeout,
                deletionTimeout,
                maxUnhealthyPercent,
                maxConcurrent,
                perHour,
                dryRun);
    }

    public RolePolicy withDryRun(boolean dry) {
        return new RolePolicy(
                unhealthyConditions,
                provisioningTimeout,
                deletionTimeout,
                maxUnhealthyPercent,
                maxConcurrent,
                maxPerHour,
                dry);
    }
}
