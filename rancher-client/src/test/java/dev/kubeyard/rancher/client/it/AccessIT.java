package dev.kubeyard.rancher.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.access.CreatedToken;
import dev.kubeyard.rancher.client.access.Kubeconfig;
import dev.kubeyard.rancher.client.access.RegistrationToken;
import dev.kubeyard.rancher.client.access.WorkerRegistration;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AccessIT {

    @RegisterExtension
    static final RancherSimExtension SIM =
            RancherSimExtension.withOptions(SimOptions.defaults().timing(SimTiming.fast()));

    private static RancherClient rancher;
    private static String clusterId;

    @BeforeAll
    static void connect() {
        rancher = SimSupport.client(SIM.sim().url());
        SimSupport.createCluster(rancher, "access-1", 1, 1, 2, Map.of());
        ProvisioningCluster ready = await().atMost(Duration.ofSeconds(20))
                .until(() -> rancher.clusters().get("access-1"), ProvisioningCluster::isUsable);
        clusterId = ready.managementId().orElseThrow();
    }

    @AfterAll
    static void close() {
        rancher.close();
    }

    @Test
    void generatedKubeconfigPointsAtTheClusterProxyAndHidesItsToken() {
        Kubeconfig kc = rancher.kubeconfigs().generate(clusterId);

        assertThat(kc.yaml()).contains("/k8s/clusters/" + clusterId).contains("token:");
        assertThat(kc.toString()).doesNotContain("token");
    }

    @Test
    void kubeconfigOfAnUnknownClusterIsNotFound() {
        assertThatThrownBy(() -> rancher.kubeconfigs().generate("c-m-nosuch00"))
                .isInstanceOf(RancherNotFoundException.class);
    }

    @Test
    void workerRegistrationCommandComesFromTheDefaultToken() {
        RegistrationToken token = rancher.registrationTokens().awaitDefaultToken(clusterId, Duration.ofSeconds(10));

        String cmd = new WorkerRegistration()
                .nodeName("byo-1")
                .label("kubeyard.dev/byo", "true")
                .command(token);

        assertThat(cmd)
                .contains("system-agent-install.sh", "--token " + token.token(), " --worker", "--node-name byo-1");
        assertThat(cmd).doesNotContain("--etcd", "--controlplane");
        assertThat(rancher.registrationTokens().list(clusterId))
                .extracting(RegistrationToken::id)
                .contains(clusterId + ":default-token");
        RegistrationToken extra = rancher.registrationTokens().create(clusterId);
        assertThat(extra.clusterId()).isEqualTo(clusterId);
    }

    @Test
    void tokenSecretIsShownOnceThenOnlyItsDescription() {
        CreatedToken created = rancher.tokens().create("kubeyard test", Duration.ofHours(1), null);

        assertThat(created.secret().name()).isEqualTo(created.token().id());
        assertThat(rancher.tokens().get(created.token().id()).description()).isEqualTo("kubeyard test");
        assertThat(rancher.tokens().list())
                .extracting(t -> t.id())
                .contains(created.token().id());
        assertThat(rancher.tokens().list().toString())
                .doesNotContain(created.secret().reveal().split(":")[1]);

        rancher.tokens().delete(created.token().id());
        assertThatThrownBy(() -> rancher.tokens().get(created.token().id()))
                .isInstanceOf(RancherNotFoundException.class);
    }

    @Test
    void clusterProxyServesTheClustersNodesToFabric8() {
        try (KubernetesClient k8s = new KubernetesClientBuilder()
                .withConfig(rancher.kubernetesConfig(clusterId))
                .build()) {
            List<Node> nodes = await().atMost(Duration.ofSeconds(20))
                    .until(() -> k8s.nodes().list().getItems(), n -> n.size() == 4);
            assertThat(nodes).allSatisfy(n -> assertThat(n.getStatus().getConditions())
                    .anySatisfy(c -> assertThat(c.getType()).isEqualTo("Ready")));
        }
    }

    @Test
    void disconnectedAgentMakesTheProxyFailWithRancherServerError() {
        SimSupport.createCluster(rancher, "access-2", 1, 1, 1, Map.of());
        String id = await().atMost(Duration.ofSeconds(20))
                .until(() -> rancher.clusters().get("access-2"), ProvisioningCluster::isUsable)
                .managementId()
                .orElseThrow();
        SimSupport.admin(SIM.sim().url(), "/_sim/clusters/access-2/agent", "{\"connected\":false}");

        try (KubernetesClient k8s = new KubernetesClientBuilder()
                .withConfig(rancher.kubernetesConfig(id))
                .build()) {
            assertThatThrownBy(() -> k8s.nodes().list())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode())
                            .isEqualTo(500));
        }
    }
}
