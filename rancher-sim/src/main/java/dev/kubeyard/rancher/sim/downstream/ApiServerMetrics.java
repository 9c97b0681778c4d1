package dev.kubeyard.rancher.sim.downstream;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code /metrics} of one cluster's kube-apiserver: counters and histograms of a steady simulated traffic
 * ({@value #NON_WATCH_PER_SECOND} non-watch requests and {@value #WATCH_PER_SECOND} finished watch per second from
 * {@code start}), with kube-apiserver's metric names, labels, HELP texts and buckets.
 *
 * <p>Time is an input: each scrape and each change of the traffic settings first advances the counters to the time
 * given, at the settings in force until then, so a rate computed between two scrapes reflects the settings in
 * between. Counts are kept as fractions and shown rounded down, so every counter is monotonic. The arrays are
 * allocated on the first scrape or settings change; an untouched cluster holds two instants and two numbers.
 * Thread-safe.
 */
final class ApiServerMetrics {

    static final double NON_WATCH_PER_SECOND = 20;
    static final double WATCH_PER_SECOND = 1;

    /** kube-apiserver's buckets of {@code apiserver_request_duration_seconds} and {@code etcd_request_duration_seconds}. */
    static final double[] BUCKETS = {
        0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60
    };

    /** Where non-watch latencies fall, as fractions of the p99 latency, and the share of requests at each. */
    private static final double[] SHAPE = {0.2, 0.45, 0.75, 0.95, 1.6};

    private static final double[] SHAPE_SHARE = {0.5, 0.3, 0.15, 0.045, 0.005};

    /** A watch ends after about a minute, so its whole duration lands in the 60 s bucket. */
    static final double WATCH_SECONDS = 58;

    /** etcd answers in a quarter of the API server's time. */
    private static final double ETCD_SHARE_OF_LATENCY = 0.25;

    private static final int[] ERROR_CODES = {500, 503};

    /** Rounding slack so that a count of 59.99999999 shows as 60. */
    private static final double SLACK = 1e-6;

    private static final List<String> REQUEST_LABELS =
            List.of("code", "component", "dry_run", "group", "resource", "scope", "subresource", "verb", "version");
    private static final List<String> DURATION_LABELS =
            List.of("component", "dry_run", "group", "resource", "scope", "subresource", "verb", "version");

    /** One kind of request of the simulated traffic. */
    private record Endpoint(
            String verb,
            String group,
            String version,
            String resource,
            String scope,
            String subresource,
            double share,
            int[] codes,
            double[] codeShares,
            String etcdOperation) {

        boolean watch() {
            return verb.equals("WATCH");
        }

        String etcdType() {
            return group.isEmpty() ? resource : resource + "." + group;
        }
    }

    private static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint(
                    "GET",
                    "coordination.k8s.io",
                    "v1",
                    "leases",
                    "namespace",
                    "",
                    0.30,
                    new int[] {200},
                    new double[] {1},
                    "get"),
            new Endpoint(
                    "PUT",
                    "coordination.k8s.io",
                    "v1",
                    "leases",
                    "namespace",
                    "",
                    0.25,
                    new int[] {200, 409},
                    new double[] {0.99, 0.01},
                    "update"),
            new Endpoint(
                    "GET",
                    "",
                    "v1",
                    "nodes",
                    "resource",
                    "",
                    0.10,
                    new int[] {200, 404},
                    new double[] {0.97, 0.03},
                    "get"),
            new Endpoint(
                    "PATCH",
                    "",
                    "v1",
                    "nodes",
                    "resource",
                    "status",
                    0.10,
                    new int[] {200},
                    new double[] {1},
                    "update"),
            new Endpoint("LIST", "", "v1", "pods", "cluster", "", 0.05, new int[] {200}, new double[] {1}, "list"),
            new Endpoint("LIST", "", "v1", "nodes", "cluster", "", 0.05, new int[] {200}, new double[] {1}, "list"),
            new Endpoint(
                    "GET",
                    "",
                    "v1",
                    "configmaps",
                    "namespace",
                    "",
                    0.05,
                    new int[] {200, 404},
                    new double[] {0.9, 0.1},
                    "get"),
            new Endpoint(
                    "POST", "", "v1", "events", "namespace", "", 0.05, new int[] {201}, new double[] {1}, "create"),
            new Endpoint(
                    "PATCH",
                    "apps",
                    "v1",
                    "deployments",
                    "namespace",
                    "",
                    0.05,
                    new int[] {200, 409},
                    new double[] {0.98, 0.02},
                    "update"),
            new Endpoint("WATCH", "", "v1", "pods", "cluster", "", 0.4, new int[] {200}, new double[] {1}, null),
            new Endpoint("WATCH", "", "v1", "nodes", "cluster", "", 0.3, new int[] {200}, new double[] {1}, null),
            new Endpoint(
                    "WATCH", "", "v1", "configmaps", "namespace", "", 0.3, new int[] {200}, new double[] {1}, null));

    /** The etcd series ({@code operation}, {@code type}) the endpoints reach, and each endpoint's series. */
    private static final List<List<String>> ETCD_SERIES;

    private static final int[] ETCD_INDEX;

    static {
        Map<List<String>, Integer> series = new LinkedHashMap<>();
        ETCD_INDEX = new int[ENDPOINTS.size()];
        for (int i = 0; i < ENDPOINTS.size(); i++) {
            Endpoint e = ENDPOINTS.get(i);
            ETCD_INDEX[i] = e.watch()
                    ? -1
                    : series.computeIfAbsent(List.of(e.etcdOperation(), e.etcdType()), k -> series.size());
        }
        ETCD_SERIES = List.copyOf(series.keySet());
    }

    private final Instant start;
    private Instant advancedTo;
    private double errorRatio;
    private long p99Millis = ApiHealth.DEFAULT_P99_LATENCY_MILLIS;
    private Counters counters;

    private static final class Counters {
        /** Per endpoint, per code: its ok codes, then {@link #ERROR_CODES} for non-watch endpoints. */
        final double[][] requests = new double[ENDPOINTS.size()][];
        /** Per endpoint, per bucket (not cumulative; the last is +Inf). */
        final double[][] buckets = new double[ENDPOINTS.size()][BUCKETS.length + 1];

        final double[] sums = new double[ENDPOINTS.size()];
        final double[][] etcdBuckets = new double[ETCD_SERIES.size()][BUCKETS.length + 1];
        final double[] etcdSums = new double[ETCD_SERIES.size()];

        Counters() {
            for (int i = 0; i < ENDPOINTS.size(); i++) {
                Endpoint e = ENDPOINTS.get(i);
                requests[i] = new double[e.codes().length + (e.watch() ? 0 : ERROR_CODES.length)];
            }
        }
    }

    /** @param start when the API server started: the traffic runs from then on */
    ApiServerMetrics(Instant start) {
        this.start = start;
        this.advancedTo = start;
    }

    /** Advances to {@code now} at the old settings, then applies the new ones. */
    synchronized void traffic(Instant now, double newErrorRatio, long newP99Millis) {
        advance(now);
        errorRatio = newErrorRatio;
        p99Millis = newP99Millis > 0 ? newP99Millis : ApiHealth.DEFAULT_P99_LATENCY_MILLIS;
    }

    /** The exposition text at {@code now}. */
    synchronized String scrape(Instant now, int nodeCount, ApiHealth health) {
        advance(now);
        Counters k = counters();
        PromText text = new PromText();

        List<PromText.Histogram> durations = new ArrayList<>();
        List<PromText.Sample> totals = new ArrayList<>();
        for (int i = 0; i < ENDPOINTS.size(); i++) {
            Endpoint e = ENDPOINTS.get(i);
            List<String> labels = List.of(
                    "apiserver", "", e.group(), e.resource(), e.scope(), e.subresource(), e.verb(), e.version());
            durations.add(new PromText.Histogram(labels, BUCKETS, cumulative(k.buckets[i]), k.sums[i]));
            for (int c = 0; c < k.requests[i].length; c++) {
                int code = c < e.codes().length ? e.codes()[c] : ERROR_CODES[c - e.codes().length];
                List<String> withCode = new ArrayList<>();
                withCode.add(Integer.toString(code));
                withCode.addAll(labels);
                totals.add(new PromText.Sample(withCode, whole(k.requests[i][c])));
            }
        }
        text.histogram(
                "apiserver_request_duration_seconds",
                "[STABLE] Response latency distribution in seconds for each verb, dry run value, group, version,"
                        + " resource, subresource, scope and component.",
                DURATION_LABELS,
                durations);
        text.family(
                "apiserver_request_total",
                "counter",
                "[STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version,"
                        + " resource, scope, component, and HTTP response code.",
                REQUEST_LABELS,
                totals);
        text.family(
                "apiserver_storage_objects",
                "gauge",
                "[STABLE] Number of stored objects at the time of last check split by kind. In case of a fetching"
                        + " error, the value will be -1.",
                List.of("resource"),
                storageObjects(nodeCount, health.etcdHealthy()));
        text.family(
                "apiserver_storage_size_bytes",
                "gauge",
                "[STABLE] Size of the storage database file physically allocated in bytes.",
                List.of("storage_cluster_id"),
                List.of(new PromText.Sample(List.of("etcd-0"), health.effectiveEtcdDbSizeBytes())));
        List<PromText.Histogram> etcd = new ArrayList<>();
        for (int s = 0; s < ETCD_SERIES.size(); s++) {
            etcd.add(new PromText.Histogram(ETCD_SERIES.get(s), BUCKETS, cumulative(k.etcdBuckets[s]), k.etcdSums[s]));
        }
        text.histogram(
                "etcd_request_duration_seconds",
                "[ALPHA] Etcd request latency in seconds for each operation and object type.",
                List.of("operation", "type"),
                etcd);
        text.family(
                "process_start_time_seconds",
                "gauge",
                "[ALPHA] Start time of the process since unix epoch in seconds.",
                List.of(),
                List.of(new PromText.Sample(List.of(), start.toEpochMilli() / 1000.0)));
        return text.text();
    }

    private void advance(Instant now) {
        double seconds = Duration.between(advancedTo, now).toNanos() / 1e9;
        if (seconds <= 0) {
            return;
        }
        advancedTo = now;
        Counters k = counters();
        double p99 = p99Millis / 1000.0;
        for (int i = 0; i < ENDPOINTS.size(); i++) {
            Endpoint e = ENDPOINTS.get(i);
            if (e.watch()) {
                double n = WATCH_PER_SECOND * seconds * e.share();
                k.requests[i][0] += n;
                observe(k.buckets[i], WATCH_SECONDS, n);
                k.sums[i] += n * WATCH_SECONDS;
                continue;
            }
            double n = NON_WATCH_PER_SECOND * seconds * e.share();
            double errors = n * errorRatio;
            double ok = n - errors;
            for (int c = 0; c < e.codes().length; c++) {
                k.requests[i][c] += ok * e.codeShares()[c];
            }
            for (int c = 0; c < ERROR_CODES.length; c++) {
                k.requests[i][e.codes().length + c] += errors / ERROR_CODES.length;
            }
            int etcd = ETCD_INDEX[i];
            for (int s = 0; s < SHAPE.length; s++) {
                double latency = p99 * SHAPE[s];
                observe(k.buckets[i], latency, n * SHAPE_SHARE[s]);
                k.sums[i] += latency * n * SHAPE_SHARE[s];
                double etcdLatency = latency * ETCD_SHARE_OF_LATENCY;
                observe(k.etcdBuckets[etcd], etcdLatency, ok * SHAPE_SHARE[s]);
                k.etcdSums[etcd] += etcdLatency * ok * SHAPE_SHARE[s];
            }
        }
    }

    private Counters counters() {
        if (counters == null) {
            counters = new Counters();
        }
        return counters;
    }

    private static void observe(double[] buckets, double value, double count) {
        int i = 0;
        while (i < BUCKETS.length && value > BUCKETS[i]) {
            i++;
        }
        buckets[i] += count;
    }

    private static double[] cumulative(double[] buckets) {
        double[] out = new double[buckets.length];
        double running = 0;
        for (int i = 0; i < buckets.length; i++) {
            running += buckets[i];
            out[i] = whole(running);
        }
        return out;
    }

    private static double whole(double count) {
        return Math.floor(count + SLACK);
    }

    private static List<PromText.Sample> storageObjects(int nodes, boolean etcdHealthy) {
        Map<String, Integer> objects = new LinkedHashMap<>();
        objects.put("configmaps", 38);
        objects.put("daemonsets.apps", 4);
        objects.put("deployments.apps", 7);
        objects.put("events", 60);
        objects.put("leases.coordination.k8s.io", 9 + nodes);
        objects.put("namespaces", 11);
        objects.put("nodes", nodes);
        objects.put("pods", 10 + 6 * nodes);
        objects.put("secrets", 24);
        objects.put("serviceaccounts", 48);
        List<PromText.Sample> samples = new ArrayList<>();
        objects.forEach(
                (resource, count) -> samples.add(new PromText.Sample(List.of(resource), etcdHealthy ? count : -1)));
        return samples;
    }
}
