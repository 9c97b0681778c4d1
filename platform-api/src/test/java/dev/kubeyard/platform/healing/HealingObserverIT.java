package dev.kubeyard.platform.healing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.inventory.cluster.ManagedClusterRepository;
import dev.kubeyard.inventory.operation.Operation;
import dev.kubeyard.inventory.operation.OperationRepository;
import dev.kubeyard.nodepool.healing.ConditionStatus;
import dev.kubeyard.nodepool.healing.NodeCondition;
import dev.kubeyard.nodepool.healing.ObservedCluster;
import dev.kubeyard.nodepool.healing.ObservedNode;
import dev.kubeyard.nodepool.healing.ObservedPool;
import dev.kubeyard.nodepool.observe.ClusterTargets;
import dev.kubeyard.nodepool.observe.HealingObserver;
import dev.kubeyard.nodepool.observe.HealingObserver.ClusterTarget;
import dev.kubeyard.nodepool.observe.HealingObserver.PoolTarget;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import dev.kubeyard.rancher.sim.faults.SimFaults;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The healing observer against rancher-sim over HTTP: machines from Rancher, nodes from the cluster's API through
 * Rancher's proxy, and faults injected in between (a kubelet that stops reporting, an API that does not answer).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class HealingObserverIT {

    final Map<String, KubernetesClient> apis = new ConcurrentHashMap<>();
    final HealingObserver observer = new HealingObserver(
            RancherSimResource.client(),
            id -> apis.computeIfAbsent(id, i -> new KubernetesClientBuilder()
                    .withConfig(RancherSimResource.client().kubernetesConfig(i))
                    .build()));

    @AfterEach
    void closeClients() {
        apis.values().forEach(KubernetesClient::close);
    }

    @Inject
    ManagedClusterRepository clusters;

    @Inject
    OperationRepository operations;

    /** A Ready cluster made through the API, and its target as the inventory has it. */
    ClusterTarget readyCluster() {
        String name = "observe-" + UUID.randomUUID().toString().substring(0, 8);
        Specs.put(name, Specs.small("observers", 2), 202);
        Specs.awaitPhase(name, "Ready", Duration.ofSeconds(60));
        ClusterTarget target = QuarkusTransaction.requiringNew().call(() -> ClusterTargets.of(
                        clusters.findByName(name).orElseThrow(),
                        operations.listOpen(name).stream()
                                .map(Operation::getKind)
                                .toList())
                .orElseThrow());
        assertThat(target.managementId()).isEqualTo(RancherSimResource.sim().managementId(name));
        assertThat(target.pools()).extracting(PoolTarget::name).containsExactlyInAnyOrder("control-plane", "workers");
        return target;
    }

    static ObservedPool pool(ObservedCluster cluster, String name) {
        return cluster.pools().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void seesEveryMachineOfEveryPoolWithItsReadyNode() {
        ClusterTarget target = readyCluster();

        ObservedCluster observed = observer.observe(target, Instant.now());

        assertThat(observed.observable()).isTrue();
        assertThat(pool(observed, "workers").nodes()).hasSize(2).allMatch(ObservedNode::ready);
        assertThat(pool(observed, "control-plane").nodes()).singleElement().matches(ObservedNode::ready);
    }

    @Test
    void seesAKubeletThatStoppedReportingAsReadyUnknown() {
        ClusterTarget target = readyCluster();
        String victim = pool(observer.observe(target, Instant.now()), "workers")
                .nodes()
                .getFirst()
                .machine();

        RancherSimResource.sim().faults().failMachine(victim, SimFaults.MODE_NOT_READY);
        try {
            ObservedNode node = await().atMost(Duration.ofSeconds(15))
                    .until(
                            () -> pool(observer.observe(target, Instant.now()), "workers").nodes().stream()
                                    .filter(n -> n.machine().equals(victim))
                                    .findFirst()
                                    .orElseThrow(),
                            n -> !n.ready());
            assertThat(node.condition(NodeCondition.READY).orElseThrow().status())
                    .isEqualTo(ConditionStatus.UNKNOWN);
        } finally {
            RancherSimResource.sim().faults().recoverMachine(victim);
        }
    }

    @Test
    void reportsAnApiThatDoesNotAnswerInsteadOfJudgingItsNodes() {
        ClusterTarget target = readyCluster();
        RancherSimResource.sim().faults().apiReachable(target.name(), false);
        try {
            ObservedCluster observed = observer.observe(target, Instant.now());
            assertThat(observed.apiReachable()).isFalse();
            assertThat(observed.rancherReachable()).isTrue();
            assertThat(observed.observable()).isFalse();
        } finally {
            RancherSimResource.sim().faults().apiReachable(target.name(), true);
        }
    }
}
