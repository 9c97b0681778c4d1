package dev.kubeyard.platform.console;

import dev.kubeyard.platform.access.Principal;
import dev.kubeyard.platform.board.BoardQueries;
import dev.kubeyard.platform.board.BoardViews;
import dev.kubeyard.platform.cluster.ClusterService.Caller;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.RequestContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's service board: every Service of the clusters the caller may see, filtered by cluster (several at
 * once), status, a search and the advanced fields, sorted by a column and paged like the API; refreshed every 5 s
 * from {@code console/services/list}. Each service has a page of every field the board has, with its cluster's
 * freshness. Reads through the same {@link BoardQueries} as the API ({@code GET /api/v1/services}): the same
 * visibility, the same refusal of a bad parameter, which the page shows (400) above the filter it came from; a service
 * the caller may not see is a 404 page.
 */
@Path("/console/services")
@Produces(MediaType.TEXT_HTML)
public class ServiceBoardConsole {

    /** The status chips, worst first (the API's counts' order). */
    static final List<String> STATUSES = List.of("Down", "Degraded", "Unknown", "Healthy");

    /** The direction a column's first click sorts in (as the API's default order for it). */
    static final Map<String, String> FIRST_ORDER =
            Map.of("status", "asc", "cluster", "asc", "name", "asc", "updatedAt", "desc");

    /** The query parameters of the board, as the URL has them (the API's names). */
    public static class Chosen {
        @QueryParam("cluster")
        List<String> cluster;

        @QueryParam("status")
        String status;

        @QueryParam("q")
        String q;

        @QueryParam("name")
        String name;

        @QueryParam("namespace")
        String namespace;

        @QueryParam("label")
        String label;

        @QueryParam("image")
        String image;

        @QueryParam("sort")
        String sort;

        @QueryParam("order")
        String order;

        @QueryParam("limit")
        String limit;

        @QueryParam("cursor")
        String cursor;
    }

    /**
     * The filters, trimmed; empty for none. Clusters and statuses are sets that go into a link comma-separated, as the
     * API takes them.
     */
    public record Filter(
            List<String> clusters,
            List<String> statuses,
            String q,
            String name,
            String namespace,
            String label,
            String image,
            String sort,
            String order,
            String limit,
            String cursor) {

        static Filter of(Chosen c) {
            return new Filter(
                    List.copyOf(BoardQueries.split(c.cluster)),
                    List.copyOf(BoardQueries.split(c.status == null ? null : List.of(c.status))),
                    HealthConsole.blank(c.q),
                    HealthConsole.blank(c.name),
                    HealthConsole.blank(c.namespace),
                    HealthConsole.blank(c.label),
                    HealthConsole.blank(c.image),
                    HealthConsole.blank(c.sort),
                    HealthConsole.blank(c.order),
                    HealthConsole.blank(c.limit),
                    HealthConsole.blank(c.cursor));
        }

        BoardQueries.Params params() {
            return new BoardQueries.Params(
                    clusters,
                    String.join(",", statuses),
                    q,
                    name,
                    namespace.isEmpty() ? List.of() : List.of(namespace),
                    label,
                    image,
                    sort,
                    order,
                    limit,
                    cursor);
        }

        /** {@code ?cluster=a,b&q=...} of the filters that are set; empty when none is. */
        String query() {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("cluster", String.join(",", clusters));
            p.put("status", String.join(",", statuses));
            p.put("q", q);
            p.put("name", name);
            p.put("namespace", namespace);
            p.put("label", label);
            p.put("image", image);
            p.put("sort", sort);
            p.put("order", order);
            p.put("limit", limit);
            p.put("cursor", cursor);
            return HealthConsole.query(p);
        }

        Filter at(String newCursor) {
            return new Filter(clusters, statuses, q, name, namespace, label, image, sort, order, limit, newCursor);
        }

        /** The first page with the status toggled: added when not chosen, taken out when it is. */
        Filter toggled(String status) {
            List<String> next = new ArrayList<>(statuses);
            if (!next.remove(status)) {
                next.add(status);
            }
            return new Filter(clusters, List.copyOf(next), q, name, namespace, label, image, sort, order, limit, "");
        }

        /** The first page in another order. */
        Filter sorted(String newSort, String newOrder) {
            return new Filter(clusters, statuses, q, name, namespace, label, image, newSort, newOrder, limit, "");
        }

        /** The statuses as one parameter, for the form. */
        public String statusParam() {
            return String.join(",", statuses);
        }

        /** Whether a field of the advanced part of the form is set (it opens then). */
        public boolean advanced() {
            return !name.isEmpty() || !namespace.isEmpty() || !label.isEmpty() || !image.isEmpty();
        }

        /** Whether anything narrows the table. */
        public boolean narrowed() {
            return !clusters.isEmpty() || !statuses.isEmpty() || !q.isEmpty() || advanced();
        }
    }

