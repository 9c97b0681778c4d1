package dev.kubeyard.nodepool.healing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the decision records say about a cluster's recent healing: read from the database before each evaluation, so
 * that nothing is remembered in memory between evaluations.
 *
 * @param replacements replacements requested for the cluster (carried out, not dry runs), at least those of the last
 *     hours the back-off may reach
 * @param previous what the previous evaluation saw, empty before the first
 * @param lastJumpAt when an evaluation last found the unhealthy share jumped
 * @param lastBlindAt when an evaluation last could not see the cluster
 */
public record HealingHistory(
        List<PastReplacement> replacements,
        Optional<EvaluationSummary> previous,
        Optional<Instant> lastJumpAt,
        Optional<Instant> lastBlindAt) {

    /** The window of the hourly budgets. */
    public static final Duration HOUR = Duration.ofHours(1);

    public HealingHistory {
        replacements = replacements.stream()
                .sorted(Comparator.comparing(PastReplacement::requestedAt))
                .toList();
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(lastJumpAt, "lastJumpAt");
        Objects.requireNonNull(lastBlindAt, "lastBlindAt");
    }

    public static HealingHistory empty() {
        return new HealingHistory(List.of(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * One replacement healing asked Rancher for.
     *
     * @param finishedAt when its outcome became known, empty while in progress
     */
    public record PastReplacement(
            String pool,
            String machine,
            Instant requestedAt,
            ReplacementOutcome outcome,
            Optional<Instant> finishedAt) {

        public PastReplacement {
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(machine, "machine");
            Objects.requireNonNull(requestedAt, "requestedAt");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(finishedAt, "finishedAt");
        }

        public static PastReplacement inProgress(String pool, String machine, Instant requestedAt) {
            return new PastReplacement(pool, machine, requestedAt, ReplacementOutcome.IN_PROGRESS, Optional.empty());
        }

        /** When it failed or succeeded; its request time while in progress. */
        public Instant settledAt() {
            return finishedAt.orElse(requestedAt);
        }
    }

    /**
     * How a replacement ended, as the recorder judges it from later observations: it succeeded once the pool had its
     * desired count of healthy nodes again; it failed when Rancher refused the deletion, the machine did not go in
     * its deletion timeout, or its successor got stuck or failed.
     */
    public enum ReplacementOutcome {
        IN_PROGRESS,
        SUCCEEDED,
        FAILED
    }

    /** The pool's replacements, oldest first. */
    public List<PastReplacement> inPool(String pool) {
        return replacements.stream().filter(r -> r.pool().equals(pool)).toList();
    }

    /**
     * Distinct machines whose replacement was requested after {@code since}, in one pool or (pool empty) the whole
     * cluster. A machine asked for twice (a request lost before Rancher saw it) counts once.
     */
    public int requestedSince(Instant since, Optional<String> pool) {
        return (int) requestsSince(since, pool).stream()
                .map(r -> r.pool() + "/" + r.machine())
                .distinct()
                .count();
    }

    /** When the oldest request counted by {@link #requestedSince} was made. */
    public Optional<Instant> oldestRequestSince(Instant since, Optional<String> pool) {
        return requestsSince(since, pool).stream()
                .map(PastReplacement::requestedAt)
                .findFirst();
    }

    private List<PastReplacement> requestsSince(Instant since, Optional<String> pool) {
        return replacements.stream()
                .filter(r -> r.requestedAt().isAfter(since))
                .filter(r -> pool.map(p -> p.equals(r.pool())).orElse(true))
                .toList();
    }

    /**
     * The history as the recorder leaves it after carrying out {@code plan}: its replacements (not its dry runs) in
     * progress, its summary as the previous evaluation. Tests walk evaluations with it; the recorder writes the same
     * to the database.
     */
    public HealingHistory after(HealingPlan plan) {
        List<PastReplacement> next = new ArrayList<>(replacements);
        plan.replacements()
                .forEach(r -> next.add(PastReplacement.inProgress(r.pool(), r.machine(), plan.evaluatedAt())));
        EvaluationSummary summary = plan.evaluation();
        return new HealingHistory(
                next,
                Optional.of(summary),
                summary.jumped() ? Optional.of(summary.at()) : lastJumpAt,
                summary.observed() ? lastBlindAt : Optional.of(summary.at()));
    }

    /** The history with the latest replacement of {@code machine} finished as {@code outcome} at {@code at}. */
    public HealingHistory withOutcome(String machine, ReplacementOutcome outcome, Instant at) {
        List<PastReplacement> next = new ArrayList<>(replacements);
        for (int i = next.size() - 1; i >= 0; i--) {
            PastReplacement r = next.get(i);
            if (r.machine().equals(machine)) {
                next.set(i, new PastReplacement(r.pool(), r.machine(), r.requestedAt(), outcome, Optional.of(at)));
                return new HealingHistory(next, previous, lastJumpAt, lastBlindAt);
            }
        }
        throw new IllegalArgumentException("no replacement of machine " + machine + " in the history");
    }
}
