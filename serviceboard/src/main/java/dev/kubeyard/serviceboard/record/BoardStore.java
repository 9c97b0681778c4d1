package dev.kubeyard.serviceboard.record;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.serviceboard.board.Facts;
import dev.kubeyard.serviceboard.board.ServiceKey;
import dev.kubeyard.serviceboard.board.ServiceRow;
import dev.kubeyard.serviceboard.board.ServiceStatus;
import dev.kubeyard.serviceboard.collect.ClusterCollector.Batch;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The board's writes to PostgreSQL ({@code board_services}, {@code board_clusters}, migration V9): collector leases,
 * a drained batch of one cluster in one transaction (fenced by the lease), rows marked Unknown while their cluster is
 * away, and the rows of clusters that left the inventory. Plain JDBC on the application's pool: a batch is one
 * statement per kind of change whatever its size (the rows travel as one JSON array), and the benchmark drives the
 * same class without Quarkus.
 */
public final class BoardStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    public BoardStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The rank the board sorts by, worst first. */
    public static int rank(ServiceStatus status) {
        return switch (status) {
            case DOWN -> 0;
            case DEGRADED -> 1;
            case UNKNOWN -> 2;
            case HEALTHY -> 3;
        };
    }

    /**
     * Takes or renews the collector leases of {@code clusters} for {@code holder} until {@code now + lease}, in one
     * statement; a lease another holder has and has not let lapse is left alone.
     *
     * @return the clusters {@code holder} holds now
     */
    public Set<String> lease(Collection<String> clusters, String holder, Instant now, Duration lease) {
        Set<String> held = new HashSet<>();
        if (clusters.isEmpty()) {
            return held;
        }
        ArrayNode names = JSON.createArrayNode();
        clusters.forEach(names::add);
        String sql = "INSERT INTO board_clusters (cluster_name, lease_holder, lease_until)"
                + " SELECT c, ?, ? FROM jsonb_array_elements_text(CAST(? AS jsonb)) AS c"
                + " ON CONFLICT (cluster_name) DO UPDATE"
                + " SET lease_holder = EXCLUDED.lease_holder, lease_until = EXCLUDED.lease_until"
                + " WHERE board_clusters.lease_holder = EXCLUDED.lease_holder"
                + " OR board_clusters.lease_holder IS NULL OR board_clusters.lease_until < ?"
                + " RETURNING cluster_name";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, holder);
            s.setTimestamp(2, Timestamp.from(now.plus(lease)));
            s.setString(3, names.toString());
            s.setTimestamp(4, Timestamp.from(now));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    held.add(r.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new BoardStoreException("could not take the collector leases", e);
        }
        return held;
    }

    /** Gives leases back (clusters this replica stops collecting, or all of them at shutdown: null). */
    public void release(String holder, Collection<String> clusters) {
        String sql = clusters == null
                ? "UPDATE board_clusters SET lease_holder = NULL, lease_until = NULL WHERE lease_holder = ?"
                : "UPDATE board_clusters SET lease_holder = NULL, lease_until = NULL WHERE lease_holder = ?"
                        + " AND cluster_name IN (SELECT jsonb_array_elements_text(CAST(? AS jsonb)))";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, holder);
            if (clusters != null) {
                ArrayNode names = JSON.createArrayNode();
                clusters.forEach(names::add);
                s.setString(2, names.toString());
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new BoardStoreException("could not give the collector leases back", e);
        }
    }

    /**
     * Writes one drained batch in one transaction, only while {@code holder} holds the cluster's lease (a replica that
     * lost it writes nothing).
     *
     * @return false when the lease is not held (nothing written)
     */
    public boolean write(Batch batch, String holder, Instant now) {
        return inTransaction("could not write the board's rows of " + batch.cluster(), c -> {
            if (!holds(c, batch.cluster(), holder, now)) {
                return false;
            }
            if (!batch.upserts().isEmpty()) {
                upsert(c, batch.upserts());
            }
            if (!batch.deletes().isEmpty()) {
                delete(c, batch.cluster(), batch.deletes());
            }
            if (batch.present().isPresent()) {
                deleteAllBut(c, batch.cluster(), batch.present().get());
            }
            clusterWritten(c, batch.cluster(), batch.full(), now);
            return true;
        });
    }

    /** Work of one transaction on a connection of its own. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    private <T> T inTransaction(String what, Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new BoardStoreException(what, e);
        }
    }

    private static boolean holds(Connection c, String cluster, String holder, Instant now) throws SQLException {
        // FOR SHARE: a lease taken over by another replica waits until this batch is in (or out), never in between.
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM board_clusters WHERE cluster_name = ?"
                + " AND lease_holder = ? AND lease_until > ? FOR SHARE")) {
            s.setString(1, cluster);
            s.setString(2, holder);
            s.setTimestamp(3, Timestamp.from(now));
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static void upsert(Connection c, List<ServiceRow> rows) throws SQLException {
        ArrayNode doc = JSON.createArrayNode();
        for (ServiceRow row : rows) {
            doc.add(json(row));
        }
        String sql = "INSERT INTO board_services (cluster_name, namespace, name, type, cluster_ip, ports,"
                + " ingress_hosts, ingress_addresses, load_balancer_addresses, images, pods, ready_endpoints,"
                + " not_ready_endpoints, status, status_rank, status_reason, labels, search_text, images_text,"
                + " updated_at)"
                + " SELECT r.cluster_name, r.namespace, r.name, r.type, r.cluster_ip, r.ports, r.ingress_hosts,"
                + " r.ingress_addresses, r.load_balancer_addresses, r.images, r.pods, r.ready_endpoints,"
                + " r.not_ready_endpoints, r.status, r.status_rank, r.status_reason, r.labels, r.search_text,"
                + " r.images_text, r.updated_at"
                + " FROM jsonb_to_recordset(CAST(? AS jsonb)) AS r(cluster_name text, namespace text, name text,"
                + " type text, cluster_ip text, ports jsonb, ingress_hosts text[], ingress_addresses text[],"
                + " load_balancer_addresses text[], images text[], pods jsonb, ready_endpoints int,"
                + " not_ready_endpoints int, status text, status_rank smallint, status_reason text, labels jsonb,"
                + " search_text text, images_text text, updated_at timestamptz)"
                + " ON CONFLICT (cluster_name, namespace, name) DO UPDATE SET type = EXCLUDED.type,"
                + " cluster_ip = EXCLUDED.cluster_ip, ports = EXCLUDED.ports, ingress_hosts = EXCLUDED.ingress_hosts,"
                + " ingress_addresses = EXCLUDED.ingress_addresses,"
                + " load_balancer_addresses = EXCLUDED.load_balancer_addresses, images = EXCLUDED.images,"
                + " pods = EXCLUDED.pods, ready_endpoints = EXCLUDED.ready_endpoints,"
                + " not_ready_endpoints = EXCLUDED.not_ready_endpoints, status = EXCLUDED.status,"
                + " status_rank = EXCLUDED.status_rank, status_reason = EXCLUDED.status_reason,"
                + " labels = EXCLUDED.labels, search_text = EXCLUDED.search_text,"
                + " images_text = EXCLUDED.images_text, updated_at = EXCLUDED.updated_at";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, doc.toString());
            s.executeUpdate();
        }
    }

    static ObjectNode json(ServiceRow row) {
        ObjectNode o = JSON.createObjectNode();
        o.put("cluster_name", row.cluster());
        o.put("namespace", row.namespace());
        o.put("name", row.name());
        o.put("type", row.type());
        o.put("cluster_ip", row.clusterIp());
        ArrayNode ports = o.putArray("ports");
        for (Facts.Port p : row.ports()) {
            ObjectNode port = ports.addObject();
            port.put("name", p.name());
            port.put("protocol", p.protocol());
            port.put("port", p.port());
            port.put("targetPort", p.targetPort());
            if (p.nodePort() != null) {
                port.put("nodePort", p.nodePort());
            }
        }
        strings(o.putArray("ingress_hosts"), row.ingressHosts());
        strings(o.putArray("ingress_addresses"), row.ingressAddresses());
        strings(o.putArray("load_balancer_addresses"), row.loadBalancerAddresses());
        strings(o.putArray("images"), row.images());
        ObjectNode pods = o.putObject("pods");
        row.pods().asMap().forEach(pods::put);
        o.put("ready_endpoints", row.readyEndpoints());
        o.put("not_ready_endpoints", row.notReadyEndpoints());
        o.put("status", row.status().wireName());
        o.put("status_rank", rank(row.status()));
        o.put("status_reason", row.statusReason());
        ObjectNode labels = o.putObject("labels");
        new TreeMap<>(row.labels()).forEach(labels::put);
        o.put("search_text", searchText(row));
        o.put("images_text", String.join("\n", row.images()).toLowerCase(Locale.ROOT));
        o.put("updated_at", row.updatedAt().toString());
        return o;
    }

    /** What the free search looks in: namespace/name, the images and the ingress hosts, lower case. */
    static String searchText(ServiceRow row) {
        StringBuilder b = new StringBuilder(row.namespace()).append('/').append(row.name());
        for (String image : row.images()) {
            b.append('\n').append(image);
        }
        for (String host : row.ingressHosts()) {
            b.append('\n').append(host);
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static String keys(Collection<ServiceKey> keys) {
        ArrayNode doc = JSON.createArrayNode();
        for (ServiceKey k : keys) {
            doc.addObject().put("ns", k.namespace()).put("n", k.name());
        }
        return doc.toString();
    }

    private static void delete(Connection c, String cluster, List<ServiceKey> keys) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM board_services b USING"
                + " jsonb_to_recordset(CAST(? AS jsonb)) AS k(ns text, n text)"
                + " WHERE b.cluster_name = ? AND b.namespace = k.ns AND b.name = k.n")) {
            s.setString(1, keys(keys));
            s.setString(2, cluster);
            s.executeUpdate();
        }
    }

    private static void deleteAllBut(Connection c, String cluster, Set<ServiceKey> present) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM board_services b WHERE b.cluster_name = ?"
                + " AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(CAST(? AS jsonb)) AS k(ns text, n text)"
                + " WHERE k.ns = b.namespace AND k.n = b.name)")) {
            s.setString(1, cluster);
            s.setString(2, keys(present));
            s.executeUpdate();
        }
    }

    private static void clusterWritten(Connection c, String cluster, boolean full, Instant now) throws SQLException {
        String sql = "UPDATE board_clusters SET changed_at = ?,"
                + " services = (SELECT count(*) FROM board_services WHERE cluster_name = ?)"
                + (full ? ", synced_at = ?, stale_reason = NULL, stale_since = NULL" : "")
                + " WHERE cluster_name = ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            s.setTimestamp(i++, Timestamp.from(now));
            s.setString(i++, cluster);
            if (full) {
                s.setTimestamp(i++, Timestamp.from(now));
            }
            s.setString(i, cluster);
            s.executeUpdate();
        }
    }

    /**
     * Marks every row of the cluster Unknown with the reason (its objects are not current: unreachable, not
     * synchronised, not running), once: rows already showing that reason are left alone. The collector that comes
     * back writes them all again.
     *
     * @param holder the lease holder, or null for a cluster nobody collects (not running, gone from the inventory)
     * @return the rows changed
     */
    public int markStale(String cluster, String reason, String holder, Instant now) {
        String why = "The cluster's objects are not current: " + reason + ".";
        return inTransaction("could not mark the rows of " + cluster + " Unknown", c -> {
            if (holder != null && !holds(c, cluster, holder, now)) {
                return 0;
            }
            int changed;
            try (PreparedStatement s = c.prepareStatement("UPDATE board_services SET status = 'Unknown',"
                    + " status_rank = ?, status_reason = ?, updated_at = ?"
                    + " WHERE cluster_name = ? AND (status <> 'Unknown' OR status_reason <> ?)")) {
                s.setInt(1, rank(ServiceStatus.UNKNOWN));
                s.setString(2, why);
                s.setTimestamp(3, Timestamp.from(now));
                s.setString(4, cluster);
                s.setString(5, why);
                changed = s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("UPDATE board_clusters SET stale_reason = ?,"
                    + " stale_since = COALESCE(stale_since, ?) WHERE cluster_name = ?"
                    + " AND stale_reason IS DISTINCT FROM ?")) {
                s.setString(1, reason);
                s.setTimestamp(2, Timestamp.from(now));
                s.setString(3, cluster);
                s.setString(4, reason);
                s.executeUpdate();
            }
            return changed;
        });
    }

    /**
     * Deletes the rows (and collector state) of clusters that are no longer in the inventory.
     *
     * @return the clusters dropped, with the rows each had
     */
    public Map<String, Integer> dropGoneClusters() {
        return inTransaction("could not drop the rows of clusters that left the inventory", c -> {
            Map<String, Integer> dropped = new TreeMap<>();
            try (PreparedStatement s = c.prepareStatement("DELETE FROM board_clusters b WHERE NOT EXISTS"
                            + " (SELECT 1 FROM managed_clusters m WHERE m.name = b.cluster_name)"
                            + " RETURNING cluster_name, services");
                    ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    dropped.put(r.getString(1), r.getInt(2));
                }
            }
            if (!dropped.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM board_services b WHERE NOT EXISTS"
                        + " (SELECT 1 FROM managed_clusters m WHERE m.name = b.cluster_name)"
                        + " AND b.cluster_name IN (SELECT jsonb_array_elements_text(CAST(? AS jsonb)))")) {
                    ArrayNode names = JSON.createArrayNode();
                    dropped.keySet().forEach(names::add);
                    s.setString(1, names.toString());
                    s.executeUpdate();
                }
            }
            return dropped;
        });
    }

    /** A database failure of the board's store. */
    public static final class BoardStoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BoardStoreException(String message, SQLException cause) {
            super(message + ": " + cause.getMessage(), cause);
        }
    }
}
