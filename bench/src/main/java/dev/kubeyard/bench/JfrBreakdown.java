package dev.kubeyard.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the CPU went in a flight recording of {@link AddonRolloutBench} ({@code --jfr DIR}): its execution samples
 * sorted into what they were doing, for the controller's JVM ({@code bench.jfr}) or the simulator's ({@code sim.jfr}).
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
            under("Rancher proxy: forwarding (Forwarder)", "dev.kubeyard.rancher.sim.downstream.Forwarder"),
            under("Rancher proxy: fault injector, per request", "dev.kubeyard.rancher.sim.faults.FaultInjector"),
            under("rest of the simulator (Rancher API, lifecycle)", "dev.kubeyard.rancher.sim."),
            new Rule("Vert.x and Netty I/O without simulator code on the stack", stack -> stack.stream()
                    .anyMatch(s -> s.startsWith("io.netty.") || s.startsWith("io.vertx."))),
            new Rule("other", stack -> true));

    private JfrBreakdown() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2 || !(args[0].equals("controller") || args[0].equals("simulator"))) {
            System.err.println("usage: JfrBreakdown controller|simulator FILE.jfr");
            System.exit(2);
        }
        boolean sim = args[0].equals("simulator");
        List<Rule> rules = sim ? SIMULATOR : CONTROLLER;
        Map<String, Integer> counts = new LinkedHashMap<>();
        rules.forEach(r -> counts.put(r.label(), 0));
        Map<Long, Integer> byThread = new LinkedHashMap<>();
        Set<Long> proxyThreads = new HashSet<>();
        Set<Long> downstreamThreads = new HashSet<>();
        int total = 0;
        Duration pauses = Duration.ZERO;
        int collections = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(args[1]))) {
            String type = e.getEventType().getName();
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
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
