package dev.kubeyard.bench;

import dev.kubeyard.health.check.CheckStatus;
import dev.kubeyard.health.check.Fetch;
import dev.kubeyard.health.check.Observation;
import dev.kubeyard.health.check.Observation.ClusterFacts;
import dev.kubeyard.health.probe.ClusterProbe;
import dev.kubeyard.health.probe.HealthClients;
import dev.kubeyard.inventory.kube.ClusterClients;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherException;
import dev.kubeyard.rancher.client.RancherToken;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * A full cluster-health sweep over N simulated clusters (issue 7: "A benchmark reports the time of a full health sweep
 * over 1,000 simulated clusters"). cluster-health's production code wherever it runs without Quarkus: the real
 * {@link ClusterProbe} (rancher-client for Rancher's view, a fabric8 client per cluster from {@link HealthClients} with
 * the call timeout and no retries, through the simulator's Rancher proxy over HTTP), the real pure checks, tracker and
 * alert planner, and the recording in one transaction per cluster with {@code HealthStore}'s SQL in an embedded
 * PostgreSQL ({@link PostgresHealthRecorder}) or in memory. The fan-out is {@code HealthService.sweep}'s: one Rancher
 * clusters list per sweep, then a virtual thread per cluster, at most {@code parallelism} at once under a semaphore,
 * each probing then recording its cluster while it holds its permit.
 *
 * <p>Phases: the cold sweep (the first: clients made, the simulator's in-memory API servers started, every cluster's
 * advanced checks due, as in production's first sweep), W warm sweeps with the simple checks only, W with the advanced
 * checks on every cluster (the worst case: in production all of them fall due in the same sweep, every
 * {@code advanced-interval}), heap and threads with every client cached, then the fault phase: U clusters whose API is
 * unreachable (the proxy answers 502) and S whose proxy path answers only after the call timeout, swept back to back.
 */
public final class HealthSweepBench {

    static final String TOKEN = "token-bench:benchsecret";

    /** The default of {@code kubeyard.health.advanced-interval}. */
    static final Duration ADVANCED_INTERVAL = Duration.ofMinutes(2);

    /** The calls of one probe, in the order {@link ClusterProbe} makes them. */
    static final List<String> CALLS =
            List.of("machines", "version", "readyz", "components", "nodes", "usage", "metrics");

    public enum Store {
        POSTGRES,
        MEMORY
    }

    /** Which clusters get the advanced checks in a sweep. */
    public enum Advanced {
        /** As production decides: those whose last advanced run is at least the advanced interval old, or never ran. */
        DUE,
        ALL,
        NONE
    }

    /**
     * What to run.
     *
     * @param callTimeout {@code kubeyard.health.call-timeout}: the clients' request and connect timeout
     * @param slowLatency how late the slow clusters' proxy answers (beyond the call timeout)
     * @param faultPhase the fault phase sweeps back to back for at least this long (and at least 2 sweeps): 40 s lets
     *     the default ClusterUnreachable rule (30 s) open its alerts
     * @param interval {@code kubeyard.health.interval}, for the detection time computed from the sweep time
     * @param rancherFaults after the fault phase, one sweep while Rancher's machines list answers after
     *     {@code slowLatency}, and one while it answers 503 (the probe's Rancher calls go through rancher-client with its
     *     own timeouts and retries)
     */
    public record Options(
            int clusters,
            int etcd,
            int controlPlane,
            int workers,
            int parallelism,
            int warmSweeps,
            Duration callTimeout,
            int unreachable,
            int slow,
            Duration slowLatency,
            Duration faultPhase,
            Store store,
            int dbPool,
            boolean dbDurable,
            Duration interval,
            boolean rancherFaults,
            String simHeap,
            Optional<Path> jfr) {

        public Options {
            if (clusters < 1 || etcd < 1 || controlPlane < 1 || workers < 0) {
                throw new IllegalArgumentException("at least one cluster, with an etcd and a control-plane machine");
            }
            if (parallelism < 1 || warmSweeps < 1 || dbPool < 1) {
                throw new IllegalArgumentException("parallelism, sweeps and the database pool must be positive");
            }
            if (unreachable < 0 || slow < 0 || unreachable + slow > clusters) {
                throw new IllegalArgumentException("unreachable and slow clusters are distinct: at most " + clusters);
            }
        }

        public static Options defaults() {
            return new Options(
                    1000,
                    1,
                    1,
                    3,
                    64,
                    10,
                    Duration.ofSeconds(5),
                    50,
                    20,
                    Duration.ofSeconds(8),
                    Duration.ofSeconds(40),
                    Store.POSTGRES,
                    20,
                    true,
                    Duration.ofSeconds(30),
                    false,
                    "2g",
                    Optional.empty());
        }

        public int machinesPerCluster() {
            return etcd + controlPlane + workers;
        }

        boolean faults() {
            return unreachable + slow > 0;
        }

        static Options parse(String[] args) {
            Options o = defaults();
            int clusters = o.clusters();
            int etcd = o.etcd();
            int cp = o.controlPlane();
            int workers = o.workers();
            int parallelism = o.parallelism();
            int sweeps = o.warmSweeps();
            Duration timeout = o.callTimeout();
            int unreachable = o.unreachable();
            int slow = o.slow();
            Duration slowLatency = o.slowLatency();
            Duration faultPhase = o.faultPhase();
            Store store = o.store();
            int pool = o.dbPool();
            boolean durable = o.dbDurable();
            Duration interval = o.interval();
            boolean rancherFaults = o.rancherFaults();
            String heap = o.simHeap();
            Optional<Path> jfr = o.jfr();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + arg + "\n" + USAGE);
                }
                String value = args[++i];
                switch (arg) {
                    case "--clusters" -> clusters = Integer.parseInt(value);
                    case "--demo-pools" -> {
                        String[] parts = value.split(",");
                        if (parts.length != 3) {
                            throw new IllegalArgumentException("--demo-pools wants etcd,controlplane,workers");
                        }
                        etcd = Integer.parseInt(parts[0].trim());
                        cp = Integer.parseInt(parts[1].trim());
                        workers = Integer.parseInt(parts[2].trim());
                    }
                    case "--parallelism" -> parallelism = Integer.parseInt(value);
                    case "--sweeps" -> sweeps = Integer.parseInt(value);
                    case "--call-timeout" -> timeout = seconds(value);
                    case "--unreachable" -> unreachable = Integer.parseInt(value);
                    case "--slow" -> slow = Integer.parseInt(value);
                    case "--slow-latency" -> slowLatency = seconds(value);
                    case "--fault-seconds" -> faultPhase = seconds(value);
                    case "--store" ->
                        store = switch (value) {
                            case "postgres" -> Store.POSTGRES;
                            case "memory" -> Store.MEMORY;
                            default -> throw new IllegalArgumentException("--store is postgres or memory");
                        };
                    case "--db-pool" -> pool = Integer.parseInt(value);
                    case "--db-durable" -> durable = Boolean.parseBoolean(value);
                    case "--interval" -> interval = seconds(value);
                    case "--rancher-faults" -> rancherFaults = Boolean.parseBoolean(value);
                    case "--sim-heap" -> heap = value;
                    case "--jfr" -> jfr = Optional.of(Path.of(value));
                    default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
                }
            }
            return new Options(
                    clusters,
                    etcd,
                    cp,
                    workers,
                    parallelism,
                    sweeps,
                    timeout,
                    unreachable,
                    slow,
                    slowLatency,
                    faultPhase,
                    store,
                    pool,
                    durable,
                    interval,
                    rancherFaults,
                    heap,
                    jfr);
        }

        private static Duration seconds(String value) {
            return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
        }
    }

    static final String USAGE = "options: --clusters N (1000) --demo-pools e,c,w (1,1,3) --parallelism P (64)"
            + " --sweeps W (10 warm sweeps of each kind) --call-timeout S (5) --unreachable U (50) --slow S (20)"
            + " --slow-latency S (8) --fault-seconds S (40) --store postgres|memory (postgres) --db-pool C (20)"
            + " --db-durable true|false (true: fsync and synchronous_commit on)"
            + " --interval S (30, for the detection time) --rancher-faults true|false (false: one sweep with Rancher's"
            + " machines list answering after the slow latency, one with it answering 503) --sim-heap 2g --jfr DIR";

    /** A cluster of the inventory as the sweep sees it ({@code HealthService.Member}). */
    record Member(ClusterFacts facts, String rancherName) {}

    /**
     * One cluster in one sweep.
     *
     * @param permitWaitNanos from the task's start to its permit
     * @param probeNanos {@link ClusterProbe#observe}
     * @param recordNanos the recording, connection wait included
     * @param sweepStartNanos {@link System#nanoTime()} when its sweep started
     * @param doneAtNanos {@link System#nanoTime()} when it was recorded
     * @param callMillis each call of the probe ({@link #CALLS}), -1 when not made
     */
    public record ClusterRun(
            String cluster,
            boolean advanced,
            long permitWaitNanos,
            long probeNanos,
            long recordNanos,
            long connectionWaitNanos,
            long sweepStartNanos,
            long doneAtNanos,
            CheckStatus status,
            CheckStatus api,
            String apiReason,
            List<Long> callMillis,
            int transitions,
            int opened,
            int resolved,
            List<String> notPassing) {}

    /**
     * One sweep.
     *
     * @param rancherList the one Rancher clusters list
     * @param after the queries after the fan-out (tracked clusters, purge, statuses, firing counts)
     */
    public record Sweep(
            Duration took,
            Duration rancherList,
            Duration after,
            List<ClusterRun> clusters,
            int failed,
            Optional<String> firstFailure,
            long startNanos) {

        Map<CheckStatus, Long> statuses() {
            Map<CheckStatus, Long> out = new EnumMap<>(CheckStatus.class);
            clusters.forEach(c -> out.merge(c.status(), 1L, Long::sum));
            return out;
        }

        /** How often each check did not pass ("check Status Reason"), over the clusters of the sweep. */
        Map<String, Long> notPassing() {
            Map<String, Long> out = new TreeMap<>();
            clusters.forEach(c -> c.notPassing().forEach(n -> out.merge(n, 1L, Long::sum)));
            return out;
        }

        int transitions() {
            return clusters.stream().mapToInt(ClusterRun::transitions).sum();
        }
    }

    /** CPU used over a phase: this JVM, the simulator's, PostgreSQL's processes, and the rest of the machine. */
    public record Cpu(Duration driver, Duration simulator, Duration database, Optional<Duration> other) {

        Cpu per(int sweeps) {
            int n = Math.max(1, sweeps);
            return new Cpu(
                    driver.dividedBy(n), simulator.dividedBy(n), database.dividedBy(n), other.map(d -> d.dividedBy(n)));
        }
    }

    /** Sweeps of one kind, and the CPU they used. */
    public record Phase(String name, List<Sweep> sweeps, Cpu cpu) {

        List<Duration> times() {
            return sweeps.stream().map(Sweep::took).toList();
        }

        Duration p50() {
            return HealingSweepBench.percentile(HealingSweepBench.sorted(times()), 50);
        }

        Duration max() {
            return HealingSweepBench.percentile(HealingSweepBench.sorted(times()), 100);
        }

        Cpu perSweep() {
            return cpu.per(sweeps.size());
        }
    }

    /**
     * Heap used after GC and threads.
     *
     * @param heapWithClients this JVM after the warm sweeps, every cluster's client cached
     * @param threadsWithClients platform threads of this JVM then; {@code peakThreads} the most since the start
     */
    public record Resources(
            long heapBaseline,
            long heapWithClients,
            int clients,
            long heapAfterClose,
            int threadsBaseline,
            int threadsWithClients,
            int peakThreads,
            long simHeap,
            int simThreads) {}

    /** The fault phase. */
    public record Faults(
            Set<String> unreachable,
            Set<String> slow,
            Phase phase,
            Map<String, Long> injectedAt,
            Map<String, Long> firingAfter,
            long alertsOpened) {}

    /** A sweep while Rancher's machines list answered late, and one while it answered 503. */
    public record RancherFaults(Duration latency, Sweep slow, Sweep failing) {}

    /** What one run measured. */
    public record Result(
            Options options,
            String store,
            Duration simReady,
            Sweep cold,
            Cpu coldCpu,
            Phase simple,
            Phase advanced,
            Resources resources,
            Map<String, Long> storeCallsPerWarmSweep,
            Optional<Faults> faults,
            Optional<RancherFaults> rancherFaults) {

        public String report() {
            return HealthSweepReport.of(this);
        }
    }

    private HealthSweepBench() {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Result r = run(
                Path.of(System.getProperty("kubeyard.sim.jar", "bench/target/sim/rancher-sim-standalone.jar")),
                options);
        System.out.println(r.report());
        // SmallRye Fault Tolerance's stand-alone runtime and Vert.x keep non-daemon threads; a CLI ends here.
        System.exit(0);
    }

    public static Result run(Path simJar, Options o) throws Exception {
        long heapBaseline = HealingSweepBench.heapAfterGc();
        int threadsBaseline = ManagementFactory.getThreadMXBean().getThreadCount();
        List<String> simArgs = List.of(
                "--timing",
                "fast",
                "--clusters",
                Integer.toString(o.clusters()),
                "--demo-pools",
                o.etcd() + "," + o.controlPlane() + "," + o.workers());
        long simStart = System.nanoTime();
        Path dataDir = Files.createTempDirectory("health-bench-pg");
        try (SimProcess sim = SimProcess.start(simJar, o.simHeap(), simArgs);
                RancherClient rancher = RancherClient.create(RancherClientConfig.builder(
                                sim.url(), RancherToken.of(TOKEN))
                        // platform-api's defaults: kubeyard.platform.rancher.call-timeout-seconds 30, read-retries 3
                        .callTimeout(Duration.ofSeconds(30))
                        .readRetries(3)
                        .build());
                HealthRecorder recorder = o.store() == Store.POSTGRES
                        ? PostgresHealthRecorder.start(dataDir, o.dbPool(), o.dbDurable())
                        : new InMemoryHealthRecorder()) {
            List<Member> members = members(rancher, o.clusters());
            Duration simReady = SimProcess.since(simStart);
            progress(
                    "%d clusters usable in the simulator after %s; store: %s",
                    members.size(), time(simReady), recorder.describe());
            Vertx vertx = Vertx.vertx();
            ClusterClients clients = HealthClients.create(rancher::kubernetesConfig, o.callTimeout(), vertx);
            try {
                ClusterProbe probe = new ClusterProbe(rancher, clients::forCluster, o.callTimeout(), Clock.systemUTC());
                Sweeper sweeper = new Sweeper(rancher, probe, recorder, members, o.parallelism());
                Meter meter = new Meter(sim, recorder);
                ManagementFactory.getThreadMXBean().resetPeakThreadCount();

                Meter.Mark m = meter.mark();
                Sweep cold = sweeper.sweep(Advanced.DUE);
                Cpu coldCpu = meter.since(m);
                progress(
                        "cold sweep %s (%d advanced), %s; %d failed",
                        time(cold.took()),
                        cold.clusters().stream().filter(ClusterRun::advanced).count(),
                        cold.statuses(),
                        cold.failed());

                Map<String, Long> callsBefore = recorder.calls();
                Phase simple = phase("simple", sweeper, meter, Advanced.NONE, o.warmSweeps(), sim, o.jfr());
                Map<String, Long> perSweep = new TreeMap<>();
                recorder.calls()
                        .forEach((k, v) -> perSweep.put(k, (v - callsBefore.getOrDefault(k, 0L)) / o.warmSweeps()));
                Phase advanced = phase("advanced", sweeper, meter, Advanced.ALL, o.warmSweeps(), sim, o.jfr());

                long heapWithClients = HealingSweepBench.heapAfterGc();
                int cached = clients.open().size();
                int threadsWithClients = ManagementFactory.getThreadMXBean().getThreadCount();
                int peak = ManagementFactory.getThreadMXBean().getPeakThreadCount();
                long simHeap = sim.heapUsedAfterGcBytes();
                int simThreads = sim.threads();
                progress(
                        "heap after GC %s with %d clients, %d platform threads (peak %d); simulator %s, %d threads",
                        mib(heapWithClients), cached, threadsWithClients, peak, mib(simHeap), simThreads);

                Optional<Faults> faults = o.faults()
                        ? Optional.of(faultPhase(sim, sweeper, meter, recorder, members, o))
                        : Optional.empty();

                Optional<RancherFaults> rancherFaults =
                        o.rancherFaults() ? Optional.of(rancherPhase(sim, sweeper, o.slowLatency())) : Optional.empty();

                clients.close();
                long heapAfterClose = HealingSweepBench.heapAfterGc();
                Resources resources = new Resources(
                        heapBaseline,
                        heapWithClients,
                        cached,
                        heapAfterClose,
                        threadsBaseline,
                        threadsWithClients,
                        peak,
                        simHeap,
                        simThreads);
                return new Result(
                        o,
                        recorder.describe(),
                        simReady,
                        cold,
                        coldCpu,
                        simple,
                        advanced,
                        resources,
                        perSweep,
                        faults,
                        rancherFaults);
            } finally {
                clients.close();
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            deleteTree(dataDir);
        }
    }

    private static Phase phase(
            String name, Sweeper sweeper, Meter meter, Advanced mode, int count, SimProcess sim, Optional<Path> jfr)
            throws IOException, InterruptedException, ParseException {
        Optional<Recording> recording = Optional.empty();
        if (jfr.isPresent()) {
            Files.createDirectories(jfr.get());
            Recording r = new Recording(Configuration.getConfiguration("profile"));
            r.setToDisk(true);
            r.setDestination(jfr.get().resolve(name + ".jfr"));
            r.start();
            sim.startRecording(jfr.get().resolve("sim-" + name + ".jfr"));
            recording = Optional.of(r);
        }
        Meter.Mark m = meter.mark();
        List<Sweep> sweeps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Sweep s = sweeper.sweep(mode);
            sweeps.add(s);
            progress(
                    "%s sweep %d: %s, %s%s",
                    name,
                    i + 1,
                    time(s.took()),
                    s.statuses(),
                    s.failed() > 0
                            ? ", " + s.failed() + " failed: " + s.firstFailure().orElse("")
                            : "");
        }
        Cpu cpu = meter.since(m);
        if (recording.isPresent()) {
            recording.get().stop();
            recording.get().close();
            sim.stopRecording();
        }
        return new Phase(name, sweeps, cpu);
    }

    private static Faults faultPhase(
            SimProcess sim, Sweeper sweeper, Meter meter, HealthRecorder recorder, List<Member> members, Options o)
            throws Exception {
        int n = members.size();
        Set<Integer> taken = new HashSet<>();
        List<Member> unreachable = new ArrayList<>();
        for (int j = 0; j < o.unreachable(); j++) {
            unreachable.add(members.get(free(taken, (int) ((long) j * n / o.unreachable()), n)));
        }
        List<Member> slow = new ArrayList<>();
        for (int j = 0; j < o.slow(); j++) {
            int at = (int) ((long) j * n / o.slow() + n / (2L * o.slow()));
            slow.add(members.get(free(taken, at, n)));
        }
        Map<String, Long> injectedAt = new LinkedHashMap<>();
        for (Member u : unreachable) {
            sim.admin("/_sim/clusters/" + u.facts().name() + "/api", "{\"reachable\":false}");
            injectedAt.put(u.facts().name(), System.nanoTime());
        }
        for (Member s : slow) {
            sim.admin(
                    "/_sim/latency",
                    "{\"millis\":" + o.slowLatency().toMillis() + ",\"pathPrefix\":\"/k8s/clusters/"
                            + s.facts().managementId().orElseThrow() + "/\"}");
            injectedAt.put(s.facts().name(), System.nanoTime());
        }
        progress(
                "faults: %d clusters unreachable, %d answering after %s; sweeping for %s",
                unreachable.size(), slow.size(), time(o.slowLatency()), time(o.faultPhase()));
        Meter.Mark m = meter.mark();
        long start = System.nanoTime();
        List<Sweep> sweeps = new ArrayList<>();
        while (sweeps.size() < 2 || System.nanoTime() - start < o.faultPhase().toNanos()) {
            Sweep s = sweeper.sweep(Advanced.NONE);
            sweeps.add(s);
            progress(
                    "fault sweep %d: %s, %s, %d alerts opened",
                    sweeps.size(),
                    time(s.took()),
                    s.statuses(),
                    s.clusters().stream().mapToInt(ClusterRun::opened).sum());
        }
        Cpu cpu = meter.since(m);
        Map<String, Long> firing = recorder.firingByRule();
        long opened = sweeps.stream()
                .flatMap(s -> s.clusters().stream())
                .mapToLong(ClusterRun::opened)
                .sum();
        for (Member u : unreachable) {
            sim.admin("/_sim/clusters/" + u.facts().name() + "/api", "{\"reachable\":true}");
        }
        for (Member s : slow) {
            sim.admin(
                    "/_sim/latency",
                    "{\"millis\":0,\"pathPrefix\":\"/k8s/clusters/"
                            + s.facts().managementId().orElseThrow() + "/\"}");
        }
        return new Faults(
                unreachable.stream()
                        .map(u -> u.facts().name())
                        .collect(Collectors.toCollection(java.util.TreeSet::new)),
                slow.stream().map(s -> s.facts().name()).collect(Collectors.toCollection(java.util.TreeSet::new)),
                new Phase("faults", sweeps, cpu),
                injectedAt,
                firing,
                opened);
    }

    /** The path of rancher-client's machines list (Steve's {@code cluster.x-k8s.io.machines}). */
    static final String MACHINES_PATH = "/v1/cluster.x-k8s.io.machines";

    private static RancherFaults rancherPhase(SimProcess sim, Sweeper sweeper, Duration latency) throws Exception {
        sim.admin("/_sim/latency", "{\"millis\":" + latency.toMillis() + ",\"pathPrefix\":\"" + MACHINES_PATH + "\"}");
        progress("Rancher's machines list answers after %s", time(latency));
        Sweep slow = sweeper.sweep(Advanced.NONE);
        sim.admin("/_sim/latency", "{\"millis\":0,\"pathPrefix\":\"" + MACHINES_PATH + "\"}");
        progress("sweep with Rancher slow: %s, %s", time(slow.took()), slow.statuses());
        sim.admin(
                "/_sim/errors",
                "{\"rate\":1.0,\"status\":503,\"mode\":\"status\",\"pathPrefix\":\"" + MACHINES_PATH + "\"}");
        progress("Rancher's machines list answers 503");
        Sweep failing = sweeper.sweep(Advanced.NONE);
        sim.admin("/_sim/errors", "{\"rate\":0}");
        progress("sweep with Rancher failing: %s, %s", time(failing.took()), failing.statuses());
        return new RancherFaults(latency, slow, failing);
    }

    private static int free(Set<Integer> taken, int at, int n) {
        int i = at % n;
        while (!taken.add(i)) {
            i = (i + 1) % n;
        }
        return i;
    }

    /** {@code HealthService.sweep} without Quarkus: the same fan-out, the same order of work. */
    static final class Sweeper {

        private final RancherClient rancher;
        private final ClusterProbe probe;
        private final HealthRecorder recorder;
        private final List<Member> members;
        private final int parallelism;

        Sweeper(RancherClient rancher, ClusterProbe probe, HealthRecorder recorder, List<Member> members, int p) {
            this.rancher = rancher;
            this.probe = probe;
            this.recorder = recorder;
            this.members = members;
            this.parallelism = p;
        }

        Sweep sweep(Advanced mode) {
            long start = System.nanoTime();
            Instant now = Instant.now();
            Optional<Map<String, Fetch<ProvisioningCluster>>> listed = listRancherClusters();
            Duration listTook = SimProcess.since(start);
            Map<String, Instant> advancedAt = recorder.advancedTimes();
            ConcurrentLinkedQueue<ClusterRun> runs = new ConcurrentLinkedQueue<>();
            AtomicInteger failed = new AtomicInteger();
            AtomicReference<String> firstFailure = new AtomicReference<>();
            Semaphore permits = new Semaphore(Math.max(1, parallelism));
            try (ExecutorService executor = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("kubeyard-health-", 0).factory())) {
                for (Member member : members) {
                    executor.submit(() -> {
                        long submitted = System.nanoTime();
                        try {
                            permits.acquire();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        try {
                            long permitted = System.nanoTime();
                            Instant last = advancedAt.get(member.facts().name());
                            boolean advanced =
                                    switch (mode) {
                                        case ALL -> true;
                                        case NONE -> false;
                                        case DUE ->
                                            last == null
                                                    || !Duration.between(last, Instant.now())
                                                            .minus(ADVANCED_INTERVAL)
                                                            .isNegative();
                                    };
                            Optional<Fetch<ProvisioningCluster>> fromList = listed.map(byName -> byName.getOrDefault(
                                    member.rancherName(),
                                    Fetch.failed(Fetch.Failure.NOT_SERVED, "Rancher does not list the cluster", 0)));
                            Observation observation = probe.observe(
                                    new ClusterProbe.Target(member.facts(), member.rancherName(), fromList), advanced);
                            long probed = System.nanoTime();
                            HealthRecorder.Recorded r = recorder.record(
                                    member.facts(), observation, TimeUnit.NANOSECONDS.toMillis(probed - permitted));
                            long recorded = System.nanoTime();
                            runs.add(new ClusterRun(
                                    member.facts().name(),
                                    advanced,
                                    permitted - submitted,
                                    probed - permitted,
                                    recorded - probed,
                                    r.connectionWaitNanos(),
                                    start,
                                    recorded,
                                    r.status(),
                                    r.apiReachable(),
                                    r.apiReason(),
                                    callMillis(observation),
                                    r.transitions(),
                                    r.opened(),
                                    r.resolved(),
                                    r.notPassing()));
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                            firstFailure.compareAndSet(null, member.facts().name() + ": " + e);
                        } finally {
                            permits.release();
                        }
                    });
                }
            }
            long fannedOut = System.nanoTime();
            Set<String> live = new HashSet<>();
            members.forEach(m -> live.add(m.facts().name()));
            recorder.afterSweep(live, now);
            long end = System.nanoTime();
            return new Sweep(
                    Duration.ofNanos(end - start),
                    listTook,
                    Duration.ofNanos(end - fannedOut),
                    List.copyOf(runs),
                    failed.get(),
                    Optional.ofNullable(firstFailure.get()),
                    start);
        }

        /** {@code HealthService.listRancherClusters}. */
        private Optional<Map<String, Fetch<ProvisioningCluster>>> listRancherClusters() {
            long start = System.nanoTime();
            try {
                Map<String, Fetch<ProvisioningCluster>> out = new HashMap<>();
                List<ProvisioningCluster> all = rancher.clusters().list();
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                for (ProvisioningCluster c : all) {
                    out.put(c.name(), Fetch.ok(c, took));
                }
                return Optional.of(out);
            } catch (RancherException e) {
                return Optional.empty();
            }
        }
    }

    private static List<Long> callMillis(Observation o) {
        List<Fetch<?>> fetches =
                List.of(o.machines(), o.version(), o.readyz(), o.components(), o.nodes(), o.usage(), o.metrics());
        List<Long> out = new ArrayList<>(fetches.size());
        for (Fetch<?> f : fetches) {
            out.add(f instanceof Fetch.Skipped<?> ? -1L : f.millis());
        }
        return List.copyOf(out);
    }

    /** The simulator's clusters, once every one is usable, as the inventory would list them. */
    static List<Member> members(RancherClient rancher, int clusters) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        List<ProvisioningCluster> usable;
        while ((usable = rancher.clusters().list().stream()
                                .filter(ProvisioningCluster::isUsable)
                                .filter(c -> c.managementId().isPresent())
                                .sorted(Comparator.comparing(ProvisioningCluster::name))
                                .toList())
                        .size()
                < clusters) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("clusters not usable within 10 minutes");
            }
            Thread.sleep(250);
        }
        Instant created = Instant.now().minus(Duration.ofDays(1));
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < usable.size(); i++) {
            ProvisioningCluster c = usable.get(i);
            out.add(new Member(
                    new ClusterFacts(c.name(), "team-" + (i % 10), "Ready", created, c.managementId(), false),
                    c.name()));
        }
        return out;
    }

    /** CPU of the processes involved, between two marks. */
    static final class Meter {

        record Mark(Duration driver, Duration simulator, Duration database, Optional<Duration> machine) {}

        private final SimProcess sim;
        private final HealthRecorder recorder;

        Meter(SimProcess sim, HealthRecorder recorder) {
            this.sim = sim;
            this.recorder = recorder;
        }

        private Duration database() {
            return recorder instanceof PostgresHealthRecorder pg ? pg.cpuTime() : Duration.ZERO;
        }

        Mark mark() {
            return new Mark(
                    HealingSweepBench.benchCpu(), sim.cpuTime(), database(), HealingSweepBench.machineBusyCpu());
        }

        Cpu since(Mark m) {
            Duration driver = HealingSweepBench.benchCpu().minus(m.driver());
            Duration simulator = sim.cpuTime().minus(m.simulator());
            Duration db = database().minus(m.database());
            Optional<Duration> other = m.machine().flatMap(before -> HealingSweepBench.machineBusyCpu()
                    .map(after ->
                            after.minus(before).minus(driver).minus(simulator).minus(db)));
            return new Cpu(driver, simulator, db, other);
        }
    }

    // ---- figures -----------------------------------------------------------------------------------------------

    /** Sorted durations of one figure of the clusters that pass the filter, over the given sweeps. */
    static List<Duration> perCluster(
            List<Sweep> sweeps, Predicate<ClusterRun> which, java.util.function.ToLongFunction<ClusterRun> nanos) {
        List<Duration> out = new ArrayList<>();
        for (Sweep s : sweeps) {
            for (ClusterRun c : s.clusters()) {
                if (which.test(c)) {
                    out.add(Duration.ofNanos(nanos.applyAsLong(c)));
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Sorted milliseconds of one call of the probe, where it was made. */
    static List<Duration> callTimes(List<Sweep> sweeps, String call, Predicate<ClusterRun> which) {
        int i = CALLS.indexOf(call);
        List<Duration> out = new ArrayList<>();
        for (Sweep s : sweeps) {
            for (ClusterRun c : s.clusters()) {
                long ms = c.callMillis().get(i);
                if (which.test(c) && ms >= 0) {
                    out.add(Duration.ofMillis(ms));
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Counts of (api-reachable status, reason) among the clusters of a sweep that pass the filter. */
    static Map<String, Long> apiOutcomes(Sweep s, Predicate<ClusterRun> which) {
        Map<String, Long> out = new TreeMap<>();
        s.clusters().stream()
                .filter(which)
                .forEach(c -> out.merge(c.api().wireName() + " " + c.apiReason(), 1L, Long::sum));
        return out;
    }

    static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // left in /tmp
                }
            });
        } catch (IOException ignored) {
            // left in /tmp
        }
    }

    static void progress(String format, Object... args) {
        System.err.println("[health-sweep] " + String.format(format, args));
    }

    static String time(Duration d) {
        return HealingSweepBench.time(d);
    }

    static String mib(long bytes) {
        return HealingSweepBench.mib(bytes);
    }
}
