package dev.kubeyard.platform.console;

import dev.kubeyard.health.alert.Severity;
import dev.kubeyard.platform.cluster.ClusterService.Caller;
import dev.kubeyard.platform.health.AlertResource;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's alerts: the firing ones by default, the resolved ones or all on request, filtered by severity and
 * cluster, newest first and paged like the API; refreshed every 5 s from {@code console/alerts/list}. Below them the
 * alert rules, with what each watches and how long it waits. Reads through the same {@link AlertResource} as the API
 * ({@code GET /api/v1/alerts}, {@code /api/v1/alert-rules}): the same visibility, the same refusal of an unknown
 * state, severity or cluster.
 */
@Path("/console/alerts")
@Produces(MediaType.TEXT_HTML)
public class AlertConsole {

    /** One page of the list, as the API's default page. */
    static final int LIMIT = 50;

    /** The state switch: the API's state values, firing first. */
    static final List<String> STATES = List.of("Firing", "Resolved", "all");

    /** One alert's row, here and on a cluster's health page. */
    public record AlertRow(
            long id,
            String rule,
            String severity,
            String state,
            String cluster,
            String check,
            String subject,
            String summary,
            String description,
            Ago activeSince,
            Ago started,
            Ago resolved) {

        static AlertRow of(HealthViews.Alert a, Instant now) {
            return new AlertRow(
                    a.id(),
                    a.rule(),
                    a.severity(),
                    a.state(),
                    a.cluster(),
                    a.check(),
                    a.subject() == null ? "" : a.subject(),
                    a.summary() == null ? "" : a.summary(),
                    a.description() == null ? "" : a.description(),
                    Ago.of(a.activeSince(), now),
                    Ago.of(a.startedAt(), now),
                    Ago.of(a.resolvedAt(), now));
        }
    }

    /** A link of the state switch. */
    public record StateLink(String state, String label, String href, boolean selected) {}

    /**
     * The part of the page that refreshes itself.
     *
     * @param older the link to the next page (older alerts), or null on the last one
     * @param newest the link back to the first page, or null on it
     */
    public record AlertList(
            String base,
            String state,
            List<StateLink> states,
            List<AlertRow> rows,
            boolean filtered,
            String older,
            String newest,
            String refresh,
            String asOf,
            String asOfText) {}

    /** One alert rule's row. */
    public record RuleRow(
            String name,
            String severity,
            List<String> checks,
            String level,
            String from,
            String forText,
            String keepFiringForText,
            boolean enabled,
            String summary) {}

    /** The filter form: what is chosen, and what may be chosen. */
    public record Filter(
            String state, String severity, String cluster, List<String> severities, List<String> clusters) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance alerts(ConsoleHeader page, Filter filter, AlertList list, List<RuleRow> rules);

        static native TemplateInstance alerts$list(AlertList list);
    }

    @Inject
    AlertResource alerts;

    @Inject
    HealthQueries queries;

    @Inject
    RequestContext request;

    @Inject
    ConsoleCaller caller;

    @Inject
    Clock clock;

    @GET
    @Transactional
    @Operation(hidden = true)
    public TemplateInstance page(
            @QueryParam("state") String state,
            @QueryParam("severity") String severity,
            @QueryParam("cluster") String cluster,
            @QueryParam("before") String before) {
        AlertList list = list(state, severity, cluster, before);
        List<String> clusters = queries.visibleClusters(Caller.of(request).principal()).stream()
                .map(HealthQueries.Visible::name)
                .toList();
        List<String> severities = Arrays.stream(Severity.values())
                .map(Severity::wireName)
                .toList()
                .reversed();
        List<RuleRow> rules = alerts.rules().stream().map(AlertConsole::rule).toList();
        return Templates.alerts(
                caller.header(),
                new Filter(
                        list.state(),
                        HealthConsole.blank(severity),
                        HealthConsole.blank(cluster),
                        severities,
                        clusters),
                list,
                rules);
    }

    @GET
    @Path("/list")
    @Transactional
    @Operation(hidden = true)
    public TemplateInstance listFragment(
            @QueryParam("state") String state,
            @QueryParam("severity") String severity,
            @QueryParam("cluster") String cluster,
            @QueryParam("before") String before) {
        return Templates.alerts$list(list(state, severity, cluster, before));
    }

    private AlertList list(String state, String severity, String cluster, String before) {
        String chosenState = HealthConsole.blank(state).isEmpty() ? "Firing" : HealthConsole.blank(state);
        String chosenSeverity = HealthConsole.blank(severity);
        String chosenCluster = HealthConsole.blank(cluster);
        String chosenBefore = HealthConsole.blank(before);
        // The API's own method: an unknown state or severity is a 400 problem, another team's cluster a 404.
        HealthViews.AlertPage page =
                alerts.alerts(chosenState, chosenCluster, chosenSeverity, null, chosenBefore, Integer.toString(LIMIT));
        Instant now = clock.instant();
        String base = caller.base();
        List<StateLink> states = STATES.stream()
                .map(s -> new StateLink(
                        s,
                        "all".equals(s) ? "All" : s,
                        base + "console/alerts" + query(s, chosenSeverity, chosenCluster, ""),
                        s.equalsIgnoreCase(chosenState)))
                .toList();
        return new AlertList(
                base,
                chosenState,
                states,
                page.items().stream().map(a -> AlertRow.of(a, now)).toList(),
                !chosenSeverity.isEmpty() || !chosenCluster.isEmpty(),
                page.next() == null
                        ? null
                        : base + "console/alerts" + query(chosenState, chosenSeverity, chosenCluster, page.next()),
                chosenBefore.isEmpty()
                        ? null
                        : base + "console/alerts" + query(chosenState, chosenSeverity, chosenCluster, ""),
                base + "console/alerts/list" + query(chosenState, chosenSeverity, chosenCluster, chosenBefore),
                ConsolePages.iso(now),
                ConsolePages.clock(now));
    }

    private static String query(String state, String severity, String cluster, String before) {
        return HealthConsole.query(Map.of("state", state, "severity", severity, "cluster", cluster, "before", before));
    }

    static RuleRow rule(HealthViews.Rule r) {
        return new RuleRow(
                r.name(),
                r.severity(),
                r.checks(),
                r.level(),
                r.from(),
                duration(r.forSeconds()),
                duration(r.keepFiringForSeconds()),
                r.enabled(),
                r.summary() == null ? "" : r.summary());
    }

    /** "0 s", "45 s", "5 min", "1 h 30 min": whole units, as a rule's durations are set. */
    static String duration(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        if (seconds < 60) {
            return seconds + " s";
        }
        StringBuilder out = new StringBuilder();
        if (d.toHours() > 0) {
            out.append(d.toHours()).append(" h");
        }
        if (d.toMinutesPart() > 0) {
            out.append(out.isEmpty() ? "" : " ").append(d.toMinutesPart()).append(" min");
        }
        if (d.toSecondsPart() > 0) {
            out.append(out.isEmpty() ? "" : " ").append(d.toSecondsPart()).append(" s");
        }
        return out.toString();
    }
}
