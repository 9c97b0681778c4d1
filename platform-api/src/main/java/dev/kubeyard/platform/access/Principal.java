package dev.kubeyard.platform.access;

import dev.kubeyard.inventory.access.Role;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who calls, with the roles they hold now: platform-wide roles, and one role per team (the stronger one when a manual
 * and a directory grant of the same team both exist). Built per request from the database, so that a revoked grant or
 * token counts from the next request on.
 */
public record Principal(String name, Set<Role> platformRoles, Map<String, Role> teamRoles) {

    /** The platform itself (reconciler, expiry, sandbox seeding): allowed everything. */
    public static final Principal SYSTEM = new Principal("system:kubeyard", Set.of(Role.PLATFORM_ADMIN), Map.of());

    public Principal {
        platformRoles = Set.copyOf(platformRoles);
        teamRoles = Map.copyOf(new TreeMap<>(teamRoles));
    }

    public boolean isPlatformAdmin() {
        return platformRoles.contains(Role.PLATFORM_ADMIN);
    }

    /** Platform admins and auditors read every team's clusters, operations and the audit trail. */
    public boolean readsEverything() {
        return isPlatformAdmin() || platformRoles.contains(Role.AUDITOR);
    }

    public Optional<Role> roleIn(String team) {
        return Optional.ofNullable(team == null ? null : teamRoles.get(team));
    }

    /** The teams whose clusters the caller may see; empty when the caller sees every team. */
    public Optional<Set<String>> visibleTeams() {
        return readsEverything() ? Optional.empty() : Optional.of(teamRoles.keySet());
    }
}
