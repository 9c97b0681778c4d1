package dev.kubeyard.mirror.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.mirror.collect.KubeMirrorFacts.ServiceFact;
import dev.kubeyard.mirror.collect.KubeMirrorFacts.SliceFact;
import dev.kubeyard.mirror.plan.MirrorInput.Port;
import dev.kubeyard.mirror.plan.MirrorInput.ServiceType;
import dev.kubeyard.mirror.plan.MirrorLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubeMirrorFactsTest {

    static Service service(String clusterIp, String type, Map<String, String> labels) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web")
                .withLabels(labels)
                .withAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{}"))
                .withResourceVersion("42")
                .endMetadata()
                .withNewSpec()
                .withType(type)
                .withClusterIP(clusterIp)
                .addNewPort()
                .withName("http")
                .withPort(80)
                .endPort()
                .endSpec()
                .build();
    }

    @Test
    void aServiceKeepsOnlyTheMirrorsLabelsItsTypeAndPorts() {
        ServiceFact fact = KubeMirrorFacts.service(
                service("10.43.0.9", "ClusterIP", Map.of("app", "web", MirrorLabels.EXPORT, "true")));

        assertThat(fact.exportLabel()).isTrue();
        assertThat(fact.externalName()).isFalse();
        assertThat(fact.follower()).isFalse();
        assertThat(fact.object().labels()).containsOnlyKeys(MirrorLabels.EXPORT);
        assertThat(fact.object().annotations()).isEmpty();
        assertThat(fact.object().type()).isEqualTo(ServiceType.CLUSTER_IP);
        assertThat(fact.object().ports()).containsExactly(new Port("http", "TCP", 80));
    }

    @Test
    void aServiceWithoutClusterIpIsHeadlessAndAnExternalNameIsNoticed() {
        assertThat(KubeMirrorFacts.service(service("None", "ClusterIP", Map.of()))
                        .object()
                        .type())
                .isEqualTo(ServiceType.HEADLESS);
        assertThat(KubeMirrorFacts.service(service(null, "ExternalName", Map.of()))
                        .externalName())
                .isTrue();
    }

    @Test
    void aChangeTheMirrorCannotSeeGivesAnEqualFact() {
        Service before = service("10.43.0.9", "ClusterIP", Map.of("app", "web"));
        Service after = service("10.43.0.9", "ClusterIP", Map.of("app", "web", "tier", "front"));
        after.getMetadata().setResourceVersion("43");

        assertThat(KubeMirrorFacts.service(after)).isEqualTo(KubeMirrorFacts.service(before));
    }

    static EndpointSlice slice(Boolean... ready) {
        EndpointSliceBuilder b = new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web-abc")
                .addToLabels(MirrorLabels.SERVICE_NAME, "web")
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort()
                .withName("http")
                .withPort(8080)
                .endPort();
        for (int i = 0; i < ready.length; i++) {
            b.addToEndpoints(new EndpointBuilder()
                    .withAddresses("10.1.0." + (i + 1))
                    .withNewConditions()
                    .withReady(ready[i])
                    .endConditions()
                    .build());
        }
        return b.build();
    }

    @Test
    void aSliceKeepsReadyAddressesOnlyAndAnUnsetReadyCountsAsReady() {
        SliceFact fact = KubeMirrorFacts.slice(slice(true, false, null));

        assertThat(fact.service()).isEqualTo("web");
        assertThat(fact.ready()).containsExactly("10.1.0.1", "10.1.0.3");
        assertThat(fact.ports()).containsExactly(new Port("http", "TCP", 8080));
        assertThat(fact.mirrored()).isFalse();
    }

    @Test
    void aSliceOfNoServiceIsIgnoredAndAMirrorsSliceIsKnownByItsManager() {
        EndpointSlice orphan = slice(true);
        orphan.getMetadata().setLabels(Map.of());
        assertThat(KubeMirrorFacts.slice(orphan)).isNull();

        EndpointSlice mirrored = slice(true);
        mirrored.getMetadata().getLabels().put(MirrorLabels.MANAGED_BY, MirrorLabels.MANAGER);
        assertThat(KubeMirrorFacts.slice(mirrored).mirrored()).isTrue();
    }
}
