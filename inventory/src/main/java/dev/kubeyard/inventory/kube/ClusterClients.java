package dev.kubeyard.inventory.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * One fabric8 client per managed cluster, reaching its Kubernetes API through Rancher's proxy. Clients are
 * made on first use, cached, and closed when their cluster goes away. All of them share one HTTP client
 * factory on one Vert.x instance owned by the caller, and one JSON serialisation: per-cluster clients cost memory
 * and connections, never threads (ARCHITECTURE.md, scale shape).
 */
public final class ClusterClients implements AutoCloseable {

    private final Function<String, Config> configForCluster;
    private final VertxHttpClientFactory httpClients;
    // One JSON (de)serialisation for all clients: each client would otherwise build its own Jackson mapper and
    // caches, about 370 KiB apiece (bench/results/node-healing.md).
    private final KubernetesSerialization serialization = new KubernetesSerialization();
    private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
    // One executor for every client's callbacks (informer event handlers, watch reconnects): by default each client
    // would keep a cached thread pool of its own, so that a fleet with informers holds threads per cluster.
    private final ExecutorService tasks = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("kube-task-", 0).factory());

    /**
     * @param configForCluster the client configuration of a management cluster id ({@code c-m-...}), for example
     *     {@code rancherClient::kubernetesConfig}, which carries the timeouts and retry budget
     * @param vertx the event loop the clients share; not closed here
     */
    public ClusterClients(Function<String, Config> configForCluster, Vertx vertx) {
        this.configForCluster = configForCluster;
        this.httpClients = new VertxHttpClientFactory(vertx);
    }

    /** The cluster's client, made on first use. Do not close it: {@link #evict} and {@link #close} do. */
    public KubernetesClient forCluster(String managementId) {
        return clients.computeIfAbsent(managementId, id -> new KubernetesClientBuilder()
                .withConfig(configForCluster.apply(id))
                .withHttpClientFactory(httpClients)
                .withKubernetesSerialization(serialization)
                .withTaskExecutor(tasks)
                .build());
    }

    /** Closes and forgets the client of a cluster that went away (or whose credentials changed). */
    public void evict(String managementId) {
        KubernetesClient client = clients.remove(managementId);
        if (client != null) {
            client.close();
        }
    }

    /** Closes the clients of every cluster not in {@code live}: called after a sweep over the inventory. */
    public void retainOnly(Set<String> live) {
        for (String id : Set.copyOf(clients.keySet())) {
            if (!live.contains(id)) {
                evict(id);
            }
        }
    }

    /** The clusters that have an open client. */
    public Set<String> open() {
        return Set.copyOf(clients.keySet());
    }

    @Override
    public void close() {
        retainOnly(Set.of());
        tasks.shutdown();
    }
}
