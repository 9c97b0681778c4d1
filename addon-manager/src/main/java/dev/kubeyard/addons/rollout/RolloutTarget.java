package dev.kubeyard.addons.rollout;

import java.time.Instant;

/**
 * One cluster of a rollout.
 *
 * @param previousVersion the version to go back to (the last one healthy there when the rollout reached it)
 */
public record RolloutTarget(
        String cluster,
        int position,
        int wave,
        TargetPhase phase,
        String previousVersion,
        Instant startedAt,
        Instant healthyAt,
        Instant finishedAt,
        String message) {

    RolloutTarget with(TargetPhase next, String why, Instant now) {
        Instant finished = next.settled() || next == TargetPhase.ROLLED_BACK ? now : null;
        return new RolloutTarget(cluster, position, wave, next, previousVersion, startedAt, healthyAt, finished, why);
    }

    RolloutTarget started(String previous, Instant now) {
        return new RolloutTarget(cluster, position, wave, TargetPhase.UPDATING, previous, now, null, null, "");
    }

    RolloutTarget soaking(Instant now) {
        return new RolloutTarget(
                cluster,
                position,
                wave,
                TargetPhase.SOAKING,
                previousVersion,
                startedAt,
                now,
                null,
                "healthy; soaking");
    }
}
