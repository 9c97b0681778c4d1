package dev.kubeyard.inventory.access;

import dev.kubeyard.inventory.persistence.VersionedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Someone (or something) that calls the platform. A {@code local} user exists only here (the bootstrap admin, robots),
 * a {@code directory} user comes from LDAP and holds the roles its groups give, an {@code oidc} user is known from an
 * issuer's tokens.
 */
@Entity
@Table(name = "users")
public class PlatformUser extends VersionedEntity {

    public static final String SOURCE_LOCAL = "local";
    public static final String SOURCE_DIRECTORY = "directory";
    public static final String SOURCE_OIDC = "oidc";

    /** Lower case letters, digits and {@code - . _ @}, 1 to 128 characters, starting and ending alphanumeric. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9._@]{0,126}[a-z0-9])?");

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, updatable = false)
    private String name;

    @Column(name = "display_name")
    private String displayName;

    private String email;

    @Column(nullable = false, updatable = false)
    private String source;

    @Column(name = "directory_dn")
    private String directoryDn;

    @Column(name = "synced_at")
    private Instant syncedAt;

    @Column(name = "disabled_at")
    private Instant disabledAt;

    protected PlatformUser() {}

    public PlatformUser(String name, String displayName, String source) {
        if (!NAME.matcher(Objects.requireNonNull(name, "name")).matches()) {
            throw new IllegalArgumentException("Not a user name: " + name);
        }
        if (!source.equals(SOURCE_LOCAL) && !source.equals(SOURCE_DIRECTORY) && !source.equals(SOURCE_OIDC)) {
            throw new IllegalArgumentException("Unknown user source " + source);
        }
        this.name = name;
        this.displayName = displayName;
        this.source = source;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }

    public Optional<String> getEmail() {
        return Optional.ofNullable(email);
    }

    public void setEmail(String email) {
        this.email = email;
    }

    public String getSource() {
        return source;
    }

    public boolean fromDirectory() {
        return SOURCE_DIRECTORY.equals(source);
    }

    public Optional<String> getDirectoryDn() {
        return Optional.ofNullable(directoryDn);
    }

    public void setDirectoryDn(String directoryDn) {
        this.directoryDn = directoryDn;
    }

    public Optional<Instant> getSyncedAt() {
        return Optional.ofNullable(syncedAt);
    }

    public boolean isDisabled() {
        return disabledAt != null;
    }

    public Optional<Instant> getDisabledAt() {
        return Optional.ofNullable(disabledAt);
    }

    public void disable(Instant at) {
        if (disabledAt == null) {
            disabledAt = at;
        }
    }

    public void enable() {
        disabledAt = null;
    }
}
