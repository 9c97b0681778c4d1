package dev.kubeyard.platform.addons;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.addons.catalog.AddonDefinition;
import dev.kubeyard.addons.catalog.AddonVersion;
import dev.kubeyard.addons.plan.Condition;
import dev.kubeyard.addons.plan.InstallationStatus;
import dev.kubeyard.addons.record.DefaultSetRecord;
import dev.kubeyard.addons.record.InstallationRecord;
import dev.kubeyard.addons.record.RolloutRecord;
import dev.kubeyard.addons.rollout.Rollout;
import dev.kubeyard.addons.rollout.RolloutTarget;
import dev.kubeyard.addons.rollout.TargetPhase;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The addon API's answers. */
public final class AddonViews {

    private AddonViews() {}

    public record Check(String kind, String name, String namespace) {}

    public record Version(
            String version,
            String source,
            String kubernetesVersions,
            String notes,
            List<Check> health,
            JsonNode defaults,
            JsonNode valuesSchema) {

        static Version of(AddonVersion v, boolean full) {
            return new Version(
                    v.version(),
                    v.source().describe(),
                    v.kubernetesVersions().expression(),
                    v.notes(),
                    v.health().stream()
                            .map(h -> new Check(
                                    h.kind().kind(), h.name(), h.namespace().orElse(null)))
                            .toList(),
                    full ? v.defaults() : null,
                    full ? v.schema().orElse(null) : null);
        }
    }

    public record Addon(
            String name,
            String displayName,
            String category,
            String description,
            String namespace,
            String latestVersion,
            List<Version> versions) {

        static Addon of(AddonDefinition d, boolean full) {
            return new Addon(
                    d.name(),
                    d.displayName(),
                    d.category(),
                    d.description(),
                    d.namespace(),
                    d.latest().version(),
                    d.versions().stream().map(v -> Version.of(v, full)).toList());
        }
    }

    public record Catalog(List<Addon> items) {}

    public record Installation(
            String cluster,
            String addon,
            String version,
            String namespace,
            Map<String, Object> values,
            long generation,
            String source,
            String requestedBy,
            Instant updatedAt,
            boolean removalRequested,
            String state,
            Status status) {

        static Installation of(InstallationRecord r) {
            InstallationStatus s = r.getStatus();
            return new Installation(
                    r.getCluster(),
                    r.getAddon(),
                    r.getVersion(),
                    r.getNamespace(),
                    r.getValues(),
                    r.getGeneration(),
                    r.getSource(),
                    r.getRequestedBy(),
                    r.getUpdatedAt(),
                    r.getRemovalRequestedAt().isPresent(),
                    stateOf(r),
                    Status.of(s));
        }
    }

    /** One word for lists: Removing, Pending, Degraded, Progressing, Healthy, Unhealthy, Unknown. */
    static String stateOf(InstallationRecord r) {
        InstallationStatus s = r.getStatus();
        if (r.getRemovalRequestedAt().isPresent()) {
            return "Removing";
        }
        if (s.observedGeneration() == 0) {
            return "Pending";
        }
        if (s.is(Condition.DEGRADED)) {
            return "Degraded";
        }
        if (s.is(Condition.PROGRESSING) || s.observedGeneration() < r.getGeneration()) {
            return "Progressing";
        }
        if (s.is(Condition.HEALTHY)) {
            return "Healthy";
        }
        return s.condition(Condition.HEALTHY)
                .map(c -> c.status().equals("False") ? "Unhealthy" : "Unknown")
                .orElse("Unknown");
    }

    public record Status(
            long observedGeneration,
            String appliedVersion,
            String lastHealthyVersion,
            Instant appliedAt,
            Instant healthySince,
            List<Condition> conditions,
            int objects,
            List<String> objectNames,
            long driftRepairs,
            Instant lastReconciledAt,
            List<String> lastActions) {

        static Status of(InstallationStatus s) {
            return new Status(
                    s.observedGeneration(),
                    s.appliedVersion(),
                    s.lastHealthyVersion(),
                    s.appliedAt(),
                    s.healthySince(),
                    s.conditions(),
                    s.objects().size(),
                    s.objects().stream().map(o -> o.key().toString()).toList(),
                    s.driftRepairs(),
                    s.lastReconciledAt(),
                    s.lastActions());
        }
    }

    public record InstallationList(String cluster, List<Installation> items) {}

    public record Target(
            String cluster,
            int wave,
            String phase,
            String previousVersion,
            Instant startedAt,
            Instant healthyAt,
            Instant finishedAt,
            String message) {

        static Target of(RolloutTarget t) {
            return new Target(
                    t.cluster(),
                    t.wave(),
                    t.phase().wireName(),
                    t.previousVersion(),
                    t.startedAt(),
                    t.healthyAt(),
                    t.finishedAt(),
                    t.message());
        }
    }

    public record RolloutView(
            String id,
            String addon,
            String version,
            String phase,
            String message,
            Map<String, Object> settings,
            Map<String, Long> progress,
            String createdBy,
            Instant createdAt,
            Instant updatedAt,
            Instant finishedAt,
            List<Target> clusters) {

        static RolloutView of(RolloutRecord r, boolean withClusters) {
            Rollout rollout = dev.kubeyard.addons.record.AddonStore.toRollout(r);
            Map<String, Long> progress = new LinkedHashMap<>();
            for (TargetPhase p : TargetPhase.values()) {
                long n = rollout.count(p);
                if (n > 0) {
                    progress.put(p.wireName(), n);
                }
            }
            return new RolloutView(
                    r.getId().toString(),
                    r.getAddon(),
                    r.getTargetVersion(),
                    r.getPhase(),
                    r.getMessage(),
                    r.getSettings(),
                    progress,
                    r.getCreatedBy(),
                    r.getCreatedAt(),
                    r.getUpdatedAt(),
                    r.getFinishedAt(),
                    withClusters ? rollout.targets().stream().map(Target::of).toList() : null);
        }
    }

    public record RolloutList(List<RolloutView> items) {}

    public record DefaultSet(
            String name,
            String team,
            Map<String, String> selector,
            List<Map<String, Object>> addons,
            String createdBy,
            Instant updatedAt) {

        static DefaultSet of(DefaultSetRecord r) {
            return new DefaultSet(
                    r.getName(),
                    r.getTeam().orElse(null),
                    r.getSelector(),
                    r.getAddons(),
                    r.getCreatedBy(),
                    r.getUpdatedAt());
        }
    }

    public record DefaultSetList(List<DefaultSet> items) {}
}
