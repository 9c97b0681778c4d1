package dev.kubeyard.bench;

import dev.kubeyard.health.alert.AlertAction;
import dev.kubeyard.health.alert.OpenAlert;
import dev.kubeyard.health.check.CheckStatus;
import dev.kubeyard.health.check.HealthTracker;
import dev.kubeyard.health.check.Observation;
import dev.kubeyard.health.check.Observation.ClusterFacts;
import dev.kubeyard.health.check.TrackedCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The recording step in memory: the same pure steps as {@link PostgresHealthRecorder}, each cluster's tracked checks
 * and firing alerts in maps (under the cluster's monitor, as the advisory lock serialises it), transitions counted, not
 * kept. Isolates the probe and the checks from the database.
 */
final class InMemoryHealthRecorder implements HealthRecorder {

    private record State(List<TrackedCheck> checks, Instant advancedAt) {}

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Map<String, List<OpenAlert>> firing = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

    private void count(String what) {
        calls.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    @Override
    public Map<String, Instant> advancedTimes() {
        count("advanced times");
        Map<String, Instant> out = new TreeMap<>();
        states.forEach((name, s) -> {
            if (s.advancedAt() != null) {
                out.put(name, s.advancedAt());
            }
        });
        return out;
    }

    @Override
    public Recorded record(ClusterFacts facts, Observation observation, long probeMillis) {
        String name = facts.name();
        synchronized (locks.computeIfAbsent(name, k -> new Object())) {
            count("record");
            Instant now = Instant.now();
            State was = states.get(name);
            HealthTracker.Tracked tracked = Steps.track(observation, was == null ? List.of() : was.checks(), now);
            states.put(
                    name,
                    new State(tracked.checks(), observation.advanced() ? now : was == null ? null : was.advancedAt()));
            List<OpenAlert> open = new ArrayList<>(firing.getOrDefault(name, List.of()));
            int opened = 0;
            int resolved = 0;
            for (AlertAction action : Steps.plan(facts, tracked, open, now)) {
                switch (action) {
                    case AlertAction.Open o -> {
                        open.add(new OpenAlert(
                                ids.incrementAndGet(), o.fingerprint(), o.rule().name(), o.summary(), o.description()));
                        opened++;
                    }
                    case AlertAction.Resolve r -> {
                        if (open.removeIf(a -> a.id() == r.alertId())) {
                            resolved++;
                        }
                    }
                    case AlertAction.Describe d ->
                        open.replaceAll(a -> a.id() == d.alertId()
                                ? new OpenAlert(a.id(), a.fingerprint(), a.rule(), d.summary(), d.description())
                                : a);
                }
            }
            firing.put(name, List.copyOf(open));
            TrackedCheck api = HealthRecorder.apiCheck(tracked.checks());
            return new Recorded(
                    tracked.status(),
                    api == null ? CheckStatus.UNKNOWN : api.status(),
                    api == null ? "" : api.reason(),
                    tracked.transitions().size(),
                    opened,
                    resolved,
                    0,
                    HealthRecorder.notPassing(tracked.checks()));
        }
    }

    @Override
    public void afterSweep(Set<String> live, Instant now) {
        count("after sweep");
        if (!live.containsAll(states.keySet())) {
            throw new IllegalStateException("the bench's inventory never loses a cluster");
        }
    }

    @Override
    public Map<String, Long> firingByRule() {
        Map<String, Long> out = new TreeMap<>();
        firing.values().forEach(list -> list.forEach(a -> out.merge(a.rule(), 1L, Long::sum)));
        return out;
    }

    @Override
    public Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public String describe() {
        return "in memory (no database)";
    }

    @Override
    public void close() {
        states.clear();
        firing.clear();
    }
}
