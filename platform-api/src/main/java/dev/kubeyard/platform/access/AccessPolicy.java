package dev.kubeyard.platform.access;

import dev.kubeyard.inventory.access.Role;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Every access rule of the platform, as one pure function (tested from a table in {@code AccessPolicyTest}):
 *
 * <ul>
 *   <li>platform admin: everything;
 *   <li>auditor: reads every team and the audit trail, changes nothing, fetches no credential;
 *   <li>team admin: everything about their team's clusters, and the team's grants;
 *   <li>team member: reads their team's clusters and fetches a kubeconfig (with the rights the team grants members).
 * </ul>
 *
 * A team permission asked of a team the caller holds no role in, and cannot read, is {@link Decision#HIDDEN}: the API
 * answers 404 as if the cluster did not exist, so that nobody learns the names of other teams' clusters.
 */
public final class AccessPolicy {

    private static final Set<Permission> MEMBER = EnumSet.of(Permission.READ_TEAM, Permission.FETCH_KUBECONFIG);
    private static final Set<Permission> TEAM_ADMIN = EnumSet.of(
            Permission.READ_TEAM,
            Permission.FETCH_KUBECONFIG,
            Permission.CHANGE_CLUSTERS,
            Permission.REGISTER_NODES,
            Permission.MANAGE_MEMBERS);
    private static final Set<Permission> AUDITOR =
            EnumSet.of(Permission.READ_TEAM, Permission.READ_AUDIT, Permission.READ_FLEET);

    private AccessPolicy() {}

    /**
     * @param team the team the permission is asked of; ignored for platform permissions
     */
    public static Decision decide(Principal principal, Permission permission, String team) {
        if (principal.isPlatformAdmin()) {
            return Decision.ALLOWED;
        }
        boolean auditor = principal.platformRoles().contains(Role.AUDITOR);
        if (auditor && AUDITOR.contains(permission)) {
            return Decision.ALLOWED;
        }
        if (!permission.teamScoped()) {
            return Decision.FORBIDDEN;
        }
        Optional<Role> role = principal.roleIn(team);
        if (role.isEmpty()) {
            return auditor ? Decision.FORBIDDEN : Decision.HIDDEN;
        }
        Set<Permission> granted = role.get() == Role.TEAM_ADMIN ? TEAM_ADMIN : MEMBER;
        return granted.contains(permission) ? Decision.ALLOWED : Decision.FORBIDDEN;
    }
}
