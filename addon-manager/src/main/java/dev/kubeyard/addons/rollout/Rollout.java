package dev.kubeyard.addons.rollout;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A move of one addon to a new version across many clusters, in waves. */
public record Rollout(
        UUID id,
        String addon,
        String targetVersion,
        RolloutSettings settings,
        RolloutPhase phase,
        String message,
        List<RolloutTarget> targets,
        Instant createdAt) {

    public Rollout {
        targets = List.copyOf(targets);
    }

    /** Targets in waves: the first {@code canaries} clusters alone, then {@code maxConcurrent} at a time. */
    public static List<RolloutTarget> waves(List<String> clusters, RolloutSettings settings) {
        java.util.ArrayList<RolloutTarget> out = new java.util.ArrayList<>();
        for (int i = 0; i < clusters.size(); i++) {
            int wave;
            if (i < settings.canaries()) {
                wave = 0;
            } else {
                int base = settings.canaries() > 0 ? 1 : 0;
                wave = base + (i - settings.canaries()) / settings.maxConcurrent();
            }
            out.add(new RolloutTarget(clusters.get(i), i, wave, TargetPhase.PENDING, null, null, null, null, ""));
        }
        return out;
    }

    public long count(TargetPhase phase) {
        return targets.stream().filter(t -> t.phase() == phase).count();
    }
}
