package dev.kubeyard.platform.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.kubeyard.platform.mirror.MirrorSetViews.Condition;
import dev.kubeyard.platform.mirror.MirrorSetViews.Export;
import dev.kubeyard.platform.mirror.MirrorSetViews.Member;
import dev.kubeyard.platform.mirror.MirrorSetViews.Refusal;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The mirror sets, their members and the exports' states in PostgreSQL (tables of V10, plain JDBC as the mirror's own
 * records are). The API writes the desired state (name, team, description, whether namespaces may be created, who is a
 * member and who has left); the lease, pass bookkeeping, {@code last_seen} and {@code mirror_exports} are the mirror's,
 * and are only read here. Called within the request's transaction: the pool hands out the transaction's connection.
 */
@ApplicationScoped
public class MirrorSetStore {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final String SET_COLUMNS = "s.id, s.name, t.name AS team, s.description, s.create_namespaces,"
            + " s.version, s.created_at, s.updated_at, s.deleting_since, s.planned_at, s.swept_at";

    private static final String EXPORT_COLUMNS = "s.name AS set_name, e.cluster, e.namespace, e.name, e.via,"
            + " e.exported_at, e.imported_by::text AS imported_by, e.refusals::text AS refusals,"
            + " e.conditions::text AS conditions, e.updated_at";

    /** An export row is in conflict: its conditions hold {@code Conflict=True}. */
    static final String CONFLICT = "e.conditions @> '[{\"type\": \"Conflict\", \"status\": \"True\"}]'::jsonb";

    @Inject
    DataSource dataSource;

    /** A set's row. */
    public record SetRow(
            long id,
            String name,
            String team,
            String description,
            boolean createNamespaces,
            long version,
            Instant createdAt,
            Instant updatedAt,
            Instant deletingSince,
            Instant plannedAt,
            Instant sweptAt) {}

    /** A cluster of the inventory, with its team. */
    public record ClusterRef(long id, String name, String team) {}

    /** Where a service is: its cluster, namespace and name. */
    public record ServiceKey(String cluster, String namespace, String name) {}

    /** A cluster's active membership of a set. */
    public record Membership(String cluster, String set) {}

    /** A failure of the database: a server error. */
    public static class StoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoreException(String what, SQLException cause) {
            super(what + ": " + cause.getMessage(), cause);
        }

