package dev.kubeyard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The driver itself works, at a small scale; the real figures come from running it (bench/README.md). */
class HealingSweepBenchIT {

    @Test
    void smallRunSweepsEveryClusterAndRequestsOneReplacementPerFailedWorker() throws Exception {
        Path jar = Path.of(System.getProperty("kubeyard.sim.jar"));
        Duration timeout = Duration.ofSeconds(2);

        HealingSweepBench.Result r = HealingSweepBench.run(
                jar, new HealingSweepBench.Options(5, 3, 2, 3, 2, 2, 3, 5, 20, timeout, Duration.ZERO, "256m"));
        System.out.println(r.report());

        assertThat(r.sweeps().warm()).hasSize(2);
        assertThat(r.sweeps().notObservedMax()).isZero();
        assertThat(r.sweeps().ledgerCallsPerWarmSweep())
                .containsEntry("lease", 5L)
                .containsEntry("release", 5L)
                .containsEntry("fleetBudget", 1L);
        assertThat(r.heap().cachedClients()).isEqualTo(5);
        assertThat(r.heap().simBytes()).isBetween(1L, 256L * 1024 * 1024);

        HealingSweepBench.Failures f = r.failures();
        assertThat(f.injected()).isEqualTo(3);
        assertThat(f.fleetKeys()).isEqualTo(3);
        assertThat(f.requested()).isEqualTo(3);
        assertThat(f.maxRequestsPerMachine()).isEqualTo(1);
        assertThat(f.otherMachinesRequested()).isZero();
        assertThat(f.exactlyOneDeletion()).isEqualTo(3);
        assertThat(f.simDeletions()).isEqualTo(3);
        assertThat(f.settledSucceeded()).isEqualTo(3);
        assertThat(f.cycleRequestedAfter()).allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(timeout));
        // Kubernetes dates the Ready transition in whole seconds: by the wall clock a request may come up to 1 s early.
        assertThat(f.failToRequest()).allSatisfy(d -> assertThat(d).isGreaterThan(timeout.minusSeconds(1)));
        assertThat(r.report()).contains("clusters=5", "replacement requested for 3 of 3", "not requested: none");
    }
}
