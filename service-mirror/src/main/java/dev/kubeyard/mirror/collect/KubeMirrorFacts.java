package dev.kubeyard.mirror.collect;

import dev.kubeyard.mirror.plan.MirrorInput.Condition;
import dev.kubeyard.mirror.plan.MirrorInput.Port;
import dev.kubeyard.mirror.plan.MirrorInput.ServiceObject;
import dev.kubeyard.mirror.plan.MirrorInput.ServiceType;
import dev.kubeyard.mirror.plan.MirrorLabels;
import dev.kubeyard.mirror.plan.Reasons;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What the mirror keeps of a cluster's objects: plain records, small, comparable (a change that keeps them equal is no change). */
public final class KubeMirrorFacts {

    /** KEP-1645's {@code ServiceExport} for fabric8's generic resources. */
    public static final ResourceDefinitionContext SERVICE_EXPORTS = new ResourceDefinitionContext.Builder()
            .withGroup("multicluster.x-k8s.io")
            .withVersion("v1alpha1")
            .withKind("ServiceExport")
            .withPlural("serviceexports")
            .withNamespaced(true)
            .build();

    private static final Set<String> SERVICE_LABELS =
            Set.of(MirrorLabels.EXPORT, MirrorLabels.FOLLOWER, MirrorLabels.SET, MirrorLabels.ORIGIN);
    private static final Set<String> SLICE_LABELS = Set.of(
            MirrorLabels.SET,
            MirrorLabels.SOURCE_CLUSTER,
            MirrorLabels.MCS_SERVICE_NAME,
            MirrorLabels.SERVICE_NAME,
            MirrorLabels.MANAGED_BY);
    private static final Set<String> CONDITIONS = Set.of(Reasons.CONFLICT, Reasons.ENDPOINTS_WITHDRAWN);

    private KubeMirrorFacts() {}

    /** A Service: the mirror's labels and annotations, type, ports, its Conflict/EndpointsWithdrawn conditions. */
    public record ServiceFact(ServiceObject object, boolean exportLabel, boolean externalName) {
        public boolean follower() {
            return MirrorLabels.isFollower(object.labels());
        }
    }

    /** An EndpointSlice: the service it serves, its ports and ready addresses; the mirror's labels. */
    public record SliceFact(
            String namespace,
            String name,
            String service,
            Map<String, String> labels,
            String addressType,
            List<Port> ports,
            List<String> ready) {
        /** Written by a mirror (of any set), not by the cluster's EndpointSlice controller. */
        public boolean mirrored() {
            return MirrorLabels.MANAGER.equals(labels.get(MirrorLabels.MANAGED_BY));
        }
    }

    /** A KEP-1645 ServiceExport: its creation is the export's time (the oldest export wins). */
    public record ExportFact(String namespace, String name, Instant createdAt, List<Condition> conditions) {}

    public static ServiceFact service(Service s) {
        var spec = s.getSpec();
        Map<String, String> labels = only(s.getMetadata().getLabels(), SERVICE_LABELS);
        Map<String, String> annotations = only(s.getMetadata().getAnnotations(), Set.of(MirrorLabels.SOURCE_CLUSTERS));
        boolean headless = spec != null && "None".equals(spec.getClusterIP());
        List<Port> ports = spec == null || spec.getPorts() == null
                ? List.of()
                : spec.getPorts().stream().map(KubeMirrorFacts::port).toList();
        List<Condition> conditions = s.getStatus() == null || s.getStatus().getConditions() == null
                ? List.of()
                : s.getStatus().getConditions().stream()
                        .filter(c -> CONDITIONS.contains(c.getType()))
                        .map(c -> new Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage()))
                        .toList();
        ServiceObject object = new ServiceObject(
                s.getMetadata().getNamespace(),
                s.getMetadata().getName(),
                labels,
                annotations,
                headless ? ServiceType.HEADLESS : ServiceType.CLUSTER_IP,
                ports,
                conditions);
        boolean externalName = spec != null && "ExternalName".equals(spec.getType());
        return new ServiceFact(object, "true".equals(labels.get(MirrorLabels.EXPORT)), externalName);
    }

    private static Port port(ServicePort p) {
        return new Port(p.getName(), p.getProtocol(), p.getPort() == null ? 0 : p.getPort());
    }

    /** An EndpointSlice with the Service it serves; empty for one that names none. */
    public static SliceFact slice(EndpointSlice s) {
        Map<String, String> all =
                s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels();
        String service = all.get(MirrorLabels.SERVICE_NAME);
        if (service == null) {
            return null;
        }
        List<Port> ports = s.getPorts() == null
                ? List.of()
                : s.getPorts().stream().map(KubeMirrorFacts::port).toList();
        List<String> ready = s.getEndpoints() == null
                ? List.of()
                : s.getEndpoints().stream()
                        .filter(KubeMirrorFacts::ready)
                        .flatMap(e -> e.getAddresses() == null ? Stream.<String>empty() : e.getAddresses().stream())
                        .sorted()
                        .distinct()
                        .toList();
        return new SliceFact(
                s.getMetadata().getNamespace(),
                s.getMetadata().getName(),
                service,
                only(all, SLICE_LABELS),
                s.getAddressType() == null ? "IPv4" : s.getAddressType(),
                ports.stream().sorted().toList(),
                ready);
    }

    /** Ready unless the endpoint says otherwise (Kubernetes: a nil ready condition means ready). */
    private static boolean ready(Endpoint e) {
        return e.getConditions() == null
                || !Boolean.FALSE.equals(e.getConditions().getReady());
    }

    private static Port port(EndpointPort p) {
        return new Port(p.getName(), p.getProtocol(), p.getPort() == null ? 0 : p.getPort());
    }

    public static ExportFact export(GenericKubernetesResource e) {
        return new ExportFact(
                e.getMetadata().getNamespace(),
                e.getMetadata().getName(),
                instant(e.getMetadata().getCreationTimestamp()),
                reported(e));
    }

    /** The Valid and Conflict conditions a ServiceExport's status shows. */
    @SuppressWarnings("unchecked")
    static List<Condition> reported(GenericKubernetesResource e) {
        Object status = e.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> s) || !(s.get("conditions") instanceof List<?> list)) {
            return List.of();
        }
        return list.stream()
                .filter(Map.class::isInstance)
                .map(c -> (Map<String, Object>) c)
                .filter(c -> Reasons.VALID.equals(c.get("type")) || Reasons.CONFLICT.equals(c.get("type")))
                .map(c -> new Condition(
                        String.valueOf(c.get("type")),
                        String.valueOf(c.get("status")),
                        String.valueOf(c.get("reason")),
                        String.valueOf(c.get("message"))))
                .toList();
    }

    public static String namespace(Namespace n) {
        return n.getMetadata().getName();
    }

    /** An object's resourceVersion as a number (0 when it is not one: then any list wins over it). */
    public static long version(HasMetadata o) {
        String rv = o.getMetadata().getResourceVersion();
        if (rv == null) {
            return 0;
        }
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static Instant instant(String timestamp) {
        if (timestamp == null) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static Map<String, String> only(Map<String, String> values, Set<String> keys) {
        Map<String, String> kept = new TreeMap<>();
        if (values != null) {
            values.forEach((k, v) -> {
                if (keys.contains(k) && v != null) {
                    kept.put(k, v);
                }
            });
        }
        return kept;
    }
}
