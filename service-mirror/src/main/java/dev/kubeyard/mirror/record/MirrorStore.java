package dev.kubeyard.mirror.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.mirror.plan.MirrorInput.Condition;
import dev.kubeyard.mirror.plan.MirrorInput.EndpointSet;
import dev.kubeyard.mirror.plan.MirrorInput.Export;
import dev.kubeyard.mirror.plan.MirrorInput.Port;
import dev.kubeyard.mirror.plan.MirrorInput.ServiceType;
import dev.kubeyard.mirror.plan.MirrorPlan.ExportState;
import dev.kubeyard.mirror.plan.MirrorPlan.Refusal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The mirror's reads and writes of PostgreSQL (migration V10): the sets with their members, each set's lease, the
 * members' last sighting, and each export as last planned (definition, state). Plain JDBC on the application's
 * pool, so the benchmark and the ITs drive it without Quarkus.
 */
public final class MirrorStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    public MirrorStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A member cluster of a set, as the inventory and the set know it. */
    public record Member(
            String cluster,
            String managementId,
            String phase,
            boolean deleting,
            Instant joinedAt,
            Optional<Instant> leftAt,
            Optional<Instant> lastSeen) {
        public boolean active() {
            return leftAt.isEmpty();
        }
    }

    /** A set with its members (former ones included while they still have a row). */
    public record SetRow(
            long id,
            String name,
            boolean createNamespaces,
            boolean deleting,
            Optional<Instant> sweepRequestedAt,
            Optional<Instant> sweptAt,
            List<Member> members) {}

    /** An export as recorded: its definition, and how it was made. */
    public record Recorded(String cluster, String via, Export export) {}

    /** An export to record: what the cluster showed and the plan's state of it. */
    public record ExportRecord(String cluster, String via, Export export, ExportState state) {}

    /**
     * The sets with their members.
     *
     * @param clusterLabels when not empty, only sets with members all of whose clusters carry these Kubeyard labels
     *     (tests keep the mirror to their own clusters)
     */
    public List<SetRow> sets(Map<String, String> clusterLabels) {
        String only = clusterLabels.isEmpty()
                ? ""
                : " WHERE (EXISTS (SELECT 1 FROM mirror_set_members x WHERE x.set_id = s.id)"
                        + " OR s.deleting_since IS NOT NULL)"
                        + " AND NOT EXISTS (SELECT 1 FROM mirror_set_members x JOIN managed_clusters y"
                        + " ON y.id = x.cluster_id WHERE x.set_id = s.id AND NOT y.labels @> CAST(? AS jsonb))";
        String sql = "SELECT s.id, s.name, s.create_namespaces, s.deleting_since IS NOT NULL, s.sweep_requested_at,"
                + " s.swept_at, c.name, c.rancher_management_id, c.phase, c.deletion_requested_at IS NOT NULL,"
                + " m.joined_at, m.left_at, m.last_seen"
                + " FROM mirror_sets s LEFT JOIN mirror_set_members m ON m.set_id = s.id"
                + " LEFT JOIN managed_clusters c ON c.id = m.cluster_id" + only + " ORDER BY s.id, c.name";
        Map<Long, SetRow> sets = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            if (!clusterLabels.isEmpty()) {
                ObjectNode labels = JSON.createObjectNode();
                clusterLabels.forEach(labels::put);
                s.setString(1, labels.toString());
            }
            read(s, sets);
        } catch (SQLException e) {
            throw new MirrorStoreException("could not read the mirror's sets", e);
        }
        return List.copyOf(sets.values());
    }

    private static void read(PreparedStatement s, Map<Long, SetRow> sets) throws SQLException {
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                long id = r.getLong(1);
                SetRow set = sets.computeIfAbsent(id, k -> {
                    try {
                        return new SetRow(
                                id,
                                r.getString(2),
                                r.getBoolean(3),
                                r.getBoolean(4),
                                instant(r.getTimestamp(5)),
                                instant(r.getTimestamp(6)),
                                new ArrayList<>());
                    } catch (SQLException e) {
                        throw new MirrorStoreException("could not read the mirror's sets", e);
                    }
                });
                if (r.getString(7) != null) {
                    set.members()
                            .add(new Member(
                                    r.getString(7),
                                    r.getString(8),
                                    r.getString(9),
                                    r.getBoolean(10),
                                    r.getTimestamp(11).toInstant(),
                                    instant(r.getTimestamp(12)),
                                    instant(r.getTimestamp(13))));
                }
            }
        }
    }

    /**
     * Takes or renews the leases of {@code sets} for {@code holder} until {@code now + lease}, in one statement; a
     * lease another holder has and has not let lapse is left alone.
     *
     * @return the sets {@code holder} holds now
     */
    public Set<Long> lease(Collection<Long> sets, String holder, Instant now, Duration lease) {
        Set<Long> held = new HashSet<>();
        if (sets.isEmpty()) {
            return held;
        }
        // The database's clock, not the replicas': a replica whose clock runs ahead never takes a live lease.
        String sql = "UPDATE mirror_sets SET lease_holder = ?, lease_until = clock_timestamp() + ? * interval '1 ms'"
                + " WHERE id = ANY (?) AND (lease_holder = ? OR lease_holder IS NULL OR lease_until < clock_timestamp())"
                + " RETURNING id";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, holder);
            s.setLong(2, lease.toMillis());
            s.setArray(3, c.createArrayOf("bigint", sets.toArray()));
            s.setString(4, holder);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    held.add(r.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new MirrorStoreException("could not take the mirror's set leases", e);
        }
        return held;
    }

    /** Gives back every lease of {@code holder} (it stops). */
    public void release(String holder) {
        update(
                "could not give back the mirror's leases",
                "UPDATE mirror_sets SET lease_holder = NULL, lease_until = NULL WHERE lease_holder = ?",
                holder);
    }

    /** Records that the clusters named were seen (every watch up) at {@code at}, in the sets named. */
    public void seen(Collection<Long> sets, Collection<String> clusters, Instant at) {
        if (clusters.isEmpty() || sets.isEmpty()) {
            return;
        }
        String sql = "UPDATE mirror_set_members m SET last_seen = ? FROM managed_clusters c"
                + " WHERE m.set_id = ANY (?) AND c.id = m.cluster_id AND c.name = ANY (?)"
                + " AND (m.last_seen IS NULL OR m.last_seen < ?)";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, Timestamp.from(at));
            s.setArray(2, c.createArrayOf("bigint", sets.toArray()));
            s.setArray(3, c.createArrayOf("text", clusters.toArray()));
            s.setTimestamp(4, Timestamp.from(at));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new MirrorStoreException("could not record when the sets' clusters were seen", e);
        }
    }

    /** The exports recorded for a set. */
    public List<Recorded> exports(long set) {
        String sql = "SELECT cluster, namespace, name, via, exported_at, definition FROM mirror_exports"
                + " WHERE set_id = ? ORDER BY cluster, namespace, name";
        List<Recorded> recorded = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, set);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    JsonNode d = JSON.readTree(r.getString(6));
                    recorded.add(new Recorded(
                            r.getString(1),
                            r.getString(4),
                            new Export(
                                    r.getString(2),
                                    r.getString(3),
                                    "Headless".equals(d.path("type").asText())
                                            ? ServiceType.HEADLESS
                                            : ServiceType.CLUSTER_IP,
                                    ports(d.path("ports")),
                                    endpoints(d.path("endpoints")),
                                    r.getTimestamp(5).toInstant())));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new MirrorStoreException("could not read the set's recorded exports", e);
        }
        return recorded;
    }

    /**
     * Records a set's exports as planned, in one transaction: {@code rows} are written (changed ones only), and
     * the recorded exports of {@code replacing} clusters (those whose objects were observed, and former members)
     * that are not among them are deleted, as are those of clusters no longer in the set.
     */
    public void record(long set, List<ExportRecord> rows, Set<String> replacing, Set<String> clusters, Instant now) {
        Map<String, Map<String, JsonNode>> before = recordedConditions(set);
        ArrayNode json = JSON.createArrayNode();
        for (ExportRecord row : rows) {
            ObjectNode o = json.addObject();
            o.put("cluster", row.cluster());
            o.put("namespace", row.export().namespace());
            o.put("name", row.export().name());
            o.put("via", row.via());
            o.put("exported_at", row.export().exportedAt().toString());
            o.set("definition", definition(row.export()));
            ArrayNode imported = o.putArray("imported_by");
            row.state().importedBy().forEach(imported::add);
            ArrayNode refusals = o.putArray("refusals");
            for (Refusal refusal : row.state().refusals()) {
                refusals.addObject()
                        .put("cluster", refusal.cluster())
                        .put("reason", refusal.reason())
                        .put("message", refusal.message());
            }
            ArrayNode conditions = o.putArray("conditions");
            Map<String, JsonNode> had = before.getOrDefault(
                    row.cluster() + "/" + row.export().namespace() + "/"
                            + row.export().name(),
                    Map.of());
            for (Condition condition : row.state().conditions()) {
                JsonNode previous = had.get(condition.type());
                // lastTransitionTime stays what was recorded while the status stays.
                String since = previous != null
                                && condition
                                        .status()
                                        .equals(previous.path("status").asText())
                                && previous.hasNonNull("lastTransitionTime")
                        ? previous.get("lastTransitionTime").asText()
                        : now.toString();
                conditions
                        .addObject()
                        .put("type", condition.type())
                        .put("status", condition.status())
                        .put("reason", condition.reason())
                        .put("message", condition.message())
                        .put("lastTransitionTime", since);
            }
        }
        String upsert =
                "INSERT INTO mirror_exports AS e (set_id, cluster, namespace, name, via, exported_at, definition,"
                        + " imported_by, refusals, conditions, updated_at)"
                        + " SELECT ?, x.cluster, x.namespace, x.name, x.via, x.exported_at, x.definition, x.imported_by,"
                        + " x.refusals, x.conditions, ?"
                        + " FROM jsonb_to_recordset(CAST(? AS jsonb)) AS x(cluster text, namespace text, name text, via text,"
                        + " exported_at timestamptz, definition jsonb, imported_by jsonb, refusals jsonb, conditions jsonb)"
                        + " ON CONFLICT (set_id, cluster, namespace, name) DO UPDATE SET via = EXCLUDED.via,"
                        + " exported_at = EXCLUDED.exported_at, definition = EXCLUDED.definition,"
                        + " imported_by = EXCLUDED.imported_by, refusals = EXCLUDED.refusals,"
                        + " conditions = EXCLUDED.conditions, updated_at = EXCLUDED.updated_at"
                        + " WHERE (e.via, e.exported_at, e.definition, e.imported_by, e.refusals, e.conditions)"
                        + " IS DISTINCT FROM (EXCLUDED.via, EXCLUDED.exported_at, EXCLUDED.definition, EXCLUDED.imported_by,"
                        + " EXCLUDED.refusals, EXCLUDED.conditions)";
        String delete = "DELETE FROM mirror_exports e WHERE e.set_id = ?"
                + " AND (e.cluster = ANY (?) OR NOT e.cluster = ANY (?))"
                + " AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(CAST(? AS jsonb))"
                + " AS x(cluster text, namespace text, name text)"
                + " WHERE x.cluster = e.cluster AND x.namespace = e.namespace AND x.name = e.name)";
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement u = c.prepareStatement(upsert);
                    PreparedStatement d = c.prepareStatement(delete)) {
                u.setLong(1, set);
                u.setTimestamp(2, Timestamp.from(now));
                u.setString(3, json.toString());
                u.executeUpdate();
                d.setLong(1, set);
                d.setArray(2, c.createArrayOf("text", replacing.toArray()));
                d.setArray(3, c.createArrayOf("text", clusters.toArray()));
                d.setString(4, json.toString());
                d.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new MirrorStoreException("could not record the set's exports", e);
        }
    }

    /** The recorded conditions of a set's exports, by cluster/namespace/name and type. */
    private Map<String, Map<String, JsonNode>> recordedConditions(long set) {
        Map<String, Map<String, JsonNode>> conditions = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT cluster, namespace, name, conditions FROM mirror_exports WHERE set_id = ?")) {
            s.setLong(1, set);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    Map<String, JsonNode> byType = new HashMap<>();
                    JSON.readTree(r.getString(4))
                            .forEach(x -> byType.put(x.path("type").asText(), x));
                    conditions.put(r.getString(1) + "/" + r.getString(2) + "/" + r.getString(3), byType);
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new MirrorStoreException("could not read the set's recorded conditions", e);
        }
        return conditions;
    }

    /** A former member whose followers are gone: its row goes. */
    public void forget(long set, String cluster) {
        update(
                "could not forget a former member of a set",
                "DELETE FROM mirror_set_members m USING managed_clusters c WHERE m.set_id = ? AND c.id = m.cluster_id"
                        + " AND c.name = ? AND m.left_at IS NOT NULL",
                set,
                cluster);
    }

    /** A deleted set none of whose clusters holds a follower any more: its row goes (and its records with it). */
    public void deleteSet(long set) {
        update("could not delete a set", "DELETE FROM mirror_sets WHERE id = ? AND deleting_since IS NOT NULL", set);
    }

    /** The orphan sweep's request: every set is to be relisted and planned by its lease holder. */
    public int requestSweep(Instant at) {
        return update(
                "could not ask for a sweep of the sets",
                "UPDATE mirror_sets SET sweep_requested_at = ?",
                Timestamp.from(at));
    }

    /** A set's sweep is done. */
    public void swept(long set, Instant at) {
        update(
                "could not record a set's sweep",
                "UPDATE mirror_sets SET swept_at = ? WHERE id = ?",
                Timestamp.from(at),
                set);
    }

    /** The sets named are planned by their holder (every tick). */
    public void planned(Collection<Long> sets, Instant at) {
        if (sets.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("UPDATE mirror_sets SET planned_at = ? WHERE id = ANY (?)")) {
            s.setTimestamp(1, Timestamp.from(at));
            s.setArray(2, c.createArrayOf("bigint", sets.toArray()));
            s.executeUpdate();
        } catch (SQLException e) {
            throw new MirrorStoreException("could not record the sets' passes", e);
        }
    }

    private int update(String what, String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new MirrorStoreException(what, e);
        }
    }

    static ObjectNode definition(Export export) {
        ObjectNode d = JSON.createObjectNode();
        d.put("type", export.type() == ServiceType.HEADLESS ? "Headless" : "ClusterIP");
        d.set("ports", ports(export.ports()));
        ArrayNode endpoints = d.putArray("endpoints");
        for (EndpointSet set : export.endpoints()) {
            ObjectNode e = endpoints.addObject();
            e.set("ports", ports(set.ports()));
            ArrayNode addresses = e.putArray("addresses");
            set.addresses().forEach(addresses::add);
        }
        return d;
    }

    private static ArrayNode ports(List<Port> ports) {
        ArrayNode array = JSON.createArrayNode();
        ports.forEach(p -> array.addObject()
                .put("name", p.name())
                .put("protocol", p.protocol())
                .put("port", p.port()));
        return array;
    }

    private static List<Port> ports(JsonNode array) {
        List<Port> ports = new ArrayList<>();
        array.forEach(p -> ports.add(new Port(
                p.path("name").asText(""),
                p.path("protocol").asText("TCP"),
                p.path("port").asInt())));
        return ports;
    }

    private static List<EndpointSet> endpoints(JsonNode array) {
        List<EndpointSet> sets = new ArrayList<>();
        array.forEach(e -> {
            List<String> addresses = new ArrayList<>();
            e.path("addresses").forEach(a -> addresses.add(a.asText()));
            sets.add(new EndpointSet(ports(e.path("ports")), addresses));
        });
        return sets;
    }

    private static Optional<Instant> instant(Timestamp t) {
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }

    /** A failed read or write of the mirror's tables. */
    public static final class MirrorStoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MirrorStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
