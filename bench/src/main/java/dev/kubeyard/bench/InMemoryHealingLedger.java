package dev.kubeyard.bench;

import dev.kubeyard.nodepool.control.HealingLedger;
import dev.kubeyard.nodepool.healing.EvaluationSummary;
import dev.kubeyard.nodepool.healing.FleetBudget;
import dev.kubeyard.nodepool.healing.HealingDecision;
import dev.kubeyard.nodepool.healing.HealingHistory;
import dev.kubeyard.nodepool.healing.HealingHistory.PastReplacement;
import dev.kubeyard.nodepool.healing.HealingHistory.ReplacementOutcome;
import dev.kubeyard.nodepool.healing.HealingPlan;
import dev.kubeyard.nodepool.healing.ReplacementSettler.Settlement;
import dev.kubeyard.nodepool.healing.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The healing ledger in memory, for the benchmark: the same contract as the PostgreSQL {@code record.HealingStore}
 * (one evaluation lease per cluster, at most one replacement in progress per cluster and machine, the history and the
 * fleet budget read back from what was recorded), so that the sweep is measured without a database. It counts every
 * call, as many as the database would see transactions, and the decision rows the store would write.
 *
 * <p>Thread-safe: one book per cluster, each guarded by its own monitor; the leases in a concurrent map.
 */
final class InMemoryHealingLedger implements HealingLedger {

    /** How far back a cluster's history reaches, as in the store. */
    static final Duration HISTORY = Duration.ofHours(24);

    private record Lease(String holder, Instant until, long takenNanos) {}

    private static final class Replacement {
        final String pool;
        final String machine;
        final String fleetKey;
        final Instant requestedAt;
        ReplacementOutcome outcome = ReplacementOutcome.IN_PROGRESS;
        Instant finishedAt;

        Replacement(String pool, String machine, String fleetKey, Instant requestedAt) {
            this.pool = pool;
            this.machine = machine;
            this.fleetKey = fleetKey;
            this.requestedAt = requestedAt;
        }
    }

    /** One cluster's records; every field guarded by the book's monitor. */
    private static final class Book {
        final List<Replacement> replacements = new ArrayList<>();
        final Map<String, NavigableSet<Instant>> decidedAtByMachine = new HashMap<>();
        EvaluationSummary previous;
        Instant lastJumpAt;
        Instant lastBlindAt;
        Verdict lastVerdict;
        String lastReason;

        Optional<Replacement> open(String machine) {
            return replacements.stream()
                    .filter(r -> r.machine.equals(machine) && r.outcome == ReplacementOutcome.IN_PROGRESS)
                    .findFirst();
        }
    }

    private final Map<String, Lease> leases = new ConcurrentHashMap<>();
    private final Map<String, Book> books = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
    private final LongAdder decisionRows = new LongAdder();
    private final List<Duration> leaseHolds = new ArrayList<>(); // guarded by itself

    @Override
    public boolean lease(String cluster, String holder, Instant now, Duration ttl) {
        count("lease");
        Lease mine = new Lease(holder, now.plus(ttl), System.nanoTime());
        Lease after = leases.compute(
                cluster, (c, held) -> held == null || !held.until().isAfter(now) ? mine : held);
        return after == mine;
    }

    @Override
    public void release(String cluster, String holder) {
        count("release");
        Lease[] released = new Lease[1];
        leases.computeIfPresent(cluster, (c, held) -> {
            if (held.holder().equals(holder)) {
                released[0] = held;
                return null;
            }
            return held;
        });
        if (released[0] != null) {
            Duration held = SimProcess.since(released[0].takenNanos());
            synchronized (leaseHolds) {
                leaseHolds.add(held);
            }
        }
    }

    @Override
    public HealingHistory history(String cluster, Instant now) {
        count("history");
        Book book = book(cluster);
        synchronized (book) {
            Instant since = now.minus(HISTORY);
            List<PastReplacement> past = book.replacements.stream()
                    .filter(r -> r.requestedAt.isAfter(since))
                    .map(r -> new PastReplacement(
                            r.pool, r.machine, r.requestedAt, r.outcome, Optional.ofNullable(r.finishedAt)))
                    .toList();
            return new HealingHistory(
                    past,
                    Optional.ofNullable(book.previous),
                    Optional.ofNullable(book.lastJumpAt),
                    Optional.ofNullable(book.lastBlindAt));
        }
    }

