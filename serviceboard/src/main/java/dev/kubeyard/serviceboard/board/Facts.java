package dev.kubeyard.serviceboard.board;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** What the board knows of a cluster's objects: plain values, no Kubernetes client types. */
public final class Facts {

    private Facts() {}

    public record Port(String name, String protocol, int port, String targetPort, Integer nodePort) {}

    /**
     * A Service.
     *
     * @param selector empty for a service without a selector (its endpoints are managed by hand or by a controller)
     */
    public record ServiceFacts(
            String namespace,
            String name,
            String type,
            String clusterIp,
            List<Port> ports,
            Map<String, String> selector,
            Map<String, String> labels,
            List<String> loadBalancerAddresses,
            Optional<String> externalName) {
        public ServiceFacts {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
            ports = List.copyOf(ports);
            selector = Map.copyOf(selector);
            labels = Map.copyOf(labels);
            loadBalancerAddresses = List.copyOf(loadBalancerAddresses);
        }
    }

    /**
     * A Pod.
     *
     * @param phase Pending, Running, Succeeded, Failed or Unknown
     * @param waitingReason the first container's waiting reason ({@code CrashLoopBackOff}, {@code ImagePullBackOff}),
     *     if any
     */
    public record PodFacts(
            String namespace,
            String name,
            Map<String, String> labels,
            String phase,
            boolean ready,
            boolean terminating,
            List<String> images,
            int restarts,
            Optional<String> waitingReason) {
        public PodFacts {
            labels = Map.copyOf(labels);
            images = List.copyOf(images);
        }
    }

    /** An EndpointSlice of a service ({@code kubernetes.io/service-name}): its endpoints' readiness. */
    public record EndpointSliceFacts(String namespace, String service, int ready, int notReady) {}

    /** An Ingress: the services its rules send to, by host, and the addresses it got. */
    public record IngressFacts(String namespace, String name, List<Route> routes, List<String> addresses) {
        public IngressFacts {
            routes = List.copyOf(routes);
            addresses = List.copyOf(addresses);
        }
    }

    /** One rule path of an ingress: the host (empty: any) and the backend service. */
    public record Route(String host, String path, String service) {}
}
