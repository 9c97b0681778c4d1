package dev.kubeyard.bench;

import static dev.kubeyard.bench.HealingSweepBench.percentile;
import static dev.kubeyard.bench.HealthSweepBench.time;

import dev.kubeyard.bench.HealthSweepBench.ClusterRun;
import dev.kubeyard.bench.HealthSweepBench.Cpu;
import dev.kubeyard.bench.HealthSweepBench.Faults;
import dev.kubeyard.bench.HealthSweepBench.Options;
import dev.kubeyard.bench.HealthSweepBench.Phase;
import dev.kubeyard.bench.HealthSweepBench.Resources;
import dev.kubeyard.bench.HealthSweepBench.Result;
import dev.kubeyard.bench.HealthSweepBench.Sweep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** The text report of a {@link HealthSweepBench} run. */
final class HealthSweepReport {

    private HealthSweepReport() {}

    static String of(Result r) {
        Options o = r.options();
        StringBuilder out = new StringBuilder();
        line(
                out,
                "clusters=%d machines/cluster=%d (etcd %d, control plane %d, workers %d) parallelism=%d call timeout=%s"
                        + " warm sweeps=%d of each kind",
                o.clusters(),
                o.machinesPerCluster(),
                o.etcd(),
                o.controlPlane(),
                o.workers(),
                o.parallelism(),
                time(o.callTimeout()),
                o.warmSweeps());
        line(out, "recording: %s", r.store());
        line(out, "simulator: every cluster usable %s after its start", time(r.simReady()));
        Sweep cold = r.cold();
        line(
                out,
                "cold sweep (clients made, the simulator's in-memory API servers started, advanced checks on %d): %s"
                        + " (%s clusters/s); statuses %s; failed %d%s",
                cold.clusters().stream().filter(ClusterRun::advanced).count(),
                time(cold.took()),
                rate(o.clusters(), cold.took()),
                cold.statuses(),
                cold.failed(),
                cold.firstFailure().map(f -> " (" + f + ")").orElse(""));
        line(out, "  CPU: %s", cpu(r.coldCpu()));
        if (!cold.notPassing().isEmpty()) {
            line(out, "  checks that did not pass in the cold sweep: %s", cold.notPassing());
        }
        phase(out, o, r.simple(), "simple checks", false);
        line(out, "  store statements per simple warm sweep: %s", r.storeCallsPerWarmSweep());
        phase(out, o, r.advanced(), "advanced checks on every cluster", true);
        Resources res = r.resources();
        line(
                out,
                "heap of this JVM, used after GC: %s before, %s with %d cached clients, %s with them closed (%s per"
                        + " client)",
                mib(res.heapBaseline()),
                mib(res.heapWithClients()),
                res.clients(),
                mib(res.heapAfterClose()),
                res.heapWithClients() > res.heapAfterClose()
                        ? HealingSweepBench.kib(
                                (res.heapWithClients() - res.heapAfterClose()) / Math.max(1, res.clients()))
                        : "below the noise");
        line(
                out,
                "platform threads of this JVM: %d before, %d with %d clients, peak %d (virtual threads not counted);"
                        + " simulator: %d threads, heap %s after GC (limit %s)",
                res.threadsBaseline(),
                res.threadsWithClients(),
                res.clients(),
                res.peakThreads(),
                res.simThreads(),
                mib(res.simHeap()),
                o.simHeap());
        r.faults().ifPresent(f -> faults(out, o, r, f));
        r.rancherFaults().ifPresent(f -> {
            rancherSweep(out, o, "Rancher's machines list answering after " + time(f.latency()), f.slow());
            rancherSweep(out, o, "Rancher's machines list answering 503", f.failing());
        });
        return out.toString().stripTrailing();
    }

