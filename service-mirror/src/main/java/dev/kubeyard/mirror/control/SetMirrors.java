package dev.kubeyard.mirror.control;

import dev.kubeyard.inventory.kube.ClusterClients;
import dev.kubeyard.mirror.collect.MirrorCollector;
import dev.kubeyard.mirror.collect.MirrorCollector.SeenExport;
import dev.kubeyard.mirror.collect.MirrorCollector.View;
import dev.kubeyard.mirror.plan.MirrorInput;
import dev.kubeyard.mirror.plan.MirrorInput.ClusterView;
import dev.kubeyard.mirror.plan.MirrorInput.Export;
import dev.kubeyard.mirror.plan.MirrorPlan;
import dev.kubeyard.mirror.plan.MirrorPlan.Action;
import dev.kubeyard.mirror.plan.MirrorPlan.ClusterPlan;
import dev.kubeyard.mirror.plan.MirrorPlan.ExportState;
import dev.kubeyard.mirror.plan.MirrorPlan.HoldBack;
import dev.kubeyard.mirror.plan.MirrorPlanner;
import dev.kubeyard.mirror.plan.ServiceKey;
import dev.kubeyard.mirror.record.MirrorStore;
import dev.kubeyard.mirror.record.MirrorStore.ExportRecord;
import dev.kubeyard.mirror.record.MirrorStore.Member;
import dev.kubeyard.mirror.record.MirrorStore.Recorded;
import dev.kubeyard.mirror.record.MirrorStore.SetRow;
import dev.kubeyard.mirror.write.KubeMirrorWriter;
import dev.kubeyard.mirror.write.KubeMirrorWriter.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The mirror on one replica (the application's {@link ServiceMirror} runs one; the ITs and the benchmark drive it
 * alone). A tick (every {@code tick}) reads the sets, takes or renews their leases, runs one {@link MirrorCollector}
 * per cluster of the sets it holds, records when each cluster was last seen (its exporter lease) and passes every
 * set it holds. A change a collector sees passes its sets within {@code debounce}. A pass plans the set
 * ({@link MirrorPlanner}) from the collectors' views (and, for a cluster not observed since this process started,
 * its recorded exports), hands each cluster's actions to that cluster's writer and records the export states.
 *
 * <p>Writers are per set and cluster, each with the latest plan only: a cluster that does not answer holds up its
 * own writer, never a pass or another cluster. Clusters whose watches are down get no writes (their plan waits for
 * them to answer). The orphan sweep's request ({@link MirrorStore#requestSweep}) makes the holder relist every
 * member cluster before a pass: what a missed event left behind is then found.
 */
