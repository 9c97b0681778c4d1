package dev.kubeyard.platform.testing;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.Map;

/**
 * The Kubernetes objects the service board's tests write into a simulated cluster (as its users and controllers
 * would): a Service with its pods, and an Ingress in front of it.
 */
public final class BoardObjects {

    private BoardObjects() {}

    /** A ClusterIP service selecting {@code app=<app>}, labelled with it and {@code tier=web}: http 80 to 8080. */
    public static Service service(String namespace, String name, String app) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withLabels(Map.of("app", app, "tier", "web"))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP("10.43.0." + (Math.abs(name.hashCode()) % 250 + 1))
                .withSelector(Map.of("app", app))
                .addNewPort()
                .withName("http")
                .withProtocol("TCP")
                .withPort(80)
                .withTargetPort(new IntOrString(8080))
                .endPort()
                .endSpec()
                .build();
    }

    /** A running pod of {@code app=<app>}, ready or not; {@code waiting}: its container's waiting reason, or null. */
    public static Pod pod(String namespace, String name, String app, String image, boolean ready, String waiting) {
        return pod(namespace, name, app, image, "Running", ready, waiting);
    }

    /** A pod of {@code app=<app>} in the phase, ready or not; {@code waiting}: its container's waiting reason, or null. */
    public static Pod pod(
            String namespace, String name, String app, String image, String phase, boolean ready, String waiting) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withLabels(Map.of("app", app))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("main")
                .withImage(image)
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase(phase)
                .addNewCondition()
                .withType("Ready")
                .withStatus(ready ? "True" : "False")
                .endCondition()
                .addNewContainerStatus()
                .withName("main")
                .withImage(image)
                .withReady(ready)
                .withRestartCount(waiting == null ? 0 : 3)
                .withNewState()
                .withNewWaiting()
                .withReason(waiting)
                .endWaiting()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build();
        if (waiting == null) {
            pod.getStatus().getContainerStatuses().getFirst().getState().setWaiting(null);
        }
        return pod;
    }

    /** An Ingress routing {@code host/} to the service's port 80, its load balancer at {@code address}. */
    public static Ingress ingress(String namespace, String service, String host, String address) {
        return new IngressBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(service)
                .endMetadata()
                .withNewSpec()
                .addNewRule()
                .withHost(host)
                .withNewHttp()
                .addNewPath()
                .withPath("/")
                .withPathType("Prefix")
                .withNewBackend()
                .withNewService()
                .withName(service)
                .withNewPort()
                .withNumber(80)
                .endPort()
                .endService()
                .endBackend()
                .endPath()
                .endHttp()
                .endRule()
                .endSpec()
                .withNewStatus()
                .withNewLoadBalancer()
                .addNewIngress()
                .withIp(address)
                .endIngress()
                .endLoadBalancer()
                .endStatus()
                .build();
    }
}
