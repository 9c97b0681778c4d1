package dev.kubeyard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.inventory.kube.ClusterClients;
import dev.kubeyard.nodepool.control.HealingCycle;
import dev.kubeyard.nodepool.control.HealingCycle.Outcome;
import dev.kubeyard.nodepool.control.HealingCycle.SweepOutcome;
import dev.kubeyard.nodepool.healing.HealingDecision;
import dev.kubeyard.nodepool.healing.HealingHistory.ReplacementOutcome;
import dev.kubeyard.nodepool.healing.HealingPlan;
import dev.kubeyard.nodepool.healing.HealingPolicy;
import dev.kubeyard.nodepool.healing.NodeRole;
import dev.kubeyard.nodepool.healing.RolePolicy;
import dev.kubeyard.nodepool.observe.HealingObserver;
import dev.kubeyard.nodepool.observe.HealingObserver.ClusterTarget;
import dev.kubeyard.nodepool.observe.HealingObserver.PoolTarget;
import dev.kubeyard.nodepool.observe.NodeObservations;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherToken;
import dev.kubeyard.rancher.client.machine.Machine;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Node pool auto-healing at fleet scale: the {@link HealingCycle} of nodepool-controller sweeping N simulated clusters
 * of M nodes each in rancher-sim, with its real observer (rancher-client for the machines, a fabric8 client per
 * cluster through Rancher's proxy for the nodes and their events) and an in-memory ledger in place of PostgreSQL.
 * Reports the sweep time over a healthy fleet (cold and warm), the heap of this JVM (the controller's side) and of the
 * simulator, then fails K workers in K clusters while sweeping and reports the time from each failure to its
 * replacement request, and checks that each failed machine got exactly one deletion.
 *
 * <p>{@code ./mvnw -B -q -pl bench compile exec:java@healing-sweep -Dexec.args="--clusters 1000 --machines 20"}
 */
public final class HealingSweepBench {

    /** The default of {@code kubeyard.healing.lease-ttl}. */
    static final Duration LEASE_TTL = Duration.ofMinutes(2);

    private static final String TOKEN = "token-bench:benchsecret";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What to run.
     *
     * @param etcd machines of each cluster's etcd pool (and so for the two others)
     * @param warmSweeps sweeps over the healthy fleet after the first
     * @param failures workers made NotReady, one in each of as many clusters (0: no failure phase)
     * @param fleets fleet keys the clusters are spread over, in blocks of consecutive clusters
     * @param fleetLimitPerHour the fleet budget: replacements per fleet key per hour
     * @param notReadyTimeout how long a worker may be NotReady before it is replaced
     * @param interval start-to-start time of the failure phase's sweeps; zero: back to back
     */
    public record Options(
            int clusters,
            int etcd,
            int controlPlane,
            int workers,
            int parallelism,
            int warmSweeps,
            int failures,
            int fleets,
            int fleetLimitPerHour,
            Duration notReadyTimeout,
            Duration interval,
            String simHeap) {

        public Options {
            if (clusters < 1 || etcd < 1 || controlPlane < 1 || workers < 1) {
                throw new IllegalArgumentException("at least one cluster, with at least one machine in each pool");
            }
            if (parallelism < 1 || warmSweeps < 1 || fleets < 1 || fleetLimitPerHour < 0) {
                throw new IllegalArgumentException("parallelism, sweeps and fleets must be positive");
            }
            if (failures < 0 || failures > clusters) {
                throw new IllegalArgumentException("failures go to distinct clusters: 0 to " + clusters);
            }
            if (notReadyTimeout.isNegative() || interval.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative");
            }
        }

        public static Options defaults() {
            return new Options(1000, 3, 2, 15, 8, 10, 50, 10, 20, Duration.ofSeconds(10), Duration.ZERO, "2g");
        }

        public int machinesPerCluster() {
            return etcd + controlPlane + workers;
        }

        static Options parse(String[] args) {
            Options o = defaults();
            int clusters = o.clusters();
            int etcd = o.etcd();
            int cp = o.controlPlane();
            int workers = o.workers();
            int parallelism = o.parallelism();
            int sweeps = o.warmSweeps();
            int failures = o.failures();
            int fleets = o.fleets();
            int fleetLimit = o.fleetLimitPerHour();
            Duration timeout = o.notReadyTimeout();
            Duration interval = o.interval();
            String heap = o.simHeap();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + arg + "\n" + USAGE);
                }
                String value = args[++i];
                switch (arg) {
                    case "--clusters" -> clusters = Integer.parseInt(value);
                    case "--machines" -> {
                        int machines = Integer.parseInt(value);
                        if (machines < 6) {
                            throw new IllegalArgumentException("--machines M needs M >= 6 (etcd 3, control plane 2)");
                        }
                        etcd = 3;
                        cp = 2;
                        workers = machines - 5;
                    }
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
                    case "--failures" -> failures = Integer.parseInt(value);
                    case "--fleets" -> fleets = Integer.parseInt(value);
                    case "--fleet-limit" -> fleetLimit = Integer.parseInt(value);
                    case "--not-ready-seconds" -> timeout = seconds(value);
                    case "--interval" -> interval = seconds(value);
                    case "--sim-heap" -> heap = value;
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
                    failures,
                    fleets,
                    fleetLimit,
                    timeout,
                    interval,
                    heap);
        }

        private static Duration seconds(String value) {
            return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
        }
    }

    static final String USAGE = "options: --clusters N (1000) --machines M (20: etcd 3, control plane 2, workers M-5)"
            + " | --demo-pools e,c,w (3,2,15) --parallelism P (8) --sweeps W (10 warm sweeps) --failures K (50)"
            + " --fleets F (10) --fleet-limit L (20 per fleet key per hour) --not-ready-seconds S (10)"
            + " --interval S (0: sweeps back to back) --sim-heap 2g";

    /**
     * The healthy fleet's sweeps.
     *
     * @param simWarmUp the first call to every cluster's API, made before the cold sweep: the simulator starts each
     *     cluster's in-memory API server then (a cost of the simulator, not of Rancher or the controller)
     * @param cold the first sweep: this JVM's first use of each cluster's client (made then) and of the code
     * @param warm the sweeps after it, in the order they ran
     * @param notObservedMax the most clusters of one sweep not evaluated or not seen (0 expected)
     * @param ledgerCallsPerWarmSweep calls per ledger method, the average of the warm sweeps
     * @param decisionRowsPerWarmSweep decision rows PostgreSQL would have written per warm sweep
     * @param leaseHeld how long each evaluation lease of the warm sweeps was held, lease to release, sorted
     * @param otherCpuPerWarmSweep CPU the rest of the machine used per warm sweep (all busy CPU less both JVMs'), where
     *     Linux's {@code /proc/stat} tells: other work on a small machine skews every figure
     */
    public record Sweeps(
            Duration simWarmUp,
            Duration cold,
            List<Duration> warm,
            int notObservedMax,
            Map<String, Long> ledgerCallsPerWarmSweep,
            long decisionRowsPerWarmSweep,
            List<Duration> leaseHeld,
            Duration benchCpuPerWarmSweep,
            Duration simCpuPerWarmSweep,
            Optional<Duration> otherCpuPerWarmSweep) {

        public Duration warmP50() {
            return percentile(sorted(warm), 50);
        }

        public Duration warmMax() {
            return percentile(sorted(warm), 100);
        }
    }

    /**
     * Heap in use after a full collection, and live threads.
     *
     * @param baselineBytes this JVM before the bench made anything
     * @param afterSweepsBytes this JVM after the warm sweeps, every cluster's client cached
     * @param afterCloseBytes this JVM at the end, after the clients were closed
     */
    public record Heap(
            long baselineBytes,
            long afterSweepsBytes,
            int cachedClients,
            long afterCloseBytes,
            int threadsBaseline,
            int threadsAfterSweeps,
            long simBytes) {}

    /**
     * The failure phase.
     *
     * @param fleetKeys distinct fleet keys among the failed clusters
     * @param injectedOver the failures were injected evenly over this time (the interval, else a warm sweep's p50),
     *     so that their timeouts run out at every point of the sweep cycle
     * @param failToRequest per requested failure, from the fail call's answer to the request, sorted
     * @param cycleRequestedAfter the cycle's own figure per request, from the Ready condition's transition (whole
     *     seconds in the simulator), sorted
     * @param cycleDetectedAfter the cycle's own figure per request, from the transition to the first decision recorded
     *     about the machine, sorted
     * @param sweeps the phase's sweeps, in order
     * @param exactlyOneDeletion failed machines the simulator counts exactly one DELETE for
     * @param simDeletions every DELETE of a machine the simulator accepted, all clusters
     * @param notRequested failures never requested, by the reason of the last decision about them
     * @param otherCpu CPU the rest of the machine used during the phase (see {@link Sweeps#otherCpuPerWarmSweep})
     */
    public record Failures(
            int injected,
            int fleetKeys,
            Duration injectedOver,
            int requested,
            int maxRequestsPerMachine,
            int otherMachinesRequested,
            List<Duration> failToRequest,
            List<Duration> cycleRequestedAfter,
            List<Duration> cycleDetectedAfter,
            List<Duration> sweeps,
            int exactlyOneDeletion,
            long simDeletions,
            int settledSucceeded,
            int settledFailed,
            Map<String, Integer> notRequested,
            Optional<String> notRequestedExample,
            Duration took,
            Optional<Duration> otherCpu) {

        static Failures none() {
            return new Failures(
                    0,
                    0,
                    Duration.ZERO,
                    0,
                    0,
                    0,
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(),
                    0,
                    0,
                    0,
                    0,
                    Map.of(),
                    Optional.empty(),
                    Duration.ZERO,
                    Optional.empty());
        }
    }

    /** What one run measured. */
    public record Result(Options options, Sweeps sweeps, Heap heap, Failures failures) {

        public String report() {
            Options o = options;
            Sweeps s = sweeps;
            StringBuilder out = new StringBuilder();
            out.append(String.format(
                    "clusters=%d machines/cluster=%d (etcd %d, control plane %d, workers %d) parallelism=%d"
                            + " fleet keys=%d fleet budget=%d/h%n",
                    o.clusters(),
                    o.machinesPerCluster(),
                    o.etcd(),
                    o.controlPlane(),
                    o.workers(),
                    o.parallelism(),
                    o.fleets(),
                    o.fleetLimitPerHour()));
            out.append(String.format(
                    "simulator: first call to every cluster's API (starts its in-memory API server) %s%n",
                    time(s.simWarmUp())));
            out.append(String.format(
                    "sweep, healthy fleet: cold %s; warm x%d p50 %s, max %s (%.0f clusters/s); clusters not"
                            + " observed in a sweep: %d%n",
                    time(s.cold()),
                    s.warm().size(),
                    time(s.warmP50()),
                    time(s.warmMax()),
                    o.clusters() / Math.max(0.001, s.warmP50().toMillis() / 1000.0),
                    s.notObservedMax()));
            out.append(String.format(
                    "  CPU per warm sweep: this JVM %s, simulator %s, rest of the machine %s (%d cores)%n",
                    time(s.benchCpuPerWarmSweep()),
                    time(s.simCpuPerWarmSweep()),
                    s.otherCpuPerWarmSweep().map(HealingSweepBench::time).orElse("unknown"),
                    Runtime.getRuntime().availableProcessors()));
            long calls = s.ledgerCallsPerWarmSweep().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            out.append(String.format(
                    "  ledger calls per warm sweep: %s = %d (one transaction each in PostgreSQL);"
                            + " decision rows it would write: %d%n",
                    s.ledgerCallsPerWarmSweep().entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining(", ")),
                    calls,
                    s.decisionRowsPerWarmSweep()));
            out.append(String.format(
                    "  evaluation lease held (lease to release): p50 %s, max %s (lease ttl %s)%n",
                    time(percentile(s.leaseHeld(), 50)), time(percentile(s.leaseHeld(), 100)), time(LEASE_TTL)));
            out.append(String.format(
                    "heap of this JVM, used after GC: %s before the bench, %s after the sweeps with %d cached"
                            + " clients, %s with them closed (%s per client); threads %d -> %d%n",
                    mib(heap.baselineBytes()),
                    mib(heap.afterSweepsBytes()),
                    heap.cachedClients(),
                    mib(heap.afterCloseBytes()),
                    heap.afterSweepsBytes() > heap.afterCloseBytes()
                            ? kib((heap.afterSweepsBytes() - heap.afterCloseBytes())
                                    / Math.max(1, heap.cachedClients()))
                            : "below the noise",
                    heap.threadsBaseline(),
                    heap.threadsAfterSweeps()));
            out.append(String.format(
                    "simulator heap used after full GC: %s (limit %s)%n", mib(heap.simBytes()), o.simHeap()));
            Failures f = failures;
            if (f.injected() == 0) {
                return out.toString().stripTrailing();
            }
            out.append(String.format(
                    "failures: %d workers NotReady (Ready=Unknown) in %d clusters over %d fleet keys, injected evenly"
                            + " over %s while sweeping %s; NotReady timeout %s (worker provisioning timeout %s)%n",
                    f.injected(),
                    f.injected(),
                    f.fleetKeys(),
                    time(f.injectedOver()),
                    o.interval().isZero() ? "back to back" : "every " + time(o.interval()),
                    time(o.notReadyTimeout()),
                    time(policy(o.notReadyTimeout())
                            .roleDefault(NodeRole.WORKER)
                            .provisioningTimeout())));
            Duration t = o.notReadyTimeout();
            List<Duration> afterTimeout =
                    f.cycleRequestedAfter().stream().map(d -> d.minus(t)).toList();
            out.append(String.format(
                    "  replacement requested for %d of %d; fail -> request (wall clock, from the fail call's answer)"
                            + " p50 %s, p95 %s, max %s%n",
                    f.requested(),
                    f.injected(),
                    time(percentile(f.failToRequest(), 50)),
                    time(percentile(f.failToRequest(), 95)),
                    time(percentile(f.failToRequest(), 100))));
            out.append(String.format(
                    "  = NotReady timeout %s + detection after it ran out p50 %s, p95 %s, max %s (the cycle's own"
                            + " figure, from the Ready condition's lastTransitionTime, which Kubernetes dates in whole"
                            + " seconds: the wall-clock figure is up to 1 s shorter)%n",
                    time(t),
                    time(percentile(afterTimeout, 50)),
                    time(percentile(afterTimeout, 95)),
                    time(percentile(afterTimeout, 100))));
            out.append(String.format(
                    "  first evaluation that recorded the node unhealthy, after its Ready transition: p50 %s, p95 %s,"
                            + " max %s%n",
                    time(percentile(f.cycleDetectedAfter(), 50)),
                    time(percentile(f.cycleDetectedAfter(), 95)),
                    time(percentile(f.cycleDetectedAfter(), 100))));
            out.append(String.format(
                    "  sweeps during the failure phase: %d in %s, p50 %s, max %s; rest of the machine used %s of CPU%n",
                    f.sweeps().size(),
                    time(f.took()),
                    time(percentile(sorted(f.sweeps()), 50)),
                    time(percentile(sorted(f.sweeps()), 100)),
                    f.otherCpu().map(HealingSweepBench::time).orElse("unknown")));
            out.append(String.format(
                    "  DELETEs: %d of %d failed machines got exactly one (simulator's count), %d DELETEs in all;"
                            + " most requests for one machine %d; requests for other machines %d%n",
                    f.exactlyOneDeletion(),
                    f.injected(),
                    f.simDeletions(),
                    f.maxRequestsPerMachine(),
                    f.otherMachinesRequested()));
            out.append(String.format(
                    "  replacements settled: %d succeeded, %d failed, %d still in progress%n",
                    f.settledSucceeded(), f.settledFailed(), f.requested() - f.settledSucceeded() - f.settledFailed()));
            out.append(String.format(
                    "  not requested: %s%s",
                    f.notRequested().isEmpty()
                            ? "none"
                            : f.notRequested().entrySet().stream()
                                    .map(e -> e.getValue() + " " + e.getKey())
                                    .collect(Collectors.joining(", ")),
                    f.notRequestedExample().map(m -> " (\"" + m + "\")").orElse("")));
            return out.toString();
        }
    }

    private HealingSweepBench() {}

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
        long heapBaseline = heapAfterGc();
        int threadsBaseline = ManagementFactory.getThreadMXBean().getThreadCount();
        List<String> simArgs = List.of(
                "--timing",
                "fast",
                "--clusters",
                Integer.toString(o.clusters()),
                "--demo-pools",
                o.etcd() + "," + o.controlPlane() + "," + o.workers());
        try (SimProcess sim = SimProcess.start(simJar, o.simHeap(), simArgs);
                RancherClient rancher =
                        RancherClient.create(RancherClientConfig.builder(sim.url(), RancherToken.of(TOKEN))
                                .build())) {
            List<ClusterTarget> targets = targets(rancher, o);
            progress("%d clusters usable in the simulator", targets.size());
            Duration simWarmUp = warmUpSimulator(
                    sim.url(), targets.stream().map(ClusterTarget::managementId).toList(), o.parallelism());
            progress("simulator: every cluster's API started in %s", time(simWarmUp));

            Vertx vertx = Vertx.vertx();
            ClusterClients clients = new ClusterClients(rancher::kubernetesConfig, vertx);
            ExecutorService executor = Executors.newFixedThreadPool(o.parallelism(), r -> {
                Thread t = new Thread(r, "healing-observer");
                t.setDaemon(true);
                return t;
            });
            try {
                InMemoryHealingLedger ledger = new InMemoryHealingLedger();
                ReplacementTimes times = new ReplacementTimes();
                HealingCycle cycle = new HealingCycle(
                        new HealingObserver(rancher, clients::forCluster),
                        rancher,
                        ledger,
                        times,
                        Clock.systemUTC(),
                        "bench",
                        LEASE_TTL);
                HealingPolicy policy = policy(o.notReadyTimeout());
                Sweeper sweeper = () -> cycle.sweep(targets, t -> policy, o.fleetLimitPerHour(), executor);

                long start = System.nanoTime();
                SweepOutcome first = sweeper.sweep();
                Duration cold = SimProcess.since(start);
                int notObserved = notObserved(first);
                progress("cold sweep %s, %d not observed", time(cold), notObserved);
                ledger.drainLeaseHolds();

                Map<String, Long> callsBefore = ledger.calls();
                long rowsBefore = ledger.decisionRows();
                Duration benchCpu = benchCpu();
                Duration simCpu = sim.cpuTime();
                Optional<Duration> machineCpu = machineBusyCpu();
                List<Duration> warm = new ArrayList<>();
                int notObservedMax = 0;
                for (int i = 0; i < o.warmSweeps(); i++) {
                    long t0 = System.nanoTime();
                    SweepOutcome outcome = sweeper.sweep();
                    warm.add(SimProcess.since(t0));
                    notObservedMax = Math.max(notObservedMax, notObserved(outcome));
                    progress("warm sweep %d: %s", i + 1, time(warm.getLast()));
                }
                Duration benchCpuPerSweep = benchCpu().minus(benchCpu).dividedBy(o.warmSweeps());
                Duration simCpuPerSweep = sim.cpuTime().minus(simCpu).dividedBy(o.warmSweeps());
                Optional<Duration> otherCpuPerSweep =
                        machineCpu.flatMap(before -> machineBusyCpu().map(after -> after.minus(before)
                                .dividedBy(o.warmSweeps())
                                .minus(benchCpuPerSweep)
                                .minus(simCpuPerSweep)));
                Map<String, Long> perSweep = new TreeMap<>();
                ledger.calls()
                        .forEach((method, n) ->
                                perSweep.put(method, (n - callsBefore.getOrDefault(method, 0L)) / o.warmSweeps()));
                long rowsPerSweep = (ledger.decisionRows() - rowsBefore) / o.warmSweeps();
                Sweeps sweeps = new Sweeps(
                        simWarmUp,
                        cold,
                        warm,
                        Math.max(notObserved, notObservedMax),
                        perSweep,
                        rowsPerSweep,
                        sorted(ledger.drainLeaseHolds()),
                        benchCpuPerSweep,
                        simCpuPerSweep,
                        otherCpuPerSweep);

                long heapAfterSweeps = heapAfterGc();
                int cached = clients.open().size();
                int threadsAfterSweeps = ManagementFactory.getThreadMXBean().getThreadCount();
                long simHeap = sim.heapUsedAfterGcBytes();
                progress(
                        "heap after the sweeps %s with %d clients; simulator %s",
                        mib(heapAfterSweeps), cached, mib(simHeap));

                Failures failures = o.failures() == 0
                        ? Failures.none()
                        : new FailurePhase(
                                        sim,
                                        rancher,
                                        sweeper,
                                        targets,
                                        o,
                                        times,
                                        o.interval().isZero() ? sweeps.warmP50() : o.interval())
                                .run();

                executor.shutdownNow();
                clients.close();
                long heapAfterClose = heapAfterGc();
                return new Result(
                        o,
                        sweeps,
                        new Heap(
                                heapBaseline,
                                heapAfterSweeps,
                                cached,
                                heapAfterClose,
                                threadsBaseline,
                                threadsAfterSweeps,
                                simHeap),
                        failures);
            } finally {
                executor.shutdownNow();
                clients.close();
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** One sweep over every target. */
    @FunctionalInterface
    interface Sweeper {
        SweepOutcome sweep();
    }

    /** A worker made NotReady. */
    private record Victim(String cluster, String fleetKey, String machine) {}

    /**
     * Sweeps while failing one worker in each of K clusters, spread over the fleet (and so over its fleet keys), until
     * every failure has been requested and settled, or nothing moves any more.
     */
    private static final class FailurePhase {

        /** Healing that made no progress this long after the last timeout ran out has stopped (held back). */
        private static final Duration QUIET = Duration.ofSeconds(10);

        private static final Duration DEADLINE = Duration.ofMinutes(10);

        private final SimProcess sim;
        private final RancherClient rancher;
        private final Sweeper sweeper;
        private final List<ClusterTarget> targets;
        private final Options o;
        private final ReplacementTimes times;
        private final Duration spread;
        private final Map<String, Long> failedAt = new ConcurrentHashMap<>();

        FailurePhase(
                SimProcess sim,
                RancherClient rancher,
                Sweeper sweeper,
                List<ClusterTarget> targets,
                Options o,
                ReplacementTimes times,
                Duration spread) {
            this.sim = sim;
            this.rancher = rancher;
            this.sweeper = sweeper;
            this.targets = targets;
            this.o = o;
            this.times = times;
            this.spread = o.failures() > 1 ? spread : Duration.ZERO;
        }

        Failures run() throws Exception {
            List<Victim> victims = victims();
            progress("failing %d workers over %s", victims.size(), time(spread));
            Duration benchCpu = benchCpu();
            Duration simCpu = sim.cpuTime();
            Optional<Duration> machineCpu = machineBusyCpu();
            long phaseStart = System.nanoTime();
            CompletableFuture<Void> injecting = CompletableFuture.runAsync(() -> inject(victims, phaseStart));
            List<Duration> sweeps = new ArrayList<>();
            SweepOutcome last;
            int lastProgress = times.progress();
            long lastProgressAt = System.nanoTime();
            long timeout = o.notReadyTimeout().toNanos();
            while (true) {
                long t0 = System.nanoTime();
                last = sweeper.sweep();
                sweeps.add(SimProcess.since(t0));
                long now = System.nanoTime();
                if (times.progress() != lastProgress) {
                    lastProgress = times.progress();
                    lastProgressAt = now;
                    progress(
                            "sweep %d (%s): %d of %d requested",
                            sweeps.size(),
                            time(sweeps.getLast()),
                            victims.stream()
                                    .filter(v -> !times.requests(v.machine()).isEmpty())
                                    .count(),
                            victims.size());
                }
                if (injecting.isDone()) {
                    if (victims.stream()
                            .allMatch(v -> times.outcome(v.machine()).isPresent())) {
                        break;
                    }
                    long timedOut = failedAt.values().stream()
                                    .mapToLong(Long::longValue)
                                    .max()
                                    .orElse(phaseStart)
                            + timeout;
                    long quietSince = Math.max(lastProgressAt, timedOut);
                    long cycle =
                            Math.max(sweeps.getLast().toNanos(), o.interval().toNanos());
                    long quiet = Math.max(QUIET.toNanos(), 3 * cycle);
                    if (injecting.isCompletedExceptionally()
                            || (now > timedOut && now - quietSince > quiet)
                            || now - timedOut > DEADLINE.toNanos()) {
                        break;
                    }
                }
                if (!o.interval().isZero()) {
                    long wait = t0 + o.interval().toNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
            injecting.get();
            Duration took = SimProcess.since(phaseStart);
            Duration bench = benchCpu().minus(benchCpu);
            Duration simulator = sim.cpuTime().minus(simCpu);
            Optional<Duration> other = machineCpu.flatMap(before -> machineBusyCpu()
                    .map(after -> after.minus(before).minus(bench).minus(simulator)));
            return figures(victims, sweeps, last, took, other);
        }

        private List<Victim> victims() {
            List<Victim> out = new ArrayList<>();
            for (int j = 0; j < o.failures(); j++) {
                ClusterTarget target = targets.get((int) ((long) j * targets.size() / o.failures()));
                String worker = rancher.machines().list(target.name()).stream()
                        .filter(m -> m.roles().equals(Set.of(dev.kubeyard.rancher.client.provisioning.NodeRole.WORKER)))
                        .filter(m -> !m.isDeleting())
                        .map(Machine::name)
                        .sorted()
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("cluster " + target.name() + " has no worker"));
                out.add(new Victim(target.name(), target.fleetKey(), worker));
            }
            return out;
        }

        private void inject(List<Victim> victims, long phaseStart) {
            try {
                for (int j = 0; j < victims.size(); j++) {
                    long at = phaseStart + spread.toNanos() * j / victims.size();
                    long wait = at - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    String machine = victims.get(j).machine();
                    sim.admin("/_sim/machines/" + machine + "/fail", "{\"mode\":\"notready\"}");
                    failedAt.put(machine, System.nanoTime());
                }
            } catch (Exception e) {
                throw new IllegalStateException("failing the workers failed", e);
            }
        }

        private Failures figures(
                List<Victim> victims, List<Duration> sweeps, SweepOutcome last, Duration took, Optional<Duration> other)
                throws Exception {
            List<Duration> failToRequest = new ArrayList<>();
            List<Duration> requestedAfter = new ArrayList<>();
            List<Duration> detectedAfter = new ArrayList<>();
            int requested = 0;
            int maxRequests = 0;
            int exactlyOne = 0;
            int succeeded = 0;
            int failed = 0;
            Map<String, Integer> notRequested = new TreeMap<>();
            Optional<String> example = Optional.empty();
            Map<String, Outcome> lastByCluster = new HashMap<>();
            last.outcomes().forEach(out -> lastByCluster.put(out.cluster(), out));
            for (Victim v : victims) {
                List<ReplacementTimes.Request> requests = times.requests(v.machine());
                maxRequests = Math.max(maxRequests, requests.size());
                if (requests.isEmpty()) {
                    Optional<HealingDecision> decision = Optional.ofNullable(lastByCluster.get(v.cluster()))
                            .flatMap(Outcome::plan)
                            .flatMap(p -> p.decisionFor(v.machine()));
                    String reason = decision.map(HealingDecision::reason).orElse("NoDecision");
                    notRequested.merge(reason, 1, Integer::sum);
                    if (example.isEmpty()) {
                        example = decision.map(HealingDecision::message);
                    }
                } else {
                    requested++;
                    ReplacementTimes.Request first = requests.getFirst();
                    failToRequest.add(Duration.ofNanos(first.atNanos() - failedAt.get(v.machine())));
                    requestedAfter.add(first.requestedAfter());
                    first.detectedAfter().ifPresent(detectedAfter::add);
                }
                Optional<ReplacementOutcome> outcome = times.outcome(v.machine());
                if (outcome.equals(Optional.of(ReplacementOutcome.SUCCEEDED))) {
                    succeeded++;
                } else if (outcome.equals(Optional.of(ReplacementOutcome.FAILED))) {
                    failed++;
                }
                JsonNode deletions = JSON.readTree(sim.admin("/_sim/machines/" + v.machine() + "/deletions", null));
                if (deletions.path("deletions").asInt() == 1) {
                    exactlyOne++;
                }
            }
            Set<String> failedMachines = victims.stream().map(Victim::machine).collect(Collectors.toSet());
            int others = (int) times.machines().stream()
                    .filter(m -> !failedMachines.contains(m))
                    .count();
            long simDeletions = 0;
            for (JsonNode n :
                    JSON.readTree(sim.admin("/_sim/state", null)).path("faults").path("machineDeletions")) {
                simDeletions += n.asLong();
            }
            return new Failures(
                    victims.size(),
                    (int) victims.stream().map(Victim::fleetKey).distinct().count(),
                    spread,
                    requested,
                    maxRequests,
                    others,
                    sorted(failToRequest),
                    sorted(requestedAfter),
                    sorted(detectedAfter),
                    sweeps,
                    exactlyOne,
                    simDeletions,
                    succeeded,
                    failed,
                    notRequested,
                    example,
                    took,
                    other);
        }
    }

    /**
     * The simulator's clusters as healing targets, once every one is usable: pools as the spec has them, the fleet key
     * by blocks of consecutive clusters ({@code fleet-0} for the first N/F, ...).
     */
    static List<ClusterTarget> targets(RancherClient rancher, Options o) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        List<ProvisioningCluster> usable;
        while ((usable = rancher.clusters().list().stream()
                                .filter(ProvisioningCluster::isUsable)
                                .filter(c -> c.managementId().isPresent())
                                .sorted(Comparator.comparing(ProvisioningCluster::name))
                                .toList())
                        .size()
                < o.clusters()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("clusters not usable within 10 minutes");
            }
            Thread.sleep(250);
        }
        List<ClusterTarget> targets = new ArrayList<>();
        for (int i = 0; i < usable.size(); i++) {
            ProvisioningCluster c = usable.get(i);
            List<PoolTarget> pools = c.machinePools().stream()
                    .map(p -> new PoolTarget(p.name(), NodeObservations.roles(p.roles()), p.quantityOrZero(), false))
                    .toList();
            String fleet = "fleet-" + ((long) i * o.fleets() / usable.size());
            targets.add(new ClusterTarget(c.name(), c.managementId().orElseThrow(), fleet, pools, Set.of(), false));
        }
        return targets;
    }

    /**
     * The defaults, but a worker is replaced after {@code notReady} of Ready False or Unknown, and its provisioning
     * timeout is as short (at least 1 s): the classifier counts a node that is not Ready as still provisioning while
     * its machine is younger than the provisioning timeout (20 min by default), and the simulator's machines are
     * only minutes old.
     */
    static HealingPolicy policy(Duration notReady) {
        HealingPolicy defaults = HealingPolicy.defaults();
        Duration provisioning = notReady.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : notReady;
        return defaults.withRoleDefault(
                NodeRole.WORKER,
                defaults.roleDefault(NodeRole.WORKER)
                        .withUnhealthyConditions(RolePolicy.notReadyFor(notReady))
                        .withProvisioningTimeout(provisioning));
    }

    /**
     * Lists every cluster's nodes once through the simulator's proxy, outside the controller: the simulator starts a
     * cluster's in-memory API server on its first call, which a real Rancher does not have to.
     */
    static Duration warmUpSimulator(String url, List<String> managementIds, int parallelism) throws Exception {
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try (HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (String managementId : managementIds) {
                HttpRequest request = HttpRequest.newBuilder(
                                URI.create(url + "/k8s/clusters/" + managementId + "/api/v1/nodes"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .timeout(Duration.ofSeconds(60))
                        .build();
                answers.add(pool.submit(() -> http.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode()));
            }
            for (Future<Integer> answer : answers) {
                if (answer.get() != 200) {
                    throw new IllegalStateException("a cluster's API answered " + answer.get());
                }
            }
        } finally {
            pool.shutdown();
        }
        return SimProcess.since(start);
    }

    /** Clusters of the sweep that were not evaluated, or whose Rancher or API could not be seen. */
    private static int notObserved(SweepOutcome outcome) {
        return (int) outcome.outcomes().stream()
                .filter(o -> o.plan()
                        .map(HealingPlan::evaluation)
                        .map(e -> !e.observed())
                        .orElse(true))
                .count();
    }

    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static Duration benchCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /**
     * CPU every process of the machine has used since boot (user, nice, system, irq, softirq, steal), from Linux's
     * {@code /proc/stat} in its clock ticks of 1/100 s; empty elsewhere.
     */
    static Optional<Duration> machineBusyCpu() {
        try {
            String[] f =
                    Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                ticks += Long.parseLong(f[i]);
            }
            return Optional.of(Duration.ofMillis(ticks * 10));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static void progress(String format, Object... args) {
        System.err.println("[healing-sweep] " + String.format(format, args));
    }

    static List<Duration> sorted(List<Duration> durations) {
        List<Duration> out = new ArrayList<>(durations);
        out.sort(null);
        return List.copyOf(out);
    }

    /** The p-th percentile (nearest rank) of sorted durations; zero for none. */
    static Duration percentile(List<Duration> sorted, int p) {
        if (sorted.isEmpty()) {
            return Duration.ZERO;
        }
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(idx, sorted.size() - 1)));
    }

    static String time(Duration d) {
        long ms = d.toMillis();
        if (Math.abs(ms) < 1000) {
            return ms + " ms";
        }
        if (Math.abs(ms) < 100_000) {
            return String.format("%.2f s", ms / 1000.0);
        }
        return String.format("%.0f s", ms / 1000.0);
    }

    static String mib(long bytes) {
        return String.format("%.0f MiB", bytes / (1024.0 * 1024.0));
    }

    static String kib(long bytes) {
        return String.format("%.0f KiB", bytes / 1024.0);
    }
}
