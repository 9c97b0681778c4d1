package dev.kubeyard.platform.access.directory;

import java.util.Objects;
import java.util.Optional;

/**
 * A person as the directory knows them.
 *
 * @param dn the entry's distinguished name, the key of its group memberships
 * @param username the directory's spelling of the username (the {@code usernameAttribute}); the name asked for when
 *     the entry lacks that attribute
 * @param displayName {@code displayName}, else {@code cn}, else the username
 * @param mail the first {@code mail} value, if any
 */
public record DirectoryUser(String dn, String username, String displayName, Optional<String> mail) {

    public DirectoryUser {
        Objects.requireNonNull(dn, "dn");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(mail, "mail");
    }
}
