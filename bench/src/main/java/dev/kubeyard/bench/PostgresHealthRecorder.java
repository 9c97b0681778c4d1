package dev.kubeyard.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.health.alert.AlertAction;
import dev.kubeyard.health.alert.AlertState;
import dev.kubeyard.health.alert.OpenAlert;
import dev.kubeyard.health.check.CheckStatus;
import dev.kubeyard.health.check.HealthTracker;
import dev.kubeyard.health.check.Observation;
import dev.kubeyard.health.check.Observation.ClusterFacts;
import dev.kubeyard.health.check.TrackedCheck;
import dev.kubeyard.health.check.Transition;
import dev.kubeyard.inventory.json.InventoryJsonFormatMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The recording step against a real PostgreSQL 17 (zonky's embedded binaries, the production major), its schema made
 * by Flyway from the application's migrations. Each cluster is recorded in one transaction with the statements
 * {@code HealthService.record} makes through {@code HealthStore}, in its order: the advisory lock, the state read (the
 * JSON document parsed), the upsert of the new document, one insert per transition, the firing alerts read, and the
 * alert planner's inserts and updates. Plain JDBC on a fixed pool of connections ({@code quarkus.datasource.jdbc.max-size}
 * defaults to 20), not Hibernate through Agroal: Hibernate's own cost (JPQL, entity snapshots and dirty checks) is not
 * in the figures. No receivers are configured, so no delivery rows are queued.
 */
final class PostgresHealthRecorder implements HealthRecorder {

