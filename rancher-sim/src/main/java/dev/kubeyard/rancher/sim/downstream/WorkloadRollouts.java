package dev.kubeyard.rancher.sim.downstream;

import dev.kubeyard.rancher.sim.downstream.WorkloadStatus.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workloads of one cluster whose status the simulated controllers still have to write, by object path. Only
 * these are looked at on a tick, so an idle cluster costs nothing. Not thread-safe: guarded by the dispatcher's write
 * monitor.
 */
final class WorkloadRollouts {

    /**
     * One workload in flight. A spec change ({@code specChanged}) shows a progressing status at once, then the
     * settled one {@code readyMillis} after {@code since}; a recheck (fault set or healed, node count changed) keeps
     * the stored status until then.
     */
    static final class Rollout {
        final Kind kind;
        final long generation;
        final Instant since;
        final boolean specChanged;
        boolean progressShown;

        Rollout(Kind kind, long generation, Instant since, boolean specChanged) {
            this.kind = kind;
            this.generation = generation;
            this.since = since;
            this.specChanged = specChanged;
        }

        Instant dueAt(long readyMillis) {
            return specChanged && !progressShown ? since : since.plusMillis(readyMillis);
        }

        boolean settledAt(Instant now, long readyMillis) {
            return !now.isBefore(since.plusMillis(readyMillis));
        }
    }

    private final Map<String, Rollout> byPath = new LinkedHashMap<>();

    /** The spec changed (or the workload was created): a new rollout replaces any in flight. */
    Rollout specChanged(String path, Kind kind, long generation, Instant now) {
        Rollout rollout = new Rollout(kind, generation, now, true);
        byPath.put(path, rollout);
        return rollout;
    }

    /** Look again after the delay, unless a rollout is in flight anyway; true when one was added. */
    boolean recheck(String path, Kind kind, long generation, Instant now) {
        return byPath.putIfAbsent(path, new Rollout(kind, generation, now, false)) == null;
    }

    Rollout get(String path) {
        return byPath.get(path);
    }

    void forget(String path) {
        byPath.remove(path);
    }

    boolean isEmpty() {
        return byPath.isEmpty();
    }

    int size() {
        return byPath.size();
    }

    /** The paths with a step due at {@code now}, oldest first. */
    List<String> due(Instant now, long readyMillis) {
        List<String> due = new ArrayList<>();
        byPath.forEach((path, rollout) -> {
            if (!now.isBefore(rollout.dueAt(readyMillis))) {
                due.add(path);
            }
        });
        return due;
    }
}
