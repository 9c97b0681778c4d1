package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.junit.jupiter.api.Test;

/**
 * The scale target: 1,000 clusters of 20 machines each in one JVM under 1 GiB of heap. Measures the heap still
 * used after garbage collection with the simulator running, and a list of every machine rendered once.
 */
class ScaleIT {

    private static final long ONE_GIB = 1L << 30;

    @Test
    void thousandClustersOfTwentyMachinesFitInUnderOneGibOfHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baseline = usedAfterGc(memory);
        long started = System.nanoTime();
        try (RancherSim sim = RancherSim.start(
                SimOptions.defaults().demoClusters(1000).demoPools(3, 2, 15).timing(SimTiming.fast()))) {
            long startMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(sim.clusterCount()).isEqualTo(1000);
            assertThat(sim.machineCount()).isEqualTo(20_000);

            SimHttp http = new SimHttp(sim.url());
            SimHttp.Resp page = http.get("/v1/cluster.x-k8s.io.machines/fleet-default?limit=100");
            assertThat(page.json().path("count").asInt()).isEqualTo(20_000);
            assertThat(http.ready("demo-1000")).isTrue();
            assertThat(http.machines("demo-500").path("count").asInt()).isEqualTo(20);

            long used = usedAfterGc(memory);
            System.out.printf(
                    "rancher-sim 1000x20: started in %d ms, heap used after GC %d MiB (baseline %d MiB)%n",
                    startMillis, used >> 20, baseline >> 20);
            assertThat(used).as("heap used after GC").isLessThan(ONE_GIB);
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
