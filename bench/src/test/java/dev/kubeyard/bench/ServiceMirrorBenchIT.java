package dev.kubeyard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The driver itself works, at a small scale; the real figures come from running it (bench/README.md). */
class ServiceMirrorBenchIT {

    @Test
    void smallRunSettlesEveryFollowerAndTimesEveryEndpointChange() throws Exception {
        Path jar = Path.of(System.getProperty("kubeyard.sim.jar"));
        // Two sets of three clusters, two exports each, six changes.
        ServiceMirrorBench.Result r =
                ServiceMirrorBench.run(jar, new ServiceMirrorBench.Options(6, 3, 2, 6, "512m", Duration.ofMinutes(2)));
        System.out.println(r.report());

        assertThat(r.sets()).isEqualTo(2);
        assertThat(r.followers()).isEqualTo(6 * 2 * 2);
        assertThat(r.missed()).isZero();
        assertThat(r.changes()).hasSize(6).allSatisfy(d -> assertThat(d).isPositive());
        assertThat(r.report()).contains("p50", "p99");
    }
}
