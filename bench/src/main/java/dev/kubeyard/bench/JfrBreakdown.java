package dev.kubeyard.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went in a flight recording of {@link AddonRolloutBench} or {@link HealthSweepBench} ({@code --jfr DIR}):
 * its execution samples sorted into what they were doing, for the controller's JVM ({@code bench.jfr}), the health
 * sweep's ({@code simple.jfr}, {@code advanced.jfr}) or the simulator's ({@code sim*.jfr}).
 * Each sample goes to the first rule whose frame is on its stack, so the rules go from the specific to the general.
 * GC threads are not sampled: their pauses are summed apart.
 *
 * <pre>{@code java -cp target/classes dev.kubeyard.bench.JfrBreakdown controller /tmp/jfr/bench.jfr}</pre>
 */
public final class JfrBreakdown {

    private record Rule(String label, Predicate<List<String>> matches) {}

    private static Rule under(String label, String... frames) {
        return new Rule(
                label, stack -> Stream.of(frames).allMatch(f -> stack.stream().anyMatch(s -> s.startsWith(f))));
    }

    private static final String APPLY = "dev.kubeyard.addons.cluster.ClusterObjects.apply";
    private static final String LIST = "dev.kubeyard.addons.cluster.ClusterObjects.listManaged";

    static final List<Rule> CONTROLLER = List.of(
            under(
                    "ClusterObjects.apply: the desired ObjectNode converted to a GenericKubernetesResource (Jackson)",
                    APPLY,
                    "com.fasterxml.jackson.databind.ObjectMapper.convertValue"),
            under(
                    "ClusterObjects.apply: fabric8's patch (copy of the body, URL, serialise, send, decode the answer)",
                    APPLY),
            under(
                    "ClusterObjects.listManaged: each listed item converted to a JsonNode (Jackson valueToTree)",
                    LIST,
                    "com.fasterxml.jackson.databind.ObjectMapper.valueToTree"),
            under("ClusterObjects.listManaged: fabric8's list (URL, send, decode)", LIST),
            under("ClusterObjects.get: the health check's GET", "dev.kubeyard.addons.cluster.ClusterObjects.get"),
            under("ObjectPlanner.plan (Drift.difference per object)", "dev.kubeyard.addons.plan.ObjectPlanner.plan"),
            under("Helm (a cache miss)", "dev.kubeyard.addons.render.AddonRenderer.template"),
            under(
                    "AddonRenderer.render, cache hit: schema validation, digest, merge",
                    "dev.kubeyard.addons.render.AddonRenderer.render"),
            under("ManagedLabels.decorate (a deep copy per object)", "dev.kubeyard.addons.plan.ManagedLabels.decorate"),
            under(
                    "AddonVersion.supports (the Kubernetes range, parsed each pass)",
                    "dev.kubeyard.addons.catalog.AddonVersion.supports"),
            under("rest of InstallationReconciler.reconcile", "dev.kubeyard.addons.cluster.InstallationReconciler"),
            under("StatusRules.next", "dev.kubeyard.addons.plan.StatusRules"),
            under("RolloutPlanner.step", "dev.kubeyard.addons.rollout.RolloutPlanner"),
            under(
                    "ClusterClients.forCluster: each cluster's client made (first use)",
                    "dev.kubeyard.inventory.kube.ClusterClients"),
            under("the bench's own code (controllers, store, rollout loop, GC watcher)", "dev.kubeyard.bench."),
            under(
                    "Vert.x event loops: answers decoded (fabric8 completes its futures there; Jackson)",
                    "io.netty.",
                    "com.fasterxml.jackson."),
            under("Vert.x event loops: HTTP I/O (fabric8's Vert.x client)", "io.netty."),
            new Rule("other", stack -> true));

    private static final String PROBE = "dev.kubeyard.health.probe.ClusterProbe";
    private static final String PG = "dev.kubeyard.bench.PostgresHealthRecorder";

