package dev.kubeyard.platform.board;

import dev.kubeyard.mirror.plan.MirrorLabels;
import dev.kubeyard.platform.access.Principal;
import dev.kubeyard.platform.board.BoardViews.ClusterFreshness;
import dev.kubeyard.platform.board.BoardViews.Detail;
import dev.kubeyard.platform.board.BoardViews.Page;
import dev.kubeyard.platform.board.BoardViews.Service;
import dev.kubeyard.platform.mirror.MirrorSetStore;
import dev.kubeyard.platform.mirror.MirrorSetStore.ServiceKey;
import dev.kubeyard.platform.mirror.MirrorSetViews;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.PageLimit;
import dev.kubeyard.serviceboard.board.ServiceStatus;
import dev.kubeyard.serviceboard.record.BoardQuery;
import dev.kubeyard.serviceboard.record.BoardQuery.BadQuery;
import dev.kubeyard.serviceboard.record.BoardQuery.LabelRequirement;
import dev.kubeyard.serviceboard.record.BoardQuery.Position;
import dev.kubeyard.serviceboard.record.BoardQuery.Sort;
import dev.kubeyard.serviceboard.record.BoardSearch;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The board's searches for the API and the console: the caller's parameters checked (a 400 problem naming the one at
 * fault), scoped to the teams the caller sees, answered from PostgreSQL only.
 */
@ApplicationScoped
public class BoardQueries {

    @Inject
    DataSource dataSource;

    @Inject
    MirrorSetStore mirror;

    private BoardSearch search;

    @PostConstruct
    void init() {
        search = new BoardSearch(dataSource);
    }

    /** The search parameters as typed (each may be null); repeated parameters are joined with commas. */
    public record Params(
            List<String> clusters,
            String status,
            String q,
            String name,
            List<String> namespaces,
            String label,
            String image,
            String sort,
            String order,
            String limit,
            String cursor) {}

    public Page search(Principal principal, Params p) {
        BoardQuery query = query(principal, p);
        BoardSearch.Page page;
        try {
            page = search.search(query);
        } catch (BadQuery e) {
            throw ProblemException.invalidField(e.field(), e.getMessage());
        }
        // The mirror's records of the page's services (for a follower: of its origin's export, whose Conflict it
        // shares): one query for the page, not one per row.
        Map<ServiceKey, List<MirrorSetViews.Export>> exports = mirror.exportsOf(page.items().stream()
                .map(e -> mirrorKey(
                        e.row().cluster(),
                        e.row().namespace(),
                        e.row().name(),
                        e.row().labels()))
                .toList());
        return new Page(
                page.items().stream()
                        .map(e -> Service.of(
                                e,
                                BoardViews.Mirror.of(
                                        e.row().labels(),
                                        exports.getOrDefault(
                                                mirrorKey(
                                                        e.row().cluster(),
                                                        e.row().namespace(),
                                                        e.row().name(),
                                                        e.row().labels()),
                                                List.of()))))
                        .toList(),
                page.total(),
                BoardViews.counts(page.counts()),
                page.next().orElse(null),
                query.sort().wireName(),
                query.descending() ? "desc" : "asc");
    }

    BoardQuery query(Principal principal, Params p) {
        try {
            Sort sort =
                    blank(p.sort()) ? Sort.STATUS : Sort.fromWireName(p.sort().trim());
            boolean descending;
            if (blank(p.order())) {
                descending = sort == Sort.UPDATED_AT;
            } else if (p.order().trim().equalsIgnoreCase("desc")) {
                descending = true;
            } else if (p.order().trim().equalsIgnoreCase("asc")) {
                descending = false;
            } else {
                throw new BadQuery("order", "must be asc or desc, was '" + p.order() + "'");
            }
            int limit = blank(p.limit()) ? BoardQuery.DEFAULT_LIMIT : PageLimit.parse(p.limit());
            Optional<Position> after =
                    blank(p.cursor()) ? Optional.empty() : Optional.of(Position.ofCursor(p.cursor()));
            return new BoardQuery(
                    principal.visibleTeams(),
                    split(p.clusters()),
                    statuses(p.status()),
                    text("q", p.q()),
                    text("name", p.name()),
                    split(p.namespaces()),
                    LabelRequirement.parse(p.label()),
                    text("image", p.image()),
                    sort,
                    descending,
                    limit,
                    after);
        } catch (BadQuery e) {
            throw ProblemException.invalidField(e.field(), e.getMessage());
        }
    }

    public Optional<Detail> detail(Principal principal, String cluster, String namespace, String name) {
        return search.find(principal.visibleTeams(), cluster, namespace, name).map(e -> {
            List<MirrorSetViews.Export> exports = mirror.exportsOf(List.of(new ServiceKey(cluster, namespace, name)))
                    .getOrDefault(new ServiceKey(cluster, namespace, name), List.of());
            Map<String, String> labels = e.row().labels();
            BoardViews.Follower follower = MirrorLabels.isFollower(labels)
                    ? new BoardViews.Follower(labels.get(MirrorLabels.SET), labels.get(MirrorLabels.ORIGIN))
                    : null;
            List<MirrorSetViews.Export> compact = follower == null
                    ? exports
                    : mirror.exportsOf(List.of(mirrorKey(cluster, namespace, name, labels)))
                            .getOrDefault(mirrorKey(cluster, namespace, name, labels), List.of());
            return new Detail(
                    Service.of(e, BoardViews.Mirror.of(labels, compact)),
                    search.cluster(principal.visibleTeams(), cluster)
                            .map(ClusterFreshness::of)
                            .orElse(null),
                    new BoardViews.MirrorDetail(exports, follower));
        });
    }

    /** Where the mirror's record of a service is: its own export, or for a follower its origin's. */
    static ServiceKey mirrorKey(String cluster, String namespace, String name, Map<String, String> labels) {
        String origin = labels.get(MirrorLabels.ORIGIN);
        return MirrorLabels.isFollower(labels) && origin != null
                ? new ServiceKey(origin, namespace, name)
                : new ServiceKey(cluster, namespace, name);
    }

    public List<ClusterFreshness> clusters(Principal principal) {
        return search.clusters(principal.visibleTeams()).stream()
                .map(ClusterFreshness::of)
                .toList();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static Optional<String> text(String field, String s) {
        if (blank(s)) {
            return Optional.empty();
        }
        if (s.length() > 200) {
            throw new BadQuery(field, "is longer than 200 characters");
        }
        return Optional.of(s.trim());
    }

    /** The values of a repeatable parameter, each also split at commas, trimmed, without blanks or repeats. */
    public static Set<String> split(List<String> values) {
        Set<String> out = new LinkedHashSet<>();
        if (values == null) {
            return out;
        }
        for (String v : values) {
            if (v == null) {
                continue;
            }
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    static Set<ServiceStatus> statuses(String text) {
        Set<ServiceStatus> out = new LinkedHashSet<>();
        if (blank(text)) {
            return out;
        }
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            try {
                out.add(ServiceStatus.fromWireName(part.trim()));
            } catch (IllegalArgumentException e) {
                throw new BadQuery(
                        "status",
                        "must be a comma-separated list of Healthy, Degraded, Down, Unknown; was '" + text + "'");
            }
        }
        return out;
    }
}
