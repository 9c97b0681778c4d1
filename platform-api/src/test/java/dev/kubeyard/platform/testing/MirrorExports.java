package dev.kubeyard.platform.testing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * Test helper: writes {@code mirror_exports} rows as the mirror would after a pass (the runtime of service-mirror is
 * not in the application yet, so the API and console tests put its records there themselves), and answers what the
 * member rows hold.
 */
@ApplicationScoped
public class MirrorExports {

    @Inject
    DataSource dataSource;

    /** A conflict condition as the planner words it (Reasons.CONFLICT, PORT_CONFLICT). */
    public static String conflict(String message) {
        return "[{\"type\": \"Valid\", \"status\": \"True\", \"reason\": \"Exported\", \"message\": \"followed\","
                + " \"lastTransitionTime\": \"2026-12-01T10:00:00Z\"},"
                + " {\"type\": \"Conflict\", \"status\": \"True\", \"reason\": \"PortConflict\", \"message\": \""
                + message + "\", \"lastTransitionTime\": \"2026-12-01T10:00:05Z\"}]";
    }

    /** A valid export without conflicts. */
    public static final String VALID = "[{\"type\": \"Valid\", \"status\": \"True\", \"reason\": \"Exported\","
            + " \"message\": \"followed\", \"lastTransitionTime\": \"2026-12-01T10:00:00Z\"},"
            + " {\"type\": \"Conflict\", \"status\": \"False\", \"reason\": \"NoConflicts\", \"message\": \"\","
            + " \"lastTransitionTime\": \"2026-12-01T10:00:00Z\"}]";

    /**
     * Writes (or replaces) the export of a service of a member cluster of the set.
     *
     * @param importedBy JSON array of cluster names
     * @param refusals JSON array of {cluster, reason, message}
     * @param conditions JSON array of conditions
     */
    public void put(
            String set,
            String cluster,
            String namespace,
            String name,
            String via,
            String importedBy,
            String refusals,
            String conditions) {
        String sql = "INSERT INTO mirror_exports (set_id, cluster, namespace, name, via, exported_at, definition,"
                + " imported_by, refusals, conditions) SELECT id, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?::jsonb"
                + " FROM mirror_sets WHERE name = ? ON CONFLICT (set_id, cluster, namespace, name) DO UPDATE SET"
                + " imported_by = EXCLUDED.imported_by, refusals = EXCLUDED.refusals, conditions = EXCLUDED.conditions,"
                + " updated_at = now()";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, cluster);
            ps.setString(2, namespace);
            ps.setString(3, name);
            ps.setString(4, via);
            ps.setObject(5, Instant.parse("2026-12-01T09:59:00Z").atOffset(ZoneOffset.UTC));
            ps.setString(
                    6,
                    "{\"type\": \"ClusterIP\", \"ports\": [{\"name\": \"http\", \"protocol\": \"TCP\", \"port\": 80}],"
                            + " \"endpoints\": []}");
            ps.setString(7, importedBy);
            ps.setString(8, refusals);
            ps.setString(9, conditions);
            ps.setString(10, set);
            if (ps.executeUpdate() != 1) {
                throw new IllegalStateException("no mirror set " + set);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets a member's last sighting, as its collector would. */
    public void seen(String set, String cluster, Instant at) {
        String sql = "UPDATE mirror_set_members m SET last_seen = ? FROM mirror_sets s, managed_clusters c"
                + " WHERE s.id = m.set_id AND c.id = m.cluster_id AND s.name = ? AND c.name = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, at.atOffset(ZoneOffset.UTC));
            ps.setString(2, set);
            ps.setString(3, cluster);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many rows of the table are there for the set (0 when it does not exist). */
    public long rows(String table, String set) {
        String sql = "SELECT count(*) FROM " + table + " x JOIN mirror_sets s ON s.id = x."
                + ("mirror_sets".equals(table) ? "id" : "set_id") + " WHERE s.name = ?";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, set);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