    /** A cluster of the selection: its services, and why its services show Unknown if they do. */
    public record ClusterChoice(String name, String team, int services, String staleReason, boolean selected) {}

    /** A status chip: how many services match the other filters with it, and the link that toggles it. */
    public record StatusChip(String status, long services, String href, boolean selected) {}

    /**
     * A column header that sorts.
     *
     * @param ariaSort {@code ascending}, {@code descending} for the column the table is sorted by, else {@code none}
     * @param arrow the direction of the column the table is sorted by, else empty
     */
    public record SortLink(String href, String ariaSort, String arrow) {}

    /** The columns that sort. */
    public record Sorts(SortLink status, SortLink cluster, SortLink name, SortLink updatedAt) {}

    /** An image as the table shows it ({@link ServiceBoardText#image}) and in full, for the tooltip. */
    public record Image(String text, String full) {}

    /** One service's row. */
    public record Row(
            BoardViews.Service service,
            String href,
            List<String> ports,
            List<Image> images,
            String pods,
            Ago updated) {}

    /** A refusal of the filter: the problem the API would answer. */
    public record Refusal(int status, String title, String detail) {}

    /**
     * The part of the page that refreshes itself.
     *
     * @param refusal why the filter was refused (then nothing else is filled in), or null
     * @param next the next page's link, or null on the last one
     * @param first the first page's link, or null on it
     * @param refresh where the refresh reads this part again, or null when it does not (a refusal)
     */
    public record BoardList(
            String base,
            Refusal refusal,
            List<StatusChip> chips,
            Sorts sorts,
            List<Row> rows,
            String summary,
            boolean narrowed,
            String next,
            String first,
            String refresh,
            String asOf,
            String asOfText) {}

    /**
     * The detail page's part that refreshes itself.
     *
     * @param mirror the service in cross-cluster service discovery: its exports and whether it is a follower
     * @param staleSince since when the board's view of the cluster is not current, or null when it is
     * @param overview the overview filtered on the service's cluster
     */
    public record DetailView(
            String base,
            BoardViews.Service service,
            List<String> labels,
            String pods,
            String phases,
            Ago updated,
            BoardViews.ClusterFreshness cluster,
            BoardViews.MirrorDetail mirror,
            Ago synced,
            Ago staleSince,
            String overview,
            String refresh,
            String asOf,
            String asOfText) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance services(
                ConsoleHeader page, Filter filter, List<ClusterChoice> clusters, BoardList list);

        static native TemplateInstance services$list(BoardList list);

        static native TemplateInstance service(ConsoleHeader page, DetailView detail);

        static native TemplateInstance service$state(DetailView detail);

