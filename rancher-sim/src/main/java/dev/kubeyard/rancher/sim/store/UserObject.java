package dev.kubeyard.rancher.sim.store;

/**
 * A {@code management.cattle.io/v3} User. Its fields sit at the top level of the object, not under {@code spec}.
 * The password is what {@code setpassword} last set (the simulator keeps it in memory only to check logins; it is
 * never rendered).
 */
public final class UserObject {

    public final Meta meta;
    public String username;
    public String displayName;
    public String description;
    public boolean enabled = true;
    public boolean mustChangePassword;
    public String password;

    public UserObject(Meta meta, String username) {
        this.meta = meta;
        this.username = username;
    }

    public String id() {
        return meta.name;
    }

    /** Rancher's principal id of a local user. */
    public String principalId() {
        return "local://" + meta.name;
    }
}
