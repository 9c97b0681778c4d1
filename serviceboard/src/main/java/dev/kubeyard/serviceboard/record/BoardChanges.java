package dev.kubeyard.serviceboard.record;

import dev.kubeyard.serviceboard.board.ServiceKey;
import dev.kubeyard.serviceboard.board.ServiceRow;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The board's rows for readers that follow it (the ServiceInfo publisher): rows changed since a time, every row, and
 * what each cluster's rows were last written. Pages in keyset order, so that a reader never holds a cursor (or a
 * transaction) open while it calls out.
 */
public final class BoardChanges {

    private static final String FROM = " FROM board_services b";

    private final DataSource dataSource;

    public BoardChanges(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * A page of the rows whose {@code updated_at} is at or after {@code since}, in the order of {@code updated_at},
     * cluster, namespace, name (index {@code board_services_updated_idx}).
     *
     * @param after the last row of the previous page; empty for the first
     */
    public List<ServiceRow> changedSince(Instant since, Optional<ServiceRow> after, int limit) {
        String sql = "SELECT " + BoardSearch.ROW_COLUMNS + FROM
                + (after.isPresent()
                        ? " WHERE (b.updated_at, b.cluster_name, b.namespace, b.name) > (?, ?, ?, ?)"
                        : " WHERE b.updated_at >= ?")
                + " ORDER BY b.updated_at, b.cluster_name, b.namespace, b.name LIMIT ?";
        List<Object> params = new ArrayList<>();
        if (after.isPresent()) {
            ServiceRow a = after.get();
            params.addAll(List.of(Timestamp.from(a.updatedAt()), a.cluster(), a.namespace(), a.name()));
        } else {
            params.add(Timestamp.from(since));
        }
        params.add(limit);
        return rows(sql, params);
    }

    /** A page of every row, in the order of the primary key (cluster, namespace, name). */
    public List<ServiceRow> all(Optional<ServiceRow> after, int limit) {
        String sql = "SELECT " + BoardSearch.ROW_COLUMNS + FROM
                + (after.isPresent() ? " WHERE (b.cluster_name, b.namespace, b.name) > (?, ?, ?)" : "")
                + " ORDER BY b.cluster_name, b.namespace, b.name LIMIT ?";
        List<Object> params = new ArrayList<>();
        after.ifPresent(a -> params.addAll(List.of(a.cluster(), a.namespace(), a.name())));
        params.add(limit);
        return rows(sql, params);
    }

    /**
     * The clusters the board has (board_clusters), with when their rows were last written (a write that deletes rows
     * moves it too); empty for a cluster whose rows were never written.
     */
    public Map<String, Optional<Instant>> clusters() {
        Map<String, Optional<Instant>> out = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT cluster_name, changed_at FROM board_clusters");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                Timestamp t = r.getTimestamp(2);
                out.put(r.getString(1), t == null ? Optional.empty() : Optional.of(t.toInstant()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the board's clusters could not be read: " + e.getMessage(), e);
        }
        return out;
    }

    /** The services each of {@code clusters} has on the board (a cluster without rows is left out). */
    public Map<String, Set<ServiceKey>> keys(Collection<String> clusters) {
        Map<String, Set<ServiceKey>> out = new HashMap<>();
        if (clusters.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "SELECT b.cluster_name, b.namespace, b.name" + FROM + " WHERE b.cluster_name = ANY(?)")) {
            Array names = c.createArrayOf("text", clusters.toArray());
            s.setArray(1, names);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.computeIfAbsent(r.getString(1), k -> new HashSet<>())
                            .add(new ServiceKey(r.getString(2), r.getString(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the board's services could not be read: " + e.getMessage(), e);
        }
        return out;
    }

    private List<ServiceRow> rows(String sql, List<Object> params) {
        List<ServiceRow> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(BoardSearch.row(r));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the board's rows could not be read: " + e.getMessage(), e);
        }
        return out;
    }
}
