package dev.kubeyard.serviceboard.collect;

import dev.kubeyard.serviceboard.board.Facts;
import dev.kubeyard.serviceboard.board.Facts.EndpointSliceFacts;
import dev.kubeyard.serviceboard.board.Facts.IngressFacts;
import dev.kubeyard.serviceboard.board.Facts.PodFacts;
import dev.kubeyard.serviceboard.board.Facts.Route;
import dev.kubeyard.serviceboard.board.Facts.ServiceFacts;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The board's facts from a cluster's objects as fabric8 reads them. Nothing here decides a status. */
public final class KubeFacts {

    /** The label an EndpointSlice names its service with. */
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private KubeFacts() {}

    public static ServiceFacts service(Service s) {
        var spec = s.getSpec();
        List<Facts.Port> ports = new ArrayList<>();
        if (spec != null && spec.getPorts() != null) {
            for (ServicePort p : spec.getPorts()) {
                ports.add(new Facts.Port(
                        p.getName(),
                        p.getProtocol() == null ? "TCP" : p.getProtocol(),
                        p.getPort() == null ? 0 : p.getPort(),
                        targetPort(p.getTargetPort(), p.getPort()),
                        p.getNodePort()));
            }
        }
        List<String> lb = new ArrayList<>();
        if (s.getStatus() != null
                && s.getStatus().getLoadBalancer() != null
                && s.getStatus().getLoadBalancer().getIngress() != null) {
            for (LoadBalancerIngress i : s.getStatus().getLoadBalancer().getIngress()) {
                address(i.getIp(), i.getHostname()).ifPresent(lb::add);
            }
        }
        return new ServiceFacts(
                s.getMetadata().getNamespace(),
                s.getMetadata().getName(),
                spec == null || spec.getType() == null ? "ClusterIP" : spec.getType(),
                spec == null ? null : spec.getClusterIP(),
                ports,
                spec == null || spec.getSelector() == null ? Map.of() : spec.getSelector(),
                labels(s.getMetadata().getLabels()),
                lb,
                Optional.ofNullable(spec == null ? null : spec.getExternalName()));
    }

    private static String targetPort(IntOrString target, Integer port) {
        if (target == null) {
            return port == null ? "" : port.toString();
        }
        return target.getIntVal() != null ? target.getIntVal().toString() : target.getStrVal();
    }

    private static Optional<String> address(String ip, String hostname) {
        if (ip != null && !ip.isBlank()) {
            return Optional.of(ip);
        }
        return Optional.ofNullable(hostname).filter(h -> !h.isBlank());
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

    public static PodFacts pod(Pod p) {
        var status = p.getStatus();
        boolean ready = status != null
                && status.getConditions() != null
                && status.getConditions().stream()
                        .filter(c -> "Ready".equals(c.getType()))
                        .map(PodCondition::getStatus)
                        .anyMatch("True"::equals);
        List<String> images = new ArrayList<>();
        if (p.getSpec() != null && p.getSpec().getContainers() != null) {
            for (Container c : p.getSpec().getContainers()) {
                if (c.getImage() != null) {
                    images.add(c.getImage());
                }
            }
        }
        int restarts = 0;
        Optional<String> waiting = Optional.empty();
        if (status != null && status.getContainerStatuses() != null) {
            for (ContainerStatus cs : status.getContainerStatuses()) {
                restarts += cs.getRestartCount() == null ? 0 : cs.getRestartCount();
                if (waiting.isEmpty()
                        && cs.getState() != null
                        && cs.getState().getWaiting() != null
                        && cs.getState().getWaiting().getReason() != null) {
                    waiting = Optional.of(cs.getState().getWaiting().getReason());
                }
            }
        }
        return new PodFacts(
                p.getMetadata().getNamespace(),
                p.getMetadata().getName(),
                labels(p.getMetadata().getLabels()),
                status == null || status.getPhase() == null ? "Unknown" : status.getPhase(),
                ready,
                p.getMetadata().getDeletionTimestamp() != null,
                images,
                restarts,
                waiting);
    }

    /** An EndpointSlice's ready and not-ready endpoints; empty for a slice that names no service. */
    public static Optional<EndpointSliceFacts> endpointSlice(EndpointSlice slice) {
        String service = labels(slice.getMetadata().getLabels()).get(SERVICE_NAME_LABEL);
        if (service == null) {
            return Optional.empty();
        }
        int ready = 0;
        int notReady = 0;
        if (slice.getEndpoints() != null) {
            for (Endpoint e : slice.getEndpoints()) {
                // an endpoint whose readiness is not reported counts as ready, as kube-proxy takes it
                boolean isReady = e.getConditions() == null
                        || e.getConditions().getReady() == null
                        || e.getConditions().getReady();
                if (isReady) {
                    ready++;
                } else {
                    notReady++;
                }
            }
        }
        return Optional.of(new EndpointSliceFacts(slice.getMetadata().getNamespace(), service, ready, notReady));
    }

    public static IngressFacts ingress(Ingress ingress) {
        List<Route> routes = new ArrayList<>();
        var spec = ingress.getSpec();
        if (spec != null) {
            if (spec.getDefaultBackend() != null && spec.getDefaultBackend().getService() != null) {
                routes.add(
                        new Route("", "/", spec.getDefaultBackend().getService().getName()));
            }
            if (spec.getRules() != null) {
                for (IngressRule rule : spec.getRules()) {
                    String host = rule.getHost() == null ? "" : rule.getHost();
                    if (rule.getHttp() == null || rule.getHttp().getPaths() == null) {
                        continue;
                    }
                    for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                        if (path.getBackend() != null && path.getBackend().getService() != null) {
                            routes.add(new Route(
                                    host,
                                    path.getPath() == null ? "/" : path.getPath(),
                                    path.getBackend().getService().getName()));
                        }
                    }
                }
            }
        }
        List<String> addresses = new ArrayList<>();
        if (ingress.getStatus() != null
                && ingress.getStatus().getLoadBalancer() != null
                && ingress.getStatus().getLoadBalancer().getIngress() != null) {
            for (IngressLoadBalancerIngress i :
                    ingress.getStatus().getLoadBalancer().getIngress()) {
                address(i.getIp(), i.getHostname()).ifPresent(addresses::add);
            }
        }
        return new IngressFacts(
                ingress.getMetadata().getNamespace(), ingress.getMetadata().getName(), routes, addresses);
    }
}
