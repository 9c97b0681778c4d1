package dev.kubeyard.rancher.sim.downstream;

import dev.kubeyard.rancher.sim.faults.WorkloadFault;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The state of one cluster's API. An untouched cluster holds only its node list and workload faults; the in-memory
 * server is started on first use and seeded from that list.
 */
final class ClusterApi {

    final String id;
    private final Clock clock;
    private final Consumer<ClusterApi> rolloutStarted;

    private volatile List<SimNode> nodes = List.of();
    private volatile List<WorkloadFault> workloadFaults = List.of();
    private volatile ApiHealth health = ApiHealth.DEFAULT;
    /** The simulated API server traffic: it runs from the moment this cluster is known. */
    private final ApiServerMetrics metrics;

    private final Object healthLock = new Object();
    private volatile Target external;
    private volatile InMemoryApiServer memory;

    // guarded by this
    private KubernetesClient client;
    private boolean closed;

    /** @param rolloutStarted told (with this cluster) when one of its workloads starts a rollout */
    ClusterApi(String id, Clock clock, Consumer<ClusterApi> rolloutStarted) {
        this.id = id;
        this.clock = clock;
        this.rolloutStarted = rolloutStarted;
        this.metrics = new ApiServerMetrics(clock.instant());
    }

    List<SimNode> nodes() {
        return nodes;
    }

    Target external() {
        return external;
    }

    /** The in-memory server if it runs, without starting it. */
    InMemoryApiServer runningMemory() {
        return memory;
    }

    void syncNodes(List<SimNode> desired) {
        List<SimNode> copy = new ArrayList<>();
        if (desired != null) {
            desired.stream().filter(Objects::nonNull).forEach(copy::add);
        }
        nodes = List.copyOf(copy);
        InMemoryApiServer running = memory;
        if (running != null) {
            running.reconcileNodes(this::nodes);
        }
    }

    List<WorkloadFault> workloadFaults() {
        return workloadFaults;
    }

    /** Replaces the workload faults; a running server looks at every workload again. */
    void workloadFaults(List<WorkloadFault> faults) {
        workloadFaults = List.copyOf(faults);
        InMemoryApiServer running = memory;
        if (running != null) {
            running.recheckWorkloads();
        }
    }

    ApiHealth health() {
        return health;
    }

    ApiServerMetrics metrics() {
        return metrics;
    }

    /**
     * Replaces the injected API server health; the metrics first advance to now at the old traffic settings.
     * Under its own lock (not this object's, which a server start holds) so that two changes reach the metrics in
     * the order they are stored.
     */
    void health(ApiHealth next) {
        synchronized (healthLock) {
            metrics.traffic(clock.instant(), next.errorRatio(), next.p99LatencyMillis());
            health = next;
        }
    }

    /** Writes this cluster's due workload statuses; true while rollouts remain in flight. */
    boolean advanceWorkloads(Instant now, long readyMillis) {
        InMemoryApiServer running = memory;
        return running != null && running.advanceWorkloads(now, readyMillis);
    }

    /** Starts the in-memory server when needed; blocking (call off the event loop). */
    synchronized InMemoryApiServer memory() {
        if (closed) {
            throw new IllegalStateException("cluster " + id + " was deleted");
        }
        if (memory == null) {
            InMemoryApiServer started =
                    InMemoryApiServer.start(clock, this::workloadFaults, () -> rolloutStarted.accept(this));
            started.reconcileNodes(this::nodes);
            memory = started;
            // a syncNodes() racing with the start saw no server: apply the latest list once more (no-op if unchanged)
            started.reconcileNodes(this::nodes);
        }
        return memory;
    }

    /** Switches to an external API server; returns the in-memory server it replaces, for the caller to close. */
    synchronized AutoCloseable useExternal(Target target) {
        external = target;
        InMemoryApiServer replaced = memory;
        memory = null;
        KubernetesClient replacedClient = client;
        client = null;
        return () -> {
            if (replacedClient != null) {
                replacedClient.close();
            }
            if (replaced != null) {
                replaced.close();
            }
        };
    }

    synchronized KubernetesClient client(Supplier<HttpClient.Factory> factory) {
        if (client == null) {
            Target target = external;
            if (target != null) {
                Config config = new ConfigBuilder(Config.empty())
                        .withMasterUrl(target.toString())
                        .withOauthToken(target.bearerToken())
                        .withTrustCerts(true)
                        .withDisableHostnameVerification(true)
                        .build();
                KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
                HttpClient.Factory shared = factory.get();
                if (shared != null) {
                    builder.withHttpClientFactory(shared);
                }
                client = builder.build();
            } else {
                client = memory().createClient(factory.get());
            }
        }
        return client;
    }

    boolean materialised() {
        return memory != null;
    }

    /** Closes the server and client; blocking. */
    void close() {
        KubernetesClient closingClient;
        InMemoryApiServer closingMemory;
        synchronized (this) {
            closed = true;
            closingClient = client;
            closingMemory = memory;
            client = null;
            memory = null;
        }
        if (closingClient != null) {
            closingClient.close();
        }
        if (closingMemory != null) {
            closingMemory.close();
        }
    }
}
