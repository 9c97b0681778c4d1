package dev.kubeyard.serviceboard.control;

import dev.kubeyard.inventory.kube.ClusterClients;
import dev.kubeyard.serviceboard.collect.ClusterCollector;
import dev.kubeyard.serviceboard.collect.ClusterCollector.Batch;
import dev.kubeyard.serviceboard.record.BoardQuery.LabelRequirement;
import dev.kubeyard.serviceboard.record.BoardStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * The collectors of one replica (the application's {@link ServiceBoard} runs one; the benchmark drives it alone). A tick (every {@code tick}) reads the inventory, takes or renews the collector
 * lease of every running cluster it may collect, starts a {@link ClusterCollector} where it got one and stops those
 * whose cluster stopped running, left the inventory or went to another replica; it also judges each collector's
 * freshness (rows shown Unknown once its watches have been down, or its first synchronisation unfinished, for {@code
 * stale-after}) and drops the rows of clusters that are gone. A flusher writes the rows of clusters that changed,
 * gathering changes for {@code flush-interval}, each cluster in one transaction, a few clusters at once.
 *
 * <p>Per-cluster state is the collector's informers and facts: no thread per cluster. A cluster that does not answer
 * costs its informers' retries, never another cluster's time.
 */
public final class BoardCollectors implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BoardCollectors.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /** What the collectors need of the configuration ({@link BoardConfig} in the application). */
    public record Settings(
            Optional<String> clusterSelector,
            Duration tick,
            Duration lease,
            Duration flushInterval,
            int flushParallelism,
            Duration staleAfter,
            int initialSyncs) {
        static Settings of(BoardConfig c) {
            return new Settings(
                    c.clusterSelector(),
                    c.tick(),
                    c.lease(),
                    c.flushInterval(),
                    c.flushParallelism(),
                    c.staleAfter(),
                    c.initialSyncs());
        }
    }

    private final Settings config;
    private final ClusterClients clients;
    private final DataSource dataSource;
    private final Clock clock;
    private final MeterRegistry meters;
    private final String holder;
    private final Map<String, Running> collectors = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final Semaphore wake = new Semaphore(0);
    private final BoardStore store;
    private List<LabelRequirement> selector = List.of();
    private ScheduledExecutorService ticker;
    private Thread flusher;
    private ExecutorService writers;
    private Semaphore permits;
    private volatile boolean stopping;
    private Timer flushTimer;
    private Timer changeLatency;

    /** A cluster this replica collects. */
    static final class Running {
        final String cluster;
        final String managementId;
        final ClusterCollector collector;
        final Instant startedAt;
        final AtomicBoolean flushing = new AtomicBoolean();
        volatile Instant notWatchingSince;
        volatile String staleReason;
        /** Whether the collector had synchronised when it went stale (then it is started afresh when back). */
        volatile boolean staleAfterSync;

        final AtomicBoolean probing = new AtomicBoolean();
        volatile String probeError;

        Running(String cluster, String managementId, ClusterCollector collector, Instant startedAt) {
            this.cluster = cluster;
            this.managementId = managementId;
            this.collector = collector;
            this.startedAt = startedAt;
        }
    }

    /** A cluster of the inventory as the board sees it. */
    record Target(String cluster, String managementId, String phase, boolean deleting) {
        boolean collectable() {
            return managementId != null && !deleting && RUNNING.contains(phase);
        }
    }

    static final Set<String> RUNNING = Set.of("Ready", "Updating", "Degraded");

    /**
     * @param holder this replica's name in the leases (unique per process)
     */
    public BoardCollectors(
            Settings settings,
            ClusterClients clients,
            DataSource dataSource,
            Clock clock,
            MeterRegistry meters,
            String holder) {
        this.config = settings;
        this.clients = clients;
        this.dataSource = dataSource;
        this.clock = clock;
        this.meters = meters;
        this.holder = holder;
        this.store = new BoardStore(dataSource);
    }

    /** Starts the tick and the flusher. */
    public void start() {
        selector = config.clusterSelector().map(LabelRequirement::parse).orElse(List.of());
        flushTimer = meters.timer("kubeyard.serviceboard.flush.duration");
        changeLatency = Timer.builder("kubeyard.serviceboard.change.latency")
                .description("From a cluster's change seen by its informer to its row written")
                .publishPercentiles(0.5, 0.99)
                .register(meters);
        Gauge.builder("kubeyard.serviceboard.collectors", collectors, Map::size).register(meters);
        Gauge.builder("kubeyard.serviceboard.collectors.stale", collectors, m -> m.values().stream()
                        .filter(r -> r.staleReason != null)
                        .count())
                .register(meters);
        permits = new Semaphore(config.flushParallelism());
        writers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("board-writer-", 0).factory());
        ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("board-starter").daemon().factory());
        long every = config.tick().toMillis();
        ticker.scheduleWithFixedDelay(this::tickSafely, 0, every, TimeUnit.MILLISECONDS);
        flusher = Thread.ofPlatform().name("board-flusher").daemon().start(this::flushLoop);
    }

    /** Stops every collector and gives the leases back. */
    @Override
    public void close() {
        if (ticker == null) {
            return;
        }
        stopping = true;
        ticker.shutdownNow();
        flusher.interrupt();
        for (Running r : List.copyOf(collectors.values())) {
            r.collector.close();
        }
        collectors.clear();
        writers.shutdown();
        try {
            writers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            store.release(holder, null);
        } catch (RuntimeException e) {
            LOG.debugf("Could not give back this replica's board leases (they lapse): %s", e.getMessage());
        }
    }

    /** The clusters this replica collects now. */
    public Set<String> collecting() {
        return Set.copyOf(collectors.keySet());
    }

    /** Runs a tick now (tests; the console's "refresh" never needs it). */
    public void tickNow() {
        if (ticker != null && !ticker.isShutdown()) {
            try {
                ticker.submit(this::tickSafely).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("the board's tick did not finish", e);
            }
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warnf("Service board tick failed (the next one tries again): %s", e.toString());
        }
    }

    void tick() {
        Instant now = clock.instant();
        Map<String, Target> targets = targets();
        Map<String, Target> wanted = new HashMap<>();
        targets.forEach((name, t) -> {
            if (t.collectable()) {
                wanted.put(name, t);
            }
        });
        Set<String> held = store.lease(wanted.keySet(), holder, now, config.lease());
        for (String name : Set.copyOf(collectors.keySet())) {
            Running r = collectors.get(name);
            Target t = wanted.get(name);
            boolean keep = t != null && held.contains(name) && t.managementId().equals(r.managementId);
            if (!keep) {
                collectors.remove(name);
                r.collector.close();
                if (t == null || !t.managementId().equals(r.managementId)) {
                    store.release(holder, List.of(name));
                    LOG.infof("Service board stopped collecting cluster %s", name);
                } else {
                    LOG.infof("Service board lost cluster %s to another replica", name);
                }
            }
        }
        // At most initial-syncs collectors in their first synchronisation at once (the others start at later
        // ticks); one that has not finished within stale-after no longer counts, so unreachable clusters never
        // hold the others back.
        long listing = collectors.values().stream()
                .filter(r -> !r.collector.synced() && now.isBefore(r.startedAt.plus(config.staleAfter())))
                .count();
        for (String name : held) {
            Target t = wanted.get(name);
            if (t != null && !collectors.containsKey(name) && listing < config.initialSyncs()) {
                startCollector(t, now);
                listing++;
            }
        }
        for (Running r : List.copyOf(collectors.values())) {
            judge(r, now);
        }
        for (Target t : targets.values()) {
            if (!t.collectable() && t.managementId() != null) {
                String why = t.deleting() ? "the cluster is being deleted" : "the cluster is " + t.phase();
                store.markStale(t.cluster(), why, null, now);
            }
        }
        Map<String, Integer> dropped = store.dropGoneClusters();
        dropped.forEach((cluster, rows) ->
                LOG.infof("Service board dropped cluster %s (%d services): it left the inventory", cluster, rows));
    }

    private void startCollector(Target t, Instant now) {
        var client = clients.forCluster(t.managementId());
        ClusterCollector collector =
                new ClusterCollector(t.cluster(), client, client.getKubernetesSerialization(), this::markDirty);
        Running r = new Running(t.cluster(), t.managementId(), collector, now);
        collectors.put(t.cluster(), r);
        collector.start().whenComplete((ok, error) -> {
            if (error == null) {
                LOG.infof("Service board synchronised cluster %s: %d services", t.cluster(), collector.serviceCount());
            }
        });
        LOG.infof("Service board started collecting cluster %s", t.cluster());
    }

    /** Marks a collector's rows Unknown when it has not been current for {@code stale-after}; back when it is. */
    private void judge(Running r, Instant now) {
        ClusterCollector c = r.collector;
        Optional<String> reason = Optional.empty();
        if (!c.synced()) {
            if (!now.isBefore(r.startedAt.plus(config.staleAfter()))) {
                reason = Optional.of(c.lastError()
                        .map(e -> "its API does not answer (" + e + ")")
                        .orElse("its first synchronisation has not finished"));
            }
        } else if (!c.watching()) {
            if (r.notWatchingSince == null) {
                r.notWatchingSince = now;
            }
            if (!now.isBefore(r.notWatchingSince.plus(config.staleAfter()))) {
                // The watches retry without saying why: a probe of its own (off this thread) finds out.
                if (!r.probing.getAndSet(true)) {
                    c.probe().whenComplete((error, failure) -> {
                        r.probeError = error == null ? null : error.orElse(null);
                        r.probing.set(false);
                    });
                }
                String error =
                        r.probeError != null ? r.probeError : c.lastError().orElse(null);
                reason = Optional.of(
                        error != null ? "its API does not answer (" + error + ")" : "its watches are reconnecting");
            }
        } else {
            r.notWatchingSince = null;
            r.probeError = null;
        }
        if (reason.isPresent()) {
            if (!reason.get().equals(r.staleReason)) {
                int rows = store.markStale(r.cluster, reason.get(), holder, now);
                if (r.staleReason == null) {
                    LOG.warnf(
                            "Service board: cluster %s is not current, %d services shown Unknown: %s",
                            r.cluster, rows, reason.get());
                }
                if (r.staleReason == null) {
                    r.staleAfterSync = c.synced();
                }
                r.staleReason = reason.get();
            }
        } else if (r.staleReason != null && c.synced() && !r.staleAfterSync) {
            // Stale only because its first synchronisation was slow: that synchronisation's full drain (asked for
            // again: the flusher skipped it while stale) rewrites every row.
            LOG.infof("Service board: cluster %s is synchronised", r.cluster);
            r.staleReason = null;
            c.requestFull();
        } else if (r.staleReason != null && c.synced()) {
            // Back after a long absence: started over with a fresh list rather than trusting the watches' resume
            // (an API server that compacted the gap, or one that replays only what exists, would hide deletions).
            // The new collector's first synchronisation rewrites every row and deletes those of vanished services.
            LOG.infof("Service board: cluster %s answers again; synchronising it afresh", r.cluster);
            if (collectors.remove(r.cluster, r)) {
                c.close();
                startCollector(new Target(r.cluster, r.managementId, "Ready", false), now);
            }
        }
    }

    private void markDirty(String cluster) {
        if (dirty.add(cluster)) {
            wake.release();
        }
    }

    private void flushLoop() {
        long gather = config.flushInterval().toMillis();
        while (!stopping) {
            try {
                wake.acquire();
                // Gather: the changes of the next moments go into the same write.
                Thread.sleep(gather);
                wake.drainPermits();
                for (String cluster : Set.copyOf(dirty)) {
                    dirty.remove(cluster);
                    Running r = collectors.get(cluster);
                    if (r == null || r.staleReason != null) {
                        continue;
                    }
                    if (!r.flushing.compareAndSet(false, true)) {
                        markDirty(cluster);
                        continue;
                    }
                    permits.acquire();
                    writers.execute(() -> flush(r));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Service board flusher: %s", e.toString());
            }
        }
    }

    private void flush(Running r) {
        try {
            Instant now = clock.instant();
            Batch batch = r.collector.drain(now);
            if (batch.isEmpty()) {
                return;
            }
            Timer.Sample sample = Timer.start(meters);
            try {
                if (store.write(batch, holder, clock.instant())) {
                    r.collector.committed(batch);
                    batch.oldestChange().ifPresent(at -> changeLatency.record(Duration.between(at, clock.instant())));
                } else {
                    LOG.infof("Service board lost the lease of %s before writing; another replica has it", r.cluster);
                    r.collector.failed(batch);
                }
            } catch (RuntimeException e) {
                LOG.warnf("Service board could not write the rows of %s (written again later): %s", r.cluster, e);
                r.collector.failed(batch);
            } finally {
                sample.stop(flushTimer);
            }
        } finally {
            r.flushing.set(false);
            permits.release();
        }
    }

    /** Every cluster of the inventory that the selector picks, from PostgreSQL in one query. */
    Map<String, Target> targets() {
        StringBuilder sql = new StringBuilder("SELECT name, rancher_management_id, phase,"
                + " deletion_requested_at IS NOT NULL FROM managed_clusters WHERE TRUE");
        for (LabelRequirement r : selector) {
            if (r.value().isPresent()) {
                sql.append(r.negated() ? " AND NOT" : " AND").append(" labels @> CAST(? AS jsonb)");
            } else {
                sql.append(r.negated() ? " AND NOT" : " AND").append(" jsonb_exists(labels, ?)");
            }
        }
        Map<String, Target> out = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (LabelRequirement r : selector) {
                s.setString(
                        i++,
                        r.value().isPresent()
                                ? JSON.createObjectNode()
                                        .put(r.key(), r.value().get())
                                        .toString()
                                : r.key());
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.put(
                            rs.getString(1),
                            new Target(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the inventory: " + e.getMessage(), e);
        }
        return out;
    }
}