    private static void phase(StringBuilder out, Options o, Phase p, String what, boolean advanced) {
        List<Sweep> s = p.sweeps();
        line(
                out,
                "%s, warm x%d: p50 %s, max %s (%s clusters/s at the p50); sweeps %s",
                what,
                s.size(),
                time(p.p50()),
                time(p.max()),
                rate(o.clusters(), p.p50()),
                p.times().stream().map(HealthSweepBench::time).collect(Collectors.joining(", ")));
        line(out, "  CPU per sweep: %s", cpu(p.perSweep()));
        Predicate<ClusterRun> all = c -> true;
        line(
                out,
                "  per cluster: probe %s; record %s; of it waiting for a connection %s; waiting for a permit %s",
                dist(HealthSweepBench.perCluster(s, all, ClusterRun::probeNanos)),
                dist(HealthSweepBench.perCluster(s, all, ClusterRun::recordNanos)),
                dist(HealthSweepBench.perCluster(s, all, ClusterRun::connectionWaitNanos)),
                dist(HealthSweepBench.perCluster(s, all, ClusterRun::permitWaitNanos)));
        List<String> calls = new ArrayList<>();
        for (String call : HealthSweepBench.CALLS) {
            List<Duration> t = HealthSweepBench.callTimes(s, call, all);
            if (!t.isEmpty()) {
                calls.add(call + " " + dist(t));
            }
        }
        line(out, "  probe calls (ms, as ClusterProbe times them): %s", String.join("; ", calls));
        line(
                out,
                "  the sweep's Rancher clusters list: p50 %s; queries after the fan-out: p50 %s; statuses of the last"
                        + " sweep %s; transitions per sweep: last %d; failed: %d",
                time(percentile(
                        HealingSweepBench.sorted(
                                s.stream().map(Sweep::rancherList).toList()),
                        50)),
                time(percentile(
                        HealingSweepBench.sorted(s.stream().map(Sweep::after).toList()), 50)),
                s.getLast().statuses(),
                s.getLast().transitions(),
                s.stream().mapToInt(Sweep::failed).sum());
        Map<String, Long> notPassing = new java.util.TreeMap<>();
        s.forEach(x -> x.notPassing().forEach((k, v) -> notPassing.merge(k, v, Long::sum)));
        if (!notPassing.isEmpty()) {
            line(out, "  checks that did not pass, over the %d sweeps: %s", s.size(), notPassing);
        }
        if (!advanced && s.stream().anyMatch(x -> x.clusters().stream().anyMatch(ClusterRun::advanced))) {
            line(out, "  (some clusters had the advanced checks)");
        }
    }

