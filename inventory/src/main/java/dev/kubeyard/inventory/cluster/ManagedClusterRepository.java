package dev.kubeyard.inventory.cluster;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class ManagedClusterRepository implements PanacheRepository<ManagedCluster> {

    public Optional<ManagedCluster> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /**
     * One page of clusters in name order (keyset pagination): those named after {@code afterName} (all when null), at
     * most {@code limit}. Stable under concurrent inserts and deletes, unlike offsets.
     */
    public List<ManagedCluster> pageByName(String afterName, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        if (afterName == null) {
            return find("from ManagedCluster c join fetch c.team order by c.name")
                    .range(0, limit - 1)
                    .list();
        }
        return find(
                        "from ManagedCluster c join fetch c.team where c.name > :after order by c.name",
                        Map.of("after", afterName))
                .range(0, limit - 1)
                .list();
    }
}
