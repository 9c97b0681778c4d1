package dev.kubeyard.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.serviceboard.board.ServiceStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the service-board benchmark puts in every cluster, the same in each but for the ingress hosts (which carry the
 * cluster's name): S services spread over a few namespaces, service {@code i} named {@code <app>-<i>} with labels
 * {@code app}, {@code tier} and {@code owner}, a selector on {@code app}, two Running pods (image
 * {@code registry.example.com/<app>:1.<i % 30>.0}, every fifth service an envoy sidecar too), an EndpointSlice with both
 * pods' endpoints, and for every tenth service an Ingress {@code <name>.<cluster>.example.com}. A few services are seeded
 * unhealthy, so that the status filter and the status order have something to find: {@code i % 50 == 7} one pod not
 * ready (Degraded), {@code i % 100 == 13} neither (Down).
 *
 * <p>The changes pick services by their index modulo 10 ({@link #POD_NOT_READY}, ...): no change meets a seeded
 * unhealthy service or another change's service.
 */
final class BoardSeed {

    static final ObjectMapper JSON = new ObjectMapper();

    static final List<String> NAMESPACES = List.of("shop", "payments", "search", "platform", "identity", "media");
    static final List<String> APPS = List.of(
            "checkout",
            "cart",
            "ledger",
            "catalog",
            "search",
            "auth",
            "profile",
            "media",
            "notify",
            "report",
            "billing",
            "gateway",
            "inventory",
            "pricing",
            "review",
            "session",
            "shipping",
            "tax",
            "upload",
            "worker");
    static final List<String> TIERS = List.of("web", "api", "worker", "cache");

    /** Index modulo 10 of the services each kind of change picks. */
    static final int INGRESS_HOST = 0;

    static final int POD_NOT_READY = 1;
    static final int SERVICE_DELETED = 2;

    private final int services;
    private final int namespaces;

    BoardSeed(int services, int namespaces) {
        if (services < 10) {
            throw new IllegalArgumentException(
                    "at least 10 services per cluster (the changes pick them by index % 10)");
        }
        if (namespaces < 1 || namespaces > NAMESPACES.size()) {
            throw new IllegalArgumentException("1 to " + NAMESPACES.size() + " namespaces");
        }
        this.services = services;
        this.namespaces = namespaces;
    }

    int services() {
        return services;
    }

    static String name(int i) {
        return APPS.get(i % APPS.size()) + "-" + i;
    }

    String namespace(int i) {
        return NAMESPACES.get(i % namespaces);
    }

    static boolean hasIngress(int i) {
        return i % 10 == 0;
    }

    static String host(int i, String cluster) {
        return name(i) + "." + cluster + ".example.com";
    }

    /** How many of the pods of service {@code i} are ready as seeded. */
    static int readyPods(int i) {
        if (i % 100 == 13) {
            return 0;
        }
        return i % 50 == 7 ? 1 : 2;
    }

    /** The statuses the board must show for one cluster's services as seeded. */
    Map<ServiceStatus, Long> expectedStatuses() {
        Map<ServiceStatus, Long> out = new EnumMap<>(ServiceStatus.class);
        for (int i = 0; i < services; i++) {
            ServiceStatus s =
                    switch (readyPods(i)) {
                        case 0 -> ServiceStatus.DOWN;
                        case 1 -> ServiceStatus.DEGRADED;
                        default -> ServiceStatus.HEALTHY;
                    };
            out.merge(s, 1L, Long::sum);
        }
        return out;
    }

    /** The index of the service a change of {@code kind} uses the {@code round}-th time it meets a cluster. */
    int pick(int kind, int round) {
        return kind + 10 * (round % (services / 10));
    }

    /** Every object of one cluster: per service its pods, EndpointSlice, Ingress (if any), then the Service. */
    List<ObjectNode> objects(String cluster) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < services; i++) {
            String ns = namespace(i);
            String name = name(i);
            int ready = readyPods(i);
            for (int p = 0; p < 2; p++) {
                out.add(pod(ns, name, i, p, p < ready));
            }
            out.add(slice(ns, name, i, ready));
            if (hasIngress(i)) {
                out.add(ingress(ns, name, List.of(host(i, cluster))));
            }
            out.add(service(ns, name, i));
        }
        return out;
    }

    static ObjectNode service(String ns, String name, int i) {
        ObjectNode s = object("v1", "Service", ns, name);
        ObjectNode labels = s.withObject("/metadata").putObject("labels");
        labels.put("app", name);
        labels.put("tier", TIERS.get(i % TIERS.size()));
        labels.put("owner", "squad-" + (i % 7));
        ObjectNode spec = s.putObject("spec").put("type", "ClusterIP").put("clusterIP", ip(43, i));
        spec.putObject("selector").put("app", name);
        spec.putArray("ports")
                .addObject()
                .put("name", "http")
                .put("protocol", "TCP")
                .put("port", 80)
                .put("targetPort", 8080);
        return s;
    }

    static ObjectNode pod(String ns, String service, int i, int p, boolean ready) {
        ObjectNode pod = object("v1", "Pod", ns, service + "-" + p);
        ObjectNode labels = pod.withObject("/metadata").putObject("labels");
        labels.put("app", service);
        labels.put("tier", TIERS.get(i % TIERS.size()));
        ArrayNode containers = pod.putObject("spec").putArray("containers");
        List<String> images = images(i);
        for (int c = 0; c < images.size(); c++) {
            containers.addObject().put("name", c == 0 ? "main" : "envoy").put("image", images.get(c));
        }
        pod.set("status", podStatus(i, p, ready));
        return pod;
    }

    /** A Running pod's status, ready or in CrashLoopBackOff. */
    static ObjectNode podStatus(int i, int p, boolean ready) {
        ObjectNode status = JSON.createObjectNode().put("phase", "Running").put("podIP", ip(42, i * 2 + p));
        ArrayNode conditions = status.putArray("conditions");
        for (String type : List.of("Initialized", "Ready", "ContainersReady", "PodScheduled")) {
            boolean value = ready || type.equals("Initialized") || type.equals("PodScheduled");
            conditions.addObject().put("type", type).put("status", value ? "True" : "False");
        }
        ArrayNode containers = status.putArray("containerStatuses");
        List<String> images = images(i);
        for (int c = 0; c < images.size(); c++) {
            ObjectNode cs = containers
                    .addObject()
                    .put("name", c == 0 ? "main" : "envoy")
                    .put("image", images.get(c))
                    .put("ready", ready || c > 0)
                    .put("restartCount", ready || c > 0 ? 0 : 4);
            if (ready || c > 0) {
                cs.putObject("state").putObject("running").put("startedAt", "2026-01-01T00:00:00Z");
            } else {
                cs.putObject("state").putObject("waiting").put("reason", "CrashLoopBackOff");
            }
        }
        return status;
    }

    static List<String> images(int i) {
        String main = "registry.example.com/" + APPS.get(i % APPS.size()) + ":1." + (i % 30) + ".0";
        return i % 5 == 0 ? List.of(main, "envoyproxy/envoy:v1.31." + (i % 3)) : List.of(main);
    }

    static ObjectNode slice(String ns, String service, int i, int ready) {
        ObjectNode slice = object("discovery.k8s.io/v1", "EndpointSlice", ns, service + "-x7k2p");
        slice.withObject("/metadata").putObject("labels").put("kubernetes.io/service-name", service);
        slice.put("addressType", "IPv4");
        ArrayNode endpoints = slice.putArray("endpoints");
        for (int p = 0; p < 2; p++) {
            ObjectNode e = endpoints.addObject();
            e.putArray("addresses").add(ip(42, i * 2 + p));
            e.putObject("conditions").put("ready", p < ready);
            e.putObject("targetRef").put("kind", "Pod").put("namespace", ns).put("name", service + "-" + p);
        }
        slice.putArray("ports")
                .addObject()
                .put("name", "http")
                .put("protocol", "TCP")
                .put("port", 8080);
        return slice;
    }

    static ObjectNode ingress(String ns, String service, List<String> hosts) {
        ObjectNode ingress = object("networking.k8s.io/v1", "Ingress", ns, service);
        ingress.putObject("spec").set("rules", rules(service, hosts));
        return ingress;
    }

    /** An Ingress's rules: one per host, {@code /} to the service's port 80. */
    static ArrayNode rules(String service, List<String> hosts) {
        ArrayNode rules = JSON.createArrayNode();
        for (String host : hosts) {
            ObjectNode path = rules.addObject()
                    .put("host", host)
                    .putObject("http")
                    .putArray("paths")
                    .addObject()
                    .put("path", "/")
                    .put("pathType", "Prefix");
            path.putObject("backend")
                    .putObject("service")
                    .put("name", service)
                    .putObject("port")
                    .put("number", 80);
        }
        return rules;
    }

    private static ObjectNode object(String apiVersion, String kind, String ns, String name) {
        ObjectNode o = JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);
        o.putObject("metadata").put("namespace", ns).put("name", name);
        return o;
    }

    private static String ip(int second, int n) {
        return "10." + second + "." + (n / 250 % 250) + "." + (n % 250 + 1);
    }
}
