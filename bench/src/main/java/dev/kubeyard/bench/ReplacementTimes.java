package dev.kubeyard.bench;

import dev.kubeyard.nodepool.control.HealingListener;
import dev.kubeyard.nodepool.healing.HealingAction.ReplaceNode;
import dev.kubeyard.nodepool.healing.HealingHistory.ReplacementOutcome;
import dev.kubeyard.nodepool.healing.ReplacementSettler.Settlement;
import dev.kubeyard.nodepool.observe.HealingObserver.ClusterTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Timestamps every replacement request as the healing cycle reports it (its deletion went to Rancher), by machine
 * name, and keeps how each replacement ended. Called from the sweep's threads at once.
 */
final class ReplacementTimes implements HealingListener {

    /**
     * One request.
     *
     * @param atNanos {@link System#nanoTime()} when the cycle reported it
     * @param requestedAfter the cycle's own figure: from the node's failure, as its Ready condition dates it
     * @param detectedAfter the cycle's own figure: from the node's failure to the first evaluation that recorded it
     */
    record Request(
            String cluster, String machine, long atNanos, Duration requestedAfter, Optional<Duration> detectedAfter) {}

    private final Map<String, List<Request>> requests = new ConcurrentHashMap<>();
    private final Map<String, ReplacementOutcome> settled = new ConcurrentHashMap<>();
    private final AtomicInteger events = new AtomicInteger();

    @Override
    public void replacementRequested(
            ClusterTarget target, ReplaceNode replacement, Optional<Duration> detectedAfter, Duration requestedAfter) {
        Request r = new Request(target.name(), replacement.machine(), System.nanoTime(), requestedAfter, detectedAfter);
        requests.merge(replacement.machine(), List.of(r), ReplacementTimes::concat);
        events.incrementAndGet();
    }

    @Override
    public void settled(String cluster, Settlement settlement, Duration took) {
        settled.put(settlement.machine(), settlement.outcome());
        events.incrementAndGet();
    }

    /** The requests for one machine, in the order they came. */
    List<Request> requests(String machine) {
        return requests.getOrDefault(machine, List.of());
    }

    /** Every machine a replacement was requested for. */
    List<String> machines() {
        return List.copyOf(requests.keySet());
    }

    /** How the machine's replacement ended, empty while it is in progress (or was never requested). */
    Optional<ReplacementOutcome> outcome(String machine) {
        return Optional.ofNullable(settled.get(machine));
    }

    /** Requests and settlements so far: it moves while healing makes progress. */
    int progress() {
        return events.get();
    }

    private static List<Request> concat(List<Request> a, List<Request> b) {
        List<Request> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
