package dev.kubeyard.serviceboard.board;

import dev.kubeyard.serviceboard.board.Facts.EndpointSliceFacts;
import dev.kubeyard.serviceboard.board.Facts.IngressFacts;
import dev.kubeyard.serviceboard.board.Facts.PodFacts;
import dev.kubeyard.serviceboard.board.Facts.Route;
import dev.kubeyard.serviceboard.board.Facts.ServiceFacts;
import dev.kubeyard.serviceboard.board.ServiceRow.PodCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A service's row from what its cluster shows, and the status rule (README.md, "Status"). Pure: the same facts always
 * give the same row.
 */
public final class ServiceRows {

    private ServiceRows() {}

    /** A status and its reason in words. */
    public record Verdict(ServiceStatus status, String reason) {}

    /**
     * @param pods the pods of the service's namespace (the row takes those its selector matches)
     * @param slices the service's EndpointSlices
     * @param ingresses the ingresses of the service's namespace (the row takes the routes to this service)
     * @param stale why the cluster's objects are not current (unreachable, not yet synchronised); empty when they are
     */
    public static ServiceRow build(
            String cluster,
            ServiceFacts service,
            List<PodFacts> pods,
            List<EndpointSliceFacts> slices,
            List<IngressFacts> ingresses,
            Optional<String> stale,
            Instant now) {
        List<PodFacts> selected = selected(service, pods);
        PodCounts counts = counts(selected);
        int ready = 0;
        int notReady = 0;
        for (EndpointSliceFacts slice : slices) {
            if (slice.namespace().equals(service.namespace()) && slice.service().equals(service.name())) {
                ready += slice.ready();
                notReady += slice.notReady();
            }
        }
        TreeSet<String> hosts = new TreeSet<>();
        TreeSet<String> addresses = new TreeSet<>();
        for (IngressFacts ingress : ingresses) {
            if (!ingress.namespace().equals(service.namespace())) {
                continue;
            }
            boolean routes = false;
            for (Route route : ingress.routes()) {
                if (route.service().equals(service.name())) {
                    routes = true;
                    if (!route.host().isBlank()) {
                        hosts.add(route.host());
                    }
                }
            }
            if (routes) {
                addresses.addAll(ingress.addresses());
            }
        }
        TreeSet<String> images = new TreeSet<>();
        selected.forEach(p -> images.addAll(p.images()));
        boolean hasSlices = slices.stream()
                .anyMatch(s ->
                        s.namespace().equals(service.namespace()) && s.service().equals(service.name()));
        Verdict verdict = status(service, selected, hasSlices, ready, notReady, stale);
        return new ServiceRow(
                cluster,
                service.namespace(),
                service.name(),
                service.type(),
                service.clusterIp(),
                service.ports(),
                List.copyOf(hosts),
                List.copyOf(addresses),
                service.loadBalancerAddresses(),
                List.copyOf(images),
                counts,
                ready,
                notReady,
                verdict.status(),
                verdict.reason(),
                new TreeMap<>(service.labels()),
                now);
    }

    /** The pods a service's selector matches (none for a service without a selector). */
    static List<PodFacts> selected(ServiceFacts service, List<PodFacts> pods) {
        if (service.selector().isEmpty()) {
            return List.of();
        }
        List<PodFacts> out = new ArrayList<>();
        for (PodFacts pod : pods) {
            if (pod.namespace().equals(service.namespace()) && matches(service.selector(), pod.labels())) {
                out.add(pod);
            }
        }
        return out;
    }

    /** Whether the service's selector picks the pod (never for a service without a selector). */
    public static boolean selects(ServiceFacts service, PodFacts pod) {
        return !service.selector().isEmpty()
                && pod.namespace().equals(service.namespace())
                && matches(service.selector(), pod.labels());
    }

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static PodCounts counts(List<PodFacts> pods) {
        int running = 0;
        int pending = 0;
        int succeeded = 0;
        int failed = 0;
        int unknown = 0;
        int ready = 0;
        for (PodFacts p : pods) {
            switch (p.phase()) {
                case "Running" -> running++;
                case "Pending" -> pending++;
                case "Succeeded" -> succeeded++;
                case "Failed" -> failed++;
                default -> unknown++;
            }
            if (p.ready() && !p.terminating()) {
                ready++;
            }
        }
        return new PodCounts(pods.size(), running, pending, succeeded, failed, unknown, ready);
    }

