package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A Service created through the proxy gets a cluster IP, as kube-apiserver allocates one. */
class ServiceClusterIpIT {

    @RegisterExtension
    static RancherSimExtension sim = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(1).demoPools(1, 1, 1).timing(SimTiming.fast()));

    private static KubernetesClient client;

    @BeforeAll
    static void connect() {
        client = SimHttp.proxyClient(sim.url(), sim.sim().managementId("demo-001"));
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    static Service create(String name, String type, String clusterIp) {
        ServiceBuilder b = new ServiceBuilder()
                .withNewMetadata()
                .withNamespace("default")
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withType(type)
                .withClusterIP(clusterIp)
                .endSpec();
        if ("ExternalName".equals(type)) {
            b.editSpec().withExternalName("db.example.com").endSpec();
        }
        return client.resource(b.build()).create();
    }

    @Test
    void aServiceWithoutAClusterIpGetsADistinctOneFromTheServiceRange() {
        Service a = create("web", "ClusterIP", null);
        Service b = create("api", "NodePort", null);
        assertThat(a.getSpec().getClusterIP()).startsWith("10.43.");
        assertThat(a.getSpec().getClusterIPs()).containsExactly(a.getSpec().getClusterIP());
        assertThat(b.getSpec().getClusterIP())
                .startsWith("10.43.")
                .isNotEqualTo(a.getSpec().getClusterIP());
        assertThat(client.services()
                        .inNamespace("default")
                        .withName("web")
                        .get()
                        .getSpec()
                        .getClusterIP())
                .isEqualTo(a.getSpec().getClusterIP());
    }

    @Test
    void anExternalNameHeadlessOrChosenAddressIsKept() {
        assertThat(create("db", "ExternalName", null).getSpec().getClusterIP()).isNull();
        assertThat(create("peers", "ClusterIP", "None").getSpec().getClusterIP())
                .isEqualTo("None");
        assertThat(create("dns", "ClusterIP", "10.43.0.10").getSpec().getClusterIP())
                .isEqualTo("10.43.0.10");
    }

    @Test
    void aServiceCreatedByServerSideApplyGetsAClusterIpToo() {
        Service applied = client.resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withNamespace("default")
                        .withName("applied")
                        .endMetadata()
                        .withNewSpec()
                        .withType("ClusterIP")
                        .endSpec()
                        .build())
                .fieldManager("kubeyard")
                .forceConflicts()
                .serverSideApply();
        assertThat(applied.getSpec().getClusterIP()).startsWith("10.43.");
    }
}
