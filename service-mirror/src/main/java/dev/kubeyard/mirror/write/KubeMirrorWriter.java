package dev.kubeyard.mirror.write;

import dev.kubeyard.mirror.collect.KubeMirrorFacts;
import dev.kubeyard.mirror.plan.MirrorInput.Condition;
import dev.kubeyard.mirror.plan.MirrorInput.Port;
import dev.kubeyard.mirror.plan.MirrorInput.ServiceObject;
import dev.kubeyard.mirror.plan.MirrorInput.ServiceType;
import dev.kubeyard.mirror.plan.MirrorInput.SliceObject;
import dev.kubeyard.mirror.plan.MirrorLabels;
import dev.kubeyard.mirror.plan.MirrorPlan.Action;
import dev.kubeyard.mirror.plan.MirrorPlan.CreateNamespace;
import dev.kubeyard.mirror.plan.MirrorPlan.CreateService;
import dev.kubeyard.mirror.plan.MirrorPlan.CreateSlice;
import dev.kubeyard.mirror.plan.MirrorPlan.DeleteService;
import dev.kubeyard.mirror.plan.MirrorPlan.DeleteSlice;
import dev.kubeyard.mirror.plan.MirrorPlan.HoldBack;
import dev.kubeyard.mirror.plan.MirrorPlan.ReportExport;
import dev.kubeyard.mirror.plan.MirrorPlan.UpdateService;
import dev.kubeyard.mirror.plan.MirrorPlan.UpdateSlice;
import dev.kubeyard.mirror.plan.ServiceKey;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries one cluster's plan out through fabric8. Every update and delete first reads the object and checks it is
 * this set's (its labels): an object that became someone else's between plan and write is left alone, and the
 * next pass sees it. Labels and annotations the mirror does not own are kept. A follower's Conflict and
 * EndpointsWithdrawn conditions are written to its status, their {@code lastTransitionTime} set when their status
 * flips.
 */
public final class KubeMirrorWriter {

    /** What became of a plan: how many actions were carried out, and the first failure if any. */
    public record Outcome(int applied, int skipped, Optional<String> failure) {}

    private final String set;
    private final KubernetesClient client;
    private final Clock clock;

    public KubeMirrorWriter(String set, KubernetesClient client, Clock clock) {
        this.set = set;
        this.client = client;
        this.clock = clock;
    }

    /**
     * Carries the actions out in order. A refused action does not stop the others (a follower refused by a webhook or
     * a full quota must not keep a withdrawn exporter's slices in place); the first failure is reported, and the next
     * pass plans again.
     */
    public Outcome apply(List<Action> actions) {
        int applied = 0;
        int skipped = 0;
        Optional<String> failure = Optional.empty();
        for (Action action : actions) {
            try {
                if (act(action)) {
                    applied++;
                } else {
                    skipped++;
                }
            } catch (KubernetesClientException e) {
                if (failure.isEmpty()) {
                    failure = Optional.of(describe(action, e));
                }
            }
        }
        return new Outcome(applied, skipped, failure);
    }

    private static String describe(Action action, KubernetesClientException e) {
        String what = action.getClass().getSimpleName();
        String message = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : String.valueOf(e.getMessage());
        return what + " failed: HTTP " + e.getCode() + " "
                + message.lines().findFirst().orElse("");
    }

    private boolean act(Action action) {
        return switch (action) {
            case CreateNamespace a -> createNamespace(a.namespace());
            case CreateService a -> createService(a.service());
            case UpdateService a -> updateService(a.service());
            case DeleteService a -> deleteService(a.key());
            case CreateSlice a -> createSlice(a.slice());
            case UpdateSlice a -> updateSlice(a.slice());
            case DeleteSlice a -> deleteSlice(a.namespace(), a.name());
            case HoldBack a -> false;
            case ReportExport a -> report(a);
        };
    }

