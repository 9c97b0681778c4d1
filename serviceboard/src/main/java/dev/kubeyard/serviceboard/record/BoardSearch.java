package dev.kubeyard.serviceboard.record;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.serviceboard.board.Facts;
import dev.kubeyard.serviceboard.board.ServiceRow;
import dev.kubeyard.serviceboard.board.ServiceStatus;
import dev.kubeyard.serviceboard.record.BoardQuery.LabelRequirement;
import dev.kubeyard.serviceboard.record.BoardQuery.Position;
import dev.kubeyard.serviceboard.record.BoardQuery.Sort;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The board's reads: a search page (filters, keyset order, counts per status), one service, and the clusters with
 * their freshness. PostgreSQL only: no read ever calls out to a cluster.
 */
public final class BoardSearch {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};

    /** A row's columns in the order {@link #row} reads them (board_services as {@code b}). */
    static final String ROW_COLUMNS = "b.cluster_name, b.namespace, b.name, b.type, b.cluster_ip,"
            + " CAST(b.ports AS text), b.ingress_hosts, b.ingress_addresses, b.load_balancer_addresses, b.images,"
            + " CAST(b.pods AS text), b.ready_endpoints, b.not_ready_endpoints, b.status, b.status_reason,"
            + " CAST(b.labels AS text), b.updated_at";

    // The team is looked up for the page's rows only; the filters and counts read board_services alone.
    private static final String COLUMNS = ROW_COLUMNS
            + ", (SELECT t.name FROM managed_clusters m JOIN teams t ON t.id = m.team_id WHERE m.name = b.cluster_name),"
            + " b.status_rank";

    // A caller who sees every team reads board_services alone; a team's caller joins the inventory (the planner
    // does better with the join than with an IN over the team's clusters once a text filter is added:
    // bench/results/service-board.md).
    private static final String FROM = " FROM board_services b";
    private static final String FROM_TEAMS = " FROM board_services b JOIN managed_clusters m ON m.name = b.cluster_name"
            + " JOIN teams t ON t.id = m.team_id";
    private static final String OF_TEAMS = "t.name = ANY(?)";

    private static String from(Optional<Set<String>> teams) {
        return teams.isPresent() ? FROM_TEAMS : FROM;
    }

    private final DataSource dataSource;

    public BoardSearch(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A service on the board, with its cluster's team. */
    public record Entry(ServiceRow row, String team) {}

    /**
     * One page.
     *
     * @param total the services that match (every page of them)
     * @param counts the services per status that match every filter but the status one (for the status chips)
     * @param next the cursor of the next page, if there is one
     */
    public record Page(List<Entry> items, long total, Map<ServiceStatus, Long> counts, Optional<String> next) {}

    /** A cluster as the board knows it. */
    public record ClusterState(
            String cluster,
            String team,
            int services,
            Map<ServiceStatus, Long> counts,
            Optional<Instant> syncedAt,
            Optional<String> staleReason,
            Optional<Instant> staleSince,
            Optional<Instant> changedAt) {}

    /** The filters of a query as SQL with their parameters. */
    private static final class Where {
        final StringBuilder sql = new StringBuilder(" WHERE TRUE");
        final List<Object> params = new ArrayList<>();

        void add(String clause, Object... values) {
            sql.append(" AND ").append(clause);
            params.addAll(List.of(values));
        }
    }

    /** Arrays are made on the connection: the list marks them with this type. */
    private record TextArray(Set<String> values) {}

    private static Where where(BoardQuery q, boolean withStatus) {
        Where w = new Where();
        q.teams().ifPresent(teams -> w.add(OF_TEAMS, new TextArray(teams)));
        if (!q.clusters().isEmpty()) {
            w.add("b.cluster_name = ANY(?)", new TextArray(q.clusters()));
        }
        if (withStatus && !q.statuses().isEmpty()) {
            Set<String> names = new java.util.TreeSet<>();
            q.statuses().forEach(s -> names.add(s.wireName()));
            w.add("b.status = ANY(?)", new TextArray(names));
        }
        if (!q.namespaces().isEmpty()) {
            w.add("b.namespace = ANY(?)", new TextArray(q.namespaces()));
        }
        q.text().filter(s -> !s.isBlank()).ifPresent(s -> w.add("b.search_text LIKE ?", contains(s)));
        q.name().filter(s -> !s.isBlank()).ifPresent(s -> w.add("b.name ILIKE ?", contains(s)));
        q.image().filter(s -> !s.isBlank()).ifPresent(s -> w.add("b.images_text LIKE ?", contains(s)));
        for (LabelRequirement r : q.labels()) {
            if (r.value().isPresent()) {
                String doc =
                        JSON.createObjectNode().put(r.key(), r.value().get()).toString();
                w.add((r.negated() ? "NOT " : "") + "b.labels @> CAST(? AS jsonb)", doc);
            } else {
                w.add((r.negated() ? "NOT " : "") + "jsonb_exists(b.labels, ?)", r.key());
            }
        }
        return w;
    }

    /** {@code %text%} for LIKE, lower case, with LIKE's own characters taken literally. */
    static String contains(String text) {
        String t = BoardQuery.lower(text.trim())
                .replace("\\", "\\\\")
                .replace("%", "\\%")
                .replace("_", "\\_");
        return "%" + t + "%";
    }

    public Page search(BoardQuery q) {
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(true);
            try {
                Map<ServiceStatus, Long> counts = counts(c, q);
                long total = 0;
                for (Map.Entry<ServiceStatus, Long> e : counts.entrySet()) {
                    if (q.statuses().isEmpty() || q.statuses().contains(e.getKey())) {
                        total += e.getValue();
                    }
                }
                List<Entry> items = new ArrayList<>();
                Optional<String> next = Optional.empty();
                if (total > 0) {
                    Where w = where(q, true);
                    List<String> columns = q.sort().columns();
                    if (q.after().isPresent()) {
                        w.add(
                                "(" + String.join(", ", columns) + ") " + (q.descending() ? "<" : ">") + " ("
                                        + placeholders(q.sort()) + ")",
                                typed(q.sort(), q.after().get().values()));
                    }
                    String dir = q.descending() ? " DESC" : "";
                    StringBuilder order = new StringBuilder(" ORDER BY ");
                    for (int i = 0; i < columns.size(); i++) {
                        order.append(i == 0 ? "" : ", ").append(columns.get(i)).append(dir);
                    }
                    String sql = "SELECT " + COLUMNS + from(q.teams()) + w.sql + order + " LIMIT " + (q.limit() + 1);
                    try (PreparedStatement s = prepare(c, sql, w.params)) {
                        try (ResultSet r = s.executeQuery()) {
                            while (r.next()) {
                                items.add(entry(r));
                            }
                        }
                    }
                    if (items.size() > q.limit()) {
                        items = new ArrayList<>(items.subList(0, q.limit()));
                        next = Optional.of(position(q, items.getLast()).cursor());
                    }
                }
                return new Page(List.copyOf(items), total, counts, next);
            } finally {
                c.setReadOnly(false);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the service board could not be read: " + e.getMessage(), e);
        }
    }

    private static Map<ServiceStatus, Long> counts(Connection c, BoardQuery q) throws SQLException {
        Where w = where(q, false);
        Map<ServiceStatus, Long> counts = new EnumMap<>(ServiceStatus.class);
        for (ServiceStatus s : ServiceStatus.values()) {
            counts.put(s, 0L);
        }
        try (PreparedStatement s =
                prepare(c, "SELECT b.status, count(*)" + from(q.teams()) + w.sql + " GROUP BY b.status", w.params)) {
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    counts.put(ServiceStatus.fromWireName(r.getString(1)), r.getLong(2));
                }
            }
        }
        return counts;
    }

    private static String placeholders(Sort sort) {
        List<String> out = new ArrayList<>();
        for (String column : sort.columns()) {
            out.add(
                    switch (column) {
                        case "b.status_rank" -> "CAST(? AS smallint)";
                        case "b.updated_at" -> "CAST(? AS timestamptz)";
                        default -> "?";
                    });
        }
        return String.join(", ", out);
    }

    private static Object[] typed(Sort sort, List<String> values) {
        Object[] out = new Object[values.size()];
        for (int i = 0; i < out.length; i++) {
            String column = sort.columns().get(i);
            String v = values.get(i);
            if (column.equals("b.status_rank") || column.equals("b.updated_at")) {
                try {
                    if (column.equals("b.status_rank")) {
                        Integer.parseInt(v);
                    } else {
                        Instant.parse(v);
                    }
                } catch (RuntimeException e) {
                    throw new BoardQuery.BadQuery("cursor", "is not a cursor this API returned");
                }
            }
            out[i] = v;
        }
        return out;
    }

    private static Position position(BoardQuery q, Entry last) {
        ServiceRow r = last.row();
        List<String> values = new ArrayList<>();
        for (String column : q.sort().columns()) {
            values.add(
                    switch (column) {
                        case "b.status_rank" -> Integer.toString(BoardStore.rank(r.status()));
                        case "b.updated_at" -> r.updatedAt().toString();
                        case "b.name" -> r.name();
                        case "b.cluster_name" -> r.cluster();
                        case "b.namespace" -> r.namespace();
                        default -> throw new IllegalStateException(column);
                    });
        }
        return new Position(q.sort(), q.descending(), values);
    }

    /** One service, if it is on the board and its cluster's team is one of {@code teams} (empty: any). */
    public Optional<Entry> find(Optional<Set<String>> teams, String cluster, String namespace, String name) {
        Where w = new Where();
        teams.ifPresent(t -> w.add(OF_TEAMS, new TextArray(t)));
        w.add("b.cluster_name = ?", cluster);
        w.add("b.namespace = ?", namespace);
        w.add("b.name = ?", name);
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = prepare(c, "SELECT " + COLUMNS + from(teams) + w.sql, w.params);
                ResultSet r = s.executeQuery()) {
            return r.next() ? Optional.of(entry(r)) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("the service board could not be read: " + e.getMessage(), e);
        }
    }

    /** The clusters of {@code teams} (empty: all) as the board knows them, by name. */
    public List<ClusterState> clusters(Optional<Set<String>> teams) {
        return clusters(teams, Optional.empty());
    }

    /** One cluster as the board knows it, if it is one of {@code teams}' (empty: any). */
    public Optional<ClusterState> cluster(Optional<Set<String>> teams, String cluster) {
        return clusters(teams, Optional.of(cluster)).stream().findFirst();
    }

    private List<ClusterState> clusters(Optional<Set<String>> teams, Optional<String> only) {
        Where w = new Where();
        teams.ifPresent(t -> w.add("t.name = ANY(?)", new TextArray(t)));
        only.ifPresent(name -> w.add("m.name = ?", name));
        String sql = "SELECT m.name, t.name, k.synced_at, k.stale_reason, k.stale_since, k.changed_at,"
                + " (SELECT CAST(jsonb_object_agg(x.status, x.n) AS text) FROM (SELECT b.status, count(*) AS n"
                + " FROM board_services b WHERE b.cluster_name = m.name GROUP BY b.status) x)"
                + " FROM managed_clusters m JOIN teams t ON t.id = m.team_id"
                + " LEFT JOIN board_clusters k ON k.cluster_name = m.name"
                + w.sql + " ORDER BY m.name";
        List<ClusterState> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = prepare(c, sql, w.params);
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Map<ServiceStatus, Long> counts = new EnumMap<>(ServiceStatus.class);
                for (ServiceStatus st : ServiceStatus.values()) {
                    counts.put(st, 0L);
                }
                int services = 0;
                String agg = r.getString(7);
                if (agg != null) {
                    JsonNode node = JSON.readTree(agg);
                    for (var f : node.properties()) {
                        counts.put(
                                ServiceStatus.fromWireName(f.getKey()),
                                f.getValue().asLong());
                        services += f.getValue().asInt();
                    }
                }
                out.add(new ClusterState(
                        r.getString(1),
                        r.getString(2),
                        services,
                        counts,
                        instant(r, 3),
                        Optional.ofNullable(r.getString(4)),
                        instant(r, 5),
                        instant(r, 6)));
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the service board could not be read: " + e.getMessage(), e);
        }
        return out;
    }

    private static Optional<Instant> instant(ResultSet r, int column) throws SQLException {
        Timestamp t = r.getTimestamp(column);
        return t == null ? Optional.empty() : Optional.of(t.toInstant());
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        try {
            for (int i = 0; i < params.size(); i++) {
                Object p = params.get(i);
                if (p instanceof TextArray(Set<String> values)) {
                    Array array = c.createArrayOf("text", values.toArray());
                    s.setArray(i + 1, array);
                } else {
                    s.setString(i + 1, (String) p);
                }
            }
            return s;
        } catch (SQLException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private static Entry entry(ResultSet r) throws SQLException {
        return new Entry(row(r), r.getString(18));
    }

    /** The row at the result's cursor, read from {@link #ROW_COLUMNS} (columns 1 to 17). */
    static ServiceRow row(ResultSet r) throws SQLException {
        try {
            List<Facts.Port> ports = new ArrayList<>();
            for (JsonNode p : JSON.readTree(r.getString(6))) {
                ports.add(new Facts.Port(
                        text(p, "name"),
                        text(p, "protocol"),
                        p.path("port").asInt(),
                        text(p, "targetPort"),
                        p.hasNonNull("nodePort") ? p.get("nodePort").asInt() : null));
            }
            JsonNode pods = JSON.readTree(r.getString(11));
            ServiceRow.PodCounts counts = new ServiceRow.PodCounts(
                    pods.path("total").asInt(),
                    pods.path("running").asInt(),
                    pods.path("pending").asInt(),
                    pods.path("succeeded").asInt(),
                    pods.path("failed").asInt(),
                    pods.path("unknown").asInt(),
                    pods.path("ready").asInt());
            ServiceRow row = new ServiceRow(
                    r.getString(1),
                    r.getString(2),
                    r.getString(3),
                    r.getString(4),
                    r.getString(5),
                    ports,
                    strings(r.getArray(7)),
                    strings(r.getArray(8)),
                    strings(r.getArray(9)),
                    strings(r.getArray(10)),
                    counts,
                    r.getInt(12),
                    r.getInt(13),
                    ServiceStatus.fromWireName(r.getString(14)),
                    r.getString(15),
                    JSON.readValue(r.getString(16), LABELS),
                    r.getTimestamp(17).toInstant());
            return row;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("a board row's JSON could not be read", e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static List<String> strings(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        Object[] values = (Object[]) array.getArray();
        List<String> out = new ArrayList<>(values.length);
        for (Object v : values) {
            out.add((String) v);
        }
        return List.copyOf(out);
    }
}
