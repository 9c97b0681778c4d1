package dev.kubeyard.platform.sandbox;

import dev.kubeyard.inventory.cluster.ClusterPhase;
import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.cluster.ManagedClusterRepository;
import dev.kubeyard.inventory.kube.ClusterClients;
import dev.kubeyard.mirror.plan.MirrorLabels;
import dev.kubeyard.platform.mirror.MirrorSetStore;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * In sandbox mode, the demo clusters form the mirror set {@code demo} (namespaces created), and once {@code demo-1}
 * is Ready it exports {@code shop/catalog} by the label (a Service without selector, its EndpointSlice of two ready addresses managed by hand, as for
 * a service outside the cluster): the other demo clusters get its follower, the console shows the export.
 */
@ApplicationScoped
public class SandboxDemoMirror {

    private static final Logger LOG = Logger.getLogger(SandboxDemoMirror.class);
    static final String SET = "demo";

    @Inject
    MirrorSetStore sets;

    @Inject
    ManagedClusterRepository clusters;

    @Inject
    ClusterClients clients;

    @Inject
    Clock clock;

    /** Called once the demo clusters are in the inventory. */
    void seed(List<String> members) {
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            long team = sets.teamId(SandboxDemoClusters.TEAM).orElseThrow();
            long id = sets.insert(SET, team, "The sandbox's demo clusters import each other's exports", true, now);
            sets.join(
                    id,
                    sets.clusters(members).values().stream()
                            .map(MirrorSetStore.ClusterRef::id)
                            .toList(),
                    now);
        });
        Thread.ofVirtual().name("sandbox-demo-export").start(() -> exportWhenReady(members.getFirst()));
    }

    private void exportWhenReady(String cluster) {
        Instant deadline = clock.instant().plus(Duration.ofMinutes(15));
        while (clock.instant().isBefore(deadline)) {
            Optional<String> ready = QuarkusTransaction.requiringNew().call(() -> clusters.findByName(cluster)
                    .filter(x -> x.getPhase() == ClusterPhase.READY)
                    .flatMap(ManagedCluster::getRancherManagementId));
            if (ready.isPresent()) {
                try {
                    export(clients.forCluster(ready.get()));
                    LOG.infof("Sandbox: %s exports shop/catalog to mirror set %s", cluster, SET);
                } catch (RuntimeException e) {
                    LOG.warnf("Sandbox: could not export the demo service from %s: %s", cluster, e.getMessage());
                }
                return;
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static void export(KubernetesClient k) {
        k.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("shop")
                        .endMetadata()
                        .build())
                .createOr(n -> n.update());
        k.resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withNamespace("shop")
                        .withName("catalog")
                        .addToLabels(MirrorLabels.EXPORT, "true")
                        .endMetadata()
                        .withNewSpec()
                        .addNewPort()
                        .withName("http")
                        .withPort(80)
                        .endPort()
                        .endSpec()
                        .build())
                .createOr(s -> s.update());
        k.resource(new EndpointSliceBuilder()
                        .withNewMetadata()
                        .withNamespace("shop")
                        .withName("catalog-demo1")
                        .addToLabels(MirrorLabels.SERVICE_NAME, "catalog")
                        .addToLabels(MirrorLabels.MANAGED_BY, "endpointslice-controller.k8s.io")
                        .endMetadata()
                        .withAddressType("IPv4")
                        .addNewEndpoint()
                        .withAddresses("10.42.0.11")
                        .withNewConditions()
                        .withReady(true)
                        .endConditions()
                        .endEndpoint()
                        .addNewEndpoint()
                        .withAddresses("10.42.0.12")
                        .withNewConditions()
                        .withReady(true)
                        .endConditions()
                        .endEndpoint()
                        .addNewPort()
                        .withName("http")
                        .withPort(8080)
                        .endPort()
                        .build())
                .createOr(s -> s.update());
    }
}
