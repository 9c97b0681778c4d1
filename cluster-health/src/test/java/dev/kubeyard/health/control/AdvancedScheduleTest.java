package dev.kubeyard.health.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherToken;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AdvancedScheduleTest {

    static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
    static final Duration INTERVAL = Duration.ofMinutes(2);

    @Test
    void aFleetsFirstAdvancedChecksAreSpreadOverTheIntervalNotAllInOneSweep() {
        // 1,000 clusters, sweeps every 30 s: how many become due in each of the first four sweeps
        int[] firstDue = new int[5];
        for (int c = 0; c < 1000; c++) {
            String name = "cluster-" + c;
            for (int sweep = 0; sweep <= 4; sweep++) {
                if (HealthService.advancedDue(name, null, START, INTERVAL, START.plusSeconds(30L * sweep))) {
                    firstDue[sweep]++;
                    break;
                }
            }
        }
        assertThat(IntStream.of(firstDue).sum())
                .as("every cluster within one interval")
                .isEqualTo(1000);
        assertThat(IntStream.of(firstDue).max().orElseThrow())
                .as("no sweep takes them all")
                .isLessThan(500);
    }

    @Test
    void advancedChecksAreDueAnIntervalAfterTheyLastRan() {
        Instant last = START.plusSeconds(10);
        assertThat(HealthService.advancedDue("c", last, START, INTERVAL, last.plusSeconds(119)))
                .isFalse();
        assertThat(HealthService.advancedDue("c", last, START, INTERVAL, last.plusSeconds(120)))
                .isTrue();
        assertThat(HealthService.advancedDue("c", null, START, Duration.ZERO, START))
                .isTrue();
    }

    @Test
    void theProbesRancherClientWaitsOneCallTimeoutAndDoesNotRetry() {
        RancherClientConfig shared = RancherClientConfig.builder(
                        "https://rancher.example", RancherToken.of("token-abcde:" + "x".repeat(54)))
                .build();
        RancherClientConfig health = HealthService.forHealth(shared, Duration.ofSeconds(5));
        assertThat(health.readTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(health.callTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(health.readRetries()).isZero();
        assertThat(health.baseUrl()).isEqualTo(shared.baseUrl());
        assertThat(health.connectTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(5));
    }
}
