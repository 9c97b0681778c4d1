package dev.kubeyard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The driver itself works, at a small scale; the real figures come from running it (bench/README.md). */
class CreateClustersBenchIT {

    @Test
    void smallRunCreatesEveryClusterWithAllItsMachinesAndMeasuresTheSimulatorHeap() throws Exception {
        Path jar = Path.of(System.getProperty("kubeyard.sim.jar"));

        CreateClustersBench.Result r = CreateClustersBench.run(jar, 5, 7, 2, "256m");

        assertThat(r.clusters()).isEqualTo(5);
        assertThat(r.machinesListed()).isEqualTo(35);
        assertThat(r.simHeapUsedBytes()).isBetween(1L, 256L * 1024 * 1024);
        assertThat(r.createP99()).isGreaterThanOrEqualTo(r.createP50());
        assertThat(r.report()).contains("clusters=5", "list all 35 machines");
    }
}
