package dev.kubeyard.nodepool.record;

import dev.kubeyard.nodepool.healing.Evidence;
import dev.kubeyard.nodepool.healing.FleetBudget;
import dev.kubeyard.nodepool.healing.HealingDecision;
import dev.kubeyard.nodepool.healing.HealingHistory;
import dev.kubeyard.nodepool.healing.HealingHistory.PastReplacement;
import dev.kubeyard.nodepool.healing.HealingHistory.ReplacementOutcome;
import dev.kubeyard.nodepool.healing.HealingPlan;
import dev.kubeyard.nodepool.healing.NodeCondition;
import dev.kubeyard.nodepool.healing.NodeEvent;
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
public class HealingStore {

    /** How far back a cluster's history reaches: the hourly budgets and the back-off need no more. */
    static final Duration HISTORY = Duration.ofHours(24);

    @Inject
    EntityManager entityManager;

    /**
     * Claims the replacement of the machine. Exactly one caller, across every replica, gets true for a given cluster
     * and machine; it alone may delete the machine.
     */
    @Transactional
    public boolean claim(String cluster, String pool, String machine, String fleetKey, Instant now) {
        int inserted = entityManager
                .createNativeQuery("INSERT INTO healing_replacements (id, cluster_name, pool, machine, fleet_key,"
                        + " requested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                        + " ON CONFLICT ON CONSTRAINT healing_replacements_once DO NOTHING")
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
        return entityManager
                .createQuery(
                        "from HealingReplacement r where r.cluster = :cluster and r.machine = :machine",
                        HealingReplacement.class)
                .setParameter("cluster", cluster)
                .setParameter("machine", machine)
                .getResultStream()
                .findFirst()
                .map(r -> r.settle(succeeded, at))
                .orElse(false);
    }

    /** Records every decision of the plan. */
    @Transactional
    public void record(HealingPlan plan) {
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

    /** The cluster's replacements of the last day, oldest first, for the planner. */
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
        return new HealingHistory(replacements, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The fleet budget of this moment: replacements asked for in the last hour, per provider or region. */
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
        return entityManager
                .createQuery(
                        "from HealingDecisionRecord d where d.cluster = :cluster order by d.decidedAt desc",
                        HealingDecisionRecord.class)
                .setParameter("cluster", cluster)
                .setMaxResults(limit)
                .getResultList();
    }

    private static ReplacementOutcome outcome(String wire) {
        return switch (wire) {
            case HealingReplacement.SUCCEEDED -> ReplacementOutcome.SUCCEEDED;
            case HealingReplacement.FAILED -> ReplacementOutcome.FAILED;
            default -> ReplacementOutcome.IN_PROGRESS;
        };
    }

    /** The inputs, the budget state and the evidence, as plain values (the jsonb column keeps no Optionals). */
    static Map<String, Object> details(HealingDecision decision) {
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
