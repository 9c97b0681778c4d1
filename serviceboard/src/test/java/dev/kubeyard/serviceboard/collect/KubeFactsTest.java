package dev.kubeyard.serviceboard.collect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.serviceboard.board.Facts;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import org.junit.jupiter.api.Test;

class KubeFactsTest {

    @Test
    void aServiceGivesItsPortsSelectorAndLoadBalancerAddress() {
        Service s = new ServiceBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web")
                .addToLabels("team", "shop")
                .endMetadata()
                .withNewSpec()
                .withType("LoadBalancer")
                .withClusterIP("10.43.0.10")
                .addToSelector("app", "web")
                .addNewPort()
                .withName("http")
                .withPort(80)
                .withTargetPort(new IntOrString("http-web"))
                .withNodePort(30080)
                .endPort()
                .endSpec()
                .withNewStatus()
                .withNewLoadBalancer()
                .addNewIngress()
                .withHostname("lb.example.com")
                .endIngress()
                .endLoadBalancer()
                .endStatus()
                .build();

        Facts.ServiceFacts f = KubeFacts.service(s);

        assertThat(f.type()).isEqualTo("LoadBalancer");
        assertThat(f.ports()).containsExactly(new Facts.Port("http", "TCP", 80, "http-web", 30080));
        assertThat(f.selector()).containsEntry("app", "web");
        assertThat(f.loadBalancerAddresses()).containsExactly("lb.example.com");
    }

    @Test
    void aPodGivesItsReadinessImagesAndWhyItWaits() {
        Pod p = new PodBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web-1")
                .addToLabels("app", "web")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("web")
                .withImage("shop/web:1.4.2")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .addNewCondition()
                .withType("Ready")
                .withStatus("False")
                .endCondition()
                .addNewContainerStatus()
                .withName("web")
                .withRestartCount(7)
                .withNewState()
                .withNewWaiting()
                .withReason("CrashLoopBackOff")
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();

        Facts.PodFacts f = KubeFacts.pod(p);

        assertThat(f.ready()).isFalse();
        assertThat(f.images()).containsExactly("shop/web:1.4.2");
        assertThat(f.restarts()).isEqualTo(7);
        assertThat(f.waitingReason()).contains("CrashLoopBackOff");
        assertThat(f.terminating()).isFalse();
    }

    @Test
    void anEndpointSliceCountsReadyAndNotReadyEndpointsOfItsService() {
        EndpointSlice slice = new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("web-abc12")
                .addToLabels(KubeFacts.SERVICE_NAME_LABEL, "web")
                .endMetadata()
                .withAddressType("IPv4")
                .addNewEndpoint()
                .withAddresses("10.42.0.5")
                .withNewConditions()
                .withReady(true)
                .endConditions()
                .endEndpoint()
                .addNewEndpoint()
                .withAddresses("10.42.0.6")
                .withNewConditions()
                .withReady(false)
                .endConditions()
                .endEndpoint()
                .addNewEndpoint()
                .withAddresses("10.42.0.7")
                .endEndpoint()
                .build();

        assertThat(KubeFacts.endpointSlice(slice)).contains(new Facts.EndpointSliceFacts("shop", "web", 2, 1));
        slice.getMetadata().getLabels().clear();
        assertThat(KubeFacts.endpointSlice(slice)).isEmpty();
    }

    @Test
    void anIngressGivesARoutePerPathAndItsAddresses() {
        Ingress ingress = new IngressBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName("public")
                .endMetadata()
                .withNewSpec()
                .addNewRule()
                .withHost("shop.example.com")
                .withNewHttp()
                .addNewPath()
                .withPath("/")
                .withPathType("Prefix")
                .withNewBackend()
                .withNewService()
                .withName("web")
                .endService()
                .endBackend()
                .endPath()
                .endHttp()
                .endRule()
                .endSpec()
                .withNewStatus()
                .withNewLoadBalancer()
                .addNewIngress()
                .withIp("198.51.100.4")
                .endIngress()
                .endLoadBalancer()
                .endStatus()
                .build();

        Facts.IngressFacts f = KubeFacts.ingress(ingress);

        assertThat(f.routes()).containsExactly(new Facts.Route("shop.example.com", "/", "web"));
        assertThat(f.addresses()).containsExactly("198.51.100.4");
    }
}
