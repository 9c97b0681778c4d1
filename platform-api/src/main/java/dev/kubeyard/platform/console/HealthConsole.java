package dev.kubeyard.platform.console;

import dev.kubeyard.platform.cluster.ClusterService.Caller;
import dev.kubeyard.platform.health.FleetHealthResource;
import dev.kubeyard.platform.health.HealthQueries;
import dev.kubeyard.platform.health.HealthViews;
import dev.kubeyard.platform.request.RequestContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's fleet health: every cluster the caller may see, worst first, with the counts per status as a bar
 * whose segments filter the table, and a filter by status and team; refreshed every 5 s from {@code
 * console/health/fleet}. Reads through the same {@link FleetHealthResource} as the API ({@code GET /api/v1/health}):
 * the same visibility (the caller's teams), the same status names, the same refusal of an unknown status.
 */
@Path("/console/health")
@Produces(MediaType.TEXT_HTML)
public class HealthConsole {

    /** The statuses in the order of the summary bar and the filter (the fleet view's order, worst first). */
    static final List<String> STATUSES = List.of("Fail", "Unknown", "Warn", "Pass", HealthQueries.NOT_CHECKED);

    /** One status of the summary bar: how many clusters, and the link that shows only them. */
    public record StatusCount(String status, String label, int clusters, String href, boolean selected) {}

    /** One cluster's row. */
    public record FleetRow(
            String cluster,
            String team,
            String phase,
            String phaseStyle,
            String status,
            Ago checked,
            List<String> failing,
            List<String> warning,
            List<String> unknown,
            long firingAlerts) {}

    /**
     * The part of the page that refreshes itself.
     *
     * @param total the clusters the bar counts (the team filter applies to the counts, the status filter does not)
     * @param filtered whether a filter narrows the table
     */
    public record FleetView(
            String base,
            List<StatusCount> summary,
            int total,
            List<FleetRow> rows,
            boolean filtered,
            String refresh,
            String asOf,
            String asOfText) {}

    /** The filter form: what is chosen, and the teams the caller may see. */
    public record Filter(String status, String team, List<String> statuses, List<String> teams) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance health(ConsoleHeader page, Filter filter, FleetView fleet);

        static native TemplateInstance health$fleet(FleetView fleet);
    }

    @Inject
    FleetHealthResource fleetResource;

    @Inject
    HealthQueries queries;

    @Inject
    RequestContext request;

    @Inject
    ConsoleCaller caller;

    @Inject
    Clock clock;

    @GET
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(hidden = true)
    public TemplateInstance page(@QueryParam("status") String status, @QueryParam("team") String team) {
        FleetView fleet = fleet(status, team);
        List<String> teams = queries.visibleClusters(Caller.of(request).principal()).stream()
                .map(HealthQueries.Visible::team)
                .distinct()
                .sorted()
                .toList();
        return Templates.health(caller.header(), new Filter(blank(status), blank(team), STATUSES, teams), fleet);
    }

    @GET
    @Path("/fleet")
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(hidden = true)
    public TemplateInstance fleetFragment(@QueryParam("status") String status, @QueryParam("team") String team) {
        return Templates.health$fleet(fleet(status, team));
    }

    private FleetView fleet(String status, String team) {
        // The API's own method: an unknown status is the same 400 problem here as there.
        HealthViews.Fleet view = fleetResource.fleet(status, team);
        Instant now = clock.instant();
        String base = caller.base();
        String chosenStatus = blank(status);
        String chosenTeam = blank(team);
        HealthViews.Counts c = view.summary();
        int[] counts = {c.fail(), c.unknown(), c.warn(), c.pass(), c.notChecked()};
        List<StatusCount> summary = new ArrayList<>();
        int total = 0;
        for (int i = 0; i < STATUSES.size(); i++) {
            String s = STATUSES.get(i);
            summary.add(new StatusCount(
                    s,
                    label(s),
                    counts[i],
                    base + "console/health" + query(Map.of("status", s, "team", chosenTeam)),
                    s.equalsIgnoreCase(chosenStatus)));
            total += counts[i];
        }
        List<FleetRow> rows = view.items().stream().map(r -> row(r, now)).toList();
        return new FleetView(
                base,
                summary,
                total,
                rows,
                !chosenStatus.isEmpty() || !chosenTeam.isEmpty(),
                base + "console/health/fleet" + query(Map.of("status", chosenStatus, "team", chosenTeam)),
                ConsolePages.iso(now),
                ConsolePages.clock(now));
    }

    static FleetRow row(HealthViews.ClusterRow r, Instant now) {
        return new FleetRow(
                r.cluster(),
                r.team(),
                r.phase(),
                phaseStyle(r.phase()),
                r.status(),
                Ago.of(r.checkedAt(), now),
                r.failing(),
                r.warning(),
                r.unknown(),
                r.firingAlerts());
    }

    /** The CSS modifier of a phase badge, as on the cluster list ({@code phase-ready}, ...). */
    static String phaseStyle(String phase) {
        return "phase-" + phase.toLowerCase(Locale.ROOT);
    }

    /** "Not checked" for NotChecked; the status itself otherwise. */
    static String label(String status) {
        return HealthQueries.NOT_CHECKED.equals(status) ? "Not checked" : status;
    }

    /** {@code ?a=1&b=2} of the parameters that are not empty, in a fixed order; empty when all are. */
    static String query(Map<String, String> parameters) {
        StringBuilder out = new StringBuilder();
        new java.util.TreeMap<>(parameters).forEach((name, value) -> {
            if (value != null && !value.isEmpty()) {
                out.append(out.isEmpty() ? '?' : '&')
                        .append(name)
                        .append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return out.toString();
    }

    static String blank(String text) {
        return text == null ? "" : text.trim();
    }
}