    /** {@link HealthSweepBench}'s JVM: cluster-health's probe, checks and recording. */
    static final List<Rule> HEALTH = List.of(
            under("recording: JDBC (the PostgreSQL driver: statements, answers)", PG, "org.postgresql."),
            under("recording: the stored document parsed (Jackson)", PG + ".parse"),
            under("recording: the new document and labels written (Jackson)", PG + ".jsonOf"),
            under(
                    "checks: the advanced ones' Prometheus text (PromText, /metrics)",
                    "dev.kubeyard.health.check.PromText"),
            under("checks: the rest of HealthChecks.evaluate", "dev.kubeyard.health.check.HealthChecks"),
            under("HealthTracker.track", "dev.kubeyard.health.check.HealthTracker"),
            under("AlertPlanner.plan", "dev.kubeyard.health.alert.AlertPlanner"),
            under("recording: the rest (pool, statements built)", PG),
            under("recording: in memory", "dev.kubeyard.bench.InMemoryHealthRecorder"),
            under(
                    "probe: Rancher's machines of the cluster (rancher-client: OkHttp, Jackson)",
                    "dev.kubeyard.rancher.client.machine.Machines.list"),
            under("probe: machines converted (ClusterProbe.machine)", PROBE + ".machine"),
            under("probe: nodes converted (ClusterProbe.node)", PROBE + ".node"),
            under(
                    "probe: node usage (fabric8 top().nodes().metrics())",
                    PROBE,
                    "io.fabric8.kubernetes.client.dsl.internal.NodeMetric"),
            under("probe: plain GETs /version, /readyz, /metrics (ClusterProbe.get)", PROBE + ".get"),
            under("probe: fabric8 lists on the probe's thread (nodes, componentstatuses)", PROBE, "io.fabric8."),
            under("probe: the rest of ClusterProbe", PROBE),
            under(
                    "the sweep's one Rancher clusters list",
                    "dev.kubeyard.rancher.client.provisioning.ProvisioningClusters.list"),
            under("ClusterClients: clients made (first use)", "dev.kubeyard.inventory.kube.ClusterClients"),
            under("the bench's own code (sweep, report, GC calls)", "dev.kubeyard.bench."),
            under(
                    "Vert.x event loops: answers decoded (fabric8 completes its futures there; Jackson)",
                    "io.netty.",
                    "com.fasterxml.jackson."),
            under("Vert.x event loops: HTTP I/O (fabric8's Vert.x client)", "io.netty."),
            under("OkHttp without a caller on the stack (rancher-client's connections)", "okhttp3."),
            new Rule("other", stack -> true));

    static final List<Rule> SIMULATOR = List.of(
            under(
                    "downstream API: server-side apply (SimCrudDispatcher.handlePatch: merge, store, answer)",
                    "dev.kubeyard.rancher.sim.downstream.SimCrudDispatcher.handlePatch"),
            under(
                    "downstream API: GET and LIST (SimCrudDispatcher.handleGet, label selectors)",
                    "dev.kubeyard.rancher.sim.downstream.SimCrudDispatcher.handleGet"),
            under(
                    "downstream API: other requests (fabric8's mock dispatcher)",
                    "io.fabric8.mockwebserver.",
                    "dev.kubeyard.rancher.sim.downstream.SimCrudDispatcher"),
            under("downstream API: fabric8's mock server", "io.fabric8.mockwebserver."),
            under(
                    "simulated workload controllers (status after a spec change)",
                    "dev.kubeyard.rancher.sim.downstream.DownstreamApis.advanceWorkloads"),
            under(
                    "health endpoints answered without an API server (LocalAnswers: version, readyz, components,"
                            + " metrics API, /metrics)",
                    "dev.kubeyard.rancher.sim.downstream.LocalAnswers"),
            under("Rancher's Steve API (lists of machines and clusters)", "dev.kubeyard.rancher.sim.api.SteveApi"),
            under("Rancher proxy: forwarding (Forwarder)", "dev.kubeyard.rancher.sim.downstream.Forwarder"),
            under("Rancher proxy: fault injector, per request", "dev.kubeyard.rancher.sim.faults.FaultInjector"),
            under("rest of the simulator (Rancher API, lifecycle)", "dev.kubeyard.rancher.sim."),
            new Rule("Vert.x and Netty I/O without simulator code on the stack", stack -> stack.stream()
                    .anyMatch(s -> s.startsWith("io.netty.") || s.startsWith("io.vertx."))),
            new Rule("other", stack -> true));