    /**
     * The status rule:
     *
     * <ol>
     *   <li>the cluster's objects are not current (its API does not answer, or its first synchronisation has not
     *       finished): Unknown;
     *   <li>an ExternalName service: Healthy (nothing runs behind it);
     *   <li>a service without a selector is judged by its endpoints: all ready Healthy, some Degraded, none ready Down,
     *       no endpoints at all Unknown;
     *   <li>a service with a selector is judged by its pods that are neither finished (Succeeded) nor terminating: none
     *       Down; none ready (or, where EndpointSlices are seen, no ready endpoint) Down; fewer ready than there are, or
     *       one Failed, Degraded; else Healthy.
     * </ol>
     */
    public static Verdict status(
            ServiceFacts service,
            List<PodFacts> selected,
            boolean hasSlices,
            int readyEndpoints,
            int notReadyEndpoints,
            Optional<String> stale) {
        if (stale.isPresent()) {
            return new Verdict(ServiceStatus.UNKNOWN, "The cluster's objects are not current: " + stale.get() + ".");
        }
        if ("ExternalName".equals(service.type())) {
            return new Verdict(
                    ServiceStatus.HEALTHY,
                    "ExternalName " + service.externalName().orElse("") + ": nothing runs behind it.");
        }
        if (service.selector().isEmpty()) {
            int total = readyEndpoints + notReadyEndpoints;
            if (total == 0) {
                return new Verdict(
                        ServiceStatus.UNKNOWN,
                        "No selector and no endpoints: the service is managed outside Kubernetes.");
            }
            ServiceStatus status = notReadyEndpoints == 0
                    ? ServiceStatus.HEALTHY
                    : readyEndpoints == 0 ? ServiceStatus.DOWN : ServiceStatus.DEGRADED;
            return new Verdict(status, readyEndpoints + " of " + total + " endpoints ready (no selector).");
        }
        List<PodFacts> active = selected.stream()
                .filter(p -> !p.terminating() && !"Succeeded".equals(p.phase()))
                .toList();
        if (active.isEmpty()) {
            return new Verdict(
                    ServiceStatus.DOWN, "No running pod matches the selector " + selectorText(service) + ".");
        }
        long ready = active.stream().filter(PodFacts::ready).count();
        long failed = active.stream().filter(p -> "Failed".equals(p.phase())).count();
        String why = waitingReasons(active);
        String counted = ready + " of " + active.size() + " pods ready" + why;
        if (ready == 0 || (hasSlices && readyEndpoints == 0)) {
            return new Verdict(
                    ServiceStatus.DOWN, (ready == 0 ? counted : counted + ", but no endpoint is ready") + ".");
        }
        if (ready < active.size() || failed > 0) {
            return new Verdict(ServiceStatus.DEGRADED, counted + (failed > 0 ? "; " + failed + " failed" : "") + ".");
        }
        return new Verdict(ServiceStatus.HEALTHY, counted + ".");
    }

    private static String selectorText(ServiceFacts service) {
        return new TreeMap<>(service.selector()).toString().replace("{", "").replace("}", "");
    }

    /** ": CrashLoopBackOff in 2, ImagePullBackOff in 1" for the pods that wait, else empty. */
    private static String waitingReasons(List<PodFacts> pods) {
        TreeMap<String, Integer> reasons = new TreeMap<>();
        for (PodFacts p : pods) {
            p.waitingReason().ifPresent(r -> reasons.merge(r, 1, Integer::sum));
        }
        if (reasons.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        reasons.forEach((r, n) -> parts.add(r + " in " + n));
        return ": " + String.join(", ", parts);
    }
}
