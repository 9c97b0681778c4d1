package dev.kubeyard.inventory.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kubeyard.inventory.json.InventoryJsonFormatMapper;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
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

    /**
     * Like {@link #pageByName} with filters: only the given team's clusters (when {@code team} is not null) carrying
     * all of {@code labels} (jsonb containment, served by the labels GIN index).
     */
    public List<ManagedCluster> pageByName(String afterName, int limit, String team, Map<String, String> labels) {
        return pageByName(afterName, limit, team, labels, null);
    }

    /**
     * Like {@link #pageByName(String, int, String, Map)}, and only clusters of {@code visibleTeams} (null: of every
     * team): the clusters a caller may see.
     */
    public List<ManagedCluster> pageByName(
            String afterName, int limit, String team, Map<String, String> labels, Collection<String> visibleTeams) {
        if (visibleTeams != null && visibleTeams.isEmpty()) {
            return List.of();
        }
        if (team == null && labels.isEmpty() && visibleTeams == null) {
            return pageByName(afterName, limit);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        StringBuilder sql = new StringBuilder("SELECT c.name FROM managed_clusters c");
        List<String> where = new java.util.ArrayList<>();
        Map<String, Object> params = new java.util.LinkedHashMap<>();
        if (team != null || visibleTeams != null) {
            sql.append(" JOIN teams t ON t.id = c.team_id");
        }
        if (team != null) {
            where.add("t.name = :team");
            params.put("team", team);
        }
        if (visibleTeams != null) {
            where.add("t.name IN (:visible)");
            params.put("visible", List.copyOf(visibleTeams));
        }
        if (!labels.isEmpty()) {
            where.add("c.labels @> CAST(:labels AS jsonb)");
            params.put("labels", toJson(labels));
        }
        if (afterName != null) {
            where.add("c.name > :after");
            params.put("after", afterName);
        }
        sql.append(" WHERE ").append(String.join(" AND ", where)).append(" ORDER BY c.name LIMIT :limit");
        params.put("limit", limit);
        var query = getEntityManager().createNativeQuery(sql.toString(), String.class);
        params.forEach(query::setParameter);
        @SuppressWarnings("unchecked") // a one-column native query of text: Strings, as asked for.
        List<String> names = query.getResultList();
        if (names.isEmpty()) {
            return List.of();
        }
        return find(
                        "from ManagedCluster c join fetch c.team where c.name in :names order by c.name",
                        Map.of("names", names))
                .list();
    }

    /** Ids of the clusters the reconciler looks at, in id order. */
    public List<Long> listIds() {
        return getEntityManager()
                .createQuery("select c.id from ManagedCluster c order by c.id", Long.class)
                .getResultList();
    }

    private static String toJson(Map<String, String> labels) {
        try {
            return InventoryJsonFormatMapper.objectMapper().writeValueAsString(labels);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Labels cannot be written as JSON", e);
        }
    }
}
