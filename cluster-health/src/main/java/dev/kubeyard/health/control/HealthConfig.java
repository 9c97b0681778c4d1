package dev.kubeyard.health.control;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The cluster-health settings ({@code kubeyard.health.*}; the module README has the table). */
@ConfigMapping(prefix = "kubeyard.health")
public interface HealthConfig {

    /** Whether this replica runs the health sweep and delivers alerts (the API answers either way). */
    @WithDefault("true")
    boolean enabled();

    /**
     * How often every cluster is checked (a clustered Quartz job). With the call timeout this bounds how long a
     * cluster whose API stopped answering goes unnoticed: interval + call timeout.
     */
    @WithDefault("30s")
    Duration interval();

    /** How often the advanced checks (node resources, etcd, API server metrics) run on a cluster. */
    @WithDefault("2m")
    Duration advancedInterval();

    /** Clusters probed at once in a sweep (each on a virtual thread). */
    @WithDefault("64")
    int parallelism();

    /** The budget of one call to a cluster's API or to Rancher; no retries (the next sweep is the retry). */
    @WithDefault("5s")
    Duration callTimeout();

    /** How long check transitions and resolved alerts are kept. */
    @WithDefault("14d")
    Duration historyRetention();

    /** The thresholds of the checks. */
    Thresholds thresholds();

    /**
     * Changes to the alert rules' defaults, by rule name ({@code ClusterUnreachable}, ...): duration, keep-firing
     * time, severity, or off. An unknown rule name stops the start.
     */
    Map<String, RuleSettings> rules();

    /** Where alerts go, by receiver name. */
    Map<String, Receiver> receivers();

    /** The delivery of alerts to receivers. */
    Delivery delivery();

    interface Thresholds {
        /** A cluster still provisioning after this long is reported (and alerted on). */
        @WithDefault("30m")
        Duration clusterProvisioning();

        /** A machine still provisioning after this long is reported. */
        @WithDefault("15m")
        Duration nodeProvisioning();

        /** Certificates expiring within this many days: warning. */
        @WithDefault("30")
        int certificateWarnDays();

        /** Certificates expiring within this many days: failure. */
        @WithDefault("7")
        int certificateFailDays();

        @WithDefault("85")
        int nodeCpuWarnPercent();

        @WithDefault("95")
        int nodeCpuFailPercent();

        @WithDefault("90")
        int nodeMemoryWarnPercent();

        @WithDefault("97")
        int nodeMemoryFailPercent();

        /** Share of API server requests answered 5xx between two scrapes. */
        @WithDefault("1")
        double apiErrorWarnPercent();

        @WithDefault("5")
        double apiErrorFailPercent();

        /** The API server's p99 request latency (watches and long-running requests excluded). */
        @WithDefault("1s")
        Duration apiLatencyWarn();

        @WithDefault("4s")
        Duration apiLatencyFail();

        /** etcd's backend quota (RKE2's default is 2 GiB), against which the database size is judged. */
        @WithDefault("2147483648")
        long etcdQuotaBytes();

        @WithDefault("80")
        int etcdDbWarnPercent();

        @WithDefault("95")
        int etcdDbFailPercent();
    }

    interface RuleSettings {
        /** How long the condition must hold before the alert opens. */
        @WithName("for")
        Optional<Duration> forDuration();

        /** How long the condition must have stopped holding before the alert resolves. */
        Optional<Duration> keepFiringFor();

        /** {@code critical}, {@code warning} or {@code info}. */
        Optional<String> severity();

        Optional<Boolean> enabled();
    }

    interface Receiver {
        /** {@code alertmanager} (Alertmanager's API v2, {@code POST <url>/api/v2/alerts}) or {@code slack}. */
        String type();

        /** The receiver's URL: Alertmanager's base URL, or the incoming-webhook URL. A secret: never logged. */
        String url();

        /** Sent as {@code Authorization: Bearer ...} when set. A secret. */
        Optional<String> bearerToken();

        /** Whether a resolved alert is sent too. */
        @WithDefault("true")
        boolean sendResolved();

        /** The least severity sent: {@code info} (all), {@code warning} or {@code critical}. */
        @WithDefault("info")
        String minSeverity();
    }

    interface Delivery {
        /** How often the outbox is worked off. */
        @WithDefault("2s")
        Duration interval();

        /** The budget of one delivery. */
        @WithDefault("5s")
        Duration timeout();

        /** The first retry's delay, doubled on each failure up to {@link #backoffMax()}. */
        @WithDefault("5s")
        Duration backoffInitial();

        @WithDefault("5m")
        Duration backoffMax();

        /** A delivery not done after this long is given up (and counted). */
        @WithDefault("24h")
        Duration maxAge();

        /**
         * How often a firing alert is sent to Alertmanager again: Alertmanager resolves an alert it has not heard
         * of for its {@code resolve_timeout}, so Kubeyard refreshes firing alerts, as Prometheus does.
         */
        @WithDefault("1m")
        Duration resendInterval();

        /** Deliveries sent per round. */
        @WithDefault("50")
        int batch();
    }
}
