package dev.kubeyard.mirror.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the planner is given for one set: plain values, no Kubernetes client types.
 *
 * @param set the set's name (a team's set of clusters that import each other's exports)
 * @param clusters the set's clusters, and clusters that left it but may still hold its followers ({@code member}
 *     false)
 * @param withdrawAfter an exporter not seen for this long contributes no endpoints
 * @param createNamespaces whether a follower's namespace is created in a cluster that lacks it
 */
public record MirrorInput(
        String set, List<ClusterView> clusters, Instant now, Duration withdrawAfter, boolean createNamespaces) {

    public MirrorInput {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(withdrawAfter, "withdrawAfter");
        clusters = List.copyOf(clusters);
    }

    /** How a Service is reached: one virtual IP, or its endpoints' addresses directly. */
    public enum ServiceType {
        CLUSTER_IP,
        HEADLESS
    }

    /** A port: of a Service (its port) or of an EndpointSlice (the endpoints' port). An unnamed port has name "". */
    public record Port(String name, String protocol, int port) implements Comparable<Port> {

        private static final Comparator<Port> ORDER =
                Comparator.comparing(Port::name).thenComparing(Port::protocol).thenComparingInt(Port::port);

        public Port {
            name = name == null ? "" : name;
            protocol = protocol == null ? "TCP" : protocol;
        }

        @Override
        public int compareTo(Port o) {
            return ORDER.compare(this, o);
        }

        @Override
        public String toString() {
            return (name.isEmpty() ? "" : name + " ") + port + "/" + protocol;
        }
    }

    /** Ready endpoint addresses of an exported service that share their ports (one of its EndpointSlices). */
    public record EndpointSet(List<Port> ports, List<String> addresses) {
        public EndpointSet {
            ports = List.copyOf(ports);
            addresses = List.copyOf(addresses);
        }
    }

    /**
     * A service exported from a cluster (a ServiceExport, or the export label on the Service).
     *
     * @param endpoints ready endpoints only
     * @param exportedAt when the export was made (the ServiceExport's or the label's first sighting): the oldest wins
     * @param reported for an export by a ServiceExport, the Valid and Conflict conditions its status shows now (the
     *     planner keeps them as the export's state says); empty for an export by label
     */
    public record Export(
            String namespace,
            String name,
            ServiceType type,
            List<Port> ports,
            List<EndpointSet> endpoints,
            Instant exportedAt,
            Optional<List<Condition>> reported) {
        public Export {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(exportedAt, "exportedAt");
            ports = List.copyOf(ports);
            endpoints = List.copyOf(endpoints);
            reported = reported.map(List::copyOf);
        }

        /** An export by label (nothing to report to in the cluster). */
        public Export(
                String namespace,
                String name,
                ServiceType type,
                List<Port> ports,
                List<EndpointSet> endpoints,
                Instant exportedAt) {
            this(namespace, name, type, ports, endpoints, exportedAt, Optional.empty());
        }

        public ServiceKey key() {
            return new ServiceKey(namespace, name);
        }
    }

    /** A Service as a cluster shows it (follower or not), or as the planner wants a follower to be. */
    public record ServiceObject(
            String namespace,
            String name,
            Map<String, String> labels,
            Map<String, String> annotations,
            ServiceType type,
            List<Port> ports,
            List<Condition> conditions) {
        public ServiceObject {
            labels = new TreeMap<>(labels);
            annotations = new TreeMap<>(annotations);
            ports = ports.stream().sorted().toList();
            conditions = conditions.stream()
                    .sorted(Comparator.comparing(Condition::type))
                    .toList();
        }

        public ServiceKey key() {
            return new ServiceKey(namespace, name);
        }

        /** Only what the mirror owns: what a follower is compared on. */
        ServiceObject owned() {
            return new ServiceObject(
                    namespace,
                    name,
                    MirrorLabels.only(labels, MirrorLabels.SERVICE_LABELS),
                    MirrorLabels.only(annotations, MirrorLabels.SERVICE_ANNOTATIONS),
                    type,
                    ports,
                    conditions.stream()
                            .filter(c -> c.type().equals(Reasons.CONFLICT)
                                    || c.type().equals(Reasons.ENDPOINTS_WITHDRAWN))
                            .toList());
        }
    }

    /** An EndpointSlice the mirror owns, as a cluster shows it or as the planner wants it. */
    public record SliceObject(
            String namespace,
            String name,
            Map<String, String> labels,
            String addressType,
            List<Port> ports,
            List<String> addresses) {
        public SliceObject {
            labels = new TreeMap<>(labels);
            ports = ports.stream().sorted().toList();
            addresses = addresses.stream().sorted().distinct().toList();
        }

        SliceObject owned() {
            return new SliceObject(
                    namespace,
                    name,
                    MirrorLabels.only(labels, MirrorLabels.SLICE_LABELS),
                    addressType,
                    ports,
                    addresses);
        }
    }

    /**
     * One cluster as its collector last saw it.
     *
     * @param member whether it belongs to the set now; a former member's followers of the set are deleted
     * @param lastSeen when its API last answered (its collector's lease of the cluster); the start of membership
     *     for a cluster never seen
     * @param namespaces its namespaces
     * @param exports its exported services
     * @param services its Services whose names matter: followers, and those named as some export of the set
     * @param slices its EndpointSlices managed by the mirror
     * @param observed whether its objects are known now (its collector has listed them); a cluster not observed
     *     (unreachable since this process started) counts with its recorded exports, and nothing is planned for it:
     *     no writes, neither importer nor refusal
     */
    public record ClusterView(
            String cluster,
            boolean member,
            Instant lastSeen,
            Set<String> namespaces,
            List<Export> exports,
            List<ServiceObject> services,
            List<SliceObject> slices,
            boolean observed) {
        public ClusterView {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(lastSeen, "lastSeen");
            namespaces = Set.copyOf(namespaces);
            exports = List.copyOf(exports);
            services = List.copyOf(services);
            slices = List.copyOf(slices);
        }

        /** An observed cluster. */
        public ClusterView(
                String cluster,
                boolean member,
                Instant lastSeen,
                Set<String> namespaces,
                List<Export> exports,
                List<ServiceObject> services,
                List<SliceObject> slices) {
            this(cluster, member, lastSeen, namespaces, exports, services, slices, true);
        }
    }

    /** A condition the Kubernetes way; the writer sets its lastTransitionTime when its status flips. */
    public record Condition(String type, String status, String reason, String message) {}
}
