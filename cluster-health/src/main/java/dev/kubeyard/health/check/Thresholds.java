package dev.kubeyard.health.check;

import java.time.Duration;

/** The checks' limits (configuration {@code kubeyard.health.thresholds.*}). */
public record Thresholds(
        Duration clusterProvisioning,
        Duration nodeProvisioning,
        int certificateWarnDays,
        int certificateFailDays,
        int nodeCpuWarnPercent,
        int nodeCpuFailPercent,
        int nodeMemoryWarnPercent,
        int nodeMemoryFailPercent,
        double apiErrorWarnPercent,
        double apiErrorFailPercent,
        Duration apiLatencyWarn,
        Duration apiLatencyFail,
        long etcdQuotaBytes,
        int etcdDbWarnPercent,
        int etcdDbFailPercent) {

    /** The defaults of the configuration. */
    public static Thresholds defaults() {
        return new Thresholds(
                Duration.ofMinutes(30),
                Duration.ofMinutes(15),
                30,
                7,
                85,
                95,
                90,
                97,
                1,
                5,
                Duration.ofSeconds(1),
                Duration.ofSeconds(4),
                2L * 1024 * 1024 * 1024,
                80,
                95);
    }
}
