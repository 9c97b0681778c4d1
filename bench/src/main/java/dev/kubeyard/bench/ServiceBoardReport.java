package dev.kubeyard.bench;

import static dev.kubeyard.bench.HealingSweepBench.mib;
import static dev.kubeyard.bench.HealingSweepBench.percentile;
import static dev.kubeyard.bench.HealingSweepBench.time;
import static dev.kubeyard.bench.ServiceBoardBench.ms;

import dev.kubeyard.bench.ServiceBoardBench.ChangeKind;
import dev.kubeyard.bench.ServiceBoardBench.ChangeTime;
import dev.kubeyard.bench.ServiceBoardBench.Changes;
import dev.kubeyard.bench.ServiceBoardBench.Cpu;
import dev.kubeyard.bench.ServiceBoardBench.Options;
import dev.kubeyard.bench.ServiceBoardBench.Resources;
import dev.kubeyard.bench.ServiceBoardBench.Result;
import dev.kubeyard.bench.ServiceBoardBench.SearchKind;
import dev.kubeyard.bench.ServiceBoardBench.Seeding;
import dev.kubeyard.bench.ServiceBoardBench.Sync;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The service-board benchmark's report: Markdown tables, the figures first. */
final class ServiceBoardReport {

    private final StringBuilder out = new StringBuilder();

    private ServiceBoardReport() {}

    static String of(Result r) {
        ServiceBoardReport report = new ServiceBoardReport();
        report.write(r);
        return report.out.toString();
    }

    private void line(String format, Object... args) {
        out.append(String.format(format, args)).append('\n');
    }

    private void row(String figure, String value) {
        line("| %s | %s |", figure, value);
    }