public final class SetMirrors implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SetMirrors.class);
    static final Set<String> RUNNING = Set.of("Ready", "Updating", "Degraded");

    /** What the mirror needs of the configuration ({@link MirrorConfig} in the application). */
    public record Settings(
            Duration tick,
            Duration lease,
            Duration withdrawAfter,
            Duration debounce,
            Map<String, String> clusterLabels) {
        public Settings {
            clusterLabels = Map.copyOf(clusterLabels);
        }

        /** Every set. */
        public Settings(Duration tick, Duration lease, Duration withdrawAfter, Duration debounce) {
            this(tick, lease, withdrawAfter, debounce, Map.of());
        }

        static Settings of(MirrorConfig c) {
            return new Settings(
                    c.tick(),
                    c.lease(),
                    c.withdrawAfter(),
                    c.debounce(),
                    labels(c.clusterSelector().orElse("")));
        }

        /** {@code a=b,c=d} as a map; refuses anything else. */
        static Map<String, String> labels(String selector) {
            Map<String, String> labels = new java.util.TreeMap<>();
            for (String part : selector.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                String[] kv = part.split("=", 2);
                if (kv.length != 2 || kv[0].isBlank()) {
                    throw new IllegalArgumentException(
                            "kubeyard.mirror.cluster-selector: expected key=value pairs, got '" + part + "'");
                }
                labels.put(kv[0].strip(), kv[1].strip());
            }
            return labels;
        }
    }

    /** A cluster this replica watches for the mirror. */
    static final class Running {
        final String cluster;
        final String managementId;
        final MirrorCollector collector;
        volatile Instant lastWatching;

        Running(String cluster, String managementId, MirrorCollector collector) {
            this.cluster = cluster;
            this.managementId = managementId;
            this.collector = collector;
        }
    }

    /** A set this replica holds. */
    static final class Held {
        volatile SetRow row;
        final AtomicBoolean passing = new AtomicBoolean();
        final AtomicBoolean again = new AtomicBoolean();
        final AtomicBoolean sweeping = new AtomicBoolean();
        volatile List<ExportRecord> recorded;
        /** The set's rows of mirror_exports as last read (only this holder writes them). */
        volatile List<Recorded> recordedExports;

        volatile Set<String> recordedClusters = Set.of();
        /** When a pass is already scheduled for the next lease end, if one is. */
        volatile Instant wakeAt;

        Held(SetRow row) {
            this.row = row;
        }
    }

    /** The writer of one set in one cluster: applies the latest plan, one at a time. */
    final class Writer {
        final String set;
        final String cluster;
        final AtomicReference<List<Action>> pending = new AtomicReference<>();
        final AtomicBoolean running = new AtomicBoolean();
        volatile String lastFailure;

        Writer(String set, String cluster) {
            this.set = set;
            this.cluster = cluster;
        }

        void submit(List<Action> actions) {
            pending.set(actions);
            if (running.compareAndSet(false, true)) {
                workers.execute(this::drain);
            }
        }

        private void drain() {
            try {
                List<Action> next;
                while ((next = pending.getAndSet(null)) != null) {
                    apply(next);
                }
            } finally {
                running.set(false);
                if (pending.get() != null && running.compareAndSet(false, true)) {
                    workers.execute(this::drain);
                }
            }
        }

        private void apply(List<Action> actions) {
            Running r = collectors.get(cluster);
            if (r == null) {
                return;
            }
            var client = clients.forCluster(r.managementId);
            Outcome outcome;
            try {
                outcome = new KubeMirrorWriter(set, client, clock).apply(actions);
            } catch (RuntimeException e) {
                outcome = new Outcome(0, 0, Optional.of(MirrorCollector.describe(e)));
            }
            writes.increment(outcome.applied());
            if (outcome.failure().isPresent()) {
                writeFailures.increment();
                String failure = outcome.failure().get();
                if (!failure.equals(lastFailure)) {
                    LOG.warnf(
                            "Mirror set %s: writing to cluster %s failed (the next pass tries again): %s",
                            set, cluster, failure);
                }
                lastFailure = failure;
            } else if (lastFailure != null) {
                LOG.infof("Mirror set %s: writing to cluster %s works again", set, cluster);
                lastFailure = null;
            }
        }
    }

    private final Settings config;
    private final ClusterClients clients;
    private final Clock clock;
    private final String holder;
    private final MirrorStore store;
    private final Map<String, Running> collectors = new ConcurrentHashMap<>();
    private final Map<Long, Held> held = new ConcurrentHashMap<>();
    private final Map<String, Writer> writers = new ConcurrentHashMap<>();
    private volatile Map<String, Set<Long>> setsOf = Map.of();
    private final Set<Long> dirty = ConcurrentHashMap.newKeySet();
    private final Semaphore wake = new Semaphore(0);
    private final Timer passTimer;
    private final Counter writes;
    private final Counter writeFailures;
    private ScheduledExecutorService ticker;
    private ExecutorService workers;
    private Thread passer;
    private volatile boolean stopping;

    /**
     * @param holder this replica's name in the leases (unique per process)
     */
    public SetMirrors(
            Settings settings,
            ClusterClients clients,
            DataSource dataSource,
            Clock clock,
            MeterRegistry meters,
            String holder) {
        this.config = settings;
        this.clients = clients;
        this.clock = clock;
        this.holder = holder;
        this.store = new MirrorStore(dataSource);
        this.passTimer = Timer.builder("kubeyard.mirror.pass.duration")
                .description("One set planned and its plans handed to the writers")
                .register(meters);
        this.writes = meters.counter("kubeyard.mirror.writes");
        this.writeFailures = meters.counter("kubeyard.mirror.write.failures");
        Gauge.builder("kubeyard.mirror.collectors", collectors, Map::size).register(meters);
        Gauge.builder("kubeyard.mirror.sets", held, Map::size).register(meters);
    }

    /** Starts the tick and the passes. */
    public void start() {
        workers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("mirror-", 0).factory());
        ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("mirror-tick").daemon().factory());
        ticker.scheduleWithFixedDelay(this::tickSafely, 0, config.tick().toMillis(), TimeUnit.MILLISECONDS);
        passer = Thread.ofPlatform().name("mirror-passes").daemon().start(this::passLoop);
    }

    /** Stops every collector and gives the leases back. */
    @Override
    public void close() {
        if (ticker == null) {
            return;
        }
        stopping = true;
        ticker.shutdownNow();
        passer.interrupt();
        try {
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        collectors.values().forEach(r -> r.collector.close());
        collectors.clear();
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.release(holder);
        } catch (RuntimeException e) {
            LOG.debugf("Could not give back this replica's mirror leases (they lapse): %s", e.getMessage());
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warnf("Mirror tick failed (the next one tries again): %s", e.toString());
        }
    }

    void tick() {
        Instant now = clock.instant();
        List<SetRow> sets = store.sets(config.clusterLabels());
        Map<Long, SetRow> byId = new HashMap<>();
        sets.forEach(s -> byId.put(s.id(), s));
        Set<Long> mine = store.lease(byId.keySet(), holder, now, config.lease());
        for (Long id : Set.copyOf(held.keySet())) {
            if (!mine.contains(id)) {
                Held h = held.remove(id);
                writers.keySet().removeIf(k -> k.startsWith(h.row.name() + "\u0000"));
                LOG.infof("Mirror set %s: no longer held by this replica", h.row.name());
            }
        }
        Map<String, Member> needed = new HashMap<>();
        Map<String, Set<Long>> clusterSets = new HashMap<>();
        for (Long id : mine) {
            SetRow row = byId.get(id);
            Held h = held.computeIfAbsent(id, k -> {
                LOG.infof("Mirror set %s: held by this replica", row.name());
                return new Held(row);
            });
            h.row = row;
            for (Member m : row.members()) {
                clusterSets.computeIfAbsent(m.cluster(), c -> new HashSet<>()).add(id);
                if (collectable(m)) {
                    needed.put(m.cluster(), m);
                }
            }
        }
        setsOf = clusterSets;
        for (String cluster : Set.copyOf(collectors.keySet())) {
            Running r = collectors.get(cluster);
            Member m = needed.get(cluster);
            if (m == null || !m.managementId().equals(r.managementId)) {
                collectors.remove(cluster);
                r.collector.close();
                writers.keySet().removeIf(k -> k.endsWith("\u0000" + cluster));
                LOG.infof("Mirror stopped watching cluster %s", cluster);
            }
        }
        for (Member m : needed.values()) {
            try {
                collectors.computeIfAbsent(m.cluster(), c -> startCollector(m));
            } catch (RuntimeException e) {
                // One cluster's trouble never stops the tick for the others.
                LOG.warnf(
                        "Mirror could not start watching cluster %s (the next tick tries again): %s",
                        m.cluster(), MirrorCollector.describe(e));
            }
        }
        for (Running r : collectors.values()) {
            if (r.collector.watching()) {
                r.lastWatching = now;
            }
        }
        List<String> seen = collectors.values().stream()
                .filter(r -> now.equals(r.lastWatching))
                .map(r -> r.cluster)
                .toList();
        store.seen(held.keySet(), seen, now);
        store.planned(held.keySet(), now);
        for (Held h : held.values()) {
            SetRow row = h.row;
            boolean sweepAsked = row.sweepRequestedAt().isPresent()
                    && (row.sweptAt().isEmpty()
                            || row.sweptAt()
                                    .get()
                                    .isBefore(row.sweepRequestedAt().get()));
            if (sweepAsked && h.sweeping.compareAndSet(false, true)) {
                workers.execute(() -> sweep(h));
            } else {
                markDirty(row.id());
            }
        }
    }

    private static boolean collectable(Member m) {
        return m.managementId() != null && !m.deleting() && RUNNING.contains(m.phase());
    }

    private Running startCollector(Member m) {
        var client = clients.forCluster(m.managementId());
        MirrorCollector collector = new MirrorCollector(m.cluster(), client, this::clusterChanged);
        Running r = new Running(m.cluster(), m.managementId(), collector);
        collector.start().whenComplete((ok, error) -> {
            if (error == null) {
                LOG.infof("Mirror synchronised cluster %s", m.cluster());
                clusterChanged(m.cluster());
            }
        });
        LOG.infof("Mirror started watching cluster %s", m.cluster());
        return r;
    }

    private void clusterChanged(String cluster) {
        Set<Long> sets = setsOf.get(cluster);
        if (sets != null) {
            sets.forEach(this::markDirty);
        }
    }

    private void markDirty(long set) {
        dirty.add(set);
        wake.release();
    }

    private void passLoop() {
        while (!stopping) {
            try {
                wake.acquire();
                Thread.sleep(config.debounce().toMillis());
                wake.drainPermits();
                for (Long id : List.copyOf(dirty)) {
                    dirty.remove(id);
                    Held h = held.get(id);
                    if (h != null) {
                        startPass(h);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Mirror passes: %s", e.toString());
            }
        }
    }

    private void startPass(Held h) {
        if (!h.passing.compareAndSet(false, true)) {
            h.again.set(true);
            return;
        }
        workers.execute(() -> {
            try {
                do {
                    h.again.set(false);
                    passTimer.record(() -> pass(h));
                } while (h.again.get() && !stopping);
            } catch (RuntimeException e) {
                LOG.warnf("Mirror set %s: pass failed (the next tick tries again): %s", h.row.name(), e.toString());
            } finally {
                h.passing.set(false);
                if (h.again.get() && !stopping) {
                    startPass(h);
                }
            }
        });
    }

    /** Relists every observed cluster of the set (the orphan sweep), then passes it. */
    private void sweep(Held h) {
        try {
            Instant asked = clock.instant();
            List<java.util.concurrent.Future<?>> lists = new ArrayList<>();
            for (Member m : h.row.members()) {
                Running r = collectors.get(m.cluster());
                if (r != null && r.collector.synced() && r.collector.watching()) {
                    lists.add(workers.submit(() -> {
                        try {
                            if (r.collector.relist()) {
                                LOG.infof(
                                        "Mirror sweep of set %s: cluster %s showed changes its watches had missed",
                                        h.row.name(), m.cluster());
                            }
                        } catch (RuntimeException e) {
                            LOG.warnf(
                                    "Mirror sweep of set %s: could not relist cluster %s: %s",
                                    h.row.name(), m.cluster(), MirrorCollector.describe(e));
                        }
                    }));
                }
            }
            for (var f : lists) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    LOG.debugf("Mirror sweep: a relist did not finish: %s", e.toString());
                }
            }
            while (!h.passing.compareAndSet(false, true)) {
                Thread.sleep(20);
            }
            try {
                pass(h);
            } finally {
                h.passing.set(false);
                if (h.again.get() && !stopping) {
                    startPass(h);
                }
            }
            // The request's own time (read from the table), whatever this replica's clock says.
            store.swept(h.row.id(), h.row.sweepRequestedAt().orElse(asked));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("Mirror sweep of set %s failed (asked again by the next sweep): %s", h.row.name(), e);
        } finally {
            h.sweeping.set(false);
        }
    }

    /** Plans one set and hands each cluster's actions to its writer; records the export states. */
    void pass(Held h) {
        SetRow row = h.row;
        if (held.get(row.id()) != h) {
            return; // the lease went to another replica meanwhile
        }
        Instant now = clock.instant();
        // The recorded exports change only when this holder records: read once, again after each record.
        List<Recorded> recorded = h.recordedExports;
        if (recorded == null) {
            recorded = store.exports(row.id());
            h.recordedExports = recorded;
        }
        Map<String, Map<ServiceKey, Recorded>> recordedOf = new HashMap<>();
        recorded.forEach(r -> recordedOf
                .computeIfAbsent(r.cluster(), c -> new HashMap<>())
                .put(r.export().key(), r));
        List<ClusterView> views = new ArrayList<>();
        Map<String, Map<ServiceKey, String>> viaOf = new HashMap<>();
        Set<String> observed = new HashSet<>();
        Set<String> active = new HashSet<>();
        for (Member m : row.members()) {
            boolean member = m.active() && !row.deleting();
            if (member) {
                active.add(m.cluster());
            }
            Running r = collectors.get(m.cluster());
            Map<ServiceKey, Recorded> own = recordedOf.getOrDefault(m.cluster(), Map.of());
            Instant lastSeen = lastSeen(m, r, now);
            Map<ServiceKey, String> via = new HashMap<>();
            viaOf.put(m.cluster(), via);
            if (r != null && r.collector.synced()) {
                observed.add(m.cluster());
                View view = r.collector.view(
                        key -> Optional.ofNullable(own.get(key))
                                .filter(x -> x.via().equals("Label"))
                                .map(x -> x.export().exportedAt()),
                        now);
                List<Export> exports = new ArrayList<>();
                for (SeenExport e : view.exports()) {
                    exports.add(e.export());
                    via.put(e.export().key(), e.via());
                }
                views.add(new ClusterView(
                        m.cluster(),
                        member,
                        lastSeen,
                        view.namespaces(),
                        exports,
                        view.services(),
                        view.slices(),
                        true));
            } else {
                own.values().forEach(x -> via.put(x.export().key(), x.via()));
                views.add(new ClusterView(
                        m.cluster(),
                        member,
                        lastSeen,
                        Set.of(),
                        own.values().stream().map(Recorded::export).toList(),
                        List.of(),
                        List.of(),
                        false));
            }
        }
        MirrorPlan plan = MirrorPlanner.plan(
                new MirrorInput(row.name(), views, now, config.withdrawAfter(), row.createNamespaces()));
        for (ClusterPlan p : plan.clusters()) {
            Running r = collectors.get(p.cluster());
            List<Action> writesOnly =
                    p.actions().stream().filter(a -> !(a instanceof HoldBack)).toList();
            if (writesOnly.isEmpty() || r == null || !r.collector.watching()) {
                continue;
            }
            writers.computeIfAbsent(row.name() + "\u0000" + p.cluster(), k -> new Writer(row.name(), p.cluster()))
                    .submit(p.actions());
        }
        record(h, plan, views, viaOf, observed, active, now);
        forgetFormerMembers(row, plan, views);
        plan.lookAgainAt().ifPresent(at -> wakeAt(h, at, now));
    }

    /** A pass when an exporter's lease ends (rather than at the next tick); one pending wake-up per set. */
    private void wakeAt(Held h, Instant at, Instant now) {
        Instant pending = h.wakeAt;
        if ((pending != null && !pending.isAfter(at) && pending.isAfter(now))
                || ticker == null
                || ticker.isShutdown()) {
            return;
        }
        h.wakeAt = at;
        long delay = Math.max(0, Duration.between(now, at).toMillis()) + 20;
        ticker.schedule(
                () -> {
                    if (at.equals(h.wakeAt)) {
                        h.wakeAt = null;
                    }
                    markDirty(h.row.id());
                },
                delay,
                TimeUnit.MILLISECONDS);
    }

    private Instant lastSeen(Member m, Running r, Instant now) {
        Instant seen = m.lastSeen().orElse(m.joinedAt());
        if (r != null && r.lastWatching != null && r.lastWatching.isAfter(seen)) {
            seen = r.lastWatching;
        }
        if (r != null && r.collector.watching()) {
            r.lastWatching = now;
            seen = now;
        }
        return seen;
    }

    private void record(
            Held h,
            MirrorPlan plan,
            List<ClusterView> views,
            Map<String, Map<ServiceKey, String>> viaOf,
            Set<String> observed,
            Set<String> active,
            Instant now) {
        Map<String, Map<ServiceKey, Export>> exportsOf = new HashMap<>();
        views.forEach(v -> v.exports().forEach(e -> exportsOf
                .computeIfAbsent(v.cluster(), c -> new HashMap<>())
                .put(e.key(), e)));
        List<ExportRecord> rows = new ArrayList<>();
        for (ExportState state : plan.exports()) {
            Export export = exportsOf.getOrDefault(state.cluster(), Map.of()).get(state.key());
            if (export == null) {
                continue;
            }
            String via = viaOf.getOrDefault(state.cluster(), Map.of()).getOrDefault(state.key(), "ServiceExport");
            rows.add(new ExportRecord(state.cluster(), via, export, state));
        }
        Set<String> replacing = new HashSet<>(observed);
        views.stream().filter(v -> !v.member()).forEach(v -> replacing.add(v.cluster()));
        if (Objects.equals(rows, h.recorded) && replacing.equals(h.recordedClusters)) {
            return;
        }
        store.record(h.row.id(), rows, replacing, active, now);
        h.recordedExports = null;
        h.recorded = rows;
        h.recordedClusters = replacing;
    }

    private void forgetFormerMembers(SetRow row, MirrorPlan plan, List<ClusterView> views) {
        for (ClusterView v : views) {
            if (v.member()) {
                continue;
            }
            boolean clean = v.observed()
                    && plan.clusters().stream()
                            .filter(p -> p.cluster().equals(v.cluster()))
                            .allMatch(p -> p.actions().isEmpty());
            if (clean) {
                store.forget(row.id(), v.cluster());
                LOG.infof(
                        "Mirror set %s: cluster %s has left, none of the set's followers remain there",
                        row.name(), v.cluster());
            }
        }
        if (row.deleting() && row.members().isEmpty()) {
            store.deleteSet(row.id());
            LOG.infof("Mirror set %s: deleted, none of its followers remain", row.name());
        }
    }

    /** Whether a cluster is watched here and its watches are up. */
    public boolean watching(String cluster) {
        Running r = collectors.get(cluster);
        return r != null && r.collector.watching();
    }
}
