package dev.kubeyard.inventory.access;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

@ApplicationScoped
public class RoleGrantRepository implements PanacheRepository<RoleGrant> {

    /** Every grant of one user, with its team, whatever its source. */
    public List<RoleGrant> listByUser(PlatformUser user) {
        return list("from RoleGrant g left join fetch g.team where g.user = ?1", user);
    }

    /** Every grant held in one team, with its user. */
    public List<RoleGrant> listByTeam(String teamName) {
        return list(
                "from RoleGrant g join fetch g.user join fetch g.team t where t.name = :team order by g.user.name",
                Map.of("team", teamName));
    }

    /** Whether anyone holds the role platform-wide (any source). */
    public boolean anyPlatformGrant(Role role) {
        return count("team is null and role = ?1", role) > 0;
    }
}
