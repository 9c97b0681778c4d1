package dev.kubeyard.bench;

import static dev.kubeyard.bench.HealingSweepBench.mib;
import static dev.kubeyard.bench.HealingSweepBench.percentile;
import static dev.kubeyard.bench.HealingSweepBench.sorted;
import static dev.kubeyard.bench.HealingSweepBench.time;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.kubeyard.addons.catalog.AddonDefinition;
import dev.kubeyard.addons.catalog.Catalog;
import dev.kubeyard.addons.catalog.CatalogLoader;
import dev.kubeyard.addons.catalog.Values;
import dev.kubeyard.addons.cluster.InstallationReconciler;
import dev.kubeyard.addons.cluster.KindRegistry;
import dev.kubeyard.addons.plan.Pass;
import dev.kubeyard.addons.render.AddonRenderer;
import dev.kubeyard.addons.rollout.Rollout;
import dev.kubeyard.addons.rollout.RolloutPhase;
import dev.kubeyard.addons.rollout.RolloutSettings;
import dev.kubeyard.addons.rollout.RolloutTarget;
import dev.kubeyard.addons.rollout.TargetPhase;
import dev.kubeyard.bench.BenchAddonControllers.PassRecord;
import dev.kubeyard.bench.InMemoryAddonStore.Cluster;
import dev.kubeyard.inventory.kube.ClusterClients;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherToken;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Addon rollouts at fleet scale: a {@code configMaps + 2}-object addon (bench/src/main/resources/addon-catalog) rolled
 * from 1.0.0 to 2.0.0 over the simulator's N clusters in waves, with addon-manager's production code and without
 * Quarkus or a database: {@link CatalogLoader}, {@link AddonRenderer} (Helm through helm-java),
 * {@link InstallationReconciler} and {@code StatusRules} in per-cluster controller passes on virtual threads
 * ({@link BenchAddonControllers}, as {@code AddonControllers} runs them), each cluster's fabric8 client through the
 * simulator's Rancher proxy from inventory's {@link ClusterClients}, and {@code RolloutPlanner} stepped over the
 * in-memory records ({@link RolloutLoop}, as {@code RolloutService} steps it).
 *
 * <p>Installs 1.0.0 everywhere, rolls 2.0.0 out, then (unless {@code --fault-wave -1}) goes back to 1.0.0 and rolls
 * 2.0.0 out again with the new image failing in one cluster of the fault wave: the rollout must stop and take back
 * every cluster it changed. Reports times, pass durations, apply rates, renders, heap and threads.
 *
 * <p>{@code ./mvnw -B -q -pl bench compile exec:java@addon-rollout -Dexec.args="--clusters 200 --objects 50"}
 */
public final class AddonRolloutBench {

    static final String ADDON = "bench-web";
    static final String FROM = "1.0.0";
    static final String TO = "2.0.0";
    static final String IMAGE_FROM = "registry.kubeyard.dev/bench/web:1.0.0";
    static final String IMAGE_TO = "registry.kubeyard.dev/bench/web:2.0.0";

    /** Production's defaults: {@code kubeyard.addons.progress-deadline} and {@code rollouts.progress-deadline}. */
    static final Duration INSTALLATION_DEADLINE = Duration.ofMinutes(5);

    static final Duration ROLLOUT_DEADLINE = Duration.ofMinutes(10);

    /** Any phase of the bench that takes longer has failed. */
    static final Duration PHASE_LIMIT = Duration.ofMinutes(15);

    private static final String TOKEN = "token-bench:benchsecret";

    /**
     * What to run.
     *
     * @param objects objects the addon renders per cluster (Deployment, Service and {@code objects - 2} ConfigMaps)
     * @param soak how long a cluster must stay healthy at the new version before it counts as done
     * @param parallelism controller passes at once over every cluster ({@code kubeyard.addons.parallelism})
     * @param resync how long after its last pass a controller looks again unless nudged ({@code kubeyard.addons.resync},
     *     1 min in production)
     * @param tick how often the starter looks for due controllers ({@code kubeyard.addons.tick}, 2 s in production)
     * @param step how often the rollout is stepped ({@code kubeyard.addons.rollout-interval}, 10 s in production)
     * @param workloadReady how long the simulator's Deployments take to become ready after a spec change
     * @param faultWave the wave with the failing cluster in the fault run; -1: no fault run
     * @param faultDeadline the progress deadline of the fault run (rollout and installations)
     * @param jfr where to write flight recordings of both JVMs, over the install and the rollout
     */
    public record Options(
            int clusters,
            int objects,
            int canaries,
            int maxConcurrent,
            Duration soak,
            int parallelism,
            Duration resync,
            Duration tick,
            Duration step,
            Duration workloadReady,
            int faultWave,
            Duration faultDeadline,
            String simHeap,
            Optional<Path> jfr) {

        public Options {
            if (clusters < 1 || objects < 3) {
                throw new IllegalArgumentException("at least one cluster, and at least 3 objects");
            }
            if (canaries < 0 || maxConcurrent < 1 || parallelism < 1) {
                throw new IllegalArgumentException("canaries >= 0, max-concurrent >= 1, parallelism >= 1");
            }
            for (Duration d : List.of(resync, tick, step, faultDeadline)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("resync, tick, step and the fault deadline must be positive");
                }
            }
            if (soak.isNegative() || workloadReady.isNegative()) {
                throw new IllegalArgumentException("soak and workload-ready must not be negative");
            }
            if (faultWave < -1 || faultWave >= waves(clusters, canaries, maxConcurrent)) {
                throw new IllegalArgumentException("--fault-wave must be -1 or a wave of the rollout, 0 to "
                        + (waves(clusters, canaries, maxConcurrent) - 1));
            }
        }

        public static Options defaults() {
            return new Options(
                    200,
                    50,
                    1,
                    20,
                    Duration.ZERO,
                    32,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(2),
                    Duration.ofMillis(200),
                    Duration.ofMillis(150),
                    3,
                    Duration.ofSeconds(12),
                    "1g",
                    Optional.empty());
        }