        /** A unique constraint refused the write (someone else got there first). */
        public boolean uniqueViolation() {
            return getCause() instanceof SQLException e && "23505".equals(e.getSQLState());
        }
    }

    public Optional<SetRow> find(String name, boolean forUpdate) {
        String sql = "SELECT " + SET_COLUMNS + " FROM mirror_sets s JOIN teams t ON t.id = s.team_id WHERE s.name = ?"
                + (forUpdate ? " FOR UPDATE OF s" : "");
        return query("reading mirror set " + name, sql, ps -> ps.setString(1, name), MirrorSetStore::setRow).stream()
                .findFirst();
    }

    /** Every set of the teams (every set when empty), by name. */
    public List<SetRow> list(Optional<Set<String>> teams) {
        if (teams.isPresent() && teams.get().isEmpty()) {
            return List.of();
        }
        String sql = "SELECT " + SET_COLUMNS + " FROM mirror_sets s JOIN teams t ON t.id = s.team_id"
                + (teams.isPresent() ? " WHERE t.name = ANY (?)" : "") + " ORDER BY s.name";
        return query(
                "listing mirror sets",
                sql,
                ps -> {
                    if (teams.isPresent()) {
                        ps.setArray(
                                1,
                                ps.getConnection()
                                        .createArrayOf("text", teams.get().toArray()));
                    }
                },
                MirrorSetStore::setRow);
    }

    /** The members of the sets, each set's by cluster name; a member that left stays until the mirror removes it. */
    public Map<Long, List<Member>> members(Collection<Long> setIds) {
        Map<Long, List<Member>> out = new LinkedHashMap<>();
        if (setIds.isEmpty()) {
            return out;
        }
        for (long id : setIds) {
            out.put(id, new ArrayList<>());
        }
        String sql = "SELECT m.set_id, c.name, m.joined_at, m.left_at, m.last_seen FROM mirror_set_members m"
                + " JOIN managed_clusters c ON c.id = m.cluster_id WHERE m.set_id = ANY (?) ORDER BY c.name";
        query("reading mirror set members", sql, ps -> ps.setArray(1, longs(ps, setIds)), rs -> {
            Instant leftAt = instant(rs, "left_at");
            out.get(rs.getLong("set_id"))
                    .add(new Member(
                            rs.getString("name"),
                            instant(rs, "joined_at"),
                            leftAt,
                            instant(rs, "last_seen"),
                            leftAt == null ? MirrorSetViews.MEMBER : MirrorSetViews.LEAVING));
            return null;
        });
        return out;
    }

    /** The set's exports, by cluster, namespace and name. */
    public List<Export> exports(long setId) {
        String sql = "SELECT " + EXPORT_COLUMNS + " FROM mirror_exports e JOIN mirror_sets s ON s.id = e.set_id"
                + " WHERE e.set_id = ? ORDER BY e.cluster, e.namespace, e.name";
        return query("reading mirror exports", sql, ps -> ps.setLong(1, setId), MirrorSetStore::export);
    }

    /** Per set: how many exports it has, and how many of them are in conflict. */
    public Map<Long, int[]> exportCounts(Collection<Long> setIds) {
        Map<Long, int[]> out = new HashMap<>();
        if (setIds.isEmpty()) {
            return out;
        }
        String sql = "SELECT e.set_id, count(*) AS exports, count(*) FILTER (WHERE " + CONFLICT + ") AS conflicts"
                + " FROM mirror_exports e WHERE e.set_id = ANY (?) GROUP BY e.set_id";
        query("counting mirror exports", sql, ps -> ps.setArray(1, longs(ps, setIds)), rs -> {
            out.put(rs.getLong("set_id"), new int[] {rs.getInt("exports"), rs.getInt("conflicts")});
            return null;
        });
        return out;
    }

    /** The export rows of these services, in one query, by service (each by set name). */
    public Map<ServiceKey, List<Export>> exportsOf(Collection<ServiceKey> services) {
        Map<ServiceKey, List<Export>> out = new HashMap<>();
        if (services.isEmpty()) {
            return out;
        }
        List<String> clusters = new ArrayList<>();
        List<String> namespaces = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ServiceKey k : services) {
            clusters.add(k.cluster());
            namespaces.add(k.namespace());
            names.add(k.name());
        }
        String sql = "SELECT " + EXPORT_COLUMNS + " FROM mirror_exports e JOIN mirror_sets s ON s.id = e.set_id"
                + " JOIN unnest(?::text[], ?::text[], ?::text[]) AS k(cluster, namespace, name)"
                + " ON k.cluster = e.cluster AND k.namespace = e.namespace AND k.name = e.name ORDER BY s.name";
        query(
                "reading the mirror exports of services",
                sql,
                ps -> {
                    ps.setArray(1, ps.getConnection().createArrayOf("text", clusters.toArray()));
                    ps.setArray(2, ps.getConnection().createArrayOf("text", namespaces.toArray()));
                    ps.setArray(3, ps.getConnection().createArrayOf("text", names.toArray()));
                },
                rs -> {
                    Export e = export(rs);
                    out.computeIfAbsent(new ServiceKey(e.cluster(), e.namespace(), e.name()), k -> new ArrayList<>())
                            .add(e);
                    return null;
                });
        return out;
    }

    public Optional<Long> teamId(String team) {
        return query(
                        "reading team " + team,
                        "SELECT id FROM teams WHERE name = ?",
                        ps -> ps.setString(1, team),
                        rs -> rs.getLong(1))
                .stream()
                .findFirst();
    }

    /** The named clusters that exist, by name, with their teams. */
    public Map<String, ClusterRef> clusters(Collection<String> names) {
        Map<String, ClusterRef> out = new HashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        String sql = "SELECT c.id, c.name, t.name AS team FROM managed_clusters c JOIN teams t ON t.id = c.team_id"
                + " WHERE c.name = ANY (?)";
        query(
                "reading clusters",
                sql,
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", names.toArray())),
                rs -> {
                    ClusterRef c = new ClusterRef(rs.getLong("id"), rs.getString("name"), rs.getString("team"));
                    out.put(c.name(), c);
                    return null;
                });
        return out;
    }

    /** The clusters that are active members of another set than {@code exceptSet}, with that set. */
    public List<Membership> activeElsewhere(Collection<Long> clusterIds, long exceptSet) {
        if (clusterIds.isEmpty()) {
            return List.of();
        }
        String sql = "SELECT c.name AS cluster, s.name AS set_name FROM mirror_set_members m"
                + " JOIN managed_clusters c ON c.id = m.cluster_id JOIN mirror_sets s ON s.id = m.set_id"
                + " WHERE m.cluster_id = ANY (?) AND m.left_at IS NULL AND m.set_id <> ? ORDER BY c.name";
        return query(
                "reading memberships",
                sql,
                ps -> {
                    ps.setArray(1, longs(ps, clusterIds));
                    ps.setLong(2, exceptSet);
                },
                rs -> new Membership(rs.getString("cluster"), rs.getString("set_name")));
    }

    public long insert(String name, long teamId, String description, boolean createNamespaces, Instant now) {
        String sql = "INSERT INTO mirror_sets (name, team_id, description, create_namespaces, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
        return query(
                        "creating mirror set " + name,
                        sql,
                        ps -> {
                            ps.setString(1, name);
                            ps.setLong(2, teamId);
                            text(ps, 3, description);
                            ps.setBoolean(4, createNamespaces);
                            ps.setObject(5, time(now));
                            ps.setObject(6, time(now));
                        },
                        rs -> rs.getLong(1))
                .getFirst();
    }

    /** Replaces what the API owns of the set and counts the change. */
    public void update(long id, String description, boolean createNamespaces, Instant now) {
        update(
                "updating mirror set",
                "UPDATE mirror_sets SET description = ?, create_namespaces = ?, updated_at = ?, version = version + 1"
                        + " WHERE id = ?",
                ps -> {
                    text(ps, 1, description);
                    ps.setBoolean(2, createNamespaces);
                    ps.setObject(3, time(now));
                    ps.setLong(4, id);
                });
    }

    /** Marks the set as being deleted: every member leaves; the mirror removes the followers, then the row. */
    public void markDeleting(long id, Instant now) {
        update(
                "deleting mirror set",
                "UPDATE mirror_sets SET deleting_since = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                ps -> {
                    ps.setObject(1, time(now));
                    ps.setObject(2, time(now));
                    ps.setLong(3, id);
                });
        update(
                "members leaving mirror set",
                "UPDATE mirror_set_members SET left_at = ? WHERE set_id = ? AND left_at IS NULL",
                ps -> {
                    ps.setObject(1, time(now));
                    ps.setLong(2, id);
                });
    }

    /** Adds the clusters to the set; a row of one that had left is active again (it joins anew). */
    public void join(long setId, Collection<Long> clusterIds, Instant now) {
        for (long cluster : clusterIds) {
            update(
                    "joining mirror set",
                    "INSERT INTO mirror_set_members (set_id, cluster_id, joined_at) VALUES (?, ?, ?)"
                            + " ON CONFLICT (set_id, cluster_id) DO UPDATE SET left_at = NULL, joined_at ="
                            + " EXCLUDED.joined_at WHERE mirror_set_members.left_at IS NOT NULL",
                    ps -> {
                        ps.setLong(1, setId);
                        ps.setLong(2, cluster);
                        ps.setObject(3, time(now));
                    });
        }
    }

    /** The clusters leave the set: their rows stay (left_at) until the mirror has removed the set's followers. */
    public void leave(long setId, Collection<Long> clusterIds, Instant now) {
        if (clusterIds.isEmpty()) {
            return;
        }
        update(
                "leaving mirror set",
                "UPDATE mirror_set_members SET left_at = ? WHERE set_id = ? AND cluster_id = ANY (?)"
                        + " AND left_at IS NULL",
                ps -> {
                    ps.setObject(1, time(now));
                    ps.setLong(2, setId);
                    ps.setArray(3, longs(ps, clusterIds));
                });
    }

    /** The set's active members: cluster id to name. */
    public Map<Long, String> activeMembers(long setId) {
        Map<Long, String> out = new LinkedHashMap<>();
        query(
                "reading mirror set members",
                "SELECT m.cluster_id, c.name FROM mirror_set_members m JOIN managed_clusters c ON c.id = m.cluster_id"
                        + " WHERE m.set_id = ? AND m.left_at IS NULL ORDER BY c.name",
                ps -> ps.setLong(1, setId),
                rs -> {
                    out.put(rs.getLong(1), rs.getString(2));
                    return null;
                });
        return out;
    }

    // ---- rows

    private static SetRow setRow(ResultSet rs) throws SQLException {
        return new SetRow(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("team"),
                rs.getString("description"),
                rs.getBoolean("create_namespaces"),
                rs.getLong("version"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                instant(rs, "deleting_since"),
                instant(rs, "planned_at"),
                instant(rs, "swept_at"));
    }

    private static Export export(ResultSet rs) throws SQLException {
        return new Export(
                rs.getString("set_name"),
                rs.getString("cluster"),
                rs.getString("namespace"),
                rs.getString("name"),
                rs.getString("via"),
                instant(rs, "exported_at"),
                importedBy(json(rs.getString("imported_by"))),
                refusals(json(rs.getString("refusals"))),
                conditions(json(rs.getString("conditions"))),
                instant(rs, "updated_at"));
    }

    /** {@code imported_by}: cluster names; an object with a {@code cluster} member counts as that cluster. */
    static List<String> importedBy(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            String cluster = n.isTextual() ? n.asText() : textOf(n, "cluster");
            if (cluster != null) {
                out.add(cluster);
            }
        }
        return out;
    }

    static List<Refusal> refusals(JsonNode node) {
        List<Refusal> out = new ArrayList<>();
        for (JsonNode n : node) {
            out.add(new Refusal(textOf(n, "cluster"), textOf(n, "reason"), textOf(n, "message")));
        }
        return out;
    }

    static List<Condition> conditions(JsonNode node) {
        List<Condition> out = new ArrayList<>();
        for (JsonNode n : node) {
            out.add(new Condition(
                    textOf(n, "type"),
                    textOf(n, "status"),
                    textOf(n, "reason"),
                    textOf(n, "message"),
                    parseInstant(textOf(n, "lastTransitionTime"))));
        }
        return out;
    }

    private static JsonNode json(String text) {
        if (text == null) {
            return JSON.createArrayNode();
        }
        try {
            JsonNode node = JSON.readTree(text);
            return node.isArray() ? node : JSON.createArrayNode();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // The column is JSONB: PostgreSQL parsed it already. Not reached.
            throw new IllegalStateException("unreadable JSON in mirror_exports", e);
        }
    }

    private static String textOf(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant parseInstant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime time(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static void text(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    private static java.sql.Array longs(PreparedStatement ps, Collection<Long> ids) throws SQLException {
        return ps.getConnection().createArrayOf("bigint", ids.toArray());
    }

    // ---- JDBC

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String what, String sql, Binder binder, Reader<T> reader) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            List<T> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    T t = reader.read(rs);
                    if (t != null) {
                        out.add(t);
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }

    private int update(String what, String sql, Binder binder) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException(what, e);
        }
    }
}
