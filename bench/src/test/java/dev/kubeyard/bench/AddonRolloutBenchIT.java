package dev.kubeyard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.addons.rollout.RolloutPhase;
import dev.kubeyard.addons.rollout.TargetPhase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The driver itself works, at a small scale; the real figures come from running it (bench/README.md). */
class AddonRolloutBenchIT {

    @Test
    void smallRunRollsOutEverywhereThenStopsAndRollsBackOnAFailingWave() throws Exception {
        Path jar = Path.of(System.getProperty("kubeyard.sim.jar"));
        // 6 clusters in waves of 1 (canary), 2, 2, 1; the image of 2.0.0 fails in the first cluster of wave 2.
        AddonRolloutBench.Options o = new AddonRolloutBench.Options(
                6,
                10,
                1,
                2,
                Duration.ZERO,
                4,
                Duration.ofMillis(1000),
                Duration.ofMillis(200),
                Duration.ofMillis(100),
                Duration.ofMillis(150),
                2,
                Duration.ofSeconds(3),
                "256m",
                Optional.empty());

        AddonRolloutBench.Result r = AddonRolloutBench.run(jar, o);
        System.out.println(r.report());

        assertThat(r.failedPasses()).isZero();
        assertThat(r.install().applies()).isEqualTo(6 * 10);
        AddonRolloutBench.RolloutFigures rollout = r.rollout();
        assertThat(rollout.phase()).isEqualTo(RolloutPhase.SUCCEEDED);
        assertThat(rollout.targets()).containsExactlyEntriesOf(Map.of(TargetPhase.SUCCEEDED, 6L));
        assertThat(rollout.waves().stream().mapToInt(AddonRolloutBench.Wave::clusters))
                .containsExactly(1, 2, 2, 1);
        // Every object carries the render's digest: an upgrade applies all of them, once per cluster.
        assertThat(rollout.upgradeApplies()).isEqualTo(6 * 10);
        assertThat(rollout.upgradePasses().count()).isEqualTo(6);
        assertThat(rollout.inSyncPasses().count()).isPositive();
        assertThat(r.quietInSyncPasses().count()).isGreaterThanOrEqualTo(6);
        // One render per version for the whole run: the renderer caches by digest.
        assertThat(r.resources().renders()).isEqualTo(2);
        assertThat(r.resources().clients()).isEqualTo(6);
        assertThat(r.resources().simHeap()).isBetween(1L, 256L * 1024 * 1024);

        AddonRolloutBench.Fault f = r.fault().orElseThrow();
        assertThat(f.rollout().phase()).isEqualTo(RolloutPhase.ROLLED_BACK);
        assertThat(f.cluster()).isEqualTo("demo-004");
        // The planner's deadline (checked every step) or the installation's Degraded (seen by a pass), whichever first.
        assertThat(f.judgedFailed()).containsExactly("demo-004");
        assertThat(f.failure()).containsAnyOf("not healthy within 3 s", "degraded at 2.0.0");
        assertThat(f.detected()).isGreaterThan(Duration.ofMillis(2900));
        // Waves 0 to 2 were changed and went back; wave 3 was never reached and never changed.
        assertThat(f.changed()).isEqualTo(5);
        assertThat(f.rolledBackClusters()).isEqualTo(5);
        assertThat(f.notReached()).isEqualTo(1);
        assertThat(f.untouched()).isEqualTo(1);
        assertThat(f.atFrom()).isEqualTo(6);
        assertThat(f.failingClusterHealthy()).isTrue();
        assertThat(r.report()).contains("clusters=6", "helm renders: 2", "fault run");
    }
}