    private static void faults(StringBuilder out, Options o, Result r, Faults f) {
        Set<String> unreachable = f.unreachable();
        Set<String> slow = f.slow();
        Predicate<ClusterRun> healthy = c -> !unreachable.contains(c.cluster()) && !slow.contains(c.cluster());
        Predicate<ClusterRun> isUnreachable = c -> unreachable.contains(c.cluster());
        Predicate<ClusterRun> isSlow = c -> slow.contains(c.cluster());
        Phase p = f.phase();
        List<Sweep> s = p.sweeps();
        line(
                out,
                "faults: %d clusters' API unreachable (the proxy answers 502), %d answering after %s (call timeout %s);"
                        + " %d sweeps back to back: p50 %s, max %s (simple warm p50 %s without faults); %s",
                unreachable.size(),
                slow.size(),
                time(o.slowLatency()),
                time(o.callTimeout()),
                s.size(),
                time(p.p50()),
                time(p.max()),
                time(r.simple().p50()),
                p.times().stream().map(HealthSweepBench::time).collect(Collectors.joining(", ")));
        line(out, "  CPU per sweep: %s", cpu(p.perSweep()));
        List<Sweep> clean = r.simple().sweeps();
        line(
                out,
                "  healthy clusters' probe: %s with the faults, %s without (simple warm sweeps)",
                dist99(HealthSweepBench.perCluster(s, healthy, ClusterRun::probeNanos)),
                dist99(HealthSweepBench.perCluster(clean, healthy, ClusterRun::probeNanos)));
        line(
                out,
                "  healthy clusters, sweep start to recorded: %s with the faults, %s without; waiting for a permit %s"
                        + " with, %s without",
                dist99(HealthSweepBench.perCluster(s, healthy, c -> c.doneAtNanos() - c.sweepStartNanos())),
                dist99(HealthSweepBench.perCluster(clean, healthy, c -> c.doneAtNanos() - c.sweepStartNanos())),
                dist(HealthSweepBench.perCluster(s, healthy, ClusterRun::permitWaitNanos)),
                dist(HealthSweepBench.perCluster(clean, healthy, ClusterRun::permitWaitNanos)));
        line(
                out,
                "  unreachable clusters' probe: %s; slow clusters' probe: %s",
                dist(HealthSweepBench.perCluster(s, isUnreachable, ClusterRun::probeNanos)),
                dist(HealthSweepBench.perCluster(s, isSlow, ClusterRun::probeNanos)));
        for (int i = 0; i < s.size(); i++) {
            line(
                    out,
                    "  fault sweep %d: api-reachable of the unreachable %s, of the slow %s, of the others %s",
                    i + 1,
                    HealthSweepBench.apiOutcomes(s.get(i), isUnreachable),
                    HealthSweepBench.apiOutcomes(s.get(i), isSlow),
                    HealthSweepBench.apiOutcomes(s.get(i), healthy));
        }
        List<Duration> detected = new ArrayList<>();
        int notDetected = 0;
        for (Map.Entry<String, Long> e : f.injectedAt().entrySet()) {
            ClusterRun first = s.getFirst().clusters().stream()
                    .filter(c -> c.cluster().equals(e.getKey()))
                    .findFirst()
                    .orElse(null);
            if (first == null || first.api() != dev.kubeyard.health.check.CheckStatus.FAIL) {
                notDetected++;
            } else {
                detected.add(Duration.ofNanos(first.doneAtNanos() - e.getValue()));
            }
        }
        detected.sort(null);
        line(
                out,
                "  detected (api-reachable Fail recorded) by the first fault sweep: %d of %d, fault -> recorded p50 %s,"
                        + " max %s (sweeps back to back)",
                detected.size(),
                detected.size() + notDetected,
                time(percentile(detected, 50)),
                time(percentile(detected, 100)));
        line(
                out,
                "  alerts opened during the fault phase: %d; firing at its end: %s",
                f.alertsOpened(),
                f.firingAfter());
        Duration worst = o.interval().plus(o.callTimeout()).plus(p.max());
        line(
                out,
                "detection at production's cadence: interval %s + call timeout %s + sweep time %s (the fault sweeps'"
                        + " max) = %s: %s 60 s",
                time(o.interval()),
                time(o.callTimeout()),
                time(p.max()),
                time(worst),
                worst.compareTo(Duration.ofSeconds(60)) <= 0 ? "within" : "NOT within");
    }

    private static void rancherSweep(StringBuilder out, Options o, String what, Sweep s) {
        Predicate<ClusterRun> all = c -> true;
        line(
                out,
                "%s (call timeout %s): one sweep %s (%s clusters/s); probe %s; machines call %s; statuses %s",
                what,
                time(o.callTimeout()),
                time(s.took()),
                rate(o.clusters(), s.took()),
                dist(HealthSweepBench.perCluster(List.of(s), all, ClusterRun::probeNanos)),
                dist(HealthSweepBench.callTimes(List.of(s), "machines", all)),
                s.statuses());
    }

    private static String cpu(Cpu c) {
        return String.format(
                "this JVM %s, simulator %s, PostgreSQL %s, rest of the machine %s (%d cores)",
                time(c.driver()),
                time(c.simulator()),
                time(c.database()),
                c.other().map(HealthSweepBench::time).orElse("unknown"),
                Runtime.getRuntime().availableProcessors());
    }

    private static String dist(List<Duration> sorted) {
        if (sorted.isEmpty()) {
            return "none";
        }
        return String.format(
                "p50 %s, p95 %s, max %s",
                time(percentile(sorted, 50)), time(percentile(sorted, 95)), time(percentile(sorted, 100)));
    }

    private static String dist99(List<Duration> sorted) {
        if (sorted.isEmpty()) {
            return "none";
        }
        return String.format(
                "p50 %s, p95 %s, p99 %s, max %s",
                time(percentile(sorted, 50)),
                time(percentile(sorted, 95)),
                time(percentile(sorted, 99)),
                time(percentile(sorted, 100)));
    }

    private static String rate(int clusters, Duration took) {
        return String.format("%.0f", clusters / Math.max(0.001, took.toMillis() / 1000.0));
    }

    private static String mib(long bytes) {
        return HealingSweepBench.mib(bytes);
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(format, args)).append('\n');
    }
}
