package dev.kubeyard.inventory.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherToken;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterClientsIT {

    @RegisterExtension
    static final RancherSimExtension SIM = RancherSimExtension.withOptions(
            SimOptions.defaults().timing(SimTiming.fast()).demoClusters(2));

    private Vertx vertx;
    private RancherClient rancher;
    private ClusterClients clients;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        rancher = RancherClient.create(RancherClientConfig.builder(SIM.sim().url(), RancherToken.of("token-inv:secret"))
                .build());
        clients = new ClusterClients(rancher::kubernetesConfig, vertx);
    }

    @AfterEach
    void stop() {
        clients.close();
        rancher.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void eachClusterGetsOneCachedClientThroughTheRancherProxy() {
        String first = SIM.sim().managementId("demo-001");
        String second = SIM.sim().managementId("demo-002");

        KubernetesClient a = clients.forCluster(first);
        a.configMaps()
                .inNamespace("default")
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("only-in-first")
                        .endMetadata()
                        .build())
                .create();

        assertThat(clients.forCluster(first)).isSameAs(a);
        assertThat(a.nodes().list().getItems()).isNotEmpty();
        assertThat(a.getMasterUrl().toString()).contains("/k8s/clusters/" + first);
        assertThat(clients.forCluster(second)
                        .configMaps()
                        .inNamespace("default")
                        .withName("only-in-first")
                        .get())
                .isNull();
        assertThat(clients.open()).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void clientsOfClustersThatWentAwayAreClosedAndForgotten() {
        String first = SIM.sim().managementId("demo-001");
        String second = SIM.sim().managementId("demo-002");
        KubernetesClient gone = clients.forCluster(first);
        clients.forCluster(second);

        clients.retainOnly(Set.of(second));

        assertThat(clients.open()).containsExactly(second);
        assertThat(gone.getHttpClient().isClosed()).isTrue();
        assertThat(clients.forCluster(first)).isNotSameAs(gone);
    }
}
