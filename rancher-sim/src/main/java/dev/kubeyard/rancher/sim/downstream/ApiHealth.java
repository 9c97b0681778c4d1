package dev.kubeyard.rancher.sim.downstream;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The injected health of one cluster's kube-apiserver, as its local endpoints ({@code /readyz}, {@code /livez},
 * {@code /healthz}, {@code /metrics}, {@code componentstatuses}, {@code metrics.k8s.io}) answer it. Immutable;
 * {@link #DEFAULT} is a healthy cluster.
 *
 * @param etcdHealthy false: the {@code etcd} (and {@code etcd-readiness}) checks fail and component {@code etcd-0}
 *     is unhealthy
 * @param etcdDbSizeBytes the etcd database size; 0 or less: {@value #DEFAULT_ETCD_DB_SIZE_BYTES}
 * @param unhealthyComponents component name to the message of its failed probe (null or empty: the default)
 * @param failingChecks health checks that fail besides the ones etcd makes fail
 * @param metricsApiAvailable false: {@code metrics.k8s.io} answers 404 as without its APIService
 * @param errorRatio share (0 to 1) of the simulated non-watch requests answered 5xx
 * @param p99LatencyMillis the 99th percentile of simulated non-watch request latency; 0: the default
 */
public record ApiHealth(
        boolean etcdHealthy,
        long etcdDbSizeBytes,
        Map<String, String> unhealthyComponents,
        Set<String> failingChecks,
        boolean metricsApiAvailable,
        double errorRatio,
        long p99LatencyMillis) {

    public static final long DEFAULT_ETCD_DB_SIZE_BYTES = 40L * 1024 * 1024;

    public static final long DEFAULT_P99_LATENCY_MILLIS = 30;

    /** The components kube-apiserver's {@code componentstatuses} reports, in the order they are listed. */
    public static final List<String> COMPONENTS = List.of("scheduler", "controller-manager", "etcd-0");

    public static final ApiHealth DEFAULT = new ApiHealth(true, 0, Map.of(), Set.of(), true, 0, 0);

    public ApiHealth {
        unhealthyComponents = Collections.unmodifiableMap(new TreeMap<>(unhealthyComponents));
        failingChecks = Collections.unmodifiableSet(new TreeSet<>(failingChecks));
        if (Double.isNaN(errorRatio) || errorRatio < 0 || errorRatio > 1) {
            throw new IllegalArgumentException("errorRatio must be between 0 and 1, was " + errorRatio);
        }
        if (p99LatencyMillis < 0) {
            throw new IllegalArgumentException("p99LatencyMillis must not be negative, was " + p99LatencyMillis);
        }
        for (String component : unhealthyComponents.keySet()) {
            if (!COMPONENTS.contains(component)) {
                throw new IllegalArgumentException(
                        "component must be one of " + COMPONENTS + ", was \"" + component + "\"");
            }
        }
        for (String check : failingChecks) {
            if (!HealthChecks.known(check)) {
                throw new IllegalArgumentException("no health check \"" + check + "\"; known: " + HealthChecks.READYZ);
            }
        }
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /** The database size the metrics report. */
    public long effectiveEtcdDbSizeBytes() {
        return etcdDbSizeBytes > 0 ? etcdDbSizeBytes : DEFAULT_ETCD_DB_SIZE_BYTES;
    }

    public long effectiveP99LatencyMillis() {
        return p99LatencyMillis > 0 ? p99LatencyMillis : DEFAULT_P99_LATENCY_MILLIS;
    }

    /** Whether the named check of {@code /readyz}, {@code /livez} or {@code /healthz} fails. */
    public boolean checkFails(String check) {
        return failingChecks.contains(check)
                || (!etcdHealthy && (check.equals("etcd") || check.equals("etcd-readiness")));
    }

    /** Whether the component's probe fails: it was made unhealthy, or it is {@code etcd-0} and etcd is. */
    public boolean componentUnhealthy(String component) {
        return unhealthyComponents.containsKey(component) || (component.equals("etcd-0") && !etcdHealthy);
    }

    public ApiHealth withComponent(String component, boolean healthy, String message) {
        Map<String, String> components = new TreeMap<>(unhealthyComponents);
        if (healthy) {
            components.remove(component);
        } else {
            components.put(component, message == null ? "" : message);
        }
        return new ApiHealth(
                etcdHealthy,
                etcdDbSizeBytes,
                components,
                failingChecks,
                metricsApiAvailable,
                errorRatio,
                p99LatencyMillis);
    }

    public ApiHealth withEtcd(boolean healthy, long dbSizeBytes) {
        return new ApiHealth(
                healthy,
                Math.max(0, dbSizeBytes),
                unhealthyComponents,
                failingChecks,
                metricsApiAvailable,
                errorRatio,
                p99LatencyMillis);
    }

    public ApiHealth withCheck(String check, boolean ok) {
        Set<String> checks = new TreeSet<>(failingChecks);
        if (ok) {
            checks.remove(check);
        } else {
            checks.add(check);
        }
        return new ApiHealth(
                etcdHealthy,
                etcdDbSizeBytes,
                unhealthyComponents,
                checks,
                metricsApiAvailable,
                errorRatio,
                p99LatencyMillis);
    }

    public ApiHealth withMetricsApi(boolean available) {
        return new ApiHealth(
                etcdHealthy,
                etcdDbSizeBytes,
                unhealthyComponents,
                failingChecks,
                available,
                errorRatio,
                p99LatencyMillis);
    }

    public ApiHealth withTraffic(double ratio, long p99Millis) {
        return new ApiHealth(
                etcdHealthy,
                etcdDbSizeBytes,
                unhealthyComponents,
                failingChecks,
                metricsApiAvailable,
                ratio,
                p99Millis);
    }
}
