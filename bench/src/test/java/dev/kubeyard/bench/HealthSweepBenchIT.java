package dev.kubeyard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.health.check.CheckStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The driver itself works, at a small scale; the real figures come from running it (bench/README.md). */
class HealthSweepBenchIT {

    @Test
    void smallRunSweepsEveryClusterAndSeesTheUnreachableAndTheSlowOnes() throws Exception {
        Path jar = Path.of(System.getProperty("kubeyard.sim.jar"));
        // 6 clusters, 2 at once, 1 s call timeout; one cluster unreachable, one answering after 2 s.
        HealthSweepBench.Options o = new HealthSweepBench.Options(
                6,
                1,
                1,
                1,
                2,
                1,
                Duration.ofSeconds(1),
                1,
                1,
                Duration.ofSeconds(2),
                Duration.ZERO,
                HealthSweepBench.Store.POSTGRES,
                2,
                true,
                Duration.ofSeconds(30),
                false,
                "256m",
                Optional.empty());

        HealthSweepBench.Result r = HealthSweepBench.run(jar, o);
        System.out.println(r.report());

        assertThat(r.cold().clusters()).hasSize(6).allSatisfy(c -> assertThat(c.advanced())
                .isTrue());
        assertThat(r.cold().failed()).isZero();
        assertThat(r.simple().sweeps()).hasSize(1);
        assertThat(r.simple().sweeps().getFirst().clusters())
                .hasSize(6)
                .allSatisfy(c -> assertThat(c.advanced()).isFalse())
                .allSatisfy(c -> assertThat(c.api()).isEqualTo(CheckStatus.PASS));
        assertThat(r.advanced().sweeps().getFirst().clusters())
                .allSatisfy(c -> assertThat(c.advanced()).isTrue());
        // One transaction per cluster: the lock, the state read and its upsert, and the firing alerts read.
        assertThat(r.storeCallsPerWarmSweep())
                .containsEntry("lock", 6L)
                .containsEntry("select state", 6L)
                .containsEntry("upsert state", 6L)
                .containsEntry("select firing", 6L);
        assertThat(r.resources().clients()).isEqualTo(6);

        HealthSweepBench.Faults f = r.faults().orElseThrow();
        assertThat(f.phase().sweeps()).hasSizeGreaterThanOrEqualTo(2);
        HealthSweepBench.Sweep first = f.phase().sweeps().getFirst();
        assertThat(HealthSweepBench.apiOutcomes(first, c -> f.unreachable().contains(c.cluster())))
                .isEqualTo(Map.of("Fail Unreachable", 1L));
        assertThat(HealthSweepBench.apiOutcomes(first, c -> f.slow().contains(c.cluster())))
                .isEqualTo(Map.of("Fail Timeout", 1L));
        assertThat(HealthSweepBench.apiOutcomes(
                        first,
                        c -> !f.unreachable().contains(c.cluster()) && !f.slow().contains(c.cluster())))
                .isEqualTo(Map.of("Pass Answered", 4L));
        // The slow cluster costs one call timeout, not its latency.
        assertThat(first.clusters().stream()
                        .filter(c -> f.slow().contains(c.cluster()))
                        .findFirst()
                        .orElseThrow()
                        .probeNanos())
                .isBetween(
                        Duration.ofMillis(900).toNanos(),
                        Duration.ofMillis(1900).toNanos());
        assertThat(r.report()).contains("clusters=6", "detection at production's cadence");
    }
}
