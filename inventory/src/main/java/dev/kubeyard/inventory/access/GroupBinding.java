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

/** Members of a directory group hold a role: platform-wide (no team) or in one team. */
@Entity
@Table(name = "group_bindings")
public class GroupBinding extends VersionedEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "group_name", nullable = false, updatable = false)
    private String groupName;

    @ManyToOne(fetch = FetchType.LAZY)
    @JoinColumn(name = "team_id", updatable = false)
    private Team team;

    @Column(nullable = false)
    private Role role;

    protected GroupBinding() {}

    public GroupBinding(String groupName, Team team, Role role) {
        this.groupName = Objects.requireNonNull(groupName, "groupName");
        this.team = team;
        this.role = Objects.requireNonNull(role, "role").inScope(team != null);
    }

    public Long getId() {
        return id;
    }

    public String getGroupName() {
        return groupName;
    }

    public Optional<Team> getTeam() {
        return Optional.ofNullable(team);
    }

    public Role getRole() {
        return role;
    }

    public void setRole(Role role) {
        this.role = Objects.requireNonNull(role, "role").inScope(team != null);
    }
}
