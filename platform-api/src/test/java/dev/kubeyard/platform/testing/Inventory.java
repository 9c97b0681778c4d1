package dev.kubeyard.platform.testing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * Test helper: empties the cluster tables and the audit trail between tests, and removes teams (with their grants).
 * Users, their tokens and platform roles stay: the bootstrap admin keeps working.
 */
@ApplicationScoped
public class Inventory {

    @Inject
    EntityManager entityManager;

    public void clear() {
        QuarkusTransaction.requiringNew().run(() -> {
            entityManager
                    .createNativeQuery("TRUNCATE audit_events, operations, node_pools, managed_clusters"
                            + " RESTART IDENTITY CASCADE")
                    .executeUpdate();
            entityManager.createNativeQuery("DELETE FROM teams").executeUpdate();
        });
    }
}
