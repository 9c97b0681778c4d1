package dev.kubeyard.health.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.health.alert.AlertAction;
import dev.kubeyard.health.alert.OpenAlert;
import dev.kubeyard.health.check.CheckId;
import dev.kubeyard.health.check.CheckStatus;
import dev.kubeyard.health.check.TrackedCheck;
import dev.kubeyard.health.check.Transition;
import dev.kubeyard.health.notify.AlertOutbox;
import dev.kubeyard.health.notify.DeliveryKind;
import dev.kubeyard.inventory.json.InventoryJsonFormatMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster health in PostgreSQL: each cluster's tracked checks (one row, one document), the history of transitions,
 * and alerts with their outbox. {@link #lock} serialises the recording of one cluster across replicas and threads
 * (a sweep and an on-demand check of the same cluster), so that an alert is opened once.
 */
@ApplicationScoped
public class HealthStore {

    private static final ObjectMapper JSON = InventoryJsonFormatMapper.objectMapper();
    private static final TypeReference<List<TrackedCheck>> CHECKS = new TypeReference<>() {};
    private static final TypeReference<List<CheckId>> CHECK_IDS = new TypeReference<>() {};

    @Inject
    EntityManager em;

    @Inject
    AlertOutbox outbox;

    /** One cluster's stored health. */
    public record ClusterState(
            String cluster,
            CheckStatus status,
            List<TrackedCheck> checks,
            Instant checkedAt,
            Optional<Instant> advancedAt,
            int probeMillis) {}

    /** Holds the cluster's recording lock until the transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(String cluster) {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, "kubeyard-health:" + cluster)
                .getSingleResult();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ClusterState> state(String cluster) {
        List<?> rows = em.createNativeQuery(
                        "SELECT cluster_name, status, CAST(checks AS text), checked_at, advanced_at,"
                                + " probe_millis FROM health_cluster_state WHERE cluster_name = ?1")
                .setParameter(1, cluster)
                .getResultList();
        return rows.stream().map(r -> toState((Object[]) r)).findFirst();
    }

    /** A cluster's status and the names of its checks by status: the fleet view's row, without the documents. */
    public record Summary(
            String cluster,
            CheckStatus status,
            Instant checkedAt,
            List<CheckId> failing,
            List<CheckId> warning,
            List<CheckId> unknown) {}

    /**
     * Every cluster's summary, the check names picked out of the stored documents by PostgreSQL: the fleet view is read
     * on every refresh of every console, and the documents (figures, findings) are not its to parse.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Summary> summaries() {
        List<Summary> out = new ArrayList<>();
        for (Object row : em.createNativeQuery("SELECT cluster_name, status, checked_at,"
                        + " CAST(jsonb_path_query_array(checks, '$[*] ? (@.status == \"FAIL\").check') AS text),"
                        + " CAST(jsonb_path_query_array(checks, '$[*] ? (@.status == \"WARN\").check') AS text),"
                        + " CAST(jsonb_path_query_array(checks, '$[*] ? (@.status == \"UNKNOWN\").check') AS text)"
                        + " FROM health_cluster_state")
                .getResultList()) {
            Object[] r = (Object[]) row;
            out.add(new Summary(
                    (String) r[0],
                    CheckStatus.fromWireName((String) r[1]),
                    instant(r[2]),
                    checkIds((String) r[3]),
                    checkIds((String) r[4]),
                    checkIds((String) r[5])));
        }
        return out;
    }

    private static List<CheckId> checkIds(String jsonArray) {
        try {
            return JSON.readValue(jsonArray, CHECK_IDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored cluster health cannot be read", e);
        }
    }

    /** Each cluster's status, without its checks. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, CheckStatus> statuses() {
        Map<String, CheckStatus> out = new HashMap<>();
        for (Object row : em.createNativeQuery("SELECT cluster_name, status FROM health_cluster_state")
                .getResultList()) {
            Object[] r = (Object[]) row;
            out.put((String) r[0], CheckStatus.fromWireName((String) r[1]));
        }
        return out;
    }

    /** When each cluster's advanced checks last ran. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Instant> advancedTimes() {
        Map<String, Instant> out = new HashMap<>();
        for (Object row : em.createNativeQuery(
                        "SELECT cluster_name, advanced_at FROM health_cluster_state WHERE advanced_at IS NOT NULL")
                .getResultList()) {
            Object[] r = (Object[]) row;
            out.put((String) r[0], instant(r[1]));
        }
        return out;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> trackedClusters() {
        List<String> names = new ArrayList<>();
        for (Object name : em.createNativeQuery("SELECT cluster_name FROM health_cluster_state")
                .getResultList()) {
            names.add((String) name);
        }
        return names;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void write(
            String cluster, CheckStatus status, List<TrackedCheck> checks, Instant now, boolean advanced, long millis) {
        em.createNativeQuery("INSERT INTO health_cluster_state (cluster_name, status, checks, checked_at, advanced_at,"
                        + " probe_millis) VALUES (?1, ?2, CAST(?3 AS jsonb), ?4, ?5, ?6)"
                        + " ON CONFLICT (cluster_name) DO UPDATE SET status = EXCLUDED.status, checks = EXCLUDED.checks,"
                        + " checked_at = EXCLUDED.checked_at,"
                        + " advanced_at = COALESCE(EXCLUDED.advanced_at, health_cluster_state.advanced_at),"
                        + " probe_millis = EXCLUDED.probe_millis")
                .setParameter(1, cluster)
                .setParameter(2, status.wireName())
                .setParameter(3, json(checks))
                .setParameter(4, Timestamp.from(now))
                .setParameter(5, advanced ? Timestamp.from(now) : null)
                .setParameter(6, (int) Math.min(Integer.MAX_VALUE, millis))
                .executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void addTransitions(String cluster, List<Transition> transitions) {
        for (Transition t : transitions) {
            em.createNativeQuery("INSERT INTO health_check_transitions (cluster_name, check_name, subject, from_status,"
                            + " to_status, reason, message, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                    .setParameter(1, cluster)
                    .setParameter(2, t.check().wireName())
                    .setParameter(3, t.subject())
                    .setParameter(4, t.from() == null ? null : t.from().wireName())
                    .setParameter(5, t.to().wireName())
                    .setParameter(6, t.reason())
                    .setParameter(7, t.message())
                    .setParameter(8, Timestamp.from(t.at()))
                    .executeUpdate();
        }
    }

    /** One line of a cluster's health history. */
    public record TransitionRow(
            long id,
            String cluster,
            String check,
            String subject,
            String from,
            String to,
            String reason,
            String message,
            Instant at) {}

    /** The cluster's history, newest first; {@code check} narrows it to one check, {@code before} pages it. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<TransitionRow> transitions(String cluster, Optional<CheckId> check, Optional<Long> before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, cluster_name, check_name, subject, from_status, to_status,"
                + " reason, message, at FROM health_check_transitions WHERE cluster_name = :cluster");
        if (check.isPresent()) {
            sql.append(" AND check_name = :check");
        }
        if (before.isPresent()) {
            sql.append(" AND id < :before");
        }
        sql.append(" ORDER BY id DESC LIMIT :limit");
        var query = em.createNativeQuery(sql.toString())
                .setParameter("cluster", cluster)
                .setParameter("limit", limit);
        check.ifPresent(c -> query.setParameter("check", c.wireName()));
        before.ifPresent(b -> query.setParameter("before", b));
        List<TransitionRow> out = new ArrayList<>();
        for (Object row : query.getResultList()) {
            Object[] r = (Object[]) row;
            out.add(new TransitionRow(
                    ((Number) r[0]).longValue(),
                    (String) r[1],
                    (String) r[2],
                    (String) r[3],
                    (String) r[4],
                    (String) r[5],
                    (String) r[6],
                    (String) r[7],
                    instant(r[8])));
        }
        return out;
    }

    // ---- alerts ----------------------------------------------------------------------------------------------

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AlertRecord> firing(String cluster) {
        return em.createQuery(
                        "from AlertRecord a where a.cluster = :c and a.state = 'Firing' order by a.id",
                        AlertRecord.class)
                .setParameter("c", cluster)
                .getResultList();
    }

    public static List<OpenAlert> open(List<AlertRecord> firing) {
        return firing.stream()
                .map(a -> new OpenAlert(a.getId(), a.getFingerprint(), a.getRule(), a.getSummary(), a.getDescription()))
                .toList();
    }

    /** What applying the planner's actions did. */
    public record Applied(List<AlertRecord> opened, List<AlertRecord> resolved) {}

    /** Carries out the alert planner's actions, queueing their notifications in the same transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Applied apply(String cluster, String team, List<AlertAction> actions, Instant now) {
        List<AlertRecord> opened = new ArrayList<>();
        List<AlertRecord> resolved = new ArrayList<>();
        for (AlertAction action : actions) {
            switch (action) {
                case AlertAction.Open open -> {
                    AlertRecord alert = new AlertRecord(
                            open.fingerprint(),
                            open.rule().name(),
                            open.rule().severity(),
                            cluster,
                            team,
                            open.check().wireName(),
                            open.subject(),
                            open.summary(),
                            open.description(),
                            open.labels(),
                            open.activeSince(),
                            now);
                    em.persist(alert);
                    em.flush();
                    outbox.enqueue(alert, DeliveryKind.FIRING, now);
                    opened.add(alert);
                }
                case AlertAction.Resolve resolve -> {
                    AlertRecord alert = em.find(AlertRecord.class, resolve.alertId());
                    if (alert != null && alert.isFiring()) {
                        alert.resolve(resolve.why(), now);
                        outbox.enqueue(alert, DeliveryKind.RESOLVED, now);
                        resolved.add(alert);
                    }
                }
                case AlertAction.Describe describe -> {
                    AlertRecord alert = em.find(AlertRecord.class, describe.alertId());
                    if (alert != null && alert.isFiring()) {
                        alert.describe(describe.summary(), describe.description(), now);
                    }
                }
            }
        }
        return new Applied(opened, resolved);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void forget(String cluster) {
        em.createNativeQuery("DELETE FROM health_cluster_state WHERE cluster_name = ?1")
                .setParameter(1, cluster)
                .executeUpdate();
    }

    /** Drops history and resolved alerts older than the retention. */
    @Transactional
    public int purge(Instant before) {
        int transitions = em.createNativeQuery("DELETE FROM health_check_transitions WHERE at < ?1")
                .setParameter(1, Timestamp.from(before))
                .executeUpdate();
        int alerts = em.createNativeQuery("DELETE FROM health_alerts WHERE state = 'Resolved' AND resolved_at < ?1")
                .setParameter(1, Timestamp.from(before))
                .executeUpdate();
        return transitions + alerts;
    }

    /** A filter of the alert list. */
    public record AlertQuery(
            Optional<String> state,
            Optional<List<String>> clusters,
            Optional<String> severity,
            Optional<String> rule,
            Optional<Long> before,
            int limit) {}

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AlertRecord> alerts(AlertQuery q) {
        StringBuilder jpql = new StringBuilder("from AlertRecord a where 1 = 1");
        q.state().ifPresent(s -> jpql.append(" and a.state = :state"));
        q.clusters().ifPresent(c -> jpql.append(" and a.cluster in :clusters"));
        q.severity().ifPresent(s -> jpql.append(" and a.severity = :severity"));
        q.rule().ifPresent(r -> jpql.append(" and a.rule = :rule"));
        q.before().ifPresent(b -> jpql.append(" and a.id < :before"));
        jpql.append(" order by a.id desc");
        var query = em.createQuery(jpql.toString(), AlertRecord.class).setMaxResults(q.limit());
        q.state().ifPresent(s -> query.setParameter("state", s));
        q.clusters().ifPresent(c -> query.setParameter("clusters", c));
        q.severity().ifPresent(s -> query.setParameter("severity", s));
        q.rule().ifPresent(r -> query.setParameter("rule", r));
        q.before().ifPresent(b -> query.setParameter("before", b));
        return query.getResultList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<AlertRecord> alert(long id) {
        return Optional.ofNullable(em.find(AlertRecord.class, id));
    }

    /** Firing alerts counted by rule and severity, for the gauges. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<List<String>, Long> firingCounts() {
        Map<List<String>, Long> out = new HashMap<>();
        for (Object row : em.createNativeQuery(
                        "SELECT rule, severity, count(*) FROM health_alerts WHERE state = 'Firing' GROUP BY rule, severity")
                .getResultList()) {
            Object[] r = (Object[]) row;
            out.put(List.of((String) r[0], (String) r[1]), ((Number) r[2]).longValue());
        }
        return out;
    }

    /** Firing alerts by cluster, for the fleet view. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Long> firingByCluster() {
        Map<String, Long> out = new HashMap<>();
        for (Object row : em.createNativeQuery(
                        "SELECT cluster_name, count(*) FROM health_alerts WHERE state = 'Firing' GROUP BY cluster_name")
                .getResultList()) {
            Object[] r = (Object[]) row;
            out.put((String) r[0], ((Number) r[1]).longValue());
        }
        return out;
    }

    private static ClusterState toState(Object[] r) {
        return new ClusterState(
                (String) r[0],
                CheckStatus.fromWireName((String) r[1]),
                parse((String) r[2]),
                instant(r[3]),
                Optional.ofNullable(r[4]).map(HealthStore::instant),
                ((Number) r[5]).intValue());
    }

    private static List<TrackedCheck> parse(String json) {
        try {
            return JSON.readValue(json, CHECKS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored cluster health cannot be read", e);
        }
    }

    private static String json(List<TrackedCheck> checks) {
        try {
            return JSON.writeValueAsString(checks);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cluster health cannot be written", e);
        }
    }

    private static Instant instant(Object value) {
        return switch (value) {
            case Instant i -> i;
            case Timestamp t -> t.toInstant();
            case java.time.OffsetDateTime o -> o.toInstant();
            default -> throw new IllegalStateException("not a time: " + value);
        };
    }
}