    private static final ObjectMapper JSON = InventoryJsonFormatMapper.objectMapper();
    private static final TypeReference<List<TrackedCheck>> CHECKS = new TypeReference<>() {};
    private static final Duration HISTORY_RETENTION = Duration.ofDays(14);

    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext(?))";
    private static final String STATE = "SELECT cluster_name, status, CAST(checks AS text), checked_at, advanced_at,"
            + " probe_millis FROM health_cluster_state WHERE cluster_name = ?";
    private static final String WRITE = "INSERT INTO health_cluster_state (cluster_name, status, checks, checked_at,"
            + " advanced_at, probe_millis) VALUES (?, ?, CAST(? AS jsonb), ?, ?, ?)"
            + " ON CONFLICT (cluster_name) DO UPDATE SET status = EXCLUDED.status, checks = EXCLUDED.checks,"
            + " checked_at = EXCLUDED.checked_at,"
            + " advanced_at = COALESCE(EXCLUDED.advanced_at, health_cluster_state.advanced_at),"
            + " probe_millis = EXCLUDED.probe_millis";
    private static final String TRANSITION = "INSERT INTO health_check_transitions (cluster_name, check_name, subject,"
            + " from_status, to_status, reason, message, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    /** The JPQL {@code from AlertRecord a where a.cluster = :c and a.state = 'Firing' order by a.id}: every column. */
    private static final String FIRING =
            "SELECT id, fingerprint, rule, severity, cluster_name, team, check_name, subject,"
                    + " state, summary, description, CAST(labels AS text), active_since, started_at, updated_at, resolved_at,"
                    + " refreshed_at FROM health_alerts WHERE cluster_name = ? AND state = 'Firing' ORDER BY id";

    private static final String OPEN = "INSERT INTO health_alerts (fingerprint, rule, severity, cluster_name, team,"
            + " check_name, subject, state, summary, description, labels, active_since, started_at, updated_at,"
            + " resolved_at, refreshed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, NULL, ?)"
            + " RETURNING id";
    /** Hibernate's update of a changed AlertRecord at commit: every updatable column. */
    private static final String UPDATE_ALERT = "UPDATE health_alerts SET severity = ?, state = ?, summary = ?,"
            + " description = ?, labels = CAST(? AS jsonb), updated_at = ?, resolved_at = ?, refreshed_at = ?"
            + " WHERE id = ?";

    private final EmbeddedPostgres postgres;
    private final BlockingQueue<Connection> pool;
    private final List<Connection> all = new ArrayList<>();
    private final int poolSize;
    private final Duration startTime;
    private final Duration migrateTime;
    private final String settings;
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

    private PostgresHealthRecorder(EmbeddedPostgres postgres, int poolSize, Duration startTime, Duration migrateTime)
            throws SQLException {
        this.postgres = postgres;
        this.poolSize = poolSize;
        this.startTime = startTime;
        this.migrateTime = migrateTime;
        this.pool = new ArrayBlockingQueue<>(poolSize);
        for (int i = 0; i < poolSize; i++) {
            Connection c = connect();
            c.setAutoCommit(false);
            all.add(c);
            pool.add(c);
        }
        try (Connection c = connect();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT current_setting('server_version'), current_setting('fsync'),"
                        + " current_setting('synchronous_commit'), current_setting('full_page_writes'),"
                        + " current_setting('shared_buffers')")) {
            r.next();
            settings = "PostgreSQL " + r.getString(1) + " (fsync " + r.getString(2) + ", synchronous_commit "
                    + r.getString(3) + ", full_page_writes " + r.getString(4) + ", shared_buffers " + r.getString(5)
                    + ")";
        }
    }

    /**
     * Starts the server in {@code dataDir} (emptied first), migrates it, and opens {@code poolSize} connections.
     *
     * @param durable PostgreSQL's own defaults (fsync, synchronous_commit and full_page_writes on), as in production;
     *     else zonky's test settings (all three off)
     */
    static PostgresHealthRecorder start(Path dataDir, int poolSize, boolean durable) throws IOException, SQLException {
        EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, durable);
        return new PostgresHealthRecorder(db.postgres(), poolSize, db.startTime(), db.migrateTime());
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
    }

    /** The postmaster and its children (backends, background workers) alive now: their CPU is the database's. */
    Duration cpuTime() {
        Optional<ProcessHandle> postmaster = postmaster();
        if (postmaster.isEmpty()) {
            return Duration.ZERO;
        }
        Duration sum = postmaster.get().info().totalCpuDuration().orElse(Duration.ZERO);
        for (ProcessHandle child : postmaster.get().descendants().toList()) {
            sum = sum.plus(child.info().totalCpuDuration().orElse(Duration.ZERO));
        }
        return sum;
    }

    private volatile ProcessHandle postmasterHandle;

    private Optional<ProcessHandle> postmaster() {
        if (postmasterHandle == null) {
            Connection c = pool.poll();
            if (c == null) {
                return Optional.empty();
            }
            try (Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
                r.next();
                postmasterHandle = ProcessHandle.of(r.getLong(1))
                        .flatMap(ProcessHandle::parent)
                        .orElse(null);
                c.commit();
            } catch (SQLException e) {
                return Optional.empty();
            } finally {
                pool.add(c);
            }
        }
        return Optional.ofNullable(postmasterHandle);
    }

    @Override
    public String describe() {
        return settings + ", embedded (zonky), started in " + HealingSweepBench.time(startTime)
                + ", migrated by Flyway in " + HealingSweepBench.time(migrateTime) + "; " + poolSize
                + " pooled JDBC connections";
    }

    private void count(String what) {
        calls.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    @Override
    public Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** One transaction on a pooled connection; returns the result and the wait for the connection. */
    private <T> T inTransaction(Work<T> work, long[] waited) {
        long t0 = System.nanoTime();
        Connection c;
        try {
            c = pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a connection", e);
        }
        if (waited != null) {
            waited[0] = System.nanoTime() - t0;
        }
        try {
            T out = work.run(c);
            c.commit();
            count("commit");
            return out;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; the next use fails too
            }
            throw new IllegalStateException("recording failed: " + e.getMessage(), e);
        } finally {
            pool.add(c);
        }
    }

    @Override
    public Map<String, Instant> advancedTimes() {
        return inTransaction(
                c -> {
                    Map<String, Instant> out = new HashMap<>();
                    try (Statement s = c.createStatement();
                            ResultSet r = s.executeQuery("SELECT cluster_name, advanced_at FROM health_cluster_state"
                                    + " WHERE advanced_at IS NOT NULL")) {
                        while (r.next()) {
                            out.put(r.getString(1), r.getTimestamp(2).toInstant());
                        }
                    }
                    count("select advanced times");
                    return out;
                },
                null);
    }

    @Override
    public Recorded record(ClusterFacts facts, Observation observation, long probeMillis) {
        long[] waited = new long[1];
        Recorded r = inTransaction(c -> recordIn(c, facts, observation, probeMillis), waited);
        return r.withWait(waited[0]);
    }

    private Recorded recordIn(Connection c, ClusterFacts facts, Observation observation, long probeMillis)
            throws SQLException {
        String name = facts.name();
        try (PreparedStatement lock = c.prepareStatement(LOCK)) {
            lock.setString(1, "kubeyard-health:" + name);
            lock.executeQuery().close();
            count("lock");
        }
        Instant now = Instant.now();
        List<TrackedCheck> previous = List.of();
        try (PreparedStatement state = c.prepareStatement(STATE)) {
            state.setString(1, name);
            try (ResultSet r = state.executeQuery()) {
                if (r.next()) {
                    previous = parse(r.getString(3));
                }
            }
            count("select state");
        }
        HealthTracker.Tracked tracked = Steps.track(observation, previous, now);
        try (PreparedStatement write = c.prepareStatement(WRITE)) {
            write.setString(1, name);
            write.setString(2, tracked.status().wireName());
            write.setString(3, json(tracked.checks()));
            write.setTimestamp(4, Timestamp.from(now));
            write.setTimestamp(5, observation.advanced() ? Timestamp.from(now) : null);
            write.setInt(6, (int) Math.min(Integer.MAX_VALUE, probeMillis));
            write.executeUpdate();
            count("upsert state");
        }
        for (Transition t : tracked.transitions()) {
            try (PreparedStatement insert = c.prepareStatement(TRANSITION)) {
                insert.setString(1, name);
                insert.setString(2, t.check().wireName());
                insert.setString(3, t.subject());
                insert.setString(4, t.from() == null ? null : t.from().wireName());
                insert.setString(5, t.to().wireName());
                insert.setString(6, t.reason());
                insert.setString(7, t.message());
                insert.setTimestamp(8, Timestamp.from(t.at()));
                insert.executeUpdate();
                count("insert transition");
            }
        }
        Map<Long, AlertRow> firing = new HashMap<>();
        List<OpenAlert> open = new ArrayList<>();
        try (PreparedStatement select = c.prepareStatement(FIRING)) {
            select.setString(1, name);
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    AlertRow a = new AlertRow(
                            r.getLong(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getString(10),
                            r.getString(11),
                            r.getString(12),
                            r.getTimestamp(17));
                    firing.put(a.id(), a);
                    open.add(new OpenAlert(a.id(), a.fingerprint(), a.rule(), a.summary(), a.description()));
                }
            }
            count("select firing");
        }
        int opened = 0;
        int resolved = 0;
        for (AlertAction action : Steps.plan(facts, tracked, open, now)) {
            switch (action) {
                case AlertAction.Open o -> {
                    try (PreparedStatement insert = c.prepareStatement(OPEN)) {
                        insert.setString(1, o.fingerprint());
                        insert.setString(2, o.rule().name());
                        insert.setString(3, o.rule().severity().wireName());
                        insert.setString(4, name);
                        insert.setString(5, facts.team());
                        insert.setString(6, o.check().wireName());
                        insert.setString(7, o.subject() == null ? "" : o.subject());
                        insert.setString(8, AlertState.FIRING.wireName());
                        insert.setString(9, o.summary());
                        insert.setString(10, o.description());
                        insert.setString(11, jsonOf(o.labels()));
                        insert.setTimestamp(12, Timestamp.from(o.activeSince()));
                        insert.setTimestamp(13, Timestamp.from(now));
                        insert.setTimestamp(14, Timestamp.from(now));
                        insert.setTimestamp(15, Timestamp.from(now));
                        insert.executeQuery().close();
                        count("insert alert");
                    }
                    opened++;
                }
                case AlertAction.Resolve r -> {
                    AlertRow a = firing.get(r.alertId());
                    if (a != null) {
                        String description = r.why() == null || r.why().isBlank()
                                ? a.description()
                                : a.description() + " Resolved: " + r.why();
                        update(c, a, AlertState.RESOLVED.wireName(), a.summary(), description, now, now);
                        resolved++;
                    }
                }
                case AlertAction.Describe d -> {
                    AlertRow a = firing.get(d.alertId());
                    if (a != null
                            && !(a.summary().equals(d.summary())
                                    && a.description().equals(d.description()))) {
                        update(c, a, a.state(), d.summary(), d.description(), now, null);
                    }
                }
            }
        }
        TrackedCheck api = HealthRecorder.apiCheck(tracked.checks());
        return new Recorded(
                tracked.status(),
                api == null ? CheckStatus.UNKNOWN : api.status(),
                api == null ? "" : api.reason(),
                tracked.transitions().size(),
                opened,
                resolved,
                0,
                HealthRecorder.notPassing(tracked.checks()));
    }

    private void update(
            Connection c, AlertRow a, String state, String summary, String description, Instant now, Instant resolvedAt)
            throws SQLException {
        try (PreparedStatement u = c.prepareStatement(UPDATE_ALERT)) {
            u.setString(1, a.severity());
            u.setString(2, state);
            u.setString(3, summary);
            u.setString(4, description);
            u.setString(5, a.labels());
            u.setTimestamp(6, Timestamp.from(now));
            u.setTimestamp(7, resolvedAt == null ? null : Timestamp.from(resolvedAt));
            u.setTimestamp(8, a.refreshedAt());
            u.setLong(9, a.id());
            u.executeUpdate();
            count("update alert");
        }
    }

    /** The columns of a firing alert the recording needs (the state is Firing by the query). */
    private record AlertRow(
            long id,
            String fingerprint,
            String rule,
            String severity,
            String summary,
            String description,
            String labels,
            Timestamp refreshedAt) {
        String state() {
            return AlertState.FIRING.wireName();
        }
    }

    @Override
    public void afterSweep(Set<String> live, Instant now) {
        List<String> tracked = inTransaction(
                c -> {
                    List<String> names = new ArrayList<>();
                    try (Statement s = c.createStatement();
                            ResultSet r = s.executeQuery("SELECT cluster_name FROM health_cluster_state")) {
                        while (r.next()) {
                            names.add(r.getString(1));
                        }
                    }
                    count("select tracked");
                    return names;
                },
                null);
        if (!live.containsAll(tracked)) {
            throw new IllegalStateException("the bench's inventory never loses a cluster");
        }
        inTransaction(
                c -> {
                    Timestamp before = Timestamp.from(now.minus(HISTORY_RETENTION));
                    try (PreparedStatement t = c.prepareStatement("DELETE FROM health_check_transitions WHERE at < ?");
                            PreparedStatement a = c.prepareStatement(
                                    "DELETE FROM health_alerts WHERE state = 'Resolved' AND resolved_at < ?")) {
                        t.setTimestamp(1, before);
                        t.executeUpdate();
                        a.setTimestamp(1, before);
                        a.executeUpdate();
                    }
                    count("purge");
                    return null;
                },
                null);
        inTransaction(
                c -> {
                    try (Statement s = c.createStatement()) {
                        try (ResultSet r = s.executeQuery("SELECT cluster_name, status FROM health_cluster_state")) {
                            while (r.next()) {
                                CheckStatus.fromWireName(r.getString(2));
                            }
                        }
                        count("select statuses");
                        firingCounts(s);
                    }
                    return null;
                },
                null);
    }

    private Map<String, Long> firingCounts(Statement s) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (ResultSet r = s.executeQuery(
                "SELECT rule, severity, count(*) FROM health_alerts WHERE state = 'Firing' GROUP BY rule, severity")) {
            while (r.next()) {
                out.merge(r.getString(1), r.getLong(3), Long::sum);
            }
        }
        count("select firing counts");
        return out;
    }

    @Override
    public Map<String, Long> firingByRule() {
        return inTransaction(
                c -> {
                    try (Statement s = c.createStatement()) {
                        return firingCounts(s);
                    }
                },
                null);
    }

    private static List<TrackedCheck> parse(String json) {
        try {
            return JSON.readValue(json, CHECKS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored cluster health cannot be read", e);
        }
    }

    private static String json(List<TrackedCheck> checks) {
        return jsonOf(checks);
    }

    private static String jsonOf(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot be written as JSON", e);
        }
    }

    @Override
    public void close() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded PostgreSQL did not stop", e);
        }
    }
}