    private JfrBreakdown() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !List.of("controller", "simulator", "health").contains(args[0])) {
            System.err.println("usage: JfrBreakdown controller|simulator|health FILE.jfr");
            System.exit(2);
        }
        boolean sim = args[0].equals("simulator");
        List<Rule> rules =
                switch (args[0]) {
                    case "simulator" -> SIMULATOR;
                    case "health" -> HEALTH;
                    default -> CONTROLLER;
                };
        Map<String, Integer> counts = new LinkedHashMap<>();
        rules.forEach(r -> counts.put(r.label(), 0));
        Map<Long, Integer> byThread = new LinkedHashMap<>();
        Set<Long> proxyThreads = new HashSet<>();
        Set<Long> downstreamThreads = new HashSet<>();
        int total = 0;
        Duration pauses = Duration.ZERO;
        int collections = 0;
        int hwThreads = Runtime.getRuntime().availableProcessors();
        List<Load> loads = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[1]))) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.CPUInformation")) {
                hwThreads = e.getInt("hwThreads");
                continue;
            }
            if (type.equals("jdk.ThreadCPULoad")) {
                loads.add(new Load(
                        e.getThread("eventThread").getJavaThreadId(),
                        e.getThread("eventThread").getJavaName(),
                        e.getStartTime(),
                        e.getFloat("user") + e.getFloat("system")));
                continue;
            }
            if (type.equals("jdk.GarbageCollection")) {
                pauses = pauses.plus(e.getDuration("sumOfPauses"));
                collections++;
                continue;
            }
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace trace = e.getStackTrace();
            if (trace == null) {
                continue;
            }
            List<String> stack =
                    trace.getFrames().stream().map(JfrBreakdown::name).toList();
            total++;
            for (Rule r : rules) {
                if (r.matches().test(stack)) {
                    counts.merge(r.label(), 1, Integer::sum);
                    break;
                }
            }
            long thread = e.getThread("sampledThread").getJavaThreadId();
            byThread.merge(thread, 1, Integer::sum);
            if (stack.stream().anyMatch(s -> s.startsWith("dev.kubeyard.rancher.sim.downstream.Forwarder"))) {
                proxyThreads.add(thread);
            }
            if (stack.stream().anyMatch(s -> s.startsWith("io.fabric8.mockwebserver."))) {
                downstreamThreads.add(thread);
            }
        }
        System.out.printf("%s, %d samples%n%n| share | what |%n| --- | --- |%n", args[1], total);
        for (Map.Entry<String, Integer> c : counts.entrySet()) {
            if (c.getValue() > 0) {
                System.out.printf("| %.1f%% | %s |%n", 100.0 * c.getValue() / Math.max(1, total), c.getKey());
            }
        }
        if (sim) {
            // The proxy's front server and the 200 in-memory API servers run on Vert.x event loops of the same names:
            // a thread that ever ran the Forwarder is the front's, one that ran fabric8's mock is a cluster's.
            int proxy = 0;
            int downstream = 0;
            for (Map.Entry<Long, Integer> t : byThread.entrySet()) {
                if (proxyThreads.contains(t.getKey())) {
                    proxy += t.getValue();
                } else if (downstreamThreads.contains(t.getKey())) {
                    downstream += t.getValue();
                }
            }
            System.out.printf(
                    "%nby thread: the proxy's front event loops (%d threads) %.1f%%, the clusters' API servers (%d"
                            + " threads) %.1f%%, others %.1f%%%n",
                    proxyThreads.size(),
                    100.0 * proxy / Math.max(1, total),
                    downstreamThreads.size(),
                    100.0 * downstream / Math.max(1, total),
                    100.0 * (total - proxy - downstream) / Math.max(1, total));
        }
        System.out.printf(
                "GC: %d collections, pauses %d ms in all (GC threads are not in the samples)%n",
                collections, pauses.toMillis());
        cpuByThreads(loads, hwThreads, proxyThreads, downstreamThreads);
    }

    /** One thread's CPU load over the period that ends at {@code at}, as a share of the whole machine. */
    private record Load(long thread, String name, Instant at, double share) {}

    /**
     * CPU seconds by group of threads, from JFR's periodic per-thread CPU load (every 10 s with the profile settings,
     * a share of all hardware threads): the busiest period of each group, as a share of one core, tells whether a group
     * of one thread was near its ceiling.
     */
    private static void cpuByThreads(List<Load> loads, int hwThreads, Set<Long> proxy, Set<Long> downstream) {
        if (loads.isEmpty()) {
            return;
        }
        List<Instant> ticks = loads.stream().map(Load::at).distinct().sorted().toList();
        Map<Instant, Double> period = new HashMap<>();
        for (int i = 0; i < ticks.size(); i++) {
            Instant from = i > 0 ? ticks.get(i - 1) : null;
            double seconds = from != null
                    ? Duration.between(from, ticks.get(i)).toMillis() / 1000.0
                    : ticks.size() > 1
                            ? Duration.between(ticks.get(0), ticks.get(1)).toMillis() / 1000.0
                            : 10.0;
            period.put(ticks.get(i), seconds);
        }
        Map<String, Double> cpu = new TreeMap<>();
        Map<String, Set<Long>> members = new TreeMap<>();
        Map<String, Double> busiest = new TreeMap<>();
        Map<String, Map<Instant, Double>> perTick = new HashMap<>();
        for (Load l : loads) {
            String group = group(l, proxy, downstream);
            double seconds = l.share() * hwThreads * period.get(l.at());
            cpu.merge(group, seconds, Double::sum);
            members.computeIfAbsent(group, g -> new HashSet<>()).add(l.thread());
            perTick.computeIfAbsent(group, g -> new HashMap<>()).merge(l.at(), seconds, Double::sum);
        }
        perTick.forEach((group, byTick) ->
                byTick.forEach((tick, seconds) -> busiest.merge(group, seconds / period.get(tick), Math::max)));
        double all = cpu.values().stream().mapToDouble(Double::doubleValue).sum();
        System.out.printf(
                "%nCPU by threads (JFR's per-thread CPU load, %d hardware threads), %.1f CPU-s in all%n%n"
                        + "| threads | CPU-s | share | busiest period, cores |%n| --- | --- | --- | --- |%n",
                hwThreads, all);
        cpu.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> System.out.printf(
                        "| %s (%d) | %.1f | %.1f%% | %.2f |%n",
                        e.getKey(),
                        members.get(e.getKey()).size(),
                        e.getValue(),
                        100 * e.getValue() / Math.max(0.001, all),
                        busiest.get(e.getKey())));
    }

    private static String group(Load l, Set<Long> proxy, Set<Long> downstream) {
        String n = l.name() == null ? "" : l.name();
        if (proxy.contains(l.thread())) {
            return "the proxy's front event loop";
        }
        if (downstream.contains(l.thread())) {
            return "the clusters' API servers' event loops";
        }
        if (n.startsWith("GC Thread") || n.startsWith("G1 ") || n.equals("VM Thread")) {
            return "GC and VM";
        }
        if (n.contains("CompilerThread")) {
            return "JIT compilers";
        }
        if (n.startsWith("ForkJoinPool-")) {
            return "virtual-thread carriers (controller passes, health probes)";
        }
        if (n.startsWith("vert.x-eventloop")) {
            return "Vert.x event loops";
        }
        return "other";
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
