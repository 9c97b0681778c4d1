package dev.kubeyard.platform.access;

import dev.kubeyard.inventory.access.GroupBinding;
import dev.kubeyard.inventory.access.GroupBindingRepository;
import dev.kubeyard.inventory.access.PlatformUser;
import dev.kubeyard.inventory.access.PlatformUserRepository;
import dev.kubeyard.inventory.access.Role;
import dev.kubeyard.inventory.access.RoleGrant;
import dev.kubeyard.inventory.access.RoleGrantRepository;
import dev.kubeyard.inventory.audit.AuditEvent;
import dev.kubeyard.inventory.team.Team;
import dev.kubeyard.platform.access.directory.DirectoryUser;
import dev.kubeyard.platform.audit.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The database side of a directory sync: the grants a user's groups give (through the group bindings) replace the
 * user's directory grants; grants given by hand are never touched. Every grant added or removed is audited with the
 * reason {@code directory-sync}.
 */
@ApplicationScoped
public class DirectoryGrants {

    @Inject
    PlatformUserRepository users;

    @Inject
    RoleGrantRepository grants;

    @Inject
    GroupBindingRepository bindings;

    @Inject
    AccessService access;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    /** A directory or OIDC identity whose name is an account of another source: refused, never merged. */
    public static final class NameTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NameTaken(String name, String source) {
            super("User name " + name + " belongs to a " + source + " account");
        }
    }

    /** What a sync did to one user. */
    public record Applied(Principal principal, boolean disabled, List<String> added, List<String> removed) {
        public boolean changed() {
            return !added.isEmpty() || !removed.isEmpty();
        }
    }

    /**
     * Records the user as the directory has them (creating the platform user on first sight) and sets their directory
     * grants to what {@code groups} (names and DNs) give.
     */
    @Transactional
    public Applied apply(DirectoryUser person, Set<String> groups, String correlationId) {
        return apply(person, groups, PlatformUser.SOURCE_DIRECTORY, correlationId);
    }

    /** Like {@link #apply(DirectoryUser, Set, String)} for a person an OIDC issuer vouched for ({@code source}). */
    @Transactional
    public Applied apply(DirectoryUser person, Set<String> groups, String source, String correlationId) {
        PlatformUser user = users.findByName(person.username()).orElseGet(() -> {
            PlatformUser created = new PlatformUser(person.username(), person.displayName(), source);
            users.persist(created);
            return created;
        });
        if (!user.getSource().equals(source)) {
            // The name belongs to someone else (a local robot, the bootstrap admin, a person of the other source):
            // a login must never take that account over.
            throw new NameTaken(person.username(), user.getSource());
        }
        if (person.displayName() != null && !Objects.equals(user.getDisplayName(), person.displayName())) {
            user.setDisplayName(person.displayName());
        }
        person.mail().ifPresent(user::setEmail);
        user.setDirectoryDn(person.dn());
        grants.flush();
        // Written at most once a minute, outside optimistic locking: an OIDC user's every request passes here.
        users.noteSynced(user, clock.instant(), Duration.ofMinutes(1));

        // One grant per scope: the strongest role any of the groups gives there (null key: platform-wide).
        Map<Team, Role> wanted = new HashMap<>();
        for (GroupBinding binding : bindings.listByGroups(groups)) {
            wanted.merge(binding.getTeam().orElse(null), binding.getRole(), Role::stronger);
        }
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (RoleGrant grant : grants.listByUser(user)) {
            if (!grant.getSource().equals(RoleGrant.SOURCE_DIRECTORY)) {
                continue;
            }
            Team scope = grant.getTeam().orElse(null);
            Role role = wanted.remove(scope == null ? null : sameTeam(wanted, scope));
            if (role == null) {
                grants.delete(grant);
                removed.add(describe(scope, grant.getRole()));
            } else if (role != grant.getRole()) {
                removed.add(describe(scope, grant.getRole()));
                grant.setRole(role);
                added.add(describe(scope, role));
            }
        }
        wanted.forEach((team, role) -> {
            grants.persist(new RoleGrant(user, team, role, RoleGrant.SOURCE_DIRECTORY));
            added.add(describe(team, role));
        });
        grants.flush();
        for (String grant : added) {
            record(user.getName(), "grant.add", grant, correlationId);
        }
        for (String grant : removed) {
            record(user.getName(), "grant.remove", grant, correlationId);
        }
        return new Applied(access.principalOf(user), user.isDisabled(), added, removed);
    }

    /** The person is no longer in the directory: every directory grant goes, and the user is disabled. */
    @Transactional
    public boolean left(String username, String correlationId) {
        PlatformUser user = users.findByName(username).orElse(null);
        if (user == null || !user.fromDirectory()) {
            return false;
        }
        boolean changed = false;
        for (RoleGrant grant : grants.listByUser(user)) {
            if (grant.getSource().equals(RoleGrant.SOURCE_DIRECTORY)) {
                grants.delete(grant);
                record(
                        username,
                        "grant.remove",
                        describe(grant.getTeam().orElse(null), grant.getRole()),
                        correlationId);
                changed = true;
            }
        }
        if (!user.isDisabled()) {
            user.disable(clock.instant());
            record(username, "user.disable", "not in the directory any more", correlationId);
            changed = true;
        }
        return changed;
    }

    /** Names of the users whose rights come from the directory. */
    @Transactional
    public List<String> directoryUsers() {
        return users.listFromDirectory().stream()
                .filter(u -> !u.isDisabled())
                .map(PlatformUser::getName)
                .toList();
    }

    /** The key of {@code wanted} that is the same team as {@code team} (entities from two queries). */
    private static Team sameTeam(Map<Team, Role> wanted, Team team) {
        return wanted.keySet().stream()
                .filter(t -> t != null && t.getId().equals(team.getId()))
                .findFirst()
                .orElse(team);
    }

    private static String describe(Team team, Role role) {
        return team == null ? role.wireName() : role.wireName() + " of " + team.getName();
    }

    private void record(String user, String action, String what, String correlationId) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("grant", what);
        audit.record(
                AuditLog.SYSTEM_ACTOR,
                action,
                "user",
                user,
                AuditLog.REASON_DIRECTORY_SYNC,
                correlationId,
                details,
                AuditEvent.SUCCESS,
                null);
    }
}
