package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * An addon rolled out over many clusters at once through the proxy, as the addon manager does it: every Deployment
 * of every cluster becomes ready. {@code -Drollout.clusters=200 -Drollout.workloads=50} turns it into the
 * benchmark's shape for a manual run; the timings are printed.
 */
class WorkloadRolloutIT {

    private static final int CLUSTERS = Integer.getInteger("rollout.clusters", 20);
    private static final int WORKLOADS = Integer.getInteger("rollout.workloads", 5);

    @Test
    void everyWorkloadOfEveryClusterBecomesReady() throws Exception {
        try (RancherSim sim = RancherSim.start(SimOptions.defaults()
                        .demoClusters(CLUSTERS)
                        .demoPools(1, 1, 1)
                        .timing(SimTiming.fast()));
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<KubernetesClient> clients = new ArrayList<>();
            for (int c = 1; c <= CLUSTERS; c++) {
                clients.add(SimHttp.proxyClient(sim.url(), sim.managementId(String.format("demo-%03d", c))));
            }
            long start = System.nanoTime();
            for (KubernetesClient client : clients) {
                // starts the cluster's in-memory API: in the benchmark they run before the rollout
                client.nodes().list();
            }
            long startedAt = System.nanoTime();
            List<Future<?>> applied = new ArrayList<>();
            for (KubernetesClient client : clients) {
                applied.add(pool.submit(() -> {
                    for (int w = 0; w < WORKLOADS; w++) {
                        client.resource(WorkloadsIT.deployment("addon", "part-" + w, 2, "addon:1.0"))
                                .fieldManager("kubeyard")
                                .forceConflicts()
                                .serverSideApply();
                    }
                }));
            }
            for (Future<?> f : applied) {
                f.get();
            }
            long appliedAt = System.nanoTime();

            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> clients.stream().allMatch(WorkloadRolloutIT::allReady));

            long readyAt = System.nanoTime();
            System.out.printf(
                    "WorkloadRolloutIT: %d cluster APIs started in %d ms, %d Deployments each applied in %d ms,"
                            + " all ready %d ms later%n",
                    CLUSTERS,
                    (startedAt - start) / 1_000_000,
                    WORKLOADS,
                    (appliedAt - startedAt) / 1_000_000,
                    (readyAt - appliedAt) / 1_000_000);
            for (KubernetesClient client : clients) {
                List<Deployment> deployments =
                        client.apps().deployments().inNamespace("addon").list().getItems();
                assertThat(deployments).hasSize(WORKLOADS).allMatch(WorkloadsIT::ready);
                client.close();
            }
        }
    }

    private static boolean allReady(KubernetesClient client) {
        List<Deployment> deployments =
                client.apps().deployments().inNamespace("addon").list().getItems();
        return deployments.size() == WORKLOADS && deployments.stream().allMatch(WorkloadsIT::ready);
    }
}