    @Override
    public FleetBudget fleetBudget(int limitPerHour, Instant now) {
        count("fleetBudget");
        Instant since = now.minus(HealingHistory.HOUR);
        Map<String, Integer> spent = new HashMap<>();
        for (Book book : books.values()) {
            synchronized (book) {
                for (Replacement r : book.replacements) {
                    if (r.requestedAt.isAfter(since)) {
                        spent.merge(r.fleetKey, 1, Integer::sum);
                    }
                }
            }
        }
        return new FleetBudget(limitPerHour, spent);
    }

    @Override
    public boolean claim(String cluster, String pool, String machine, String fleetKey, Instant now) {
        count("claim");
        Book book = book(cluster);
        synchronized (book) {
            if (book.open(machine).isPresent()) {
                return false;
            }
            book.replacements.add(new Replacement(pool, machine, fleetKey, now));
            return true;
        }
    }

    @Override
    public boolean settle(String cluster, Settlement settlement) {
        count("settle");
        return end(cluster, settlement.machine(), settlement.outcome(), settlement.at());
    }

    @Override
    public boolean failed(String cluster, String machine, String failure, Instant at) {
        count("failed");
        return end(cluster, machine, ReplacementOutcome.FAILED, at);
    }

    private boolean end(String cluster, String machine, ReplacementOutcome outcome, Instant at) {
        Book book = book(cluster);
        synchronized (book) {
            Optional<Replacement> open = book.open(machine);
            open.ifPresent(r -> {
                r.outcome = outcome;
                r.finishedAt = at;
            });
            return open.isPresent();
        }
    }

    @Override
    public Optional<Instant> firstSeenUnhealthy(String cluster, String machine, Instant since) {
        count("firstSeenUnhealthy");
        Book book = book(cluster);
        synchronized (book) {
            NavigableSet<Instant> decided = book.decidedAtByMachine.get(machine);
            return Optional.ofNullable(decided == null ? null : decided.ceiling(since));
        }
    }

    /**
     * Keeps what the next evaluation reads: the summary, the jump and blind moments, and when each machine had a
     * decision. Counts the decision rows the store would write: none for a quiet evaluation that repeats the last.
     */
    @Override
    public void record(HealingPlan plan) {
        count("record");
        HealingDecision clusterDecision = plan.clusterDecision();
        EvaluationSummary summary = plan.evaluation();
        Book book = book(plan.cluster());
        synchronized (book) {
            boolean quiet = plan.decisions().size() == 1 && clusterDecision.verdict() == Verdict.NONE;
            boolean repeat = quiet
                    && book.lastVerdict == Verdict.NONE
                    && clusterDecision.reason().equals(book.lastReason);
            if (!repeat) {
                decisionRows.add(plan.decisions().size());
            }
            for (HealingDecision decision : plan.decisions()) {
                decision.machine().ifPresent(m -> book.decidedAtByMachine
                        .computeIfAbsent(m, k -> new TreeSet<>())
                        .add(decision.at()));
            }
            book.previous = summary;
            if (summary.jumped()) {
                book.lastJumpAt = summary.at();
            }
            if (!summary.observed()) {
                book.lastBlindAt = summary.at();
            }
            book.lastVerdict = clusterDecision.verdict();
            book.lastReason = clusterDecision.reason();
        }
    }

    /** Calls per method since the start, in name order. */
    Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((method, n) -> out.put(method, n.sum()));
        return out;
    }

    /** Decision rows the PostgreSQL store would have written since the start. */
    long decisionRows() {
        return decisionRows.sum();
    }

    /** How long each lease released since the last call was held, lease to release; forgets them. */
    List<Duration> drainLeaseHolds() {
        synchronized (leaseHolds) {
            List<Duration> out = List.copyOf(leaseHolds);
            leaseHolds.clear();
            return out;
        }
    }

    private Book book(String cluster) {
        return books.computeIfAbsent(Objects.requireNonNull(cluster, "cluster"), c -> new Book());
    }

    private void count(String method) {
        calls.computeIfAbsent(method, m -> new LongAdder()).increment();
    }
}
