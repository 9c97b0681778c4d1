package dev.kubeyard.platform.testing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Test helper: empties the cluster tables, the mirror sets (they hold teams) and the audit trail between tests, and
 * removes teams (with their grants).
 * Users, their tokens and platform roles stay: the bootstrap admin keeps working.
 */
@ApplicationScoped
public class Inventory {

    @Inject
    EntityManager entityManager;

    public void clear() {
        // TRUNCATE takes its locks table by table; a reconciler or sync pass reading those tables at the same moment
        // can deadlock with it. PostgreSQL then aborts one side: run the clean-up again.
        for (int attempt = 1; ; attempt++) {
            try {
                truncate();
                return;
            } catch (RuntimeException e) {
                if (attempt >= 5 || !deadlock(e)) {
                    throw e;
                }
            }
        }
    }

    private void truncate() {
        QuarkusTransaction.requiringNew().run(() -> {
            entityManager
                    .createNativeQuery("TRUNCATE audit_events, operations, node_pools, managed_clusters, mirror_sets"
                            + " RESTART IDENTITY CASCADE")
                    .executeUpdate();
            entityManager.createNativeQuery("DELETE FROM teams").executeUpdate();
        });
    }

    private static boolean deadlock(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("deadlock detected")) {
                return true;
            }
        }
        return false;
    }
}