        RolloutSettings settings(Duration progressDeadline) {
            return new RolloutSettings(canaries, maxConcurrent, soak, 0, true, progressDeadline);
        }

        static int waves(int clusters, int canaries, int maxConcurrent) {
            int rest = Math.max(0, clusters - canaries);
            return (canaries > 0 ? 1 : 0) + (rest + maxConcurrent - 1) / maxConcurrent;
        }

        static Options parse(String[] args) {
            Options o = defaults();
            int clusters = o.clusters();
            int objects = o.objects();
            int canaries = o.canaries();
            int maxConcurrent = o.maxConcurrent();
            Duration soak = o.soak();
            int parallelism = o.parallelism();
            Duration resync = o.resync();
            Duration tick = o.tick();
            Duration step = o.step();
            Duration ready = o.workloadReady();
            int faultWave = o.faultWave();
            Duration faultDeadline = o.faultDeadline();
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
                    case "--objects" -> objects = Integer.parseInt(value);
                    case "--canaries" -> canaries = Integer.parseInt(value);
                    case "--max-concurrent" -> maxConcurrent = Integer.parseInt(value);
                    case "--soak-ms" -> soak = Duration.ofMillis(Long.parseLong(value));
                    case "--parallelism" -> parallelism = Integer.parseInt(value);
                    case "--resync-ms" -> resync = Duration.ofMillis(Long.parseLong(value));
                    case "--tick-ms" -> tick = Duration.ofMillis(Long.parseLong(value));
                    case "--step-ms" -> step = Duration.ofMillis(Long.parseLong(value));
                    case "--workload-ready-ms" -> ready = Duration.ofMillis(Long.parseLong(value));
                    case "--fault-wave" -> faultWave = Integer.parseInt(value);
                    case "--fault-deadline-ms" -> faultDeadline = Duration.ofMillis(Long.parseLong(value));
                    case "--sim-heap" -> heap = value;
                    case "--jfr" -> jfr = Optional.of(Path.of(value));
                    default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
                }
            }
            return new Options(
                    clusters,
                    objects,
                    canaries,
                    maxConcurrent,
                    soak,
                    parallelism,
                    resync,
                    tick,
                    step,
                    ready,
                    faultWave,
                    faultDeadline,
                    heap,
                    jfr);
        }
    }

    static final String USAGE = "options: --clusters N (200) --objects M (50) --canaries C (1) --max-concurrent K (20)"
            + " --soak-ms S (0) --parallelism P (32) --resync-ms R (5000) --tick-ms T (2000) --step-ms S (200)"
            + " --workload-ready-ms W (150) --fault-wave F (3; -1: no fault run) --fault-deadline-ms D (12000)"
            + " --sim-heap 1g --jfr DIR";

    /** Nearest-rank percentiles of some durations. */
    public record Spread(int count, Duration p50, Duration p95, Duration max) {

        static Spread of(List<Duration> durations) {
            List<Duration> s = sorted(durations);
            return new Spread(s.size(), percentile(s, 50), percentile(s, 95), percentile(s, 100));
        }

        String brief() {
            return count == 0
                    ? "none"
                    : String.format("p50 %s, p95 %s, max %s (%d)", time(p50), time(p95), time(max), count);
        }
    }

    /** CPU used over a stretch of wall-clock time: this JVM, the simulator's, and the rest of the machine. */
    public record Cpu(Duration wall, Duration bench, Duration sim, Optional<Duration> other) {

        String brief() {
            double w = Math.max(0.001, wall.toMillis() / 1000.0);
            return String.format(
                    "CPU over %s: this JVM %s (%.2f cores), simulator %s (%.2f cores), rest of the machine %s",
                    time(wall),
                    time(bench),
                    bench.toMillis() / 1000.0 / w,
                    time(sim),
                    sim.toMillis() / 1000.0 / w,
                    other.map(HealingSweepBench::time).orElse("unknown"));
        }
    }

    /** Reads the CPU counters at the start of a stretch. */
    private record CpuMark(long wallNanos, Duration bench, Duration sim, Optional<Duration> machine) {

        static CpuMark now(SimProcess sim) {
            return new CpuMark(
                    System.nanoTime(), HealingSweepBench.benchCpu(), sim.cpuTime(), HealingSweepBench.machineBusyCpu());
        }

        Cpu since(SimProcess sim) {
            Duration bench = HealingSweepBench.benchCpu().minus(this.bench);
            Duration simulator = sim.cpuTime().minus(this.sim);
            Optional<Duration> other = machine.flatMap(before -> HealingSweepBench.machineBusyCpu()
                    .map(after -> after.minus(before).minus(bench).minus(simulator)));
            return new Cpu(Duration.ofNanos(System.nanoTime() - wallNanos), bench, simulator, other);
        }
    }

    /**
     * The first install of the addon everywhere.
     *
     * @param simWarmUp the first call to every cluster's API, before anything else: the simulator starts each
     *     cluster's in-memory API server then (a cost of the simulator, not of Rancher or the controller)
     * @param took from the installations' creation until every cluster reported the addon healthy
     * @param allApplied from the creation until the last install pass ended
     * @param applyWindow from the first install pass's start to the last one's end
     */
    public record Install(
            Duration simWarmUp,
            Duration took,
            Duration allApplied,
            long applies,
            Duration applyWindow,
            Spread passes,
            Cpu cpu) {

        double appliesPerSecond() {
            return applies / Math.max(0.001, applyWindow.toNanos() / 1e9);
        }
    }

    /**
     * One wave of a rollout.
     *
     * @param settled whether all its clusters settled (succeeded, failed or skipped) before the rollout ended
     * @param took from the step that started it until the step that settled its last cluster (or the rollout's end)
     * @param applied from its start until the last of its upgrade passes ended
     * @param healthySeen from its start until the last of its clusters was seen healthy at the new version by a pass
     * @param applyWindow from the first upgrade pass's start to the last one's end
     */
    public record Wave(
            int wave,
            int clusters,
            boolean settled,
            Duration took,
            Duration applied,
            Duration healthySeen,
            long applies,
            Duration applyWindow) {

        double appliesPerSecond() {
            return applies / Math.max(0.001, applyWindow.toNanos() / 1e9);
        }
    }

    /** A rollout from its creation to its end. */
    public record RolloutFigures(
            RolloutPhase phase,
            String message,
            Duration took,
            List<Wave> waves,
            Map<TargetPhase, Long> targets,
            Spread upgradePasses,
            Spread inSyncPasses,
            Spread permitWaits,
            long upgradeApplies,
            int upgradePassApplies,
            int steps,
            Spread planner,
            int versionChanges,
            Cpu cpu) {

        /** The waves that settled. */
        Spread waveTimes() {
            return Spread.of(
                    waves.stream().filter(Wave::settled).map(Wave::took).toList());
        }
    }

    /** The heap (used after a full collection) and the live platform threads of this JVM, and the simulator's heap. */
    public record Resources(
            long heapBaseline,
            long heapWithClients,
            long heapPeakAfterGc,
            long heapClientsClosed,
            int clients,
            int threadsBaseline,
            int threadsPeak,
            int threadsWithClients,
            Map<String, Integer> threadsAtPeak,
            Map<String, Integer> threadsWithClientsByName,
            long simHeap,
            long renders) {}

    /**
     * The fault run: back to 1.0.0 everywhere, then 2.0.0 again with its image failing in one cluster.
     *
     * @param downgrade every cluster set back to 1.0.0 at once, until all are healthy at it
     * @param judgedFailed the clusters the rollout judged failed (the failing one, unless the deadline is too short)
     * @param detected from the step that changed the first cluster judged failed to the one that judged it
     * @param stopped from that step to the one that started the rollback
     * @param rolledBack from the start of the rollback to the rollout's end
     * @param changed clusters the rollout had changed when it stopped (to be rolled back)
     * @param notReached clusters still pending when it stopped (to be left alone)
     * @param untouched clusters not reached whose installation the rollout never changed
     * @param atFrom clusters whose Deployment runs the 1.0.0 image at the end, from their API
     */
    public record Fault(
            String cluster,
            int wave,
            List<String> judgedFailed,
            Duration downgrade,
            RolloutFigures rollout,
            Duration detected,
            Duration stopped,
            Duration rolledBack,
            String failure,
            int changed,
            int rolledBackClusters,
            int notReached,
            int untouched,
            int atFrom,
            boolean failingClusterHealthy) {}

    /** What one run measured. */
    public record Result(
            Options options,
            String kubernetesVersion,
            Install install,
            RolloutFigures rollout,
            Spread quietInSyncPasses,
            Cpu quietCpu,
            Resources resources,
            Optional<Fault> fault,
            Map<String, Long> storeCalls,
            long failedPasses,
            Duration total) {

        public String report() {
            Options o = options;
            StringBuilder out = new StringBuilder();
            out.append(String.format(
                    "clusters=%d objects/cluster=%d canaries=%d max-concurrent=%d soak=%s parallelism=%d resync=%s"
                            + " tick=%s step=%s workload-ready=%s (Kubernetes %s, %d cores)%n",
                    o.clusters(),
                    o.objects(),
                    o.canaries(),
                    o.maxConcurrent(),
                    time(o.soak()),
                    o.parallelism(),
                    time(o.resync()),
                    time(o.tick()),
                    time(o.step()),
                    time(o.workloadReady()),
                    kubernetesVersion,
                    Runtime.getRuntime().availableProcessors()));
            Install i = install;
            out.append(String.format(
                    "simulator: first call to every cluster's API (starts its in-memory API server) %s%n",
                    time(i.simWarmUp())));
            out.append(String.format(
                    "initial install of %d x %d objects: all healthy after %s; all applied after %s; %d applies in %s"
                            + " (%.0f applies/s); install passes %s%n",
                    o.clusters(),
                    o.objects(),
                    time(i.took()),
                    time(i.allApplied()),
                    i.applies(),
                    time(i.applyWindow()),
                    i.appliesPerSecond(),
                    i.passes().brief()));
            out.append("  ").append(i.cpu().brief()).append('\n');
            appendRollout(out, "rollout " + FROM + " -> " + TO, rollout);
            out.append(String.format(
                    "in-sync passes of a quiet fleet (one resync after the rollout): %s; %s%n",
                    quietInSyncPasses.brief(), quietCpu.brief()));
            Resources r = resources;
            out.append(String.format("helm renders: %d%n", r.renders()));
            out.append(String.format(
                    "heap of this JVM, used after GC: %s before the bench, %s after the rollout with %d cached"
                            + " clients, %s with them closed; highest after any GC during the run %s%n",
                    mib(r.heapBaseline()),
                    mib(r.heapWithClients()),
                    r.clients(),
                    mib(r.heapClientsClosed()),
                    mib(r.heapPeakAfterGc())));
            out.append(String.format(
                    "platform threads of this JVM: %d before, %d with %d clients, peak %d from the install on (passes"
                            + " run on virtual threads; the bench's census thread included)%n",
                    r.threadsBaseline(), r.threadsWithClients(), r.clients(), r.threadsPeak()));
            out.append(String.format(
                    "  with the clients: %s%n  at the peak: %s%n",
                    ThreadCensus.brief(r.threadsWithClientsByName()), ThreadCensus.brief(r.threadsAtPeak())));
            out.append(
                    String.format("simulator heap used after full GC: %s (limit %s)%n", mib(r.simHeap()), o.simHeap()));
            fault.ifPresent(f -> {
                out.append(String.format(
                        "fault run: back to %s everywhere in %s; then %s again, its image failing in %s (wave %d),"
                                + " progress deadline %s%n",
                        FROM, time(f.downgrade()), TO, f.cluster(), f.wave(), time(o.faultDeadline())));
                if (o.faultDeadline().compareTo(o.resync().plus(o.tick()).plusSeconds(2)) < 0) {
                    out.append(String.format(
                            "  WARNING: the progress deadline %s is not above resync + tick + 2 s: a healthy cluster"
                                    + " may be judged failed before its controller looks again%n",
                            time(o.faultDeadline())));
                }
                appendRollout(out, "  fault rollout", f.rollout());
                out.append(String.format(
                        "  judged failed: %s%s%n",
                        f.judgedFailed().isEmpty() ? "none" : String.join(", ", f.judgedFailed()),
                        f.judgedFailed().equals(List.of(f.cluster())) ? " (the failing one alone)" : ""));
                out.append(String.format(
                        "  failure judged %s after the cluster was changed, the rollback started %s after"
                                + " that (\"%s\"); rolled back in %s%n",
                        time(f.detected()), time(f.stopped()), f.failure(), time(f.rolledBack())));
                out.append(String.format(
                        "  clusters changed %d, rolled back %d; not reached %d, of them never changed %d; Deployment"
                                + " at %s in %d of %d clusters; failing cluster healthy at %s again: %s%n",
                        f.changed(),
                        f.rolledBackClusters(),
                        f.notReached(),
                        f.untouched(),
                        IMAGE_FROM,
                        f.atFrom(),
                        o.clusters(),
                        FROM,
                        f.failingClusterHealthy()));
            });
            out.append(String.format(
                    "store calls (one transaction each in PostgreSQL): %s; failed passes %d%n",
                    storeCalls.entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue())
                            .collect(Collectors.joining(", ")),
                    failedPasses));
            out.append(String.format("bench run %s", time(total)));
            return out.toString();
        }

        private void appendRollout(StringBuilder out, String title, RolloutFigures f) {
            out.append(String.format(
                    "%s: %s after %s (%s); %s%n",
                    title,
                    f.phase().wireName(),
                    time(f.took()),
                    f.message(),
                    f.targets().entrySet().stream()
                            .map(e -> e.getValue() + " " + e.getKey().wireName())
                            .collect(Collectors.joining(", "))));
            Spread w = f.waveTimes();
            out.append(String.format(
                    "  waves: %d started, %d settled, each p50 %s, max %s; start -> all applied p50 %s, -> all seen"
                            + " healthy p50 %s%n",
                    f.waves().size(),
                    w.count(),
                    time(w.p50()),
                    time(w.max()),
                    time(percentile(sorted(f.waves().stream().map(Wave::applied).toList()), 50)),
                    time(percentile(
                            sorted(f.waves().stream().map(Wave::healthySeen).toList()), 50))));
            out.append("  per wave (clusters: took / applied / seen healthy, applies/s):");
            for (Wave wave : f.waves()) {
                out.append(String.format(
                        " w%d(%d%s: %s / %s / %s, %.0f/s)",
                        wave.wave(),
                        wave.clusters(),
                        wave.settled() ? "" : ", stopped",
                        time(wave.took()),
                        time(wave.applied()),
                        time(wave.healthySeen()),
                        wave.appliesPerSecond()));
            }
            out.append('\n');
            out.append(String.format(
                    "  passes that applied a version (%d applies each): %s; in-sync passes (drift check: 3 LISTs,"
                            + " health GET): %s;"
                            + " waits for a permit %s%n",
                    f.upgradePassApplies(),
                    f.upgradePasses().brief(),
                    f.inSyncPasses().brief(),
                    f.permitWaits().brief()));
            out.append(String.format(
                    "  %d applies; %d version changes; %d steps, planner %s%n",
                    f.upgradeApplies(),
                    f.versionChanges(),
                    f.steps(),
                    f.planner().brief()));
            out.append("  ").append(f.cpu().brief()).append('\n');
        }
    }

    private AddonRolloutBench() {}

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Result r = run(
                Path.of(System.getProperty("kubeyard.sim.jar", "bench/target/sim/rancher-sim-standalone.jar")),
                options);
        System.out.println(r.report());
        // After the first Helm call the Go runtime holds the JVM's signals, and Vert.x keeps non-daemon threads.
        System.exit(0);
    }

    public static Result run(Path simJar, Options o) throws Exception {
        long runStart = System.nanoTime();
        GcWatcher gc = GcWatcher.install();
        long heapBaseline = HealingSweepBench.heapAfterGc();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int threadsBaseline = threads.getThreadCount();
        ThreadCensus census = ThreadCensus.start();
        List<String> simArgs =
                List.of("--timing", "fast", "--clusters", Integer.toString(o.clusters()), "--demo-pools", "1,1,1");
        Path work = Files.createTempDirectory("kubeyard-addon-bench-");
        try (SimProcess sim = SimProcess.start(simJar, o.simHeap(), simArgs);
                RancherClient rancher =
                        RancherClient.create(RancherClientConfig.builder(sim.url(), RancherToken.of(TOKEN))
                                .build())) {
            sim.admin(
                    "/_sim/timing",
                    "{\"workloadReadyMillis\":" + o.workloadReady().toMillis() + "}");
            List<Cluster> clusters = clusters(rancher, o.clusters());
            progress("%d clusters usable in the simulator", clusters.size());
            Duration simWarmUp = HealingSweepBench.warmUpSimulator(
                    sim.url(), clusters.stream().map(Cluster::managementId).toList(), o.parallelism());
            progress("simulator: every cluster's API started in %s", time(simWarmUp));
            Set<String> versions =
                    clusters.stream().map(Cluster::kubernetesVersion).collect(Collectors.toSet());

            Catalog catalog = new Catalog(new CatalogLoader(work).loadRoot(catalogRoot(work)));
            AddonDefinition addon = catalog.addon(ADDON).orElseThrow();
            AddonRenderer renderer = new AddonRenderer(work.resolve("render"));
            InstallationReconciler reconciler = new InstallationReconciler(catalog, renderer);
            // As AddonCatalog makes it: one registry of kinds for every cluster.
            KindRegistry kinds = new KindRegistry(new KubernetesSerialization());
            InMemoryAddonStore store = new InMemoryAddonStore(clusters);
            Clock clock = Clock.systemUTC();

            Vertx vertx = Vertx.vertx();
            ClusterClients clients = new ClusterClients(rancher::kubernetesConfig, vertx);
            BenchAddonControllers controllers = new BenchAddonControllers(
                    store,
                    reconciler,
                    kinds,
                    clients::forCluster,
                    clock,
                    o.resync(),
                    o.tick(),
                    o.parallelism(),
                    INSTALLATION_DEADLINE);
            Optional<Recording> recording = Optional.empty();
            try {
                if (o.jfr().isPresent()) {
                    Files.createDirectories(o.jfr().get());
                    Recording jfr = new Recording(Configuration.getConfiguration("profile"));
                    jfr.start();
                    recording = Optional.of(jfr);
                    sim.startRecording(o.jfr().get().resolve("sim.jfr"));
                }

                // 1. The first install everywhere: the installations are made, their controllers start.
                census.reset();
                CpuMark installCpu = CpuMark.now(sim);
                long installStart = System.nanoTime();
                store.installEverywhere(
                        ADDON, FROM, addon.namespace(), Values.of(Map.of("configMaps", o.objects() - 2)));
                controllers.start();
                await(() -> store.allHealthyAt(FROM), "every cluster healthy at " + FROM, store, controllers);
                long installEnd = System.nanoTime();
                Install install =
                        install(simWarmUp, installStart, installEnd, controllers.passes(), installCpu.since(sim));
                progress(
                        "initial install: all healthy after %s (%.0f applies/s)",
                        time(install.took()), install.appliesPerSecond());

                // 2. The rollout.
                List<String> names = clusters.stream().map(Cluster::name).toList();
                RolloutFigures rollout =
                        rollout(store, controllers, clock, o, names, o.settings(ROLLOUT_DEADLINE), sim, "rollout");
                if (recording.isPresent()) {
                    recording.get().dump(o.jfr().get().resolve("bench.jfr"));
                    recording.get().close();
                    recording = Optional.empty();
                    sim.stopRecording();
                }

                // 3. A quiet fleet: every controller passes once more (in sync).
                CpuMark quietCpu = CpuMark.now(sim);
                long quietStart = System.nanoTime();
                Thread.sleep(o.resync().plus(o.tick()).plusSeconds(1).toMillis());
                long quietEnd = System.nanoTime();
                Cpu quiet = quietCpu.since(sim);
                Spread quietPasses = Spread.of(controllers.passes().stream()
                        .filter(p -> p.startNanos() >= quietStart && p.endNanos() <= quietEnd && p.inSync())
                        .map(PassRecord::took)
                        .toList());
                progress("quiet fleet: in-sync passes %s", quietPasses.brief());

                long heapWithClients = HealingSweepBench.heapAfterGc();
                int cached = clients.open().size();
                int threadsWithClients = threads.getThreadCount();
                Map<String, Integer> threadsByName = census.census();
                long simHeap = sim.heapUsedAfterGcBytes();

                // 4. The fault run.
                Optional<Fault> fault = o.faultWave() < 0
                        ? Optional.empty()
                        : Optional.of(fault(store, controllers, clients, clock, o, names, sim));

                int threadsPeak = census.peak();
                Map<String, Integer> threadsAtPeak = census.atPeak();
                long renders = renderer.renders();
                Map<String, Long> calls = store.calls();
                long failed = controllers.failedPasses();
                controllers.close();
                clients.close();
                long heapClosed = HealingSweepBench.heapAfterGc();
                return new Result(
                        o,
                        String.join(", ", versions),
                        install,
                        rollout,
                        quietPasses,
                        quiet,
                        new Resources(
                                heapBaseline,
                                heapWithClients,
                                gc.peakAfterGc(),
                                heapClosed,
                                cached,
                                threadsBaseline,
                                threadsPeak,
                                threadsWithClients,
                                threadsAtPeak,
                                threadsByName,
                                simHeap,
                                renders),
                        fault,
                        calls,
                        failed,
                        Duration.ofNanos(System.nanoTime() - runStart));
            } finally {
                if (recording.isPresent()) {
                    recording.get().close();
                }
                controllers.close();
                clients.close();
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
        } finally {
            census.close();
            gc.close();
            deleteTree(work);
        }
    }

    private static Install install(Duration simWarmUp, long start, long end, List<PassRecord> passes, Cpu cpu) {
        List<PassRecord> installs = passes.stream()
                .filter(p -> p.startNanos() >= start && p.endNanos() <= end && p.applies() > 0)
                .toList();
        long applies = installs.stream().mapToLong(PassRecord::applies).sum();
        long first = installs.stream().mapToLong(PassRecord::startNanos).min().orElse(start);
        long last = installs.stream().mapToLong(PassRecord::endNanos).max().orElse(start);
        return new Install(
                simWarmUp,
                Duration.ofNanos(end - start),
                Duration.ofNanos(last - start),
                applies,
                Duration.ofNanos(last - first),
                Spread.of(installs.stream().map(PassRecord::took).toList()),
                cpu);
    }

    /** One rollout to {@link #TO} over the clusters in this order, until it ends. */
    private static RolloutFigures rollout(
            InMemoryAddonStore store,
            BenchAddonControllers controllers,
            Clock clock,
            Options o,
            List<String> names,
            RolloutSettings settings,
            SimProcess sim,
            String what)
            throws InterruptedException {
        Rollout created = new Rollout(
                UUID.randomUUID(),
                ADDON,
                TO,
                settings,
                RolloutPhase.RUNNING,
                "starting",
                Rollout.waves(names, settings),
                clock.instant());
        CpuMark cpu = CpuMark.now(sim);
        RolloutLoop.Outcome outcome = RolloutLoop.run(created, store, controllers, clock, o.step(), PHASE_LIMIT);
        Cpu used = cpu.since(sim);
        if (outcome.timedOut()) {
            throw new IllegalStateException(what + " did not end within " + time(PHASE_LIMIT) + ": "
                    + outcome.last().message());
        }
        RolloutFigures figures = figures(outcome, controllers.passes(), o, used);
        progress("%s: %s after %s (%s)", what, figures.phase().wireName(), time(figures.took()), figures.message());
        return figures;
    }

    private static RolloutFigures figures(RolloutLoop.Outcome outcome, List<PassRecord> passes, Options o, Cpu cpu) {
        long from = outcome.createdNanos();
        long to = outcome.endNanos();
        List<PassRecord> during = passes.stream()
                .filter(p -> p.startNanos() >= from && p.endNanos() <= to)
                .toList();
        List<PassRecord> upgrades = during.stream().filter(p -> p.applies() > 0).toList();
        int full = o.objects();
        Map<TargetPhase, Long> targets = new TreeMap<>();
        for (RolloutTarget t : outcome.last().targets()) {
            targets.merge(t.phase(), 1L, Long::sum);
        }
        return new RolloutFigures(
                outcome.last().phase(),
                outcome.last().message(),
                outcome.took(),
                waves(outcome, passes),
                targets,
                Spread.of(upgrades.stream()
                        .filter(p -> p.applies() == full)
                        .map(PassRecord::took)
                        .toList()),
                Spread.of(during.stream()
                        .filter(PassRecord::inSync)
                        .map(PassRecord::took)
                        .toList()),
                Spread.of(during.stream().map(PassRecord::waited).toList()),
                upgrades.stream().mapToLong(PassRecord::applies).sum(),
                full,
                outcome.plannerNanos().size(),
                Spread.of(outcome.plannerNanos().stream().map(Duration::ofNanos).toList()),
                outcome.versionChanges(),
                cpu);
    }

    /**
     * Each wave that started (moved to the new version): from its start to its last settled target, with the moment
     * its last upgrade pass ended and the moment its last cluster was first seen healthy at the new version.
     */
    static List<Wave> waves(RolloutLoop.Outcome outcome, List<PassRecord> passes) {
        String target = outcome.last().targetVersion();
        Map<Integer, List<String>> byWave = new TreeMap<>();
        for (RolloutTarget t : outcome.last().targets()) {
            byWave.computeIfAbsent(t.wave(), w -> new ArrayList<>()).add(t.cluster());
        }
        Map<String, List<PassRecord>> byCluster = new HashMap<>();
        for (PassRecord p : passes) {
            byCluster.computeIfAbsent(p.cluster(), c -> new ArrayList<>()).add(p);
        }
        byCluster.values().forEach(l -> l.sort(Comparator.comparingLong(PassRecord::endNanos)));
        List<Wave> out = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> e : byWave.entrySet()) {
            Set<String> members = Set.copyOf(e.getValue());
            List<RolloutLoop.TargetEvent> events = outcome.events().stream()
                    .filter(ev -> members.contains(ev.cluster()))
                    .toList();
            Optional<Long> start = events.stream()
                    .filter(ev -> ev.from() == TargetPhase.PENDING)
                    .map(RolloutLoop.TargetEvent::atNanos)
                    .min(Long::compare);
            if (start.isEmpty()) {
                continue;
            }
            long s = start.get();
            Map<String, Long> settled = new HashMap<>();
            for (RolloutLoop.TargetEvent ev : events) {
                if (ev.to().settled()) {
                    settled.putIfAbsent(ev.cluster(), ev.atNanos());
                }
            }
            long end = settled.size() == members.size()
                    ? settled.values().stream().mapToLong(Long::longValue).max().orElse(s)
                    : outcome.endNanos();
            long applied = s;
            long healthy = s;
            long applies = 0;
            long firstApply = Long.MAX_VALUE;
            long lastApply = s;
            for (String cluster : members) {
                List<PassRecord> mine = byCluster.getOrDefault(cluster, List.of()).stream()
                        .filter(p -> p.endNanos() >= s && p.version().equals(target))
                        .toList();
                Optional<PassRecord> upgrade =
                        mine.stream().filter(p -> p.applies() > 0).findFirst();
                if (upgrade.isPresent()) {
                    applied = Math.max(applied, upgrade.get().endNanos());
                    applies += upgrade.get().applies();
                    firstApply = Math.min(firstApply, upgrade.get().startNanos());
                    lastApply = Math.max(lastApply, upgrade.get().endNanos());
                }
                Optional<PassRecord> seen =
                        mine.stream().filter(PassRecord::healthy).findFirst();
                if (seen.isPresent()) {
                    healthy = Math.max(healthy, seen.get().endNanos());
                }
            }
            out.add(new Wave(
                    e.getKey(),
                    members.size(),
                    settled.size() == members.size(),
                    Duration.ofNanos(end - s),
                    Duration.ofNanos(applied - s),
                    Duration.ofNanos(healthy - s),
                    applies,
                    Duration.ofNanos(firstApply == Long.MAX_VALUE ? 0 : lastApply - firstApply)));
        }
        return out;
    }

    /**
     * Back to {@link #FROM} everywhere, then {@link #TO} again with its image failing in the first cluster of the fault
     * wave, under a progress deadline of a few seconds: the rollout must stop and take back what it changed.
     */
    private static Fault fault(
            InMemoryAddonStore store,
            BenchAddonControllers controllers,
            ClusterClients clients,
            Clock clock,
            Options o,
            List<String> names,
            SimProcess sim)
            throws Exception {
        long downgradeStart = System.nanoTime();
        for (String name : names) {
            if (store.change(name, FROM)) {
                controllers.nudge(name);
            }
        }
        await(() -> store.allHealthyAt(FROM), "every cluster back at " + FROM, store, controllers);
        Duration downgrade = Duration.ofNanos(System.nanoTime() - downgradeStart);
        progress("fault run: every cluster back at %s in %s", FROM, time(downgrade));

        RolloutSettings settings = o.settings(o.faultDeadline());
        String failing = Rollout.waves(names, settings).stream()
                .filter(t -> t.wave() == o.faultWave())
                .findFirst()
                .orElseThrow()
                .cluster();
        controllers.progressDeadline(o.faultDeadline());
        Map<String, Long> generations = new HashMap<>();
        store.rows().forEach(r -> generations.put(r.cluster, r.installation().generation()));
        sim.admin("/_sim/clusters/" + failing + "/workloads", "{\"ready\":false,\"image\":\"" + IMAGE_TO + "\"}");
        try {
            Rollout created = new Rollout(
                    UUID.randomUUID(),
                    ADDON,
                    TO,
                    settings,
                    RolloutPhase.RUNNING,
                    "starting",
                    Rollout.waves(names, settings),
                    clock.instant());
            CpuMark cpu = CpuMark.now(sim);
            RolloutLoop.Outcome outcome = RolloutLoop.run(created, store, controllers, clock, o.step(), PHASE_LIMIT);
            Cpu used = cpu.since(sim);
            if (outcome.timedOut()) {
                throw new IllegalStateException("the fault rollout did not end within " + time(PHASE_LIMIT) + ": "
                        + outcome.last().message());
            }
            RolloutFigures figures = figures(outcome, controllers.passes(), o, used);
            progress(
                    "fault rollout: %s after %s (%s)",
                    figures.phase().wireName(), time(figures.took()), figures.message());

            long changedAt = outcome.events().stream()
                    .filter(e -> e.cluster().equals(failing) && e.from() == TargetPhase.PENDING)
                    .mapToLong(RolloutLoop.TargetEvent::atNanos)
                    .findFirst()
                    .orElse(outcome.createdNanos());
            // The step that judges a cluster failed over the budget also starts the rollback: the target goes from
            // Updating to RollingBack at once, with the planner's reason in its message.
            List<RolloutLoop.TargetEvent> judged = outcome.events().stream()
                    .filter(e -> e.from().changed() && judgedFailed(e))
                    .toList();
            Optional<RolloutLoop.TargetEvent> failed = judged.stream().findFirst();
            long failedAt = failed.map(RolloutLoop.TargetEvent::atNanos).orElse(outcome.endNanos());
            long rollingBackAt = outcome.firstPhase(RolloutPhase.ROLLING_BACK)
                    .map(RolloutLoop.PhaseEvent::atNanos)
                    .orElse(outcome.endNanos());
            List<RolloutTarget> last = outcome.last().targets();
            // What it had changed when it stopped: every target that moved off Pending before the rollback began.
            Set<String> changed = outcome.events().stream()
                    .filter(e -> e.from() == TargetPhase.PENDING && e.atNanos() <= rollingBackAt)
                    .map(RolloutLoop.TargetEvent::cluster)
                    .collect(Collectors.toSet());
            int rolledBack = (int) last.stream()
                    .filter(t -> t.phase() == TargetPhase.ROLLED_BACK)
                    .count();
            List<String> pending = last.stream()
                    .filter(t -> t.phase() == TargetPhase.PENDING)
                    .map(RolloutTarget::cluster)
                    .toList();
            int untouched = (int) pending.stream()
                    .filter(c -> store.row(c).installation().generation() == generations.get(c))
                    .count();
            int atFrom = 0;
            for (InMemoryAddonStore.Row row : store.rows()) {
                Deployment d = clients.forCluster(row.managementId)
                        .apps()
                        .deployments()
                        .inNamespace(row.installation().namespace())
                        .withName("web")
                        .get();
                if (d != null
                        && IMAGE_FROM.equals(d.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .getFirst()
                                .getImage())) {
                    atFrom++;
                }
            }
            long changedAtFirst = failed.flatMap(f -> outcome.events().stream()
                            .filter(e -> e.cluster().equals(f.cluster()) && e.from() == TargetPhase.PENDING)
                            .map(RolloutLoop.TargetEvent::atNanos)
                            .findFirst())
                    .orElse(changedAt);
            return new Fault(
                    failing,
                    o.faultWave(),
                    judged.stream()
                            .map(RolloutLoop.TargetEvent::cluster)
                            .distinct()
                            .toList(),
                    downgrade,
                    figures,
                    Duration.ofNanos(failedAt - changedAtFirst),
                    Duration.ofNanos(rollingBackAt - failedAt),
                    Duration.ofNanos(outcome.endNanos() - rollingBackAt),
                    failed.map(RolloutLoop.TargetEvent::message).orElse("not judged failed"),
                    changed.size(),
                    rolledBack,
                    pending.size(),
                    untouched,
                    atFrom,
                    store.row(failing).status().healthyAt(FROM));
        } finally {
            sim.admin("/_sim/clusters/" + failing + "/workloads", "{\"ready\":true}");
            controllers.progressDeadline(INSTALLATION_DEADLINE);
        }
    }

    /** The planner's reasons for a failed cluster, at the start of its message (RolloutPlanner.judge). */
    private static final List<String> FAILURES = List.of(
            "not healthy within", "degraded at", "could not be applied", "turned unhealthy", "the addon was removed");

    /** Whether the event is the planner judging the cluster failed: Failed, or straight to RollingBack with why. */
    static boolean judgedFailed(RolloutLoop.TargetEvent e) {
        String why = e.message();
        if (e.to() == TargetPhase.ROLLING_BACK) {
            int open = why.indexOf(" (");
            why = open < 0 ? "" : why.substring(open + 2);
        } else if (e.to() != TargetPhase.FAILED) {
            return false;
        }
        String reason = why;
        return FAILURES.stream().anyMatch(reason::startsWith);
    }

    /** The simulator's clusters once every one is usable, by name, with their management ids. */
    static List<Cluster> clusters(RancherClient rancher, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (true) {
            List<ProvisioningCluster> usable = rancher.clusters().list().stream()
                    .filter(ProvisioningCluster::isUsable)
                    .filter(c -> c.managementId().isPresent())
                    .sorted(Comparator.comparing(ProvisioningCluster::name))
                    .toList();
            if (usable.size() >= count) {
                return usable.stream()
                        .map(c -> new Cluster(
                                c.name(),
                                c.managementId().orElseThrow(),
                                c.spec().kubernetesVersion()))
                        .toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("clusters not usable within 10 minutes");
            }
            Thread.sleep(250);
        }
    }

    /**
     * Waits for the condition, with the bench's limit; says how far it got every 10 s, and when it gives up, with the
     * last pass's outcome.
     */
    private static void await(
            BooleanSupplier condition, String what, InMemoryAddonStore store, BenchAddonControllers controllers)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + PHASE_LIMIT.toNanos();
        long nextReport = start + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            long now = System.nanoTime();
            Optional<PassRecord> broken = controllers.passes().stream()
                    .filter(p -> p.outcome() != Pass.Outcome.APPLIED && p.outcome() != Pass.Outcome.UNREACHABLE)
                    .findFirst();
            if (broken.isPresent()) {
                throw new IllegalStateException(
                        what + " cannot be reached: a pass over " + broken.get().cluster() + " came to "
                                + broken.get().outcome() + ": " + broken.get().message());
            }
            if (now > nextReport || now > deadline) {
                List<PassRecord> passes = controllers.passes();
                String state = String.format(
                        "%d healthy at %s, %d at %s; %d passes, the last %s",
                        store.healthyAt(FROM),
                        FROM,
                        store.healthyAt(TO),
                        TO,
                        passes.size(),
                        passes.isEmpty()
                                ? "none"
                                : passes.getLast().cluster() + " "
                                        + passes.getLast().version() + " "
                                        + passes.getLast().outcome() + " "
                                        + passes.getLast().message());
                if (now > deadline) {
                    throw new IllegalStateException(what + " not reached within " + time(PHASE_LIMIT) + ": " + state);
                }
                progress("waiting for %s: %s", what, state);
                nextReport = now + TimeUnit.SECONDS.toNanos(10);
            }
            Thread.sleep(20);
        }
    }

    /** The bench catalog directory: on the class path as a directory, else copied out of the jar. */
    static Path catalogRoot(Path work) throws IOException, URISyntaxException {
        URI uri =
                AddonRolloutBench.class.getResource("/addon-catalog/README.md").toURI();
        if (uri.getScheme().equals("file")) {
            return Path.of(uri).getParent();
        }
        Path target = work.resolve("addon-catalog");
        try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of());
                Stream<Path> all = Files.walk(jar.getPath("/addon-catalog"))) {
            Path source = jar.getPath("/addon-catalog");
            for (Path p : all.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return target;
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            progress("could not delete the work directory %s: %s", root, e.getMessage());
        }
    }

    private static void progress(String format, Object... args) {
        System.err.println("[addon-rollout] " + String.format(format, args));
    }

    /**
     * The platform threads of this JVM by name (digits as N), sampled every 100 ms on a daemon thread of its own: the
     * census at the highest count seen, and the latest.
     */
    static final class ThreadCensus implements AutoCloseable {

        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final Thread sampler;
        private volatile Map<String, Integer> atPeak = Map.of();
        private volatile int peak;

        private ThreadCensus() {
            this.sampler = Thread.ofPlatform().name("thread-census").daemon().unstarted(this::sample);
        }

        static ThreadCensus start() {
            ThreadCensus c = new ThreadCensus();
            c.sampler.start();
            return c;
        }

        private void sample() {
            while (!Thread.currentThread().isInterrupted()) {
                Map<String, Integer> now = census();
                int count = now.values().stream().mapToInt(Integer::intValue).sum();
                synchronized (this) {
                    if (count > peak) {
                        peak = count;
                        atPeak = now;
                    }
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        Map<String, Integer> census() {
            Map<String, Integer> out = new TreeMap<>();
            for (java.lang.management.ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
                if (info != null) {
                    out.merge(info.getThreadName().replaceAll("\\d+", "N"), 1, Integer::sum);
                }
            }
            return out;
        }

        /** Forgets the peak so far: the bench's own warm-up (a pool of its own) is not the controllers'. */
        synchronized void reset() {
            peak = 0;
            atPeak = Map.of();
        }

        int peak() {
            return peak;
        }

        Map<String, Integer> atPeak() {
            return atPeak;
        }

        static String brief(Map<String, Integer> census) {
            return census.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .map(e -> e.getValue() + " " + e.getKey())
                    .collect(Collectors.joining(", "));
        }

        @Override
        public void close() {
            sampler.interrupt();
        }
    }

    /** The heap in use after each collection, from the JVM's GC notifications: the highest one seen. */
    static final class GcWatcher implements AutoCloseable {

        private final AtomicLong peak = new AtomicLong();
        private final Set<String> heapPools;
        private final List<Runnable> removals = new ArrayList<>();

        private GcWatcher() {
            this.heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .map(MemoryPoolMXBean::getName)
                    .collect(Collectors.toSet());
        }

        static GcWatcher install() {
            GcWatcher w = new GcWatcher();
            Predicate<String> gcNotification =
                    GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION::equals;
            for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (bean instanceof NotificationEmitter emitter) {
                    javax.management.NotificationListener listener = (n, handback) -> {
                        if (gcNotification.test(n.getType())) {
                            w.record(GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()));
                        }
                    };
                    emitter.addNotificationListener(listener, null, null);
                    w.removals.add(() -> {
                        try {
                            emitter.removeNotificationListener(listener);
                        } catch (javax.management.ListenerNotFoundException ignored) {
                            // already gone
                        }
                    });
                }
            }
            return w;
        }

        private void record(GarbageCollectionNotificationInfo info) {
            long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                    .filter(e -> heapPools.contains(e.getKey()))
                    .mapToLong(e -> e.getValue().getUsed())
                    .sum();
            peak.accumulateAndGet(used, Math::max);
        }

        long peakAfterGc() {
            return peak.get();
        }

        @Override
        public void close() {
            removals.forEach(Runnable::run);
        }
    }
}
