package dev.kubeyard.platform.access.directory;

import java.util.Objects;

/**
 * A group a user belongs to.
 *
 * @param dn the group entry's distinguished name
 * @param name the group's {@code groupNameAttribute} (by default {@code cn}); the value of the DN's first RDN when the
 *     entry lacks it
 * @param depth 0 when the user is a direct member, 1 when through one group in between, and so on (the shortest way)
 */
public record DirectoryGroup(String dn, String name, int depth) {

    public DirectoryGroup {
        Objects.requireNonNull(dn, "dn");
        Objects.requireNonNull(name, "name");
        if (depth < 0) {
            throw new IllegalArgumentException("depth must not be negative");
        }
    }

    /** True when the user is named in the group itself, not only through another group. */
    public boolean direct() {
        return depth == 0;
    }
}
