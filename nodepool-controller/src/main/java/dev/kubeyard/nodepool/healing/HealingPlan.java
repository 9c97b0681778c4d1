package dev.kubeyard.nodepool.healing;

import dev.kubeyard.nodepool.healing.HealingAction.HoldBack;
import dev.kubeyard.nodepool.healing.HealingAction.RaiseAlert;
import dev.kubeyard.nodepool.healing.HealingAction.ReplaceNode;
import dev.kubeyard.nodepool.healing.HealingAction.WouldReplaceNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one evaluation of one cluster comes to.
 *
 * @param actions in order: replacements, hold-backs, alerts; a {@link HealingAction.Noop} when there is nothing else
 * @param decisions the decision records to write, carried out or held back
 * @param nextLookIn when to evaluate the cluster again: the soonest timeout, back-off or freeze to run out, sooner
 *     while work is in flight
 * @param evaluation what this evaluation saw, recorded for the next one ({@link HealingHistory#previous()})
 * @param fleetSpend replacements this plan spends of the fleet budget under {@code fleetKey} (dry runs included, so
 *     that a dry run shows what a live sweep would do)
 */
public record HealingPlan(
        String cluster,
        String fleetKey,
        Instant evaluatedAt,
        List<HealingAction> actions,
        List<HealingDecision> decisions,
        Duration nextLookIn,
        EvaluationSummary evaluation,
        int fleetSpend) {

    public HealingPlan {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(fleetKey, "fleetKey");
        Objects.requireNonNull(evaluatedAt, "evaluatedAt");
        actions = List.copyOf(actions);
        decisions = List.copyOf(decisions);
        Objects.requireNonNull(nextLookIn, "nextLookIn");
        Objects.requireNonNull(evaluation, "evaluation");
    }

    /** The replacements to carry out. */
    public List<ReplaceNode> replacements() {
        return actions.stream()
                .filter(ReplaceNode.class::isInstance)
                .map(ReplaceNode.class::cast)
                .toList();
    }

    /** The replacements a dry run records instead of carrying out. */
    public List<WouldReplaceNode> dryRunReplacements() {
        return actions.stream()
                .filter(WouldReplaceNode.class::isInstance)
                .map(WouldReplaceNode.class::cast)
                .toList();
    }

    public List<HoldBack> holdBacks() {
        return actions.stream()
                .filter(HoldBack.class::isInstance)
                .map(HoldBack.class::cast)
                .toList();
    }

    public List<RaiseAlert> alerts() {
        return actions.stream()
                .filter(RaiseAlert.class::isInstance)
                .map(RaiseAlert.class::cast)
                .toList();
    }

    /** The cluster's own record: the evaluation as a whole. */
    public HealingDecision clusterDecision() {
        return decisions.stream().filter(d -> d.pool().isEmpty()).findFirst().orElseThrow();
    }

    /** The record of one machine, if it was not healthy. */
    public Optional<HealingDecision> decisionFor(String machine) {
        return decisions.stream()
                .filter(d -> d.machine().equals(Optional.of(machine)))
                .findFirst();
    }
}
