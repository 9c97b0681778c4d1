package dev.kubeyard.rancher.sim.api;

import dev.kubeyard.rancher.sim.store.SimStore;

/**
 * Who made a request, as the auth filter found out: the Rancher user its token belongs to, the token's name
 * (null for the fixed or any-well-formed admin token) and the one cluster the token is scoped to, if any.
 */
public record Caller(String userId, String tokenName, String clusterId) {

    /** Key of the caller in the Vert.x routing context. */
    public static final String KEY = "rancher-sim.caller";

    public static final Caller ADMIN = new Caller(SimStore.ADMIN_USER_ID, null, null);

    /** The simulator models one global admin; every other user has only what its bindings give it. */
    public boolean admin() {
        return SimStore.ADMIN_USER_ID.equals(userId);
    }
}
