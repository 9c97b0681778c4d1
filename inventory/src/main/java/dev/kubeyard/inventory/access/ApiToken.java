package dev.kubeyard.inventory.access;

import dev.kubeyard.inventory.persistence.VersionedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A personal API token. Only the SHA-256 hash of its secret is kept; the secret itself is shown to its owner once, when
 * the token is created. A token is valid until it expires or is revoked, whichever comes first.
 */
@Entity
@Table(name = "api_tokens")
public class ApiToken extends VersionedEntity {

    @Id
    private UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id", nullable = false, updatable = false)
    private PlatformUser user;

    @Column(nullable = false, updatable = false)
    private String name;

    @Column(name = "secret_hash", nullable = false, unique = true, updatable = false)
    private String secretHash;

    @Column(nullable = false, updatable = false)
    private String hint;

    @Column(name = "created_by", nullable = false, updatable = false)
    private String createdBy;

    @Column(name = "expires_at", nullable = false, updatable = false)
    private Instant expiresAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    @Column(name = "last_used_from")
    private String lastUsedFrom;

    protected ApiToken() {}

    public ApiToken(
            UUID id,
            PlatformUser user,
            String name,
            String secretHash,
            String hint,
            String createdBy,
            Instant expiresAt) {
        this.id = Objects.requireNonNull(id, "id");
        this.user = Objects.requireNonNull(user, "user");
        this.name = Objects.requireNonNull(name, "name");
        this.secretHash = Objects.requireNonNull(secretHash, "secretHash");
        this.hint = Objects.requireNonNull(hint, "hint");
        this.createdBy = Objects.requireNonNull(createdBy, "createdBy");
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public UUID getId() {
        return id;
    }

    public PlatformUser getUser() {
        return user;
    }

    public String getName() {
        return name;
    }

    public String getSecretHash() {
        return secretHash;
    }

    public String getHint() {
        return hint;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public Optional<Instant> getRevokedAt() {
        return Optional.ofNullable(revokedAt);
    }

    public Optional<Instant> getLastUsedAt() {
        return Optional.ofNullable(lastUsedAt);
    }

    public Optional<String> getLastUsedFrom() {
        return Optional.ofNullable(lastUsedFrom);
    }

    /** Valid at {@code now}: neither revoked nor expired. */
    public boolean isValidAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }

    /** Revokes the token; revoking a revoked token keeps the first time. Returns whether this call revoked it. */
    public boolean revoke(Instant now) {
        if (revokedAt != null) {
            return false;
        }
        revokedAt = now;
        return true;
    }
}
