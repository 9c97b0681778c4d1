package dev.kubeyard.addons.record;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A default addon set: the addons (name, version, values, namespace) every new cluster of the team, or of any team,
 * whose labels match the selector gets at creation.
 */
@Entity
@Table(name = "addon_default_sets")
public class DefaultSetRecord {

    @Id
    private String name;

    private String team;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private Map<String, String> selector = new LinkedHashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private List<Map<String, Object>> addons = new ArrayList<>();

    @Column(name = "created_by", nullable = false)
    private String createdBy;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected DefaultSetRecord() {}

    public DefaultSetRecord(String name, String by, Instant now) {
        this.name = name;
        this.createdBy = by;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public void set(String team, Map<String, String> selector, List<Map<String, Object>> addons, Instant now) {
        this.team = team;
        this.selector = new LinkedHashMap<>(selector);
        this.addons = new ArrayList<>(addons);
        this.updatedAt = now;
    }

    /** Whether a new cluster of the team with these labels gets the set. */
    public boolean matches(String clusterTeam, Map<String, String> labels) {
        if (team != null && !team.equals(clusterTeam)) {
            return false;
        }
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    public String getName() {
        return name;
    }

    public Optional<String> getTeam() {
        return Optional.ofNullable(team);
    }

    public Map<String, String> getSelector() {
        return selector;
    }

    public List<Map<String, Object>> getAddons() {
        return addons;
    }

    public String getCreatedBy() {
        return createdBy;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
