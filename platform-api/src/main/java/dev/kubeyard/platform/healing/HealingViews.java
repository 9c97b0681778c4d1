package dev.kubeyard.platform.healing;

import dev.kubeyard.nodepool.healing.HealingDecision;
import dev.kubeyard.nodepool.healing.HealingPolicy;
import dev.kubeyard.nodepool.healing.NodeRole;
import dev.kubeyard.nodepool.healing.RolePolicy;
import dev.kubeyard.nodepool.healing.UnhealthyCondition;
import dev.kubeyard.nodepool.record.ClusterHealingState;
import dev.kubeyard.nodepool.record.HealingDecisionRecord;
import dev.kubeyard.nodepool.record.HealingReplacement;
import dev.kubeyard.nodepool.record.HealingStore;
import dev.kubeyard.nodepool.record.Pause;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the healing endpoints answer. */
public final class HealingViews {

    private HealingViews() {}

    /** A cluster's healing status: switches, the last evaluation, replacements, the policy. */
    public record Status(
            String cluster,
            boolean sweepEnabled,
            boolean dryRun,
            PauseView paused,
            List<PauseView> pausedPools,
            Evaluation lastEvaluation,
            List<Replacement> inProgress,
            List<Replacement> recentReplacements,
            Policy policy) {}

    public record PauseView(String pool, String reason, String pausedBy, Instant pausedAt) {
        public static PauseView of(Pause p) {
            return new PauseView(p.pool().orElse(null), p.reason(), p.by(), p.at());
        }
    }

    public record Evaluation(
            Instant at,
            boolean observed,
            int unhealthyNodes,
            int desiredNodes,
            String verdict,
            String reason,
            String message,
            Instant nextEvaluationAt,
            Instant lastJumpAt,
            Instant lastBlindAt) {
        public static Evaluation of(ClusterHealingState s) {
            return new Evaluation(
                    s.evaluatedAt(),
                    s.observed(),
                    s.unhealthy(),
                    s.desired(),
                    s.verdict(),
                    s.reason(),
                    s.message(),
                    s.nextEvaluationAt().orElse(null),
                    s.lastJumpAt().orElse(null),
                    s.lastBlindAt().orElse(null));
        }
    }

    public record Replacement(
            String pool, String machine, Instant requestedAt, String outcome, Instant finishedAt, String failure) {
        public static Replacement of(HealingReplacement r) {
            return new Replacement(
                    r.getPool(),
                    r.getMachine(),
                    r.getRequestedAt(),
                    r.getOutcome(),
                    r.getFinishedAt().orElse(null),
                    r.getFailure().orElse(null));
        }
    }

    /** The rules: each role's defaults, and the pools that have their own (all their rules, merged). */
    public record Policy(
            Map<String, RoleView> roles,
            Map<String, RoleView> pools,
            int clusterMaxPerHour,
            int fleetMaxPerHour,
            boolean dryRun) {
        public static Policy of(HealingPolicy p, int fleetMaxPerHour) {
            Map<String, RoleView> roles = new LinkedHashMap<>();
            for (NodeRole role : NodeRole.values()) {
                roles.put(role.wireName(), RoleView.of(p.roleDefault(role)));
            }
            Map<String, RoleView> pools = new java.util.TreeMap<>();
            p.poolOverrides().forEach((pool, rules) -> pools.put(pool, RoleView.of(rules)));
            return new Policy(roles, pools, p.clusterMaxPerHour(), fleetMaxPerHour, p.dryRun());
        }
    }

    public record RoleView(
            Map<String, Long> unhealthyConditionSeconds,
            long provisioningTimeoutSeconds,
            long deletionTimeoutSeconds,
            int maxUnhealthyPercent,
            int maxConcurrent,
            int maxPerHour,
            boolean dryRun) {
        public static RoleView of(RolePolicy r) {
            Map<String, Long> conditions = new LinkedHashMap<>();
            for (UnhealthyCondition c : r.unhealthyConditions()) {
                conditions.put(
                        c.type() + "=" + c.status().wireName(), c.timeout().toSeconds());
            }
            return new RoleView(
                    conditions,
                    r.provisioningTimeout().toSeconds(),
                    r.deletionTimeout().toSeconds(),
                    r.maxUnhealthyPercent(),
                    r.maxConcurrent(),
                    r.maxPerHour(),
                    r.dryRun());
        }
    }

    /** One decision record. */
    public record Decision(
            UUID id,
            Instant at,
            String pool,
            String machine,
            String verdict,
            String rule,
            String reason,
            String message,
            Map<String, Object> details) {
        public static Decision of(HealingDecisionRecord d) {
            return new Decision(
                    d.getId(),
                    d.getDecidedAt(),
                    d.getPool().orElse(null),
                    d.getMachine().orElse(null),
                    d.getVerdict(),
                    d.getRule(),
                    d.getReason(),
                    d.getMessage(),
                    d.getDetails());
        }

        public static Decision of(HealingDecision d) {
            return new Decision(
                    null,
                    d.at(),
                    d.pool().orElse(null),
                    d.machine().orElse(null),
                    d.verdict().name(),
                    d.rule().guard(),
                    d.reason(),
                    d.message(),
                    HealingStore.details(d));
        }
    }

    /** A page of decision records; {@code next} is the {@code cursor} of the next page, absent on the last. */
    public record DecisionPage(List<Decision> items, String next) {}

    /** What an on-demand evaluation came to. */
    public record EvaluationResult(
            String cluster,
            Instant at,
            String verdict,
            String reason,
            String message,
            List<String> replacementsRequested,
            List<String> dryRunReplacements,
            int heldBack,
            List<String> alerts,
            List<Decision> decisions) {}

    /** The body of a pause. */
    public record PauseRequest(String reason) {}
}
