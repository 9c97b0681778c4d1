package dev.kubeyard.inventory.access;

import java.util.Arrays;

/**
 * The four roles of the platform. Two are platform-wide ({@link #PLATFORM_ADMIN}, {@link #AUDITOR}), two are held in
 * one team ({@link #TEAM_ADMIN}, {@link #TEAM_MEMBER}). The wire names are those of the API, the database and the docs.
 */
public enum Role {
    /** Everything, everywhere. */
    PLATFORM_ADMIN("platform-admin", false),
    /** Reads every cluster, operation and the audit trail; changes nothing and fetches no credentials. */
    AUDITOR("auditor", false),
    /** The team's clusters, their operations and the team's grants. */
    TEAM_ADMIN("team-admin", true),
    /** Reads the team's clusters and gets a kubeconfig with the rights the team grants its members. */
    TEAM_MEMBER("team-member", true);

    private final String wireName;
    private final boolean teamScoped;

    Role(String wireName, boolean teamScoped) {
        this.wireName = wireName;
        this.teamScoped = teamScoped;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the role is held in one team (true) or platform-wide (false). */
    public boolean teamScoped() {
        return teamScoped;
    }

    /**
     * This role, when it fits the scope it is held in: a team role in a team, a platform role outside one (the
     * database checks the same).
     *
     * @throws IllegalArgumentException when it does not fit
     */
    public Role inScope(boolean inTeam) {
        if (teamScoped != inTeam) {
            throw new IllegalArgumentException(
                    wireName + (inTeam ? " is platform-wide, not held in a team" : " needs a team"));
        }
        return this;
    }

    /** The stronger of two team roles (admin over member). */
    public static Role stronger(Role a, Role b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    public static Role fromWireName(String wireName) {
        return Arrays.stream(values())
                .filter(r -> r.wireName.equals(wireName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "Unknown role " + wireName + " (platform-admin, auditor, team-admin or team-member)"));
    }
}
