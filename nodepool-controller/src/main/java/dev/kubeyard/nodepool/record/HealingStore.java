package dev.kubeyard.nodepool.record;

import dev.kubeyard.nodepool.control.HealingLedger;
import dev.kubeyard.nodepool.healing.EvaluationSummary;
import dev.kubeyard.nodepool.healing.Evidence;
import dev.kubeyard.nodepool.healing.FleetBudget;
import dev.kubeyard.nodepool.healing.HealingDecision;
import dev.kubeyard.nodepool.healing.HealingHistory;
import dev.kubeyard.nodepool.healing.HealingHistory.PastReplacement;
import dev.kubeyard.nodepool.healing.HealingHistory.ReplacementOutcome;
import dev.kubeyard.nodepool.healing.HealingPlan;
import dev.kubeyard.nodepool.healing.NodeCondition;
import dev.kubeyard.nodepool.healing.NodeEvent;
import dev.kubeyard.nodepool.healing.ReplacementSettler.Settlement;
import dev.kubeyard.nodepool.healing.Verdict;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The healing controller's memory, in PostgreSQL: every decision of every pass (carried out or held back, with its
 * numbers), and the replacements it asked for. The replacement row is also the claim that makes a replacement happen
 * once: whichever replica inserts it first deletes the machine, any other finds it taken ({@link #claim}).
 */
@ApplicationScoped
public class HealingStore implements HealingLedger {

    /** How far back a cluster's history reaches: the hourly budgets and the back-off need no more. */
    static final Duration HISTORY = Duration.ofHours(24);

    @Inject
    EntityManager entityManager;

    /**
     * Claims the replacement of the machine. Exactly one caller, across every replica, gets true for a given cluster
     * and machine; it alone may delete the machine.
     */
    @Override
    @Transactional
    public boolean claim(String cluster, String pool, String machine, String fleetKey, Instant now) {
        int inserted = entityManager
                .createNativeQuery("INSERT INTO healing_replacements (id, cluster_name, pool, machine, fleet_key,"
                        + " requested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                        + " ON CONFLICT (cluster_name, machine) WHERE outcome = 'InProgress' DO NOTHING")
                .setParameter(1, UUID.randomUUID())
                .setParameter(2, cluster)
                .setParameter(3, pool)
                .setParameter(4, machine)
                .setParameter(5, fleetKey)
                .setParameter(6, now)
                .executeUpdate();
        return inserted == 1;
    }

    /** Records how a replacement ended; one already settled keeps its first outcome. */
    @Transactional
    public boolean settle(String cluster, String machine, boolean succeeded, Instant at) {
        return open(cluster, machine).map(r -> r.settle(succeeded, at, null)).orElse(false);
    }

    @Override
    @Transactional
    public boolean settle(String cluster, Settlement settlement) {
        return open(cluster, settlement.machine())
                .map(r -> r.settle(
                        settlement.succeeded(), settlement.at(), settlement.succeeded() ? null : settlement.message()))
                .orElse(false);
    }

    @Override
    @Transactional
    public boolean failed(String cluster, String machine, String failure, Instant at) {
        return open(cluster, machine).map(r -> r.settle(false, at, failure)).orElse(false);
    }

    private Optional<HealingReplacement> open(String cluster, String machine) {
        return entityManager
                .createQuery(
                        "from HealingReplacement r where r.cluster = :cluster and r.machine = :machine"
                                + " and r.outcome = :open",
                        HealingReplacement.class)
                .setParameter("cluster", cluster)
                .setParameter("machine", machine)
                .setParameter("open", HealingReplacement.IN_PROGRESS)
                .getResultStream()
                .findFirst();
    }

    @Override
    @Transactional
    public boolean lease(String cluster, String holder, Instant now, Duration ttl) {
        return entityManager
                        .createNativeQuery("INSERT INTO healing_cluster_state (cluster_name, lease_holder, lease_until)"
                                + " VALUES (?1, ?2, ?3) ON CONFLICT (cluster_name) DO UPDATE"
                                + " SET lease_holder = EXCLUDED.lease_holder, lease_until = EXCLUDED.lease_until"
                                + " WHERE healing_cluster_state.lease_until IS NULL"
                                + " OR healing_cluster_state.lease_until <= ?4")
                        .setParameter(1, cluster)
                        .setParameter(2, holder)
                        .setParameter(3, now.plus(ttl))
                        .setParameter(4, now)
                        .executeUpdate()
                == 1;
    }

    @Override
    @Transactional
    public void release(String cluster, String holder) {
        entityManager
                .createNativeQuery("UPDATE healing_cluster_state SET lease_holder = NULL, lease_until = NULL"
                        + " WHERE cluster_name = ?1 AND lease_holder = ?2")
                .setParameter(1, cluster)
                .setParameter(2, holder)
                .executeUpdate();
    }

    @Override
    @Transactional
    public Optional<Instant> firstSeenUnhealthy(String cluster, String machine, Instant since) {
        Object first = entityManager
                .createNativeQuery("SELECT min(decided_at) FROM healing_decisions WHERE cluster_name = ?1"
                        + " AND machine = ?2 AND decided_at >= ?3")
                .setParameter(1, cluster)
                .setParameter(2, machine)
                .setParameter(3, since)
                .getSingleResult();
        return Optional.ofNullable(first).map(HealingStore::instant);
    }

    /**
     * Records the plan's decisions and its evaluation summary. An evaluation that found nothing but the cluster's own
     * "nothing to do", the same as the evaluation before it, leaves no new row: the cluster's state says when it was
     * last confirmed (a healthy fleet would otherwise write a row per cluster per sweep).
     */
    @Override
    @Transactional
    public void record(HealingPlan plan) {
        HealingDecision clusterDecision = plan.clusterDecision();
        boolean quiet = plan.decisions().size() == 1 && clusterDecision.verdict() == Verdict.NONE;
        boolean repeat = quiet
                && state(plan.cluster())
                        .map(st -> Verdict.NONE.name().equals(st.verdict())
                                && clusterDecision.reason().equals(st.reason()))
                        .orElse(false);
        if (!repeat) {
            for (HealingDecision decision : plan.decisions()) {
                entityManager.persist(new HealingDecisionRecord(
                        UUID.randomUUID(),
                        decision.cluster(),
                        decision.pool().orElse(null),
                        decision.machine().orElse(null),
                        decision.at(),
                        decision.verdict().name(),
                        decision.rule().guard(),
                        decision.reason(),
                        decision.message(),
                        details(decision)));
            }
        }
        EvaluationSummary summary = plan.evaluation();
        entityManager
                .createNativeQuery("INSERT INTO healing_cluster_state (cluster_name, evaluated_at, observed, unhealthy,"
                        + " desired, jumped, last_jump_at, last_blind_at, verdict, reason, message, next_evaluation_at)"
                        + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
                        + " ON CONFLICT (cluster_name) DO UPDATE SET evaluated_at = EXCLUDED.evaluated_at,"
                        + " observed = EXCLUDED.observed, unhealthy = EXCLUDED.unhealthy, desired = EXCLUDED.desired,"
                        + " jumped = EXCLUDED.jumped,"
                        + " last_jump_at = coalesce(EXCLUDED.last_jump_at, healing_cluster_state.last_jump_at),"
                        + " last_blind_at = coalesce(EXCLUDED.last_blind_at, healing_cluster_state.last_blind_at),"
                        + " verdict = EXCLUDED.verdict, reason = EXCLUDED.reason, message = EXCLUDED.message,"
                        + " next_evaluation_at = EXCLUDED.next_evaluation_at")
                .setParameter(1, plan.cluster())
                .setParameter(2, summary.at())
                .setParameter(3, summary.observed())
                .setParameter(4, summary.unhealthy())
                .setParameter(5, summary.desired())
                .setParameter(6, summary.jumped())
                .setParameter(7, summary.jumped() ? summary.at() : null)
                .setParameter(8, summary.observed() ? null : summary.at())
                .setParameter(9, clusterDecision.verdict().name())
                .setParameter(10, clusterDecision.reason())
                .setParameter(11, clusterDecision.message())
                .setParameter(12, plan.evaluatedAt().plus(plan.nextLookIn()))
                .executeUpdate();
    }

    /** What the last evaluation of a cluster saw, and its pause switches; empty before the first evaluation. */
    @Transactional
    public Optional<ClusterHealingState> state(String cluster) {
        @SuppressWarnings("unchecked") // the columns as selected
        List<Object[]> rows = entityManager
                .createNativeQuery("SELECT evaluated_at, observed, unhealthy, desired, jumped, last_jump_at,"
                        + " last_blind_at, verdict, reason, message, next_evaluation_at"
                        + " FROM healing_cluster_state WHERE cluster_name = ?1 AND evaluated_at IS NOT NULL")
                .setParameter(1, cluster)
                .getResultList();
        return rows.stream()
                .findFirst()
                .map(r -> new ClusterHealingState(
                        cluster,
                        instant(r[0]),
                        (Boolean) r[1],
                        ((Number) r[2]).intValue(),
                        ((Number) r[3]).intValue(),
                        (Boolean) r[4],
                        Optional.ofNullable(r[5]).map(HealingStore::instant),
                        Optional.ofNullable(r[6]).map(HealingStore::instant),
                        (String) r[7],
                        (String) r[8],
                        (String) r[9],
                        Optional.ofNullable(r[10]).map(HealingStore::instant)));
    }

    static Instant instant(Object value) {
        return switch (value) {
            case Instant i -> i;
            case java.time.OffsetDateTime o -> o.toInstant();
            case java.sql.Timestamp t -> t.toInstant();
            default -> throw new IllegalStateException("not a timestamp: " + value.getClass());
        };
    }

    /** The cluster's replacements of the last day, oldest first, and its last evaluation, for the planner. */
    @Override
    @Transactional
    public HealingHistory history(String cluster, Instant now) {
        List<PastReplacement> replacements = entityManager
                .createQuery(
                        "from HealingReplacement r where r.cluster = :cluster and r.requestedAt > :since"
                                + " order by r.requestedAt",
                        HealingReplacement.class)
                .setParameter("cluster", cluster)
                .setParameter("since", now.minus(HISTORY))
                .getResultList()
                .stream()
                .map(r -> new PastReplacement(
                        r.getPool(), r.getMachine(), r.getRequestedAt(), outcome(r.getOutcome()), r.getFinishedAt()))
                .toList();
        Optional<ClusterHealingState> state = state(cluster);
        return new HealingHistory(
                replacements,
                state.map(st -> new EvaluationSummary(
                        st.evaluatedAt(), st.observed(), st.unhealthy(), st.desired(), st.jumped())),
                state.flatMap(ClusterHealingState::lastJumpAt),
                state.flatMap(ClusterHealingState::lastBlindAt));
    }

    /** The fleet budget of this moment: replacements asked for in the last hour, per provider or region. */
    @Override
    @Transactional
    public FleetBudget fleetBudget(int limitPerHour, Instant now) {
        @SuppressWarnings("unchecked") // two columns, text and bigint, as selected
        List<Object[]> rows = entityManager
                .createNativeQuery("SELECT fleet_key, count(*) FROM healing_replacements WHERE requested_at > ?1"
                        + " GROUP BY fleet_key")
                .setParameter(1, now.minus(HealingHistory.HOUR))
                .getResultList();
        Map<String, Integer> spent = new HashMap<>();
        for (Object[] row : rows) {
            spent.put((String) row[0], ((Number) row[1]).intValue());
        }
        return new FleetBudget(limitPerHour, spent);
    }

    /** The cluster's recorded decisions, newest first, at most {@code limit}. */
    @Transactional
    public List<HealingDecisionRecord> decisions(String cluster, int limit) {
        return decisions(cluster, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    /** Every pause switch that is on. */
    @Transactional
    public List<Pause> pauses() {
        return pauses(null);
    }

    /** The cluster's pause switches that are on (the cluster's own first). */
    @Transactional
    public List<Pause> pauses(String cluster) {
        String sql = "SELECT cluster_name, pool, reason, paused_by, paused_at FROM healing_pauses"
                + (cluster == null ? "" : " WHERE cluster_name = ?1") + " ORDER BY cluster_name, pool";
        var query = entityManager.createNativeQuery(sql);
        if (cluster != null) {
            query.setParameter(1, cluster);
        }
        @SuppressWarnings("unchecked") // the columns as selected
        List<Object[]> rows = query.getResultList();
        return rows.stream()
                .map(r -> new Pause(
                        (String) r[0],
                        Optional.of((String) r[1]).filter(p -> !p.isEmpty()),
                        (String) r[2],
                        (String) r[3],
                        instant(r[4])))
                .toList();
    }

    /** Turns a pause switch on (pool empty: the whole cluster); returns false when it was on already. */
    @Transactional
    public boolean pause(String cluster, Optional<String> pool, String reason, String by, Instant at) {
        return entityManager
                        .createNativeQuery("INSERT INTO healing_pauses (cluster_name, pool, reason, paused_by,"
                                + " paused_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING")
                        .setParameter(1, cluster)
                        .setParameter(2, pool.orElse(""))
                        .setParameter(3, reason)
                        .setParameter(4, by)
                        .setParameter(5, at)
                        .executeUpdate()
                == 1;
    }

    /** Turns a pause switch off; returns false when it was off. */
    @Transactional
    public boolean resume(String cluster, Optional<String> pool) {
        return entityManager
                        .createNativeQuery("DELETE FROM healing_pauses WHERE cluster_name = ?1 AND pool = ?2")
                        .setParameter(1, cluster)
                        .setParameter(2, pool.orElse(""))
                        .executeUpdate()
                == 1;
    }

    /** The cluster's replacements, newest first, at most {@code limit}. */
    @Transactional
    public List<HealingReplacement> replacements(String cluster, int limit) {
        return entityManager
                .createQuery(
                        "from HealingReplacement r where r.cluster = :cluster order by r.requestedAt desc",
                        HealingReplacement.class)
                .setParameter("cluster", cluster)
                .setMaxResults(limit)
                .getResultList();
    }

    /**
     * The cluster's decision records, newest first (and by id among those of one moment): of one machine or pool when
     * named, after the record {@code after} names (time and id: the next page), at most {@code limit}.
     */
    @Transactional
    public List<HealingDecisionRecord> decisions(
            String cluster,
            Optional<String> pool,
            Optional<String> machine,
            Optional<String> verdict,
            Optional<Map.Entry<Instant, UUID>> after,
            int limit) {
        StringBuilder jpql = new StringBuilder("from HealingDecisionRecord d where d.cluster = :cluster");
        pool.ifPresent(p -> jpql.append(" and d.pool = :pool"));
        machine.ifPresent(m -> jpql.append(" and d.machine = :machine"));
        verdict.ifPresent(v -> jpql.append(" and d.verdict = :verdict"));
        after.ifPresent(b -> jpql.append(" and (d.decidedAt < :at or (d.decidedAt = :at and d.id > :id))"));
        jpql.append(" order by d.decidedAt desc, d.id");
        var query = entityManager
                .createQuery(jpql.toString(), HealingDecisionRecord.class)
                .setParameter("cluster", cluster);
        pool.ifPresent(p -> query.setParameter("pool", p));
        machine.ifPresent(m -> query.setParameter("machine", m));
        verdict.ifPresent(v -> query.setParameter("verdict", v));
        after.ifPresent(b -> query.setParameter("at", b.getKey()).setParameter("id", b.getValue()));
        return query.setMaxResults(limit).getResultList();
    }

    /**
     * Forgets decision records older than {@code olderThan}, and the state and pause switches of clusters the
     * inventory no longer has. Returns the decision records removed.
     */
    @Transactional
    public int purge(Instant olderThan) {
        int removed = entityManager
                .createNativeQuery("DELETE FROM healing_decisions WHERE decided_at < ?1")
                .setParameter(1, olderThan)
                .executeUpdate();
        entityManager
                .createNativeQuery("DELETE FROM healing_cluster_state s WHERE NOT EXISTS"
                        + " (SELECT 1 FROM managed_clusters c WHERE c.name = s.cluster_name)"
                        + " AND (s.lease_until IS NULL OR s.lease_until < now())")
                .executeUpdate();
        entityManager
                .createNativeQuery("DELETE FROM healing_pauses p WHERE NOT EXISTS"
                        + " (SELECT 1 FROM managed_clusters c WHERE c.name = p.cluster_name)")
                .executeUpdate();
        return removed;
    }

    private static ReplacementOutcome outcome(String wire) {
        return switch (wire) {
            case HealingReplacement.SUCCEEDED -> ReplacementOutcome.SUCCEEDED;
            case HealingReplacement.FAILED -> ReplacementOutcome.FAILED;
            default -> ReplacementOutcome.IN_PROGRESS;
        };
    }

    /** The inputs, the budget state and the evidence, as plain values (the jsonb column keeps no Optionals). */
    public static Map<String, Object> details(HealingDecision decision) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("clusterUnhealthy", decision.inputs().clusterUnhealthy());
        details.put("clusterDesired", decision.inputs().clusterDesired());
        decision.inputs().pool().ifPresent(p -> {
            Map<String, Object> pool = new LinkedHashMap<>();
            pool.put("desired", p.desired());
            pool.put("machines", p.machines());
            pool.put("healthy", p.healthy());
            pool.put("unhealthy", p.unhealthy());
            pool.put("failed", p.failed());
            pool.put("stuckProvisioning", p.stuckProvisioning());
            pool.put("provisioning", p.provisioning());
            pool.put("deleting", p.deleting());
            pool.put("missing", p.missing());
            details.put("pool", pool);
        });
        decision.inputs().node().ifPresent(n -> details.put("node", n.toString()));
        decision.budget().ifPresent(b -> {
            Map<String, Object> budget = new LinkedHashMap<>();
            budget.put("poolInFlight", b.poolInFlight());
            budget.put("poolMaxConcurrent", b.poolMaxConcurrent());
            budget.put("poolLastHour", b.poolLastHour());
            budget.put("poolMaxPerHour", b.poolMaxPerHour());
            budget.put("clusterLastHour", b.clusterLastHour());
            budget.put("clusterMaxPerHour", b.clusterMaxPerHour());
            budget.put("fleetKey", b.fleetKey());
            budget.put("fleetLastHour", b.fleetLastHour());
            budget.put("fleetMaxPerHour", b.fleetMaxPerHour());
            details.put("budget", budget);
        });
        decision.evidence().ifPresent(e -> details.put("evidence", evidence(e)));
        return details;
    }

    private static Map<String, Object> evidence(Evidence e) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("machine", e.machine());
        e.node().ifPresent(n -> evidence.put("node", n));
        evidence.put("phase", e.phase().name());
        evidence.put("machineCreatedAt", e.machineCreatedAt().toString());
        e.deletingSince().ifPresent(d -> evidence.put("deletingSince", d.toString()));
        e.machineMessage().ifPresent(m -> evidence.put("machineMessage", m));
        evidence.put("health", e.health());
        evidence.put(
                "conditions",
                e.conditions().stream().map(HealingStore::condition).toList());
        evidence.put(
                "recentEvents",
                e.recentEvents().stream().map(HealingStore::event).toList());
        return evidence;
    }

    private static Map<String, Object> condition(NodeCondition c) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("type", c.type());
        map.put("status", c.status().wireName());
        map.put("since", c.since().toString());
        map.put("reason", c.reason());
        map.put("message", c.message());
        return map;
    }

    private static Map<String, Object> event(NodeEvent e) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("at", e.at().toString());
        map.put("type", e.type());
        map.put("reason", e.reason());
        map.put("message", e.message());
        return map;
    }
}
