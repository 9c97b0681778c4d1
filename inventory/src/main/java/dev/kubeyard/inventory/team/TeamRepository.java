package dev.kubeyard.inventory.team;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class TeamRepository implements PanacheRepository<Team> {

    public Optional<Team> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /**
     * The team, its row locked until the transaction ends: two requests that both check the team's quota and then add
     * to it are serialised, so that together they cannot exceed it.
     */
    public Optional<Team> findByNameForUpdate(String name) {
        return find("name", name).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public List<Team> listByName() {
        return list("order by name");
    }

    /** What a team uses of its quotas: its clusters (those being deleted too: their nodes still exist) and nodes. */
    public TeamUsage usage(Team team) {
        Object[] row = (Object[]) getEntityManager()
                .createNativeQuery("SELECT (SELECT count(*) FROM managed_clusters c WHERE c.team_id = ?1),"
                        + " (SELECT coalesce(sum(p.quantity), 0) FROM node_pools p"
                        + " JOIN managed_clusters c ON c.id = p.cluster_id WHERE c.team_id = ?1)")
                .setParameter(1, team.getId())
                .getSingleResult();
        return new TeamUsage(((Number) row[0]).intValue(), ((Number) row[1]).intValue());
    }

    /** Clusters and nodes a team has. */
    public record TeamUsage(int clusters, int nodes) {}
}
