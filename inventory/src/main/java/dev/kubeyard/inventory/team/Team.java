package dev.kubeyard.inventory.team;

import dev.kubeyard.inventory.persistence.VersionedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.Optional;

/** A product team: owns clusters. The name is a DNS-1123 label (checked by the database too). */
@Entity
@Table(name = "teams")
public class Team extends VersionedEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, updatable = false)
    private String name;

    @Column(name = "display_name")
    private String displayName;

    /** Most clusters the team may have; null: the platform's default. */
    @Column(name = "max_clusters")
    private Integer maxClusters;

    /** Most nodes (the sum of its clusters' pool quantities) the team may have; null: the platform's default. */
    @Column(name = "max_nodes")
    private Integer maxNodes;

    protected Team() {}

    public Team(String name, String displayName) {
        this.name = name;
        this.displayName = displayName;
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

    public Optional<Integer> getMaxClusters() {
        return Optional.ofNullable(maxClusters);
    }

    public Optional<Integer> getMaxNodes() {
        return Optional.ofNullable(maxNodes);
    }

    /** Sets both quotas; null leaves that quota to the platform's default. */
    public void setQuotas(Integer maxClusters, Integer maxNodes) {
        if ((maxClusters != null && maxClusters < 0) || (maxNodes != null && maxNodes < 0)) {
            throw new IllegalArgumentException("A quota cannot be negative");
        }
        this.maxClusters = maxClusters;
        this.maxNodes = maxNodes;
    }
}
