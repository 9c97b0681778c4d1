package dev.kubeyard.serviceboard.publish;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A PostgreSQL session advisory lock held on a connection of its own: one process at a time holds it, and it goes
 * with the session (a process that dies, or loses its connection, lets it go without anyone cleaning up). DESIGN.md
 * says why this and not a lease row.
 */
public final class SessionLock implements AutoCloseable {

    private final DataSource dataSource;
    private final long key;
    private Connection connection;
    private long turns;

    /** @param key the lock's number, the same in every process that competes for it */
    public SessionLock(DataSource dataSource, long key) {
        this.dataSource = dataSource;
        this.key = key;
    }

    /**
     * Whether this process holds the lock now: when it held it, whether the session is still alive; when it did not,
     * whether it could take it. Never waits for another holder.
     *
     * @throws IllegalStateException when the database cannot be reached (the lock is not held then)
     */
    public synchronized boolean held() {
        if (connection != null) {
            try {
                if (connection.isValid(5)) {
                    return true;
                }
            } catch (SQLException e) {
                // fall through: the session is gone, and the lock with it
            }
            closeQuietly();
        }
        try {
            Connection c = dataSource.getConnection();
            boolean taken = false;
            try {
                c.setAutoCommit(true);
                try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                    s.setLong(1, key);
                    try (ResultSet r = s.executeQuery()) {
                        taken = r.next() && r.getBoolean(1);
                    }
                }
            } finally {
                if (taken) {
                    connection = c;
                    turns++;
                } else {
                    c.close();
                }
            }
            return taken;
        } catch (SQLException e) {
            throw new IllegalStateException("the publisher's lock could not be asked for: " + e.getMessage(), e);
        }
    }

    /**
     * How many times this process has taken the lock: a holder whose turn changed lost the lock in between (its
     * session ended) and must trust nothing it knew from the earlier turn.
     */
    public synchronized long turns() {
        return turns;
    }

    /** Lets the lock go (and its connection back). */
    @Override
    public synchronized void close() {
        if (connection == null) {
            return;
        }
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            s.setLong(1, key);
            s.execute();
        } catch (SQLException e) {
            // the session is gone: so is the lock
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing to give back
        } finally {
            connection = null;
        }
    }
}
