package dev.kubeyard.inventory.access;

import dev.kubeyard.inventory.persistence.VersionedEntity;
import dev.kubeyard.inventory.team.Team;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.util.Objects;
import java.util.Optional;

/**
 * A role one user holds: platform-wide (no team) or in one team. {@code manual} grants are given through the API;
 * {@code directory} grants are recomputed from the group bindings at every directory sync.
 */
@Entity
@Table(name = "role_grants")
public class RoleGrant extends VersionedEntity {

    public static final String SOURCE_MANUAL = "manual";
    public static final String SOURCE_DIRECTORY = "directory";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "user_id", nullable = false, updatable = false)
    private PlatformUser user;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "team_id", updatable = false)
    private Team team;

    @Column(nullable = false)
    private Role role;

    @Column(nullable = false, updatable = false)
    private String source;

    protected RoleGrant() {}

    public RoleGrant(PlatformUser user, Team team, Role role, String source) {
        this.user = Objects.requireNonNull(user, "user");
        this.team = team;
        this.role = Objects.requireNonNull(role, "role").inScope(team != null);
        if (!SOURCE_MANUAL.equals(source) && !SOURCE_DIRECTORY.equals(source)) {
            throw new IllegalArgumentException("Unknown grant source " + source);
        }
        this.source = source;
    }

    public Long getId() {
        return id;
    }

    public PlatformUser getUser() {
        return user;
    }

    public Optional<Team> getTeam() {
        return Optional.ofNullable(team);
    }

    public Role getRole() {
        return role;
    }

    /** A team grant holds a team role, a platform grant a platform role (checked by the database too). */
    public void setRole(Role role) {
        this.role = Objects.requireNonNull(role, "role").inScope(team != null);
    }

    public String getSource() {
        return source;
    }
}
