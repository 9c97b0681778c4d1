package dev.kubeyard.platform.testing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** Test helper: empties the inventory tables between tests. */
@ApplicationScoped
public class Inventory {

    @Inject
    EntityManager entityManager;

    public void clear() {
        QuarkusTransaction.requiringNew().run(() -> entityManager
                .createNativeQuery("TRUNCATE audit_events, operations, node_pools, managed_clusters, teams"
                        + " RESTART IDENTITY CASCADE")
                .executeUpdate());
    }
}