    private void write(Result r) {
        Options o = r.options();
        line(
                "## service-board: %d clusters × %d services (%d), %d changes, %d runs per search",
                o.clusters(), o.services(), (long) o.clusters() * o.services(), o.changes(), o.searchRuns());
        line("");
        line(
                "options: clusters=%d services=%d namespaces=%d changes=%d change-rate=%.0f/s search-runs=%d"
                        + " seed-parallelism=%d db-pool=%d db-durable=%s tick=%s flush=%s flush-parallelism=%d"
                        + " stale-after=%s poll=%s sim-heap=%s",
                o.clusters(),
                o.services(),
                o.namespaces(),
                o.changes(),
                o.changeRate(),
                o.searchRuns(),
                o.seedParallelism(),
                o.dbPool(),
                o.dbDurable(),
                time(o.tick()),
                time(o.flushInterval()),
                o.flushParallelism(),
                time(o.staleAfter()),
                time(o.poll()),
                o.simHeap());
        line("");
        line("database: %s; simulator usable after %s", r.database(), time(r.simReady()));
        line("");
        line("| figure | value |");
        line("| --- | --- |");
        Seeding seed = r.seeding();
        row(
                "seeding, not part of the sync (bulk admin calls; the simulator's API servers started)",
                String.format(
                        "%d objects in %d calls, %s (%.0f objects/s)",
                        seed.objects(),
                        seed.calls(),
                        time(seed.took()),
                        seed.objects() / Math.max(0.001, seed.took().toNanos() / 1e9)));
        Sync sync = r.sync();
        row(
                "**initial sync** (start → every row in PostgreSQL and every cluster's synced_at)",
                "**" + time(sync.took()) + "**");
        row("first row / every cluster synced_at", time(sync.firstRow()) + " / " + time(sync.allSynced()));
        row(
                "rows written per second during the sync",
                String.format("%.0f (%d rows)", sync.rowsPerSecond(), sync.rows()));
        row(
                "flushes during the sync (one transaction per cluster and flush): count, mean, max",
                String.format("%d, %s, %s", sync.flushes(), ms(sync.flushMean()), ms(sync.flushMax())));
        row("CPU during the sync: driver / simulator / rest of the machine (PostgreSQL, others)", cpu(sync.cpu()));
        row(
                "statuses after the sync (as seeded: " + (sync.statuses().equals(sync.expected()) ? "yes" : "NO") + ")",
                sync.statuses().toString());
        Resources res = r.resources();
        row(
                "driver heap after GC: before the collectors / with " + res.collectors() + " collectors running",
                mib(res.heapBefore()) + " / " + mib(res.heapWithCollectors()) + ": "
                        + HealingSweepBench.kib(res.perCluster()) + " per cluster");
        row(
                "driver platform threads: before / with the collectors / peak",
                res.threadsBefore() + " / " + res.threadsWithCollectors() + " / " + res.peakThreads());
        row("simulator heap after GC / threads", mib(res.simHeap()) + " / " + res.simThreads());
        Changes ch = r.changes();
        List<Duration> seen = ch.seen();
        row(
                "**change → board** p50 / p95 / max (" + ch.times().size() + " changes, " + ch.missed()
                        + " not seen within 60 s)",
                "**" + triple(seen) + "**");
        List<Duration> writes = HealingSweepBench.sorted(
                ch.times().stream().map(ChangeTime::write).toList());
        row(
                "the API write itself (through the proxy) p50 / max",
                ms(percentile(writes, 50)) + " / " + ms(percentile(writes, 100)));
        row(
                "collector's `kubeyard.serviceboard.change.latency` over the changes: count, p50 / p95 / max",
                ch.collectorTimer().size() + ", " + triple(ch.collectorTimer()));
        row(
                "the same timer as Micrometer publishes it at the end (count since start; p50, p99 of its window)",
                ch.timerCount() + "; " + published(ch.micrometer()));
        List<Duration> all = new ArrayList<>();
        r.searches().forEach(s -> all.addAll(s.times()));
        List<Duration> sortedAll = HealingSweepBench.sorted(all);
        row(
                "**search** p50 / p99, all kinds (" + all.size() + " runs)",
                "**" + ms(percentile(sortedAll, 50)) + " / " + ms(percentile(sortedAll, 99)) + "**");
        line("");
        line("Change → board by kind (from the API write's answer to the poll that saw the row):");
        line("");
        line("| change | count | p50 | p95 | max |");
        line("| --- | --- | --- | --- | --- |");
        for (ChangeKind kind : ChangeKind.values()) {
            List<Duration> times = HealingSweepBench.sorted(ch.times().stream()
                    .filter(t -> t.kind() == kind)
                    .flatMap(t -> t.toBoard().stream())
                    .toList());
            line(
                    "| %s | %d | %s | %s | %s |",
                    kind.description,
                    times.size(),
                    ms(percentile(times, 50)),
                    ms(percentile(times, 95)),
                    ms(percentile(times, 100)));
        }
        line("");
        line("Search (BoardSearch.search: the counts per status and one page of %d, warm):", 50);
        line("");
        line("| query | matches | p50 | p99 | max |");
        line("| --- | --- | --- | --- | --- |");
        for (SearchKind s : r.searches()) {
            line(
                    "| %s | %d | %s | %s | %s |",
                    s.name(),
                    s.total(),
                    ms(percentile(s.times(), 50)),
                    ms(percentile(s.times(), 99)),
                    ms(percentile(s.times(), 100)));
        }
    }

    private static String triple(List<Duration> sorted) {
        return ms(percentile(sorted, 50)) + " / " + ms(percentile(sorted, 95)) + " / " + ms(percentile(sorted, 100));
    }

    private static String published(Map<Double, Duration> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((p, d) -> parts.add("p" + Math.round(p * 100) + " " + ms(d)));
        return String.join(", ", parts);
    }

    private static String cpu(Cpu c) {
        return time(c.driver()) + " / " + time(c.simulator()) + " / "
                + c.rest().map(HealingSweepBench::time).orElse("n/a");
    }
}
