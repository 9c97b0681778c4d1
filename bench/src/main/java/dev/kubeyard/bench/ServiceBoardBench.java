package dev.kubeyard.bench;

import static dev.kubeyard.bench.HealingSweepBench.mib;
import static dev.kubeyard.bench.HealingSweepBench.time;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.bench.SimFleet.Cluster;
import dev.kubeyard.inventory.kube.ClusterClients;
import dev.kubeyard.serviceboard.board.ServiceStatus;
import dev.kubeyard.serviceboard.control.BoardCollectors;
import dev.kubeyard.serviceboard.record.BoardQuery;
import dev.kubeyard.serviceboard.record.BoardQuery.LabelRequirement;
import dev.kubeyard.serviceboard.record.BoardQuery.Position;
import dev.kubeyard.serviceboard.record.BoardQuery.Sort;
import dev.kubeyard.serviceboard.record.BoardSearch;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The service board at fleet scale (issue 8: "A benchmark with 1,000 clusters and 100,000 services reports initial sync
 * time, change-to-board latency, and search latency (p50 and p99)"). serviceboard's production code without Quarkus:
 * the real {@link BoardCollectors} (its tick reads {@code managed_clusters} and takes the leases, a
 * {@code ClusterCollector} per cluster with fabric8 informers on Services, Pods, EndpointSlices and Ingresses through
 * the simulator's Rancher proxy, on inventory's {@link ClusterClients}; its flusher writes with {@code BoardStore}) and
 * {@link BoardSearch}, on an embedded PostgreSQL 17 migrated by Flyway with {@code migrations/}, through Agroal's pool
 * as the application's datasource (20 connections, Quarkus's default). The simulators run from the stand-alone jar in
 * JVMs of their own, one per {@link SimFleet#PER_SIMULATOR} clusters.
 *
 * <p>Phases: the inventory inserted by SQL (10 teams, N clusters Ready with their management ids); every cluster seeded
 * with {@link BoardSeed}'s objects by the simulator's bulk admin call (timed apart); the initial sync (from {@code
 * start()} until {@code board_services} holds every service and every {@code board_clusters} row has {@code
 * synced_at}); heap and threads with every collector running; the search mix (M warm runs of each kind); then K changes
 * of four kinds spread over the fleet, each timed from its API write's answer until PostgreSQL shows the expected row.
 */
public final class ServiceBoardBench {

    static final String HOLDER = "bench-board";
    static final String CHANGE_TIMER = "kubeyard.serviceboard.change.latency";
    static final String FLUSH_TIMER = "kubeyard.serviceboard.flush.duration";
    static final int TEAMS = 10;
    /** The simulator's admin API takes bodies up to 1 MiB: objects are sent in parts of at most this many bytes. */
    static final int SEED_PART_BYTES = 600_000;

    /**
     * What to run.
     *
     * @param changeRate changes written per second (one writer)
     * @param poll how often the change phase looks at PostgreSQL for the expected rows
     */
    public record Options(
            int clusters,
            int services,
            int namespaces,
            int changes,
            double changeRate,
            int searchRuns,
            int seedParallelism,
            int dbPool,
            boolean dbDurable,
            Duration tick,
            Duration flushInterval,
            int flushParallelism,
            Duration staleAfter,
            Duration poll,
            Duration syncTimeout,
            String simHeap) {

        public Options {
            if (clusters < 1 || searchRuns < 1 || seedParallelism < 1 || dbPool < 1 || flushParallelism < 1) {
                throw new IllegalArgumentException("clusters, search runs, parallelism and pools must be positive");
            }
            if (changes < 0 || changeRate <= 0) {
                throw new IllegalArgumentException("changes at least 0, at a positive rate");
            }
            new BoardSeed(services, namespaces);
        }

        /** Production's settings ({@code kubeyard.serviceboard.*} defaults) at 1,000 × 100. */
        public static Options defaults() {
            return new Options(
                    1000,
                    100,
                    4,
                    200,
                    20,
                    50,
                    4,
                    20,
                    true,
                    Duration.ofSeconds(5),
                    Duration.ofMillis(250),
                    4,
                    Duration.ofSeconds(15),
                    Duration.ofMillis(20),
                    Duration.ofMinutes(20),
                    "2g");
        }

        static Options parse(String[] args) {
            Options d = defaults();
            BenchArgs a = BenchArgs.parse(args, OPTIONS, USAGE);
            return new Options(
                    a.integer("--clusters", d.clusters()),
                    a.integer("--services", d.services()),
                    a.integer("--namespaces", d.namespaces()),
                    a.integer("--changes", d.changes()),
                    a.decimal("--change-rate", d.changeRate()),
                    a.integer("--search-runs", d.searchRuns()),
                    a.integer("--seed-parallelism", d.seedParallelism()),
                    a.integer("--db-pool", d.dbPool()),
                    a.bool("--db-durable", d.dbDurable()),
                    a.millis("--tick-ms", d.tick()),
                    a.millis("--flush-ms", d.flushInterval()),
                    a.integer("--flush-parallelism", d.flushParallelism()),
                    a.millis("--stale-after-ms", d.staleAfter()),
                    a.millis("--poll-ms", d.poll()),
                    a.seconds("--sync-timeout-s", d.syncTimeout()),
                    a.text("--sim-heap", d.simHeap()));
        }

        BoardCollectors.Settings settings() {
            return new BoardCollectors.Settings(
                    Optional.empty(), tick, Duration.ofSeconds(30), flushInterval, flushParallelism, staleAfter, 50);
        }
    }

    static final Set<String> OPTIONS = Set.of(
            "--clusters",
            "--services",
            "--namespaces",
            "--changes",
            "--change-rate",
            "--search-runs",
            "--seed-parallelism",
            "--db-pool",
            "--db-durable",
            "--tick-ms",
            "--flush-ms",
            "--flush-parallelism",
            "--stale-after-ms",
            "--poll-ms",
            "--sync-timeout-s",
            "--sim-heap");

    static final String USAGE = "options: --clusters N (1000) --services S (100 per cluster, at least 10)"
            + " --namespaces NS (4) --changes K (200) --change-rate R (20 per second) --search-runs M (50)"
            + " --seed-parallelism P (4) --db-pool C (20) --db-durable true|false (true) --tick-ms (5000)"
            + " --flush-ms (250) --flush-parallelism (4) --stale-after-ms (15000) --poll-ms (20)"
            + " --sync-timeout-s (1200) --sim-heap 2g (each simulator; one per " + SimFleet.PER_SIMULATOR
            + " clusters)";

    /** Seeding the simulator (not part of the sync). */
    public record Seeding(Duration took, long objects, int calls) {}

    /**
     * The initial sync.
     *
     * @param firstRow from start to the first row in PostgreSQL
     * @param allSynced from start to every cluster's {@code synced_at}
     * @param took from start to every row and every {@code synced_at}
     * @param statuses the rows per status then; {@code expected} as seeded
     * @param flushes the flusher's writes then (one transaction per cluster and flush), their mean duration
     */
    public record Sync(
            Duration firstRow,
            Duration allSynced,
            Duration took,
            long rows,
            Map<ServiceStatus, Long> statuses,
            Map<ServiceStatus, Long> expected,
            long flushes,
            Duration flushMean,
            Duration flushMax,
            Cpu cpu) {

        double rowsPerSecond() {
            return rows / Math.max(0.001, took.toNanos() / 1e9);
        }
    }

    /** CPU used over a phase by this JVM, the simulator's, and the rest of the machine (PostgreSQL, other sessions). */
    public record Cpu(Duration driver, Duration simulator, Optional<Duration> rest) {}

    /** Heap after GC and threads. */
    public record Resources(
            long heapBefore,
            long heapWithCollectors,
            int collectors,
            int threadsBefore,
            int threadsWithCollectors,
            int peakThreads,
            long simHeap,
            int simThreads) {

        long perCluster() {
            return (heapWithCollectors - heapBefore) / Math.max(1, collectors);
        }
    }

    /** One kind of search: its runs' times, and what it found. */
    public record SearchKind(String name, List<Duration> times, long total, int items) {}

    /** The kinds of change. */
    public enum ChangeKind {
        POD_NOT_READY("a pod turns not ready: service Degraded"),
        NEW_SERVICE("a new service with a pod: row Healthy"),
        SERVICE_DELETED("a service is deleted: row gone"),
        INGRESS_HOST("an ingress adds a host: row has it");

        final String description;

        ChangeKind(String description) {
            this.description = description;
        }
    }

    /** One change: where, and what the board must show afterwards. */
    record Change(
            int index,
            ChangeKind kind,
            String cluster,
            String managementId,
            String namespace,
            String service,
            String host) {}

    /**
     * One change's times.
     *
     * @param write the API call (the acknowledgement ends it)
     * @param toBoard from the acknowledgement to the poll that saw the expected row; empty: not seen in time
     */
    public record ChangeTime(ChangeKind kind, String cluster, Duration write, Optional<Duration> toBoard) {}

    /**
     * The change phase.
     *
     * @param collectorTimer the values {@code kubeyard.serviceboard.change.latency} recorded during the phase
     * @param micrometer the timer's own p50 and p99 (Micrometer's decaying window) at the end of the phase
     */
    public record Changes(
            List<ChangeTime> times,
            Duration took,
            List<Duration> collectorTimer,
            Map<Double, Duration> micrometer,
            long timerCount) {

        List<Duration> seen() {
            return HealingSweepBench.sorted(
                    times.stream().flatMap(t -> t.toBoard().stream()).toList());
        }

        long missed() {
            return times.stream().filter(t -> t.toBoard().isEmpty()).count();
        }
    }

    /** What one run measured. */
    public record Result(
            Options options,
            String database,
            Duration simReady,
            Seeding seeding,
            Sync sync,
            Resources resources,
            List<SearchKind> searches,
            Changes changes) {

        public String report() {
            return ServiceBoardReport.of(this);
        }
    }

    private ServiceBoardBench() {}

    public static void main(String[] args) throws Exception {
        System.out.println(run(SimProcess.defaultJar(), Options.parse(args)).report());
        // Vert.x and the informers keep non-daemon threads; a CLI ends here.
        System.exit(0);
    }

    public static Result run(Path simJar, Options o) throws Exception {
        BoardSeed seed = new BoardSeed(o.services(), o.namespaces());
        long simStart = System.nanoTime();
        Path dataDir = Files.createTempDirectory("board-bench-pg");
        try (SimFleet sims = SimFleet.start(simJar, o.simHeap(), o.clusters());
                EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, o.dbDurable());
                AgroalDataSource dataSource = pool(db.jdbcUrl(), o.dbPool())) {
            List<Cluster> members = sims.clusters();
            Duration simReady = SimProcess.since(simStart);
            String database = describe(dataSource, db, o);
            progress(
                    "%d clusters usable in %d simulator(s) after %s; %s",
                    members.size(), sims.simulators(), time(simReady), database);
            inventory(dataSource, members);

            Seeding seeding = seed(seed, members, o.seedParallelism());
            progress(
                    "seeded %d objects in %d calls in %s (%.0f objects/s)",
                    seeding.objects(),
                    seeding.calls(),
                    time(seeding.took()),
                    seeding.objects() / Math.max(0.001, seeding.took().toNanos() / 1e9));

            long heapBefore = HealingSweepBench.heapAfterGc();
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            ManagementFactory.getThreadMXBean().resetPeakThreadCount();
            Vertx vertx = Vertx.vertx();
            RecordingMeterRegistry meters = new RecordingMeterRegistry(CHANGE_TIMER);
            ClusterClients clients = new ClusterClients(sims::kubernetesConfig, vertx);
            ClusterClients writers = new ClusterClients(sims::kubernetesConfig, vertx);
            BoardCollectors collectors =
                    new BoardCollectors(o.settings(), clients, dataSource, Clock.systemUTC(), meters, HOLDER);
            try {
                Sync sync = sync(collectors, dataSource, meters, sims, seed, members.size(), o.syncTimeout());
                progress(
                        "initial sync %s (first row %s, all synced_at %s): %d rows, %.0f rows/s, %d flushes; %s",
                        time(sync.took()),
                        time(sync.firstRow()),
                        time(sync.allSynced()),
                        sync.rows(),
                        sync.rowsPerSecond(),
                        sync.flushes(),
                        sync.statuses());

                long heapWith = HealingSweepBench.heapAfterGc();
                int threadsWith = ManagementFactory.getThreadMXBean().getThreadCount();
                int peak = ManagementFactory.getThreadMXBean().getPeakThreadCount();
                long simHeap = sims.heapUsedAfterGcBytes();
                int simThreads = sims.threads();
                Resources resources = new Resources(
                        heapBefore,
                        heapWith,
                        collectors.collecting().size(),
                        threadsBefore,
                        threadsWith,
                        peak,
                        simHeap,
                        simThreads);
                progress(
                        "heap after GC %s with %d collectors (%s before: %s each), %d platform threads (peak %d);"
                                + " simulator %s, %d threads",
                        mib(heapWith),
                        resources.collectors(),
                        mib(heapBefore),
                        HealingSweepBench.kib(resources.perCluster()),
                        threadsWith,
                        peak,
                        mib(simHeap),
                        simThreads);

                List<SearchKind> searches = search(new BoardSearch(dataSource), members, o.searchRuns());

                Changes changes = changes(writers, dataSource, meters, seed, members, o);
                return new Result(o, database, simReady, seeding, sync, resources, searches, changes);
            } finally {
                collectors.close();
                writers.close();
                clients.close();
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            HealthSweepBench.deleteTree(dataDir);
        }
    }

    static AgroalDataSource pool(String jdbcUrl, int size) throws SQLException {
        return AgroalDataSource.from(
                new AgroalDataSourceConfigurationSupplier().connectionPoolConfiguration(cp -> cp.maxSize(size)
                        .acquisitionTimeout(Duration.ofSeconds(30))
                        .connectionFactoryConfiguration(cf -> cf.jdbcUrl(jdbcUrl)
                                .principal(new NamePrincipal("postgres"))
                                .credential(new SimplePassword("postgres")))));
    }

    private static String describe(DataSource ds, EmbeddedDatabase db, Options o) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT current_setting('server_version'), current_setting('fsync'),"
                        + " current_setting('synchronous_commit'), current_setting('shared_buffers')")) {
            r.next();
            return "PostgreSQL " + r.getString(1) + " (fsync " + r.getString(2) + ", synchronous_commit "
                    + r.getString(3) + ", shared_buffers " + r.getString(4) + "), embedded (zonky), started in "
                    + time(db.startTime()) + ", migrated by Flyway in " + time(db.migrateTime()) + "; Agroal pool of "
                    + o.dbPool() + " connections";
        }
    }

    /** Ten teams and the clusters, Ready, round robin over the teams, as the inventory has them. */
    static void inventory(DataSource ds, List<Cluster> members) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement t = c.prepareStatement("INSERT INTO teams (name) VALUES (?)")) {
                for (int i = 0; i < TEAMS; i++) {
                    t.setString(1, team(i));
                    t.addBatch();
                }
                t.executeBatch();
            }
            try (PreparedStatement m = c.prepareStatement("INSERT INTO managed_clusters (name, team_id,"
                    + " kubernetes_version, rancher_name, rancher_management_id, phase)"
                    + " SELECT ?, id, 'v1.32.4+rke2r1', ?, ?, 'Ready' FROM teams WHERE name = ?")) {
                for (int i = 0; i < members.size(); i++) {
                    Cluster member = members.get(i);
                    m.setString(1, member.name());
                    m.setString(2, member.name());
                    m.setString(3, member.managementId());
                    m.setString(4, team(i));
                    m.addBatch();
                }
                m.executeBatch();
            }
            c.commit();
        }
    }

    static String team(int clusterIndex) {
        return "team-" + (clusterIndex % TEAMS);
    }

    /** Every cluster's objects through {@code POST /_sim/clusters/<name>/objects}, P clusters at once. */
    static Seeding seed(BoardSeed seed, List<Cluster> members, int parallelism) throws Exception {
        long t0 = System.nanoTime();
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        long objects = 0;
        List<Future<Integer>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(parallelism)) {
            for (Cluster m : members) {
                String cluster = m.name();
                futures.add(pool.submit(() -> {
                    int created = 0;
                    for (ArrayNode part : parts(seed.objects(cluster))) {
                        ObjectNode list = BoardSeed.JSON
                                .createObjectNode()
                                .put("apiVersion", "v1")
                                .put("kind", "List");
                        list.set("items", part);
                        JsonNode answer = BoardSeed.JSON.readTree(
                                m.sim().admin("/_sim/clusters/" + m.simName() + "/objects", list.toString()));
                        created += answer.path("created").asInt();
                        calls.incrementAndGet();
                    }
                    int n = done.incrementAndGet();
                    if (n % 100 == 0) {
                        progress("seeded %d clusters", n);
                    }
                    return created;
                }));
            }
            for (Future<Integer> f : futures) {
                objects += f.get();
            }
        }
        return new Seeding(SimProcess.since(t0), objects, calls.get());
    }

    /** The objects in parts of at most {@link #SEED_PART_BYTES} of JSON. */
    static List<ArrayNode> parts(List<ObjectNode> objects) {
        List<ArrayNode> out = new ArrayList<>();
        ArrayNode part = BoardSeed.JSON.createArrayNode();
        int bytes = 0;
        for (ObjectNode o : objects) {
            int size = o.toString().length();
            if (bytes + size > SEED_PART_BYTES && !part.isEmpty()) {
                out.add(part);
                part = BoardSeed.JSON.createArrayNode();
                bytes = 0;
            }
            part.add(o);
            bytes += size;
        }
        if (!part.isEmpty()) {
            out.add(part);
        }
        return out;
    }

    /** Starts the collectors and waits until every row is in and every cluster has {@code synced_at}. */
    static Sync sync(
            BoardCollectors collectors,
            DataSource ds,
            RecordingMeterRegistry meters,
            SimFleet sim,
            BoardSeed seed,
            int clusters,
            Duration timeout)
            throws Exception {
        long expectedRows = (long) clusters * seed.services();
        Duration driverCpu0 = HealingSweepBench.benchCpu();
        Duration simCpu0 = sim.cpuTime();
        Optional<Duration> machine0 = HealingSweepBench.machineBusyCpu();
        long t0 = System.nanoTime();
        collectors.start();
        Duration firstRow = null;
        Duration allSynced = null;
        long lastProgress = t0;
        long deadline = t0 + timeout.toNanos();
        long rows;
        while (true) {
            long[] counts = counts(ds);
            rows = counts[0];
            long now = System.nanoTime();
            if (firstRow == null && rows > 0) {
                firstRow = SimProcess.since(t0);
            }
            if (allSynced == null && counts[1] >= clusters) {
                allSynced = SimProcess.since(t0);
            }
            if (rows >= expectedRows && counts[1] >= clusters) {
                break;
            }
            if (now - lastProgress > TimeUnit.SECONDS.toNanos(10)) {
                progress(
                        "sync: %d of %d rows, %d of %d clusters synced after %s",
                        rows, expectedRows, counts[1], clusters, time(SimProcess.since(t0)));
                lastProgress = now;
            }
            if (now > deadline) {
                throw new IllegalStateException("the initial sync did not finish in " + time(timeout) + ": " + rows
                        + " of " + expectedRows + " rows, " + counts[1] + " of " + clusters + " clusters synced");
            }
            Thread.sleep(100);
        }
        Duration took = SimProcess.since(t0);
        Cpu cpu = cpu(driverCpu0, simCpu0, machine0, sim);
        Map<ServiceStatus, Long> expected = new EnumMap<>(ServiceStatus.class);
        seed.expectedStatuses().forEach((s, n) -> expected.put(s, n * clusters));
        Timer flush = meters.get(FLUSH_TIMER).timer();
        return new Sync(
                firstRow,
                allSynced,
                took,
                rows,
                statuses(ds),
                expected,
                flush.count(),
                Duration.ofNanos((long) flush.mean(TimeUnit.NANOSECONDS)),
                Duration.ofNanos((long) flush.max(TimeUnit.NANOSECONDS)),
                cpu);
    }

    private static Cpu cpu(Duration driver0, Duration sim0, Optional<Duration> machine0, SimFleet sim) {
        Duration driver = HealingSweepBench.benchCpu().minus(driver0);
        Duration simulator = sim.cpuTime().minus(sim0);
        Optional<Duration> rest = machine0.flatMap(m0 -> HealingSweepBench.machineBusyCpu()
                .map(m1 -> m1.minus(m0).minus(driver).minus(simulator)));
        return new Cpu(driver, simulator, rest);
    }

    /** Rows on the board, and clusters with {@code synced_at}. */
    private static long[] counts(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM board_services),"
                        + " (SELECT count(*) FROM board_clusters WHERE synced_at IS NOT NULL)")) {
            r.next();
            return new long[] {r.getLong(1), r.getLong(2)};
        }
    }

    static Map<ServiceStatus, Long> statuses(DataSource ds) throws SQLException {
        Map<ServiceStatus, Long> out = new EnumMap<>(ServiceStatus.class);
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT status, count(*) FROM board_services GROUP BY status")) {
            while (r.next()) {
                out.put(ServiceStatus.fromWireName(r.getString(1)), r.getLong(2));
            }
        }
        return out;
    }

    // ---- search ----------------------------------------------------------------------------------------------

    /** A query under construction: {@link BoardQuery#all}'s values until set. */
    static final class Q {
        Optional<Set<String>> teams = Optional.empty();
        Set<String> clusters = Set.of();
        Set<ServiceStatus> statuses = Set.of();
        Optional<String> text = Optional.empty();
        Optional<String> name = Optional.empty();
        List<LabelRequirement> labels = List.of();
        Optional<String> image = Optional.empty();
        Sort sort = Sort.STATUS;
        boolean descending;
        int limit = BoardQuery.DEFAULT_LIMIT;
        Optional<Position> after = Optional.empty();

        BoardQuery build() {
            return new BoardQuery(
                    teams, clusters, statuses, text, name, Set.of(), labels, image, sort, descending, limit, after);
        }
    }

    static BoardQuery query(Consumer<Q> how) {
        Q q = new Q();
        how.accept(q);
        return q.build();
    }

    /** The search mix, each kind warmed up then run M times. */
    static List<SearchKind> search(BoardSearch search, List<Cluster> members, int runs) {
        List<String> names = members.stream().map(Cluster::name).toList();
        String middle = names.get(names.size() / 2);
        Set<String> ten = new TreeSet<>();
        for (int i = 0; i < Math.min(10, names.size()); i++) {
            ten.add(names.get(i * names.size() / Math.min(10, names.size())));
        }
        Map<String, BoardQuery> kinds = new LinkedHashMap<>();
        kinds.put("free text, common (\"checkout\")", query(q -> q.text = Optional.of("checkout")));
        String host = BoardSeed.host(0, middle);
        kinds.put(
                "free text, one ingress host (\"" + host.substring(0, host.indexOf(".example")) + "\")",
                query(q -> q.text = Optional.of(host.substring(0, host.indexOf(".example")))));
        kinds.put("name part (\"ledger-4\")", query(q -> q.name = Optional.of("ledger-4")));
        kinds.put(
                "label selector (tier=cache,owner=squad-3)",
                query(q -> q.labels = LabelRequirement.parse("tier=cache,owner=squad-3")));
        kinds.put("image part (\"envoy:v1.31\")", query(q -> q.image = Optional.of("envoy:v1.31")));
        kinds.put("one cluster", query(q -> q.clusters = Set.of(middle)));
        kinds.put("ten clusters", query(q -> q.clusters = ten));
        kinds.put(
                "status Degraded or Down", query(q -> q.statuses = Set.of(ServiceStatus.DEGRADED, ServiceStatus.DOWN)));
        for (Sort sort : Sort.values()) {
            for (boolean desc : new boolean[] {false, true}) {
                kinds.put("sort " + sort.wireName() + (desc ? " desc" : " asc"), query(q -> {
                    q.sort = sort;
                    q.descending = desc;
                }));
            }
        }
        long total = search.search(BoardQuery.all(Optional.empty())).total();
        int depth = (int) Math.min(10_000, total / 2);
        Optional<Position> deep = cursorAt(search, depth);
        deep.ifPresent(p -> kinds.put(
                "deep page by cursor (name order, rows " + (depth + 1) + "-" + (depth + BoardQuery.DEFAULT_LIMIT) + ")",
                query(q -> {
                    q.sort = Sort.NAME;
                    q.after = Optional.of(p);
                })));
        kinds.put(
                "team scoping (3 of " + TEAMS + " teams)",
                query(q -> q.teams = Optional.of(Set.of(team(1), team(4), team(7)))));
        kinds.put("team scoping and free text (one team, \"payments/\")", query(q -> {
            q.teams = Optional.of(Set.of(team(2)));
            q.text = Optional.of("payments/");
        }));

        List<SearchKind> out = new ArrayList<>();
        for (Map.Entry<String, BoardQuery> kind : kinds.entrySet()) {
            BoardSearch.Page page = null;
            for (int i = 0; i < 3; i++) {
                page = search.search(kind.getValue());
            }
            List<Duration> times = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                search.search(kind.getValue());
                times.add(SimProcess.since(t0));
            }
            List<Duration> sorted = HealingSweepBench.sorted(times);
            out.add(new SearchKind(
                    kind.getKey(), sorted, page.total(), page.items().size()));
            progress(
                    "search %s: p50 %s, p99 %s; %d matches",
                    kind.getKey(),
                    ms(HealingSweepBench.percentile(sorted, 50)),
                    ms(HealingSweepBench.percentile(sorted, 99)),
                    page.total());
        }
        return out;
    }

    /** The position after the first {@code rows} rows in name order, reached page by page (500 a page). */
    private static Optional<Position> cursorAt(BoardSearch search, int rows) {
        Optional<Position> after = Optional.empty();
        int seen = 0;
        while (seen < rows) {
            int limit = Math.min(BoardQuery.MAX_LIMIT, rows - seen);
            Optional<Position> from = after;
            BoardSearch.Page page = search.search(query(q -> {
                q.sort = Sort.NAME;
                q.limit = limit;
                q.after = from;
            }));
            if (page.next().isEmpty()) {
                return Optional.empty();
            }
            after = Optional.of(Position.ofCursor(page.next().get()));
            seen += page.items().size();
        }
        return after;
    }

    // ---- changes ---------------------------------------------------------------------------------------------

    /** K changes spread evenly over the fleet, the kinds in turn. */
    static List<Change> plan(BoardSeed seed, List<Cluster> members, int count) {
        List<Change> out = new ArrayList<>();
        int n = members.size();
        ChangeKind[] kinds = ChangeKind.values();
        for (int j = 0; j < count; j++) {
            int clusterIndex = count <= n ? (int) ((long) j * n / count) : j % n;
            int round = count <= n ? 0 : j / n;
            Cluster m = members.get(clusterIndex);
            String cluster = m.name();
            String id = m.managementId();
            ChangeKind kind = kinds[j % kinds.length];
            out.add(
                    switch (kind) {
                        case POD_NOT_READY -> {
                            int i = seed.pick(BoardSeed.POD_NOT_READY, round);
                            yield new Change(j, kind, cluster, id, seed.namespace(i), BoardSeed.name(i), null);
                        }
                        case NEW_SERVICE -> new Change(j, kind, cluster, id, seed.namespace(0), "added-" + j, null);
                        case SERVICE_DELETED -> {
                            int i = seed.pick(BoardSeed.SERVICE_DELETED, round);
                            yield new Change(j, kind, cluster, id, seed.namespace(i), BoardSeed.name(i), null);
                        }
                        case INGRESS_HOST -> {
                            int i = seed.pick(BoardSeed.INGRESS_HOST, round);
                            yield new Change(
                                    j,
                                    kind,
                                    cluster,
                                    id,
                                    seed.namespace(i),
                                    BoardSeed.name(i),
                                    "extra-" + j + "." + cluster + ".example.com");
                        }
                    });
        }
        return out;
    }

    /** Makes the change through the cluster's API (the simulator's Rancher proxy); returns when it is acknowledged. */
    static void apply(KubernetesClient client, BoardSeed seed, Change c) {
        PatchContext merge = PatchContext.of(PatchType.JSON_MERGE);
        switch (c.kind()) {
            case POD_NOT_READY -> {
                int i = index(c.service());
                ObjectNode patch = BoardSeed.JSON.createObjectNode();
                patch.set("status", BoardSeed.podStatus(i, 0, false));
                client.pods()
                        .inNamespace(c.namespace())
                        .withName(c.service() + "-0")
                        .patch(merge, patch.toString());
            }
            case NEW_SERVICE -> {
                client.resource(BoardSeed.pod(c.namespace(), c.service(), 1, 0, true)
                                .toString())
                        .create();
                client.resource(BoardSeed.service(c.namespace(), c.service(), 1).toString())
                        .create();
            }
            case SERVICE_DELETED ->
                client.services()
                        .inNamespace(c.namespace())
                        .withName(c.service())
                        .delete();
            case INGRESS_HOST -> {
                int i = index(c.service());
                ObjectNode patch = BoardSeed.JSON.createObjectNode();
                patch.putObject("spec")
                        .set("rules", BoardSeed.rules(c.service(), List.of(BoardSeed.host(i, c.cluster()), c.host())));
                client.network()
                        .v1()
                        .ingresses()
                        .inNamespace(c.namespace())
                        .withName(c.service())
                        .patch(merge, patch.toString());
            }
        }
    }

    private static int index(String service) {
        return Integer.parseInt(service.substring(service.lastIndexOf('-') + 1));
    }

    /** Whether the board's row (null: none) shows the change. */
    static boolean shows(Change c, String status, List<String> hosts) {
        return switch (c.kind()) {
            case POD_NOT_READY -> ServiceStatus.DEGRADED.wireName().equals(status);
            case NEW_SERVICE -> ServiceStatus.HEALTHY.wireName().equals(status);
            case SERVICE_DELETED -> status == null;
            case INGRESS_HOST -> hosts.contains(c.host());
        };
    }

    /** A change written, not yet seen on the board. */
    private record Pending(Change change, long ackNanos, Duration write) {}

    static Changes changes(
            ClusterClients writers,
            DataSource ds,
            RecordingMeterRegistry meters,
            BoardSeed seed,
            List<Cluster> members,
            Options o)
            throws Exception {
        List<Change> plan = plan(seed, members, o.changes());
        // The writers' clients are made before the phase: their first request's cost is not a change's.
        for (Change c : plan) {
            writers.forCluster(c.managementId()).getKubernetesVersion();
        }
        Map<Integer, Pending> pending = new ConcurrentHashMap<>();
        Map<Integer, ChangeTime> done = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        long interval = (long) (1e9 / o.changeRate());
        Thread poller = Thread.ofPlatform().name("board-bench-poller").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(o.poll());
                    if (!pending.isEmpty()) {
                        poll(ds, pending, done);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (SQLException e) {
                    progress("poll failed: %s", e.getMessage());
                }
            }
        });
        try {
            for (Change c : plan) {
                long due = t0 + c.index() * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                long w0 = System.nanoTime();
                apply(writers.forCluster(c.managementId()), seed, c);
                long ack = System.nanoTime();
                pending.put(c.index(), new Pending(c, ack, Duration.ofNanos(ack - w0)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            poller.interrupt();
            poller.join();
        }
        long end = System.nanoTime();
        for (Pending p : pending.values()) {
            done.put(
                    p.change().index(),
                    new ChangeTime(p.change().kind(), p.change().cluster(), p.write(), Optional.empty()));
        }
        List<ChangeTime> times = new ArrayList<>();
        for (Change c : plan) {
            times.add(done.get(c.index()));
        }
        Timer timer = meters.get(CHANGE_TIMER).timer();
        Map<Double, Duration> published = new LinkedHashMap<>();
        HistogramSnapshot snapshot = timer.takeSnapshot();
        for (ValueAtPercentile v : snapshot.percentileValues()) {
            published.put(v.percentile(), Duration.ofNanos((long) v.value(TimeUnit.NANOSECONDS)));
        }
        Changes out = new Changes(
                times, Duration.ofNanos(end - t0), meters.recordedBetween(t0, end), published, timer.count());
        List<Duration> seen = out.seen();
        progress(
                "%d changes in %s: to board p50 %s, p95 %s, max %s; %d not seen",
                plan.size(),
                time(out.took()),
                ms(HealingSweepBench.percentile(seen, 50)),
                ms(HealingSweepBench.percentile(seen, 95)),
                ms(HealingSweepBench.percentile(seen, 100)),
                out.missed());
        return out;
    }

    /** One look at the rows of every pending change; those that show theirs are done. */
    private static void poll(DataSource ds, Map<Integer, Pending> pending, Map<Integer, ChangeTime> done)
            throws SQLException {
        List<Pending> now = List.copyOf(pending.values());
        ArrayNode keys = BoardSeed.JSON.createArrayNode();
        for (Pending p : now) {
            keys.addObject()
                    .put("i", p.change().index())
                    .put("c", p.change().cluster())
                    .put("n", p.change().namespace())
                    .put("s", p.change().service());
        }
        Map<Integer, String> status = new ConcurrentHashMap<>();
        Map<Integer, List<String>> hosts = new ConcurrentHashMap<>();
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT k.i, b.status, b.ingress_hosts"
                        + " FROM jsonb_to_recordset(CAST(? AS jsonb)) AS k(i int, c text, n text, s text)"
                        + " LEFT JOIN board_services b"
                        + " ON b.cluster_name = k.c AND b.namespace = k.n AND b.name = k.s")) {
            s.setString(1, keys.toString());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int i = r.getInt(1);
                    if (r.getString(2) != null) {
                        status.put(i, r.getString(2));
                    }
                    Array a = r.getArray(3);
                    List<String> h = new ArrayList<>();
                    if (a != null) {
                        for (Object o : (Object[]) a.getArray()) {
                            h.add((String) o);
                        }
                    }
                    hosts.put(i, h);
                }
            }
        }
        long seenAt = System.nanoTime();
        for (Pending p : now) {
            Change ch = p.change();
            if (shows(ch, status.get(ch.index()), hosts.getOrDefault(ch.index(), List.of()))) {
                pending.remove(ch.index());
                done.put(
                        ch.index(),
                        new ChangeTime(
                                ch.kind(),
                                ch.cluster(),
                                p.write(),
                                Optional.of(Duration.ofNanos(seenAt - p.ackNanos()))));
            }
        }
    }

    static void progress(String format, Object... args) {
        System.err.println("[service-board] " + String.format(format, args));
    }

    /** Milliseconds with one decimal (search and change latencies). */
    static String ms(Duration d) {
        return String.format("%.1f ms", d.toNanos() / 1e6);
    }
}