    private boolean createNamespace(String namespace) {
        try {
            client.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName(namespace)
                            .addToLabels(MirrorLabels.SET, set)
                            .endMetadata()
                            .build())
                    .create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return false;
            }
            throw e;
        }
    }

    private boolean createService(ServiceObject desired) {
        Service service = new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(desired.namespace())
                .withName(desired.name())
                .withLabels(desired.labels())
                .withAnnotations(desired.annotations())
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP(desired.type() == ServiceType.HEADLESS ? "None" : null)
                .withPorts(ports(desired.ports()))
                .endSpec()
                .build();
        Service created;
        try {
            created = client.resource(service).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                // Someone's Service took the name since the plan: the next pass holds the follower back.
                return false;
            }
            throw e;
        }
        writeConditions(created, desired.conditions());
        return true;
    }

    private Optional<Service> ownService(String namespace, String name) {
        Service current =
                client.services().inNamespace(namespace).withName(name).get();
        if (current == null
                || !MirrorLabels.isFollowerOf(labels(current.getMetadata().getLabels()), set)) {
            return Optional.empty();
        }
        return Optional.of(current);
    }

    private boolean updateService(ServiceObject desired) {
        Optional<Service> own = ownService(desired.namespace(), desired.name());
        if (own.isEmpty()) {
            return false;
        }
        Service current = own.get();
        boolean headless = "None".equals(current.getSpec().getClusterIP());
        if (headless != (desired.type() == ServiceType.HEADLESS)) {
            // A Service's cluster IP cannot change: the follower is made again.
            client.resource(current).lockResourceVersion().delete();
            if (!createService(desired)) {
                throw new KubernetesClientException("the follower " + desired.key()
                        + " could not be made again with its new type yet (the old one is still going)");
            }
            return true;
        }
        Map<String, String> labels = new HashMap<>(labels(current.getMetadata().getLabels()));
        labels.keySet().removeIf(k -> k.startsWith("mirror.kubeyard.dev/"));
        labels.putAll(desired.labels());
        Map<String, String> annotations =
                new HashMap<>(labels(current.getMetadata().getAnnotations()));
        annotations.keySet().removeIf(k -> k.startsWith("mirror.kubeyard.dev/"));
        annotations.putAll(desired.annotations());
        current.getMetadata().setLabels(labels);
        current.getMetadata().setAnnotations(annotations);
        current.getSpec().setPorts(ports(desired.ports()));
        current.getSpec().setSelector(null);
        Service updated = client.resource(current).update();
        writeConditions(updated, desired.conditions());
        return true;
    }

    private void writeConditions(Service service, List<Condition> desired) {
        ServiceStatus status = service.getStatus() == null ? new ServiceStatus() : service.getStatus();
        List<io.fabric8.kubernetes.api.model.Condition> before =
                status.getConditions() == null ? List.of() : status.getConditions();
        List<io.fabric8.kubernetes.api.model.Condition> after = new ArrayList<>();
        for (io.fabric8.kubernetes.api.model.Condition c : before) {
            if (desired.stream().noneMatch(d -> d.type().equals(c.getType()))) {
                after.add(c);
            }
        }
        String now = clock.instant().toString();
        for (Condition d : desired) {
            String since = before.stream()
                    .filter(c -> c.getType().equals(d.type()) && d.status().equals(c.getStatus()))
                    .map(io.fabric8.kubernetes.api.model.Condition::getLastTransitionTime)
                    .findFirst()
                    .orElse(now);
            after.add(new io.fabric8.kubernetes.api.model.ConditionBuilder()
                    .withType(d.type())
                    .withStatus(d.status())
                    .withReason(d.reason())
                    .withMessage(d.message())
                    .withLastTransitionTime(since)
                    .build());
        }
        status.setConditions(after);
        service.setStatus(status);
        client.resource(service).updateStatus();
    }

    /** The export's state onto its ServiceExport's status (Valid, Conflict); other conditions are kept. */
    @SuppressWarnings("unchecked")
    private boolean report(ReportExport report) {
        var resource = client.genericKubernetesResources(KubeMirrorFacts.SERVICE_EXPORTS)
                .inNamespace(report.key().namespace())
                .withName(report.key().name());
        io.fabric8.kubernetes.api.model.GenericKubernetesResource export = resource.get();
        if (export == null) {
            return false;
        }
        Map<String, Object> status = export.getAdditionalProperties().get("status") instanceof Map<?, ?> m
                ? new HashMap<>((Map<String, Object>) m)
                : new HashMap<>();
        List<Map<String, Object>> before =
                status.get("conditions") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
        List<Map<String, Object>> after = new ArrayList<>();
        for (Map<String, Object> c : before) {
            if (report.conditions().stream().noneMatch(d -> d.type().equals(c.get("type")))) {
                after.add(c);
            }
        }
        String now = clock.instant().toString();
        for (Condition d : report.conditions()) {
            Object since = before.stream()
                    .filter(c -> d.type().equals(c.get("type")) && d.status().equals(c.get("status")))
                    .map(c -> c.get("lastTransitionTime"))
                    .findFirst()
                    .orElse(now);
            Map<String, Object> c = new java.util.LinkedHashMap<>();
            c.put("type", d.type());
            c.put("status", d.status());
            c.put("reason", d.reason());
            c.put("message", d.message());
            c.put("lastTransitionTime", since);
            after.add(c);
        }
        status.put("conditions", after);
        export.getAdditionalProperties().put("status", status);
        client.genericKubernetesResources(KubeMirrorFacts.SERVICE_EXPORTS)
                .inNamespace(report.key().namespace())
                .resource(export)
                .updateStatus();
        return true;
    }

    private boolean deleteService(ServiceKey key) {
        Optional<Service> own = ownService(key.namespace(), key.name());
        if (own.isEmpty()) {
            return false;
        }
        // Only the object read (its resourceVersion): one that replaced it meanwhile is not deleted.
        client.resource(own.get()).lockResourceVersion().delete();
        return true;
    }

    private boolean createSlice(SliceObject desired) {
        try {
            client.resource(slice(desired)).create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return updateSlice(desired);
            }
            throw e;
        }
    }

    private Optional<EndpointSlice> ownSlice(String namespace, String name) {
        EndpointSlice current = client.discovery()
                .v1()
                .endpointSlices()
                .inNamespace(namespace)
                .withName(name)
                .get();
        if (current == null
                || !MirrorLabels.isSliceOf(labels(current.getMetadata().getLabels()), set)) {
            return Optional.empty();
        }
        return Optional.of(current);
    }

    private boolean updateSlice(SliceObject desired) {
        Optional<EndpointSlice> own = ownSlice(desired.namespace(), desired.name());
        if (own.isEmpty()) {
            return false;
        }
        EndpointSlice next = slice(desired);
        next.getMetadata().setResourceVersion(own.get().getMetadata().getResourceVersion());
        client.resource(next).update();
        return true;
    }

    private boolean deleteSlice(String namespace, String name) {
        Optional<EndpointSlice> own = ownSlice(namespace, name);
        if (own.isEmpty()) {
            return false;
        }
        client.resource(own.get()).lockResourceVersion().delete();
        return true;
    }

    private static EndpointSlice slice(SliceObject s) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace(s.namespace())
                .withName(s.name())
                .withLabels(s.labels())
                .endMetadata()
                .withAddressType(s.addressType())
                .withEndpoints(s.addresses().stream()
                        .map(a -> new EndpointBuilder()
                                .withAddresses(a)
                                .withNewConditions()
                                .withReady(true)
                                .endConditions()
                                .build())
                        .toList())
                .withPorts(s.ports().stream()
                        .map(p -> new EndpointPortBuilder()
                                .withName(p.name().isEmpty() ? null : p.name())
                                .withProtocol(p.protocol())
                                .withPort(p.port())
                                .build())
                        .toList())
                .build();
    }

    private static List<ServicePort> ports(List<Port> ports) {
        return ports.stream()
                .map(p -> new ServicePortBuilder()
                        .withName(p.name().isEmpty() ? null : p.name())
                        .withProtocol(p.protocol())
                        .withPort(p.port())
                        .build())
                .toList();
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }
}
