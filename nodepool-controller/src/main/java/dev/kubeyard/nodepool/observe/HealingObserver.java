package dev.kubeyard.nodepool.observe;

import dev.kubeyard.nodepool.healing.DayTwoOperation;
import dev.kubeyard.nodepool.healing.NodeRole;
import dev.kubeyard.nodepool.healing.ObservedCluster;
import dev.kubeyard.nodepool.healing.ObservedPool;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherException;
import dev.kubeyard.rancher.client.machine.Machine;
import dev.kubeyard.rancher.client.provisioning.MachinePool;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Looks at one cluster for the healing planner: its machines from Rancher (and which pools Rancher's own machine
 * health check heals), its nodes and their events from the cluster's own API (through Rancher's proxy). A boundary that does not answer is reported as unreachable, never
 * guessed at: the planner then leaves the cluster alone (ReachabilityGuard). Events are evidence only; a cluster
 * whose API serves none still gets judged.
 */
public final class HealingObserver {

    private final RancherClient rancher;
    private final Function<String, KubernetesClient> clusterApi;

    /**
     * @param clusterApi the cluster's Kubernetes client by management cluster id (inventory's ClusterClients)
     */
    public HealingObserver(RancherClient rancher, Function<String, KubernetesClient> clusterApi) {
        this.rancher = Objects.requireNonNull(rancher, "rancher");
        this.clusterApi = Objects.requireNonNull(clusterApi, "clusterApi");
    }

    /** What the inventory says the cluster should be: its pools, the operation in progress, the pause switch. */
    public record ClusterTarget(
            String name,
            String managementId,
            String fleetKey,
            List<PoolTarget> pools,
            Set<DayTwoOperation> operationsInProgress,
            boolean paused) {
        public ClusterTarget {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(managementId, "managementId");
            Objects.requireNonNull(fleetKey, "fleetKey");
            pools = List.copyOf(pools);
            operationsInProgress = Set.copyOf(operationsInProgress);
        }

        /** The target with its pause switches: the whole cluster, and the pools named. */
        public ClusterTarget withPauses(boolean clusterPaused, Set<String> pausedPools) {
            return new ClusterTarget(
                    name,
                    managementId,
                    fleetKey,
                    pools.stream()
                            .map(p -> new PoolTarget(
                                    p.name(),
                                    p.roles(),
                                    p.desiredQuantity(),
                                    pausedPools.contains(p.name()),
                                    p.healing()))
                            .toList(),
                    operationsInProgress,
                    clusterPaused);
        }
    }

    /** One pool as the spec has it, with its own healing rules if it names any. */
    public record PoolTarget(
            String name, Set<NodeRole> roles, int desiredQuantity, boolean paused, Optional<PoolHealing> healing) {
        public PoolTarget {
            Objects.requireNonNull(name, "name");
            roles = Set.copyOf(roles);
            Objects.requireNonNull(healing, "healing");
        }

        /** A pool healed by its role's defaults. */
        public PoolTarget(String name, Set<NodeRole> roles, int desiredQuantity, boolean paused) {
            this(name, roles, desiredQuantity, paused, Optional.empty());
        }
    }

    public ObservedCluster observe(ClusterTarget target, Instant now) {
        List<Machine> machines;
        Map<String, Duration> rancherRemediation = new HashMap<>();
        boolean rancherReachable = true;
        try {
            machines = rancher.machines().list(target.name());
            rancher.clusters().find(target.name()).ifPresent(c -> {
                for (MachinePool pool : c.machinePools()) {
                    GoDurations.positive(pool.unhealthyNodeTimeout())
                            .ifPresent(t -> rancherRemediation.put(pool.name(), t));
                }
            });
        } catch (RancherException e) {
            machines = List.of();
            rancherReachable = false;
        }
        Map<String, Node> nodes = new HashMap<>();
        Map<String, List<Event>> events = new HashMap<>();
        boolean apiReachable = true;
        try {
            KubernetesClient api = clusterApi.apply(target.managementId());
            for (Node node : api.nodes().list().getItems()) {
                nodes.put(node.getMetadata().getName(), node);
            }
            events.putAll(nodeEvents(api));
        } catch (KubernetesClientException e) {
            apiReachable = false;
        }
        List<ObservedPool> pools = new ArrayList<>();
        for (PoolTarget pool : target.pools()) {
            pools.add(NodeObservations.pool(
                    pool.name(), pool.roles(), pool.desiredQuantity(), pool.paused(), machines, nodes, events, now));
        }
        return new ObservedCluster(
                target.name(),
                target.fleetKey(),
                rancherReachable,
                apiReachable,
                target.operationsInProgress(),
                target.paused(),
                pools,
                rancherRemediation);
    }

    /** Events about nodes, by the node's name; none when the API will not list them (they are evidence only). */
    private static Map<String, List<Event>> nodeEvents(KubernetesClient api) {
        Map<String, List<Event>> byNode = new HashMap<>();
        try {
            // Node events only, selected by the API server (the filter below stays for servers that ignore it).
            for (Event event : api.v1()
                    .events()
                    .inAnyNamespace()
                    .withField("involvedObject.kind", "Node")
                    .list()
                    .getItems()) {
                var involved = event.getInvolvedObject();
                if (involved != null && "Node".equals(involved.getKind()) && involved.getName() != null) {
                    byNode.computeIfAbsent(involved.getName(), n -> new ArrayList<>())
                            .add(event);
                }
            }
        } catch (KubernetesClientException e) {
            return Map.of();
        }
        return byNode;
    }
}
