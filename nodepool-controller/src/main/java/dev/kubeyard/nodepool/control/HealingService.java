package dev.kubeyard.nodepool.control;

import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.cluster.ManagedClusterRepository;
import dev.kubeyard.inventory.kube.ClusterClients;
import dev.kubeyard.inventory.operation.Operation;
import dev.kubeyard.inventory.operation.OperationRepository;
import dev.kubeyard.nodepool.control.HealingCycle.Outcome;
import dev.kubeyard.nodepool.control.HealingCycle.SweepOutcome;
import dev.kubeyard.nodepool.healing.HealingPolicy;
import dev.kubeyard.nodepool.observe.ClusterTargets;
import dev.kubeyard.nodepool.observe.HealingObserver;
import dev.kubeyard.nodepool.observe.HealingObserver.ClusterTarget;
import dev.kubeyard.nodepool.record.HealingStore;
import dev.kubeyard.nodepool.record.Pause;
import dev.kubeyard.rancher.client.RancherClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Node pool healing in the application: the sweep over every managed cluster ({@link HealingSweep}), the on-demand
 * heal of one, and the pause switches. Targets come from the inventory (pools, open day-two operations, pause
 * switches); the work is the {@link HealingCycle}'s.
 */
@ApplicationScoped
public class HealingService {

    static final int PAGE = 500;

    @Inject
    HealingConfig config;

    @Inject
    HealingStore store;

    @Inject
    ManagedClusterRepository clusters;

    @Inject
    OperationRepository operations;

    @Inject
    RancherClient rancher;

    @Inject
    ClusterClients clusterClients;

    @Inject
    Instance<HealingListener> listeners;

    @Inject
    Clock clock;

    private HealingCycle cycle;
    private ExecutorService executor;
    private HealingPolicy policy;

    @PostConstruct
    void start() {
        policy = HealingPolicies.from(config);
        List<HealingListener> all = listeners.stream().toList();
        HealingListener fanOut = new ListenerFanOut(all);
        cycle = new HealingCycle(
                new HealingObserver(rancher, clusterClients::forCluster),
                rancher,
                store,
                fanOut,
                clock,
                ManagementFactory.getRuntimeMXBean().getName(),
                config.leaseTtl());
        executor = Executors.newFixedThreadPool(Math.max(1, config.parallelism()), r -> {
            Thread t = new Thread(r, "healing-observer");
            t.setDaemon(true);
            return t;
        });
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** The policy every cluster is healed by, before the pools' own rules ({@link HealingPolicies#forCluster}). */
    public HealingPolicy policy() {
        return policy;
    }

    /** The cluster's policy: the installation's, with its pools' own rules from its spec. */
    public HealingPolicy policyFor(ManagedCluster cluster) {
        return HealingPolicies.forPools(policy, ClusterTargets.pools(cluster));
    }

    /** One sweep over every managed cluster Rancher has provisioned. */
    public SweepOutcome sweep() {
        List<ClusterTarget> targets = targets();
        SweepOutcome outcome =
                cycle.sweep(targets, t -> HealingPolicies.forCluster(policy, t), config.fleetMaxPerHour(), executor);
        store.purge(clock.instant().minus(config.retention()));
        return outcome;
    }

    /** Evaluates one cluster now; empty when the inventory has no such cluster that healing can look at. */
    public Optional<Outcome> heal(String clusterName) {
        return target(clusterName)
                .map(t -> cycle.evaluate(t, HealingPolicies.forCluster(policy, t), config.fleetMaxPerHour()));
    }

    /** The cluster as healing sees it, with its pause switches; empty when it is not (yet) a target. */
    public Optional<ClusterTarget> target(String clusterName) {
        return QuarkusTransaction.requiringNew().call(() -> clusters.findByName(clusterName)
                .flatMap(c -> ClusterTargets.of(
                        c,
                        operations.listOpen(clusterName).stream()
                                .map(Operation::getKind)
                                .toList()))
                .map(t -> withPauses(t, store.pauses(clusterName))));
    }

    /** Every target, in name order. */
    public List<ClusterTarget> targets() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Map<String, List<String>> open = operations.listOpen().stream()
                    .collect(Collectors.groupingBy(
                            Operation::getClusterName, Collectors.mapping(Operation::getKind, Collectors.toList())));
            Map<String, List<Pause>> pauses = store.pauses().stream().collect(Collectors.groupingBy(Pause::cluster));
            List<ClusterTarget> targets = new ArrayList<>();
            String after = null;
            while (true) {
                List<ManagedCluster> page = clusters.pageByName(after, PAGE);
                for (ManagedCluster c : page) {
                    ClusterTargets.of(c, open.getOrDefault(c.getName(), List.of()))
                            .map(t -> withPauses(t, pauses.getOrDefault(c.getName(), List.of())))
                            .ifPresent(targets::add);
                }
                if (page.size() < PAGE) {
                    return targets;
                }
                after = page.getLast().getName();
                clusters.getEntityManager().clear();
            }
        });
    }

    static ClusterTarget withPauses(ClusterTarget target, List<Pause> pauses) {
        boolean cluster = pauses.stream().anyMatch(p -> p.pool().isEmpty());
        Set<String> pools = new HashSet<>();
        pauses.forEach(p -> p.pool().ifPresent(pools::add));
        return target.withPauses(cluster, pools);
    }
}
