package dev.kubeyard.bench;

import dev.kubeyard.bench.HealthSweepBench.Member;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherToken;
import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated clusters of a benchmark in one or more simulator JVMs of their own: one simulator serves at most
 * {@link #PER_SIMULATOR} clusters, because a cluster whose API is used costs it about 20 file descriptors (its mock
 * server's event loops and listening socket, and per watch the proxied WebSocket and its backend connection), and the
 * machine's limit is 20,000 per process. Each simulator has its own Rancher client; a cluster's fabric8 configuration
 * comes from the simulator that serves it. With more than one simulator the clusters' names carry its number
 * ({@code s1-demo-001}); the management ids are random per simulator and checked to be distinct.
 */
final class SimFleet implements AutoCloseable {

    static final int PER_SIMULATOR = 500;

    /** A cluster: its name in the inventory, its name in its simulator, its management id, its simulator. */
    record Cluster(String name, String simName, String managementId, SimProcess sim) {}

    private final List<SimProcess> sims = new ArrayList<>();
    private final List<RancherClient> rancher = new ArrayList<>();
    private final List<Cluster> clusters = new ArrayList<>();
    private final Map<String, RancherClient> byId = new HashMap<>();

    private SimFleet() {}

    /** Starts the simulators (each {@code --timing fast}, pools 1,1,1) and waits until every cluster is usable. */
    static SimFleet start(Path jar, String heap, int count) throws IOException, InterruptedException {
        SimFleet fleet = new SimFleet();
        int simulators = (count + PER_SIMULATOR - 1) / PER_SIMULATOR;
        try {
            for (int s = 0; s < simulators; s++) {
                int n = Math.min(PER_SIMULATOR, count - s * PER_SIMULATOR);
                SimProcess sim = SimProcess.start(
                        jar,
                        heap,
                        List.of("--timing", "fast", "--clusters", Integer.toString(n), "--demo-pools", "1,1,1"));
                fleet.sims.add(sim);
                RancherClient client = RancherClient.create(
                        RancherClientConfig.builder(sim.url(), RancherToken.of(HealthSweepBench.TOKEN))
                                .callTimeout(Duration.ofSeconds(30))
                                .readRetries(3)
                                .build());
                fleet.rancher.add(client);
                for (Member m : HealthSweepBench.members(client, n)) {
                    String simName = m.facts().name();
                    String id = m.facts().managementId().orElseThrow();
                    if (fleet.byId.put(id, client) != null) {
                        throw new IllegalStateException("two simulators gave out management id " + id);
                    }
                    fleet.clusters.add(
                            new Cluster(simulators == 1 ? simName : "s" + (s + 1) + "-" + simName, simName, id, sim));
                }
            }
            return fleet;
        } catch (IOException | InterruptedException | RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    List<Cluster> clusters() {
        return List.copyOf(clusters);
    }

    int simulators() {
        return sims.size();
    }

    /** A cluster's fabric8 configuration through its simulator's Rancher proxy ({@code RancherClient}'s). */
    Config kubernetesConfig(String managementId) {
        return byId.get(managementId).kubernetesConfig(managementId);
    }

    Duration cpuTime() {
        Duration sum = Duration.ZERO;
        for (SimProcess s : sims) {
            sum = sum.plus(s.cpuTime());
        }
        return sum;
    }

    long heapUsedAfterGcBytes() throws IOException, InterruptedException {
        long sum = 0;
        for (SimProcess s : sims) {
            sum += s.heapUsedAfterGcBytes();
        }
        return sum;
    }

    int threads() {
        return sims.stream().mapToInt(SimProcess::threads).sum();
    }

    @Override
    public void close() {
        rancher.forEach(RancherClient::close);
        sims.forEach(SimProcess::close);
    }
}
