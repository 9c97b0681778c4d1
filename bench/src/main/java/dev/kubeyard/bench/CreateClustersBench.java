package dev.kubeyard.bench;

import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherToken;
import dev.kubeyard.rancher.client.machine.Machine;
import dev.kubeyard.rancher.client.machineconfig.MachineConfig;
import dev.kubeyard.rancher.client.machineconfig.OpenstackConfigs;
import dev.kubeyard.rancher.client.model.ObjectMeta;
import dev.kubeyard.rancher.client.provisioning.ClusterSpec;
import dev.kubeyard.rancher.client.provisioning.MachineConfigRef;
import dev.kubeyard.rancher.client.provisioning.MachinePool;
import dev.kubeyard.rancher.client.provisioning.NodeRole;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import dev.kubeyard.rancher.client.provisioning.RkeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Creates N clusters of M machines each in rancher-sim through rancher-client, the way Kubeyard will:
 * one OpenstackConfig per pool, then the provisioning cluster naming them. Reports the creation time and
 * latency, the time until every cluster is usable, the time to list every machine, and the simulator's
 * heap after a full GC.
 *
 * <p>{@code ./mvnw -q -pl bench -am package -DskipTests && ./mvnw -q -pl bench exec:java
 * -Dexec.args="--clusters 1000 --machines 20"}
 */
public final class CreateClustersBench {

    /** What one run measured. */
    public record Result(
            int clusters,
            int machinesPerCluster,
            int concurrency,
            Duration createTotal,
            Duration createP50,
            Duration createP95,
            Duration createP99,
            Duration untilAllUsable,
            int machinesListed,
            Duration listAllMachines,
            long simHeapUsedBytes) {

        public String report() {
            return String.format(
                    "clusters=%d machines/cluster=%d concurrency=%d%n"
                            + "create: total %.1f s (%.0f clusters/s), per cluster (3 machine configs + cluster) p50 %d ms, p95 %d ms, p99 %d ms%n"
                            + "all usable after: %.1f s%n"
                            + "list all %d machines through the client: %d ms%n"
                            + "simulator heap used after full GC: %.0f MiB",
                    clusters,
                    machinesPerCluster,
                    concurrency,
                    createTotal.toMillis() / 1000.0,
                    clusters / Math.max(0.001, createTotal.toMillis() / 1000.0),
                    createP50.toMillis(),
                    createP95.toMillis(),
                    createP99.toMillis(),
                    untilAllUsable.toMillis() / 1000.0,
                    machinesListed,
                    listAllMachines.toMillis(),
                    simHeapUsedBytes / (1024.0 * 1024.0));
        }
    }

    private CreateClustersBench() {}

    public static void main(String[] args) throws Exception {
        int clusters = 1000;
        int machines = 20;
        int concurrency = 8;
        String heap = "1g";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clusters" -> clusters = Integer.parseInt(args[++i]);
                case "--machines" -> machines = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--sim-heap" -> heap = args[++i];
                default ->
                    throw new IllegalArgumentException(
                            "unknown option " + args[i] + " (--clusters N --machines M --concurrency C --sim-heap 1g)");
            }
        }
        Result r = run(
                Path.of(System.getProperty(
                        "kubeyard.sim.jar", "rancher-sim/target/rancher-sim-0.1.0-SNAPSHOT-standalone.jar")),
                clusters,
                machines,
                concurrency,
                heap);
        System.out.println(r.report());
        // SmallRye Fault Tolerance's stand-alone runtime keeps non-daemon threads; a CLI ends here.
        System.exit(0);
    }

    public static Result run(Path simJar, int clusters, int machinesPerCluster, int concurrency, String simHeap)
            throws Exception {
        if (machinesPerCluster < 3) {
            throw new IllegalArgumentException("a cluster needs at least 3 machines (etcd, control plane, worker)");
        }
        try (SimProcess sim = SimProcess.start(simJar, simHeap, List.of("--timing", "fast"));
                RancherClient rancher = RancherClient.create(
                        RancherClientConfig.builder(sim.url(), RancherToken.of("token-bench:benchsecret"))
                                .callTimeout(Duration.ofSeconds(120))
                                .readTimeout(Duration.ofSeconds(120))
                                .build())) {
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int i = 0; i < clusters; i++) {
                    String name = String.format("bench-%04d", i);
                    done.add(pool.submit(() -> {
                        long t0 = System.nanoTime();
                        createCluster(rancher, name, machinesPerCluster);
                        latencies.add(System.nanoTime() - t0);
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
                pool.awaitTermination(1, TimeUnit.MINUTES);
            }
            Duration createTotal = SimProcess.since(start);

            long usableDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (rancher.clusters().list().stream()
                            .filter(ProvisioningCluster::isUsable)
                            .count()
                    < clusters) {
                if (System.nanoTime() > usableDeadline) {
                    throw new IllegalStateException("clusters not usable within 10 minutes");
                }
                Thread.sleep(250);
            }
            Duration untilUsable = SimProcess.since(start);

            long listStart = System.nanoTime();
            int listed = 0;
            for (ProvisioningCluster c : rancher.clusters().list()) {
                List<Machine> ms = rancher.machines().list(c.name());
                listed += ms.size();
            }
            Duration listTime = SimProcess.since(listStart);

            long heap = sim.heapUsedAfterGcBytes();
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            return new Result(
                    clusters,
                    machinesPerCluster,
                    concurrency,
                    createTotal,
                    percentile(sorted, 50),
                    percentile(sorted, 95),
                    percentile(sorted, 99),
                    untilUsable,
                    listed,
                    listTime,
                    heap);
        }
    }

    static void createCluster(RancherClient rancher, String name, int machines) {
        String ns = rancher.config().namespace();
        int workers = machines - 5 > 0 ? machines - 5 : 1;
        int etcd = machines >= 5 ? 3 : 1;
        int cp = machines - workers - etcd;
        List<MachinePool> pools = new ArrayList<>();
        pools.add(pool(rancher, ns, name, "etcd", etcd, Set.of(NodeRole.ETCD)));
        pools.add(pool(rancher, ns, name, "cp", cp, Set.of(NodeRole.CONTROL_PLANE)));
        pools.add(pool(rancher, ns, name, "workers", workers, Set.of(NodeRole.WORKER)));
        ObjectMeta meta = ObjectMeta.named(ns, name).withLabels(Map.of("kubeyard.dev/bench", "true"));
        ClusterSpec spec = new ClusterSpec("v1.33.4+rke2r1", null, RkeConfig.of(pools), null);
        rancher.clusters().create(ProvisioningCluster.of(meta, spec));
    }

    private static MachinePool pool(
            RancherClient rancher, String ns, String cluster, String pool, int quantity, Set<NodeRole> roles) {
        MachineConfig config = rancher.machineConfigs()
                .create(OpenstackConfigs.forPool(ns, cluster, pool)
                        .imageName("ubuntu-24.04-rke2")
                        .flavorName(roles.contains(NodeRole.WORKER) ? "m1.xlarge" : "m1.large")
                        .netName("tenant-net")
                        .build());
        return MachinePool.of(pool, quantity, roles, MachineConfigRef.of(config.kind(), config.name()));
    }

    private static Duration percentile(List<Long> sortedNanos, int p) {
        if (sortedNanos.isEmpty()) {
            return Duration.ZERO;
        }
        int idx = (int) Math.ceil(p / 100.0 * sortedNanos.size()) - 1;
        return Duration.ofNanos(sortedNanos.get(Math.max(0, Math.min(idx, sortedNanos.size() - 1))));
    }
}
