package dev.kubeyard.nodepool.healing;

import dev.kubeyard.nodepool.healing.HealingAction.HoldBack;
import dev.kubeyard.nodepool.healing.HealingAction.Noop;
import dev.kubeyard.nodepool.healing.HealingAction.RaiseAlert;
import dev.kubeyard.nodepool.healing.HealingAction.ReplaceNode;
import dev.kubeyard.nodepool.healing.HealingAction.WouldReplaceNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Node pool healing's rules, as a pure function of what was observed, the policy, the recorded history, the fleet
 * budget and the time: which machines to replace, what to hold back and why, what to alert on, when to look again.
 * Every evaluation starts from scratch; work in flight is counted from observed state (DESIGN.md in this package).
 *
 * <p>Guards, in the order they run:
 *
 * <ol>
 *   <li>cluster: {@link PauseGuard}, {@link ReachabilityGuard}, {@link DayTwoGuard}, {@link UnhealthyJumpGuard};
 *   <li>pool: {@link PauseGuard}, {@link RancherRemediationGuard}, {@link MaxUnhealthyGuard} (and
 *       {@link BackoffGuard}'s alert);
 *   <li>node: {@link TimeoutGuard}, then for due nodes, most overdue first, {@link BackoffGuard},
 *       {@link EtcdQuorumGuard} (etcd pools), {@link BudgetGuard}.
 * </ol>
 */
public final class HealingPlanner {

    /**
     * The inputs of one cluster in a sweep.
     *
     * @param observedAt when the cluster was observed: its plan's {@code now} (the sweep's when empty), so that a
     *     timeout never counts time that passed while other clusters were being observed
     */
    public record ClusterInput(
            ObservedCluster observed, HealingPolicy policy, HealingHistory history, Optional<Instant> observedAt) {
        public ClusterInput {
            Objects.requireNonNull(observed, "observed");
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(history, "history");
            Objects.requireNonNull(observedAt, "observedAt");
        }

        public ClusterInput(ObservedCluster observed, HealingPolicy policy, HealingHistory history) {
            this(observed, policy, history, Optional.empty());
        }
    }

    /**
     * A sweep's plans, in the order of its clusters, and the fleet budget after them.
     *
     * @param fleetBudget what the sweep leaves of the fleet budget (the next sweep reads it afresh from the records)
     */
    public record SweepPlan(List<HealingPlan> plans, FleetBudget fleetBudget) {
        public SweepPlan {
            plans = List.copyOf(plans);
            Objects.requireNonNull(fleetBudget, "fleetBudget");
        }
    }

    public HealingPlan plan(
            ObservedCluster observed, HealingPolicy policy, HealingHistory history, FleetBudget fleet, Instant now) {
        return new Evaluation(
                        Objects.requireNonNull(observed, "observed"),
                        Objects.requireNonNull(policy, "policy"),
                        Objects.requireNonNull(history, "history"),
                        Objects.requireNonNull(fleet, "fleet"),
                        Objects.requireNonNull(now, "now"))
                .run();
    }

    /**
     * Plans the clusters of one sweep one after another against one fleet budget: what a plan spends is taken off
     * before the next cluster is planned, so that clusters of one provider failing together stop at the fleet limit.
     */
    public SweepPlan sweep(List<ClusterInput> clusters, FleetBudget fleet, Instant now) {
        List<HealingPlan> plans = new ArrayList<>();
        FleetBudget budget = fleet;
        for (ClusterInput input : clusters) {
            HealingPlan plan = plan(
                    input.observed(),
                    input.policy(),
                    input.history(),
                    budget,
                    input.observedAt().orElse(now));
            plans.add(plan);
            budget = budget.spend(plan.fleetKey(), plan.fleetSpend());
        }
        return new SweepPlan(plans, budget);
    }

    /** One evaluation of one cluster; used once. */
    private static final class Evaluation {

        private static final Duration MIN_LOOK_IN = Duration.ofSeconds(1);

        private final ObservedCluster cluster;
        private final HealingPolicy policy;
        private final HealingHistory history;
        private final FleetBudget fleet;
        private final Instant now;

        private final List<HealingAction> actions = new ArrayList<>();
        private final List<HealingDecision> decisions = new ArrayList<>();
        private final Set<String> alerted = new HashSet<>();
        private final Map<String, Integer> plannedInPool = new HashMap<>();
        private List<PoolHealth> pools = List.of();
        private int unhealthy;
        private int desired;
        private int plannedInCluster;
        private int plannedEtcd;
        private boolean inFlight;
        private Duration lookIn;

        Evaluation(
                ObservedCluster cluster, HealingPolicy policy, HealingHistory history, FleetBudget fleet, Instant now) {
            this.cluster = cluster;
            this.policy = policy;
            this.history = history;
            this.fleet = fleet;
            this.now = now;
            this.lookIn = policy.idleLookIn();
        }

        HealingPlan run() {
            boolean observed = cluster.observable();
            if (observed) {
                pools = cluster.pools().stream()
                        .map(p -> NodeClassifier.classify(p, policy.forPool(p), now))
                        .toList();
            }
            unhealthy =
                    pools.stream().mapToInt(p -> p.counts().unhealthyTotal()).sum();
            desired = pools.stream().mapToInt(p -> p.counts().desired()).sum();

            Optional<Held> hold = PauseGuard.checkCluster(cluster.name(), cluster.paused())
                    .or(() -> ReachabilityGuard.check(
                            cluster.rancherReachable(),
                            cluster.apiReachable(),
                            history.previous(),
                            history.lastBlindAt(),
                            policy.reachabilitySettle(),
                            now))
                    .or(() -> DayTwoGuard.check(cluster.operationsInProgress()));
            boolean jumped = false;
            if (hold.isEmpty()) {
                jumped = UnhealthyJumpGuard.jumped(unhealthy, desired, history.previous(), policy.jump());
                hold = UnhealthyJumpGuard.check(
                        unhealthy, desired, history.previous(), history.lastJumpAt(), policy.jump(), now);
            }
            if (hold.isPresent()) {
                holdCluster(hold.get());
            } else {
                evaluatePools();
            }

            EvaluationSummary summary = observed
                    ? new EvaluationSummary(now, true, unhealthy, desired, jumped)
                    : EvaluationSummary.blind(now);
            decisions.addFirst(clusterDecision(hold, observed));
            if (actions.isEmpty()) {
                actions.add(noop());
            }
            int spent = (int) actions.stream()
                    .filter(a -> a instanceof ReplaceNode || a instanceof WouldReplaceNode)
                    .count();
            return new HealingPlan(
                    cluster.name(), cluster.fleetKey(), now, actions, decisions, nextLookIn(), summary, spent);
        }

        // ---- the cluster held back as a whole

        private void holdCluster(Held held) {
            lookAgainIn(held.lookAgainIn());
            long due = nodes().filter(n -> n.health().due()).count();
            String counts = cluster.observable() && !pools.isEmpty()
                    ? "; " + unhealthy + " of " + Text.nodes(desired) + " unhealthy, " + due + " due for replacement"
                    : "";
            actions.add(new HoldBack(
                    cluster.name(),
                    Optional.empty(),
                    Optional.empty(),
                    held.rule(),
                    held.reason(),
                    held.message() + counts));
            for (PoolHealth pool : pools) {
                recordNodesHeldBack(pool, held);
            }
        }

        /** Due nodes held back by {@code held}; the others wait for the reason the timeout guard gives. */
        private void recordNodesHeldBack(PoolHealth pool, Held held) {
            for (ClassifiedNode node : pool.nodes()) {
                if (node.health() instanceof NodeHealth.Healthy) {
                    continue;
                }
                Optional<Held> wait = TimeoutGuard.check(node.health());
                if (wait.isPresent()) {
                    recordWait(pool, node, wait.get());
                    continue;
                }
                String message = machineText(pool, node) + " held back: " + held.message();
                decisions.add(nodeDecision(
                        pool,
                        node,
                        Verdict.HOLD_BACK,
                        held.rule(),
                        held.reason(),
                        message,
                        Optional.empty(),
                        Optional.of(Evidence.of(node))));
            }
        }

        // ---- pools and their nodes

        private void evaluatePools() {
            List<Candidate> candidates = new ArrayList<>();
            for (PoolHealth pool : pools) {
                PoolCounts counts = pool.counts();
                if (counts.missing() > 0) {
                    decisions.add(poolDecision(
                            pool,
                            Verdict.NONE,
                            HealingRule.NONE,
                            HealingReasons.NODES_MISSING,
                            "Pool " + pool.name() + " has " + counts.machines() + " of " + counts.desired()
                                    + " machines: Rancher creates the missing " + counts.missing()
                                    + "; they count as unhealthy in the shares"));
                }
                Optional<Held> poolHold = PauseGuard.checkPool(
                                pool.name(), pool.pool().paused())
                        .or(() -> RancherRemediationGuard.check(
                                pool.name(),
                                Optional.ofNullable(cluster.rancherRemediation().get(pool.name()))))
                        .or(() -> MaxUnhealthyGuard.check(
                                pool.name(),
                                counts.unhealthyTotal(),
                                counts.desired(),
                                pool.policy().maxUnhealthyPercent(),
                                pool.unhealthyBreakdown()));
                if (poolHold.isPresent()) {
                    Held held = poolHold.get();
                    actions.add(new HoldBack(
                            cluster.name(),
                            Optional.of(pool.name()),
                            Optional.empty(),
                            held.rule(),
                            held.reason(),
                            held.message()));
                    decisions.add(poolDecision(pool, Verdict.HOLD_BACK, held.rule(), held.reason(), held.message()));
                    if (held.rule() == HealingRule.MAX_UNHEALTHY || held.rule() == HealingRule.RANCHER_REMEDIATION) {
                        alert(Optional.of(pool.name()), held.reason(), held.message());
                    }
                    recordNodesHeldBack(pool, held);
                    continue;
                }
                BackoffGuard.alert(pool.name(), history.inPool(pool.name()), policy.backoff())
                        .ifPresent(message ->
                                alert(Optional.of(pool.name()), HealingReasons.REPEATED_REPLACEMENT_FAILURES, message));
                for (ClassifiedNode node : pool.nodes()) {
                    if (node.health() instanceof NodeHealth.Healthy) {
                        continue;
                    }
                    Optional<Held> wait = TimeoutGuard.check(node.health());
                    if (wait.isPresent()) {
                        recordWait(pool, node, wait.get());
                    } else {
                        candidates.add(new Candidate(pool, node));
                    }
                }
            }
            candidates.sort(Candidate.ORDER);
            for (Candidate candidate : candidates) {
                decide(candidate.pool(), candidate.node());
            }
        }

        private void recordWait(PoolHealth pool, ClassifiedNode node, Held wait) {
            String message = machineText(pool, node) + ": " + wait.message();
            decisions.add(nodeDecision(
                    pool, node, Verdict.WAIT, wait.rule(), wait.reason(), message, Optional.empty(), Optional.empty()));
            lookAgainIn(wait.lookAgainIn());
            if (node.health() instanceof NodeHealth.Provisioning || node.health() instanceof NodeHealth.Deleting) {
                inFlight = true;
            }
            if (HealingReasons.STUCK_DELETING.equals(wait.reason())) {
                alert(Optional.of(pool.name()), wait.reason(), message);
            }
        }

        /** A due node: the node guards, then replace it (or record the dry run). */
        private void decide(PoolHealth pool, ClassifiedNode node) {
            BudgetState budget = budget(pool);
            boolean etcd = pool.pool().hasRole(NodeRole.ETCD);
            Optional<Held> held = BackoffGuard.check(
                            pool.name(), node.machine(), history.inPool(pool.name()), policy.backoff(), now)
                    .or(() -> etcd ? etcdQuorum(node) : Optional.empty())
                    .or(() -> BudgetGuard.check(budget));
            Evidence evidence = Evidence.of(node);
            if (held.isPresent()) {
                Held h = held.get();
                String message = machineText(pool, node) + " held back: " + h.message();
                actions.add(new HoldBack(
                        cluster.name(),
                        Optional.of(pool.name()),
                        Optional.of(node.machine()),
                        h.rule(),
                        h.reason(),
                        message));
                decisions.add(nodeDecision(
                        pool,
                        node,
                        Verdict.HOLD_BACK,
                        h.rule(),
                        h.reason(),
                        message,
                        Optional.of(budget),
                        Optional.of(evidence)));
                lookAgainIn(h.lookAgainIn().or(() -> budgetFreesIn(pool, h.reason())));
                switch (h.reason()) {
                    case HealingReasons.ETCD_QUORUM_LOST -> alert(Optional.of(pool.name()), h.reason(), h.message());
                    case HealingReasons.FLEET_BUDGET_EXHAUSTED -> alert(Optional.empty(), h.reason(), h.message());
                    case HealingReasons.ETCD_REPLACEMENT_IN_PROGRESS, HealingReasons.POOL_CONCURRENCY_LIMIT ->
                        inFlight = true;
                    default -> {
                        // the hold says when to look again, or the idle look-in does
                    }
                }
                return;
            }
            String reason = TimeoutGuard.replacementReason(node.health());
            boolean dryRun = policy.dryRunFor(pool.pool());
            String message = (dryRun ? "Dry run, not carried out: would replace " : "Replacing ")
                    + "machine " + node.machine() + " of pool " + pool.name() + ": "
                    + node.health().describe()
                    + "; budgets before: " + budget.describe();
            actions.add(
                    dryRun
                            ? new WouldReplaceNode(
                                    cluster.name(), pool.name(), node.machine(), reason, message, evidence)
                            : new ReplaceNode(cluster.name(), pool.name(), node.machine(), reason, message, evidence));
            decisions.add(nodeDecision(
                    pool,
                    node,
                    dryRun ? Verdict.WOULD_REPLACE : Verdict.REPLACE,
                    HealingRule.TIMEOUT,
                    reason,
                    message,
                    Optional.of(budget),
                    Optional.of(evidence)));
            plannedInPool.merge(pool.name(), 1, Integer::sum);
            plannedInCluster++;
            if (etcd) {
                plannedEtcd++;
            }
            inFlight = true;
        }

        private Optional<Held> etcdQuorum(ClassifiedNode candidate) {
            int desiredMembers = 0;
            int ready = 0;
            int changing = 0;
            for (PoolHealth pool : pools) {
                if (!pool.pool().hasRole(NodeRole.ETCD)) {
                    continue;
                }
                desiredMembers += pool.counts().desired();
                for (ClassifiedNode node : pool.nodes()) {
                    if (node.node().ready()) {
                        ready++;
                    }
                    if (node.health() instanceof NodeHealth.Deleting
                            || node.health() instanceof NodeHealth.Provisioning) {
                        changing++;
                    }
                }
            }
            return EtcdQuorumGuard.check(desiredMembers, ready, candidate.node().ready(), changing, plannedEtcd);
        }

        private BudgetState budget(PoolHealth pool) {
            int planned = plannedInPool.getOrDefault(pool.name(), 0);
            Instant hourAgo = now.minus(HealingHistory.HOUR);
            return new BudgetState(
                    pool.name(),
                    pool.counts().inFlight() + planned,
                    pool.policy().maxConcurrent(),
                    history.requestedSince(hourAgo, Optional.of(pool.name())) + planned,
                    pool.policy().maxPerHour(),
                    history.requestedSince(hourAgo, Optional.empty()) + plannedInCluster,
                    policy.clusterMaxPerHour(),
                    cluster.fleetKey(),
                    fleet.spent(cluster.fleetKey()) + plannedInCluster,
                    fleet.limitPerHour());
        }

        /** When an hourly budget frees a replacement: the oldest request in its window turns an hour old. */
        private Optional<Duration> budgetFreesIn(PoolHealth pool, String reason) {
            Instant hourAgo = now.minus(HealingHistory.HOUR);
            Optional<Instant> oldest =
                    switch (reason) {
                        case HealingReasons.POOL_HOURLY_BUDGET_EXHAUSTED ->
                            history.oldestRequestSince(hourAgo, Optional.of(pool.name()));
                        case HealingReasons.CLUSTER_HOURLY_BUDGET_EXHAUSTED ->
                            history.oldestRequestSince(hourAgo, Optional.empty());
                        default -> Optional.empty();
                    };
            return oldest.map(at -> Text.between(now, at.plus(HealingHistory.HOUR)));
        }

        // ---- records and texts

        private void alert(Optional<String> pool, String reason, String message) {
            if (alerted.add(pool.orElse("") + "/" + reason)) {
                actions.add(new RaiseAlert(cluster.name(), pool, reason, message));
            }
        }

        private HealingDecision clusterDecision(Optional<Held> hold, boolean observed) {
            long replaced = count(Verdict.REPLACE);
            long wouldReplace = count(Verdict.WOULD_REPLACE);
            long heldBack = count(Verdict.HOLD_BACK);
            long waiting = count(Verdict.WAIT);
            Verdict verdict;
            if (replaced > 0) {
                verdict = Verdict.REPLACE;
            } else if (wouldReplace > 0) {
                verdict = Verdict.WOULD_REPLACE;
            } else if (hold.isPresent() || heldBack > 0) {
                verdict = Verdict.HOLD_BACK;
            } else if (waiting > 0) {
                verdict = Verdict.WAIT;
            } else {
                verdict = Verdict.NONE;
            }
            String seen = observed
                    ? unhealthy + " of " + Text.nodes(desired) + " unhealthy (" + Text.percent(unhealthy, desired)
                            + "%) in " + Text.count(pools.size(), "pool", "pools") + "; "
                    : "cluster not seen; ";
            String outcome = replaced + " replaced, " + wouldReplace + " dry-run, " + heldBack + " held back, "
                    + waiting + " waiting";
            String reason;
            String message;
            HealingRule rule;
            if (hold.isPresent()) {
                rule = hold.get().rule();
                reason = hold.get().reason();
                message = hold.get().message() + "; " + seen + outcome;
            } else {
                rule = HealingRule.NONE;
                reason = nodes().allMatch(n -> n.health() instanceof NodeHealth.Healthy)
                                && pools.stream().allMatch(p -> p.counts().missing() == 0)
                        ? HealingReasons.ALL_NODES_HEALTHY
                        : HealingReasons.EVALUATED;
                message = "Evaluated cluster " + cluster.name() + ": " + seen + outcome;
            }
            return new HealingDecision(
                    cluster.name(),
                    Optional.empty(),
                    Optional.empty(),
                    now,
                    verdict,
                    rule,
                    reason,
                    message,
                    new HealingDecision.Inputs(unhealthy, desired, Optional.empty(), Optional.empty()),
                    Optional.empty(),
                    Optional.empty());
        }

        private Noop noop() {
            long notHealthy = nodes().filter(n -> !(n.health() instanceof NodeHealth.Healthy))
                    .count();
            if (notHealthy == 0 && pools.stream().allMatch(p -> p.counts().missing() == 0)) {
                return new Noop(
                        cluster.name(),
                        HealingReasons.ALL_NODES_HEALTHY,
                        "All " + Text.nodes(desired) + " of cluster " + cluster.name() + " healthy");
            }
            return new Noop(
                    cluster.name(),
                    HealingReasons.NOTHING_DUE,
                    Text.nodes(notHealthy) + " of cluster " + cluster.name()
                            + " not healthy, none due for replacement yet; looking again in "
                            + Text.duration(nextLookIn()));
        }

        private long count(Verdict verdict) {
            return decisions.stream()
                    .filter(d -> d.machine().isPresent() && d.verdict() == verdict)
                    .count();
        }

        private HealingDecision poolDecision(
                PoolHealth pool, Verdict verdict, HealingRule rule, String reason, String message) {
            return new HealingDecision(
                    cluster.name(),
                    Optional.of(pool.name()),
                    Optional.empty(),
                    now,
                    verdict,
                    rule,
                    reason,
                    message,
                    new HealingDecision.Inputs(unhealthy, desired, Optional.of(pool.counts()), Optional.empty()),
                    Optional.empty(),
                    Optional.empty());
        }

        private HealingDecision nodeDecision(
                PoolHealth pool,
                ClassifiedNode node,
                Verdict verdict,
                HealingRule rule,
                String reason,
                String message,
                Optional<BudgetState> budget,
                Optional<Evidence> evidence) {
            return new HealingDecision(
                    cluster.name(),
                    Optional.of(pool.name()),
                    Optional.of(node.machine()),
                    now,
                    verdict,
                    rule,
                    reason,
                    message,
                    new HealingDecision.Inputs(
                            unhealthy, desired, Optional.of(pool.counts()), Optional.of(node.health())),
                    budget,
                    evidence);
        }

        private static String machineText(PoolHealth pool, ClassifiedNode node) {
            return "Machine " + node.machine() + " of pool " + pool.name() + " ("
                    + node.health().describe() + ")";
        }

        private Stream<ClassifiedNode> nodes() {
            return pools.stream().flatMap(p -> p.nodes().stream());
        }

        private void lookAgainIn(Optional<Duration> in) {
            in.ifPresent(d -> {
                if (d.compareTo(lookIn) < 0) {
                    lookIn = d;
                }
            });
        }

        private Duration nextLookIn() {
            Duration next = lookIn;
            if (inFlight && policy.inFlightLookIn().compareTo(next) < 0) {
                next = policy.inFlightLookIn();
            }
            return next.compareTo(MIN_LOOK_IN) < 0 ? MIN_LOOK_IN : next;
        }
    }

    /** A node due for replacement, waiting for the node guards. */
    private record Candidate(PoolHealth pool, ClassifiedNode node) {

        /** Failed machines first, then the most overdue, then by pool and machine name (a stable order). */
        static final Comparator<Candidate> ORDER = Comparator.comparing(
                        (Candidate c) -> c.node().health() instanceof NodeHealth.MachineFailed ? 0 : 1)
                .thenComparing((Candidate c) -> c.node().health().overdue(), Comparator.reverseOrder())
                .thenComparing(c -> c.pool().name())
                .thenComparing(c -> c.node().machine());
    }
}
