package dev.kubeyard.platform.access;

/**
 * What a request needs. Team permissions are asked of one team (the cluster's, or the team named in the request);
 * platform permissions of none.
 */
public enum Permission {
    /** See a cluster, its nodes, snapshots and operations; see a team and its members. */
    READ_TEAM(true),
    /** Create, change, delete a cluster and run its operations (upgrade, snapshot, restore, replace a node). */
    CHANGE_CLUSTERS(true),
    /** Download a kubeconfig for a cluster. */
    FETCH_KUBECONFIG(true),
    /** Fetch the command that joins a server of one's own to a cluster (it holds a registration secret). */
    REGISTER_NODES(true),
    /** Grant and remove the team's roles by hand. */
    MANAGE_MEMBERS(true),
    /** Create teams and set their quotas. */
    MANAGE_TEAMS(false),
    /** Manage users, their tokens, and which directory groups give which roles. */
    MANAGE_USERS(false),
    /** Query the audit trail. */
    READ_AUDIT(false),
    /** See the platform-wide addon views: rollouts across teams' clusters, default addon sets. */
    READ_FLEET(false),
    /** Run addon rollouts across clusters and keep the default addon sets. */
    MANAGE_ADDONS(false);

    private final boolean teamScoped;

    Permission(boolean teamScoped) {
        this.teamScoped = teamScoped;
    }

    public boolean teamScoped() {
        return teamScoped;
    }
}
