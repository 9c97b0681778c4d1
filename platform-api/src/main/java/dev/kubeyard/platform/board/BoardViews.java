package dev.kubeyard.platform.board;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kubeyard.mirror.plan.MirrorLabels;
import dev.kubeyard.platform.mirror.MirrorSetViews;
import dev.kubeyard.serviceboard.board.Facts;
import dev.kubeyard.serviceboard.board.ServiceRow;
import dev.kubeyard.serviceboard.board.ServiceStatus;
import dev.kubeyard.serviceboard.record.BoardSearch;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the service board's endpoints answer. */
public final class BoardViews {

    private BoardViews() {}

    /** One page of a search. */
    public record Page(
            List<Service> items, long total, Map<String, Long> counts, String nextCursor, String sort, String order) {}

    public record Port(String name, String protocol, int port, String targetPort, Integer nodePort) {
        static Port of(Facts.Port p) {
            return new Port(p.name(), p.protocol(), p.port(), p.targetPort(), p.nodePort());
        }
    }

    public record Ingress(List<String> hosts, List<String> addresses) {}

    public record Pods(int total, int running, int pending, int succeeded, int failed, int unknown, int ready) {}

    public record Endpoints(int ready, int notReady) {}

    /** A service as the board shows it. */
    public record Service(
            String cluster,
            String team,
            String namespace,
            String name,
            String type,
            String clusterIP,
            List<Port> ports,
            Ingress ingress,
            List<String> loadBalancerAddresses,
            List<String> images,
            Pods pods,
            Endpoints endpoints,
            String status,
            String statusReason,
            Map<String, String> labels,
            Instant updatedAt,
            Mirror mirror) {

        static Service of(BoardSearch.Entry e, Mirror mirror) {
            ServiceRow r = e.row();
            ServiceRow.PodCounts p = r.pods();
            return new Service(
                    r.cluster(),
                    e.team(),
                    r.namespace(),
                    r.name(),
                    r.type(),
                    r.clusterIp(),
                    r.ports().stream().map(Port::of).toList(),
                    new Ingress(r.ingressHosts(), r.ingressAddresses()),
                    r.loadBalancerAddresses(),
                    r.images(),
                    new Pods(p.total(), p.running(), p.pending(), p.succeeded(), p.failed(), p.unknown(), p.ready()),
                    new Endpoints(r.readyEndpoints(), r.notReadyEndpoints()),
                    r.status().wireName(),
                    r.statusReason(),
                    r.labels(),
                    r.updatedAt(),
                    mirror);
        }
    }

    /**
     * The service's part in cross-cluster service discovery, in short (the list's column): {@code Exported} (by a
     * member of a mirror set: how many clusters imported it, whether the exports of the service disagree) or {@code
     * Follower} (a Service the mirror wrote: its set and the exporting cluster whose definition it carries). Null when
     * neither.
     *
     * @param importedBy the clusters that hold a follower of it (Exported only)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Mirror(String role, String set, Integer importedBy, boolean conflict, String origin) {

        public static final String EXPORTED = "Exported";
        public static final String FOLLOWER = "Follower";

        /** From the service's labels and its export rows; null when it is neither exported nor a follower. */
        static Mirror of(Map<String, String> labels, List<MirrorSetViews.Export> exports) {
            if (MirrorLabels.isFollower(labels)) {
                return new Mirror(
                        FOLLOWER,
                        labels.get(MirrorLabels.SET),
                        null,
                        exports.stream().anyMatch(MirrorSetViews.Export::conflict),
                        labels.get(MirrorLabels.ORIGIN));
            }
            if (exports.isEmpty()) {
                return null;
            }
            long imported = exports.stream()
                    .flatMap(e -> e.importedBy().stream())
                    .distinct()
                    .count();
            return new Mirror(
                    EXPORTED,
                    exports.getFirst().set(),
                    (int) imported,
                    exports.stream().anyMatch(MirrorSetViews.Export::conflict),
                    null);
        }
    }

    /**
     * The service in cross-cluster service discovery, in full (the detail).
     *
     * @param exports the mirror's record of its export (one per set the cluster is or was a member of): who imported
     *     it, the clusters that refused it and why, its conditions
     * @param follower when the service is a follower the mirror wrote: its set and origin; else null
     */
    public record MirrorDetail(List<MirrorSetViews.Export> exports, Follower follower) {}

    /** A follower's labels: the set that wrote it, and the exporting cluster whose definition it carries. */
    public record Follower(String set, String origin) {}

    /** One service with its cluster's freshness and its part in cross-cluster service discovery. */
    public record Detail(Service service, ClusterFreshness cluster, MirrorDetail mirror) {}

    /**
     * Whether the board's view of a cluster is current.
     *
     * @param staleReason why its rows show Unknown (unreachable, not synchronised, not running); null when current
     */
    public record ClusterFreshness(
            String name,
            String team,
            int services,
            Map<String, Long> counts,
            Instant syncedAt,
            String staleReason,
            Instant staleSince,
            Instant changedAt) {

        static ClusterFreshness of(BoardSearch.ClusterState c) {
            return new ClusterFreshness(
                    c.cluster(),
                    c.team(),
                    c.services(),
                    BoardViews.counts(c.counts()),
                    c.syncedAt().orElse(null),
                    c.staleReason().orElse(null),
                    c.staleSince().orElse(null),
                    c.changedAt().orElse(null));
        }
    }

    public record Clusters(List<ClusterFreshness> items) {}

    static Map<String, Long> counts(Map<ServiceStatus, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (ServiceStatus s :
                List.of(ServiceStatus.DOWN, ServiceStatus.DEGRADED, ServiceStatus.UNKNOWN, ServiceStatus.HEALTHY)) {
            out.put(s.wireName(), counts.getOrDefault(s, 0L));
        }
        return out;
    }
}