        static native TemplateInstance missing(ConsoleHeader page, String cluster, String namespace, String name);
    }

    @Inject
    BoardQueries queries;

    @Inject
    RequestContext request;

    @Inject
    ConsoleCaller caller;

    @Inject
    Clock clock;

    @GET
    @Operation(hidden = true)
    public Response page(@BeanParam Chosen chosen) {
        Filter filter = Filter.of(chosen);
        Principal principal = principal();
        BoardList list = list(principal, filter);
        List<ClusterChoice> clusters = queries.clusters(principal).stream()
                .map(c -> new ClusterChoice(
                        c.name(),
                        c.team(),
                        c.services(),
                        c.staleReason(),
                        filter.clusters().contains(c.name())))
                .toList();
        int status = list.refusal() == null ? 200 : list.refusal().status();
        return Response.status(status)
                .entity(Templates.services(caller.header(), filter, clusters, list))
                .build();
    }

    @GET
    @Path("/list")
    @Operation(hidden = true)
    public TemplateInstance listFragment(@BeanParam Chosen chosen) {
        BoardList list = list(principal(), Filter.of(chosen));
        if (list.refusal() != null) {
            // The refresh keeps what it showed and says it could not refresh: answer the API's problem.
            throw new ProblemException(
                    list.refusal().status(),
                    list.refusal().title(),
                    list.refusal().detail(),
                    List.of());
        }
        return Templates.services$list(list);
    }

    @GET
    @Path("/{cluster}/{namespace}/{name}")
    @Operation(hidden = true)
    public Response detail(
            @PathParam("cluster") String cluster,
            @PathParam("namespace") String namespace,
            @PathParam("name") String name) {
        return view(cluster, namespace, name)
                .map(d -> Response.ok(Templates.service(caller.header(), d)))
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                        .entity(Templates.missing(caller.header(), cluster, namespace, name)))
                .build();
    }

    @GET
    @Path("/{cluster}/{namespace}/{name}/state")
    @Operation(hidden = true)
    public TemplateInstance detailFragment(
            @PathParam("cluster") String cluster,
            @PathParam("namespace") String namespace,
            @PathParam("name") String name) {
        return Templates.service$state(view(cluster, namespace, name)
                .orElseThrow(() -> ProblemException.notFound(
                        "service " + namespace + "/" + name + " of cluster " + cluster + " is not on the board")));
    }

    private Principal principal() {
        return Caller.of(request).principal();
    }

    private BoardList list(Principal principal, Filter filter) {
        Instant now = clock.instant();
        String base = caller.base();
        String page = base + "console/services";
        BoardViews.Page result;
        try {
            result = queries.search(principal, filter.params());
        } catch (ProblemException e) {
            return new BoardList(
                    base,
                    new Refusal(e.status(), e.title(), e.getMessage()),
                    List.of(),
                    null,
                    List.of(),
                    "",
                    filter.narrowed(),
                    null,
                    null,
                    null,
                    ConsolePages.iso(now),
                    ConsolePages.clock(now));
        }
        List<StatusChip> chips = STATUSES.stream()
                .map(s -> new StatusChip(
                        s,
                        result.counts().getOrDefault(s, 0L),
                        page + filter.toggled(s).query(),
                        filter.statuses().contains(s)))
                .toList();
        Sorts sorts = new Sorts(
                sortLink(page, filter, result, "status"),
                sortLink(page, filter, result, "cluster"),
                sortLink(page, filter, result, "name"),
                sortLink(page, filter, result, "updatedAt"));
        List<Row> rows = result.items().stream().map(s -> row(base, s, now)).toList();
        return new BoardList(
                base,
                null,
                chips,
                sorts,
                rows,
                summary(result),
                filter.narrowed(),
                result.nextCursor() == null
                        ? null
                        : page + filter.at(result.nextCursor()).query(),
                filter.cursor().isEmpty() ? null : page + filter.at("").query(),
                base + "console/services/list" + filter.query(),
                ConsolePages.iso(now),
                ConsolePages.clock(now));
    }

    /** The link of a column header: the first click sorts its first way, the next reverses the column's order. */
    static SortLink sortLink(String page, Filter filter, BoardViews.Page result, String sort) {
        if (!sort.equals(result.sort())) {
            return new SortLink(
                    page + filter.sorted(sort, FIRST_ORDER.get(sort)).query(), "none", "");
        }
        boolean ascending = "asc".equals(result.order());
        return new SortLink(
                page + filter.sorted(sort, ascending ? "desc" : "asc").query(),
                ascending ? "ascending" : "descending",
                ascending ? "▲" : "▼");
    }

    /** "3 services, worst first", "1 service by name, descending". */
    static String summary(BoardViews.Page result) {
        String count = result.total() == 1 ? "1 service" : result.total() + " services";
        boolean ascending = "asc".equals(result.order());
        String order =
                switch (result.sort()) {
                    case "status" -> ascending ? "worst first" : "best first";
                    case "updatedAt" -> ascending ? "by update, oldest first" : "by update, newest first";
                    default -> "by " + result.sort() + (ascending ? "" : ", descending");
                };
        return count + ", " + order;
    }

    static Row row(String base, BoardViews.Service s, Instant now) {
        return new Row(
                s,
                base + path(s),
                s.ports().stream().map(ServiceBoardText::port).toList(),
                s.images().stream()
                        .map(i -> new Image(ServiceBoardText.image(i), i))
                        .toList(),
                ServiceBoardText.pods(s.pods()),
                Ago.of(s.updatedAt(), now));
    }

    /** {@code console/services/{cluster}/{namespace}/{name}}. */
    static String path(BoardViews.Service s) {
        return "console/services/" + s.cluster() + "/" + s.namespace() + "/" + s.name();
    }

    private Optional<DetailView> view(String cluster, String namespace, String name) {
        Instant now = clock.instant();
        String base = caller.base();
        return queries.detail(principal(), cluster, namespace, name).map(d -> {
            BoardViews.Service s = d.service();
            BoardViews.ClusterFreshness c = d.cluster();
            return new DetailView(
                    base,
                    s,
                    ServiceBoardText.labels(s.labels()),
                    ServiceBoardText.pods(s.pods()),
                    ServiceBoardText.phases(s.pods()),
                    Ago.of(s.updatedAt(), now),
                    c,
                    d.mirror(),
                    c == null ? null : Ago.of(c.syncedAt(), now),
                    c == null || c.staleReason() == null ? null : Ago.of(c.staleSince(), now),
                    base + "console/services" + HealthConsole.query(Map.of("cluster", s.cluster())),
                    base + path(s) + "/state",
                    ConsolePages.iso(now),
                    ConsolePages.clock(now));
        });
    }
}
