package dev.kubeyard.nodepool.control;

import dev.kubeyard.nodepool.healing.ConditionStatus;
import dev.kubeyard.nodepool.healing.Evidence;
import dev.kubeyard.nodepool.healing.FleetBudget;
import dev.kubeyard.nodepool.healing.HealingAction.RaiseAlert;
import dev.kubeyard.nodepool.healing.HealingAction.ReplaceNode;
import dev.kubeyard.nodepool.healing.HealingHistory;
import dev.kubeyard.nodepool.healing.HealingPlan;
import dev.kubeyard.nodepool.healing.HealingPlanner;
import dev.kubeyard.nodepool.healing.HealingPlanner.ClusterInput;
import dev.kubeyard.nodepool.healing.HealingPolicy;
import dev.kubeyard.nodepool.healing.NodeCondition;
import dev.kubeyard.nodepool.healing.ObservedCluster;
import dev.kubeyard.nodepool.healing.ReplacementSettler;
import dev.kubeyard.nodepool.healing.ReplacementSettler.Settlement;
import dev.kubeyard.nodepool.observe.HealingObserver;
import dev.kubeyard.nodepool.observe.HealingObserver.ClusterTarget;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One healing evaluation of a cluster, start to end: take the cluster's lease, observe it, settle the replacements in
 * progress from what was observed, plan ({@link HealingPlanner}), record every decision, then act: claim each
 * replacement and delete its machine through Rancher (its pool makes the successor), raise the plan's alerts. A crash
 * anywhere loses nothing: the lease runs out, a claimed replacement whose deletion never went out is failed by the
 * next evaluation's settlement after the deletion timeout, and the next evaluation starts from scratch.
 *
 * <p>A sweep does the same for many clusters: observation in parallel, planning in order against one fleet budget
 * ({@link HealingPlanner#sweep}), each cluster as of its own observation, then recording and acting in parallel
 * again, each cluster's lease given back as soon as it is done.
 */
public final class HealingCycle {

    private static final Logger LOG = Logger.getLogger(HealingCycle.class.getName());

    private final HealingObserver observer;
    private final RancherClient rancher;
    private final HealingLedger ledger;
    private final HealingListener listener;
    private final Clock clock;
    private final String holder;
    private final Duration leaseTtl;
    private final HealingPlanner planner = new HealingPlanner();

    /**
     * @param holder this replica's name in the evaluation lease
     * @param leaseTtl how long a lease lasts if it is not given back: longer than an evaluation can take
     */
    public HealingCycle(
            HealingObserver observer,
            RancherClient rancher,
            HealingLedger ledger,
            HealingListener listener,
            Clock clock,
            String holder,
            Duration leaseTtl) {
        this.observer = Objects.requireNonNull(observer, "observer");
        this.rancher = Objects.requireNonNull(rancher, "rancher");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.holder = Objects.requireNonNull(holder, "holder");
        this.leaseTtl = Objects.requireNonNull(leaseTtl, "leaseTtl");
    }

    /** What became of one cluster in an evaluation: its plan, or why there is none. */
    public record Outcome(String cluster, Optional<HealingPlan> plan, Optional<String> skipped) {
        static Outcome planned(HealingPlan plan) {
            return new Outcome(plan.cluster(), Optional.of(plan), Optional.empty());
        }

        static Outcome skipped(String cluster, String why) {
            return new Outcome(cluster, Optional.empty(), Optional.of(why));
        }
    }

    /** A sweep's outcomes in the order of its targets. */
    public record SweepOutcome(List<Outcome> outcomes, Duration took) {
        public long replacementsRequested() {
            return outcomes.stream()
                    .flatMap(o -> o.plan().stream())
                    .mapToLong(p -> p.replacements().size())
                    .sum();
        }
    }

    /** Evaluates one cluster now (the on-demand heal). */
    public Outcome evaluate(ClusterTarget target, HealingPolicy policy, int fleetLimitPerHour) {
        Instant now = clock.instant();
        Optional<Prepared> prepared = prepare(target, policy, now);
        if (prepared.isEmpty()) {
            return Outcome.skipped(target.name(), busy(target));
        }
        Prepared p = prepared.get();
        try {
            FleetBudget fleet = ledger.fleetBudget(fleetLimitPerHour, now);
            HealingPlan plan = planner.plan(p.observed(), policy, p.history(), fleet, p.observedAt());
            finish(p, plan);
            return Outcome.planned(plan);
        } finally {
            ledger.release(target.name(), p.lease());
        }
    }

    /**
     * Evaluates every target: observations in parallel on {@code executor}, plans in the targets' order against one
     * fleet budget, then decisions and actions in parallel.
     */
    public SweepOutcome sweep(
            List<ClusterTarget> targets,
            Function<ClusterTarget, HealingPolicy> policies,
            int fleetLimitPerHour,
            ExecutorService executor) {
        Instant start = clock.instant();
        List<Future<Optional<Prepared>>> observing = new ArrayList<>();
        for (ClusterTarget target : targets) {
            // the time is read when the task runs: each cluster is planned as of its own observation
            observing.add(executor.submit(() -> prepare(target, policies.apply(target), clock.instant())));
        }
        List<Outcome> outcomes = new ArrayList<>();
        List<Prepared> ready = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            ClusterTarget target = targets.get(i);
            Optional<Prepared> prepared = join(observing.get(i), target);
            if (prepared == null) {
                outcomes.add(Outcome.skipped(target.name(), "The evaluation of cluster " + target.name() + " failed"));
            } else if (prepared.isEmpty()) {
                outcomes.add(Outcome.skipped(target.name(), busy(target)));
            } else {
                slots.add(outcomes.size());
                outcomes.add(null);
                ready.add(prepared.get());
            }
        }
        Set<String> released = ConcurrentHashMap.newKeySet();
        try {
            Instant now = clock.instant();
            List<ClusterInput> inputs = ready.stream()
                    .map(p -> new ClusterInput(p.observed(), p.policy(), p.history(), Optional.of(p.observedAt())))
                    .toList();
            List<HealingPlan> plans = planner.sweep(inputs, ledger.fleetBudget(fleetLimitPerHour, now), now)
                    .plans();
            List<Future<?>> finishing = new ArrayList<>();
            for (int i = 0; i < ready.size(); i++) {
                Prepared p = ready.get(i);
                HealingPlan plan = plans.get(i);
                outcomes.set(slots.get(i), Outcome.planned(plan));
                finishing.add(executor.submit(() -> {
                    try {
                        finish(p, plan);
                    } finally {
                        release(p, released);
                    }
                }));
            }
            for (int i = 0; i < finishing.size(); i++) {
                join(finishing.get(i), ready.get(i).target());
            }
        } finally {
            // what planning or an interruption left held: given back here rather than left to run out
            for (Prepared p : ready) {
                release(p, released);
            }
        }
        return new SweepOutcome(outcomes, Duration.between(start, clock.instant()));
    }

    private void release(Prepared p, Set<String> released) {
        if (released.add(p.lease())) {
            ledger.release(p.target().name(), p.lease());
        }
    }

    /** An observed cluster with its replacements settled: ready to be planned. */
    private record Prepared(
            ClusterTarget target,
            HealingPolicy policy,
            ObservedCluster observed,
            HealingHistory history,
            String lease,
            Instant observedAt) {}

    private Optional<Prepared> prepare(ClusterTarget target, HealingPolicy policy, Instant now) {
        // One lease per evaluation: a sweep and an on-demand heal in the same replica exclude each other too.
        String lease = holder + "/" + UUID.randomUUID();
        if (!ledger.lease(target.name(), lease, now, leaseTtl)) {
            return Optional.empty();
        }
        try {
            ObservedCluster observed = observer.observe(target, now);
            HealingHistory history = ledger.history(target.name(), now);
            for (Settlement s : ReplacementSettler.settle(observed, policy, history, now)) {
                if (ledger.settle(target.name(), s)) {
                    Instant requestedAt = history.replacements().stream()
                            .filter(r -> r.machine().equals(s.machine()))
                            .reduce((a, b) -> b)
                            .orElseThrow()
                            .requestedAt();
                    notify(() -> listener.settled(target.name(), s, s.took(requestedAt)));
                }
                history = history.withOutcome(s.machine(), s.outcome(), s.at());
            }
            return Optional.of(new Prepared(target, policy, observed, history, lease, now));
        } catch (RuntimeException e) {
            ledger.release(target.name(), lease);
            throw e;
        }
    }

    private void finish(Prepared p, HealingPlan plan) {
        ledger.record(plan);
        notify(() -> listener.evaluated(p.target(), p.observed(), plan));
        for (ReplaceNode replacement : plan.replacements()) {
            replace(p.target(), replacement, plan.evaluatedAt());
        }
        for (RaiseAlert alert : plan.alerts()) {
            notify(() -> listener.alert(alert));
        }
    }

    private void replace(ClusterTarget target, ReplaceNode replacement, Instant plannedAt) {
        if (!ledger.claim(target.name(), replacement.pool(), replacement.machine(), target.fleetKey(), plannedAt)) {
            notify(() -> listener.claimLost(replacement));
            return;
        }
        try {
            rancher.machines().delete(replacement.machine());
        } catch (RancherException e) {
            String failure = "Rancher refused to delete machine " + replacement.machine() + ": " + e.getMessage();
            ledger.failed(target.name(), replacement.machine(), failure, clock.instant());
            notify(() -> listener.replacementFailed(target, replacement, failure));
            return;
        }
        Instant failingSince = failingSince(replacement.evidence());
        Optional<Duration> detected = ledger.firstSeenUnhealthy(target.name(), replacement.machine(), failingSince)
                .map(first -> nonNegative(Duration.between(failingSince, first)));
        Duration requested = nonNegative(Duration.between(failingSince, clock.instant()));
        notify(() -> listener.replacementRequested(target, replacement, detected, requested));
    }

    /**
     * When the node started failing, as far as the evidence tells: since its Ready condition left True, else (a
     * machine that never got a Ready node, or failed before it did) since the machine was made.
     */
    static Instant failingSince(Evidence evidence) {
        return evidence.conditions().stream()
                .filter(c -> c.type().equals(NodeCondition.READY) && c.status() != ConditionStatus.TRUE)
                .map(NodeCondition::since)
                .findFirst()
                .orElse(evidence.machineCreatedAt());
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private String busy(ClusterTarget target) {
        return "Another evaluation of cluster " + target.name() + " is running";
    }

    private static <T> T join(Future<T> future, ClusterTarget target) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while healing cluster " + target.name(), e);
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "Healing cluster " + target.name() + " failed", e.getCause());
            return null;
        }
    }

    private static void notify(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "A healing listener failed", e);
        }
    }
}
