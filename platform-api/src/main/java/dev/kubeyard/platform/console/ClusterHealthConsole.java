package dev.kubeyard.platform.console;

import dev.kubeyard.health.record.HealthStore;
import dev.kubeyard.platform.console.AlertConsole.AlertRow;
import dev.kubeyard.platform.health.ClusterHealthResource;
import dev.kubeyard.platform.health.HealthViews;
import dev.kubeyard.platform.problem.ProblemException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's page of one cluster's health: its status, each check with its reason, message, figures and findings,
 * the cluster's firing alerts, and the history of status changes (newest first, paged like the API); refreshed every
 * 5 s from {@code .../health/state}. A "Check now" button posts to the API ({@code POST .../health/checks}, {@code
 * health.js}) and shows the new result at once. Reads through the same {@link ClusterHealthResource} as the API:
 * another team's cluster is a 404 here too.
 */
@Path("/console/clusters/{name}/health")
@Produces(MediaType.TEXT_HTML)
public class ClusterHealthConsole {

    /** History lines per page (the API's default page). */
    static final int HISTORY = 50;

    /** One figure of a check, as {@code name: value}. */
    public record Figure(String name, String value) {}

    /** One finding of a check. */
    public record FindingRow(String subject, String status, String reason, String message, Ago since) {}

    /**
     * One check's row.
     *
     * @param findingSummary "3 findings: 1 Fail, 2 Pass"; empty without findings
     */
    public record CheckRow(
            String check,
            String description,
            boolean advanced,
            String status,
            String reason,
            String message,
            Ago since,
            long millis,
            List<Figure> figures,
            List<FindingRow> findings,
            String findingSummary) {}

    /** One change of a check's or a finding's status. */
    public record HistoryRow(
            long id, Ago at, String check, String subject, String from, String to, String reason, String message) {}

    /**
     * The part of the page that refreshes itself.
     *
     * @param older the link to the next page of history (older lines), or null on the last one
     * @param newest the link back to the first page of history, or null on it
     */
    public record HealthView(
            String base,
            String cluster,
            String team,
            String phase,
            String phaseStyle,
            String status,
            Ago checked,
            Ago advanced,
            int probeMillis,
            List<CheckRow> checks,
            List<AlertRow> firing,
            List<HistoryRow> history,
            String older,
            String newest,
            String refresh,
            String asOf,
            String asOfText) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance cluster(ConsoleHeader page, HealthView health);

        static native TemplateInstance cluster$state(HealthView health);
    }

    @Inject
    ClusterHealthResource resource;

    @Inject
    HealthStore store;

    @Inject
    ConsoleCaller caller;

    @Inject
    Clock clock;

    @GET
    @Transactional
    @Operation(hidden = true)
    public TemplateInstance page(@PathParam("name") String name, @QueryParam("before") String before) {
        return Templates.cluster(caller.header(), view(name, before));
    }

    @GET
    @Path("/state")
    @Transactional
    @Operation(hidden = true)
    public TemplateInstance stateFragment(@PathParam("name") String name, @QueryParam("before") String before) {
        return Templates.cluster$state(view(name, before));
    }

    private HealthView view(String name, String before) {
        // The API's own methods: the team's read right, a 404 for a cluster the caller may not see.
        HealthViews.ClusterHealth health = resource.health(name);
        String cursor = HealthConsole.blank(before);
        History history = history(name, cursor);
        Instant now = clock.instant();
        String base = caller.base();
        String page = base + "console/clusters/" + name + "/health";
        return new HealthView(
                base,
                health.cluster(),
                health.team(),
                health.phase(),
                HealthConsole.phaseStyle(health.phase()),
                health.status(),
                Ago.of(health.checkedAt(), now),
                Ago.of(health.advancedAt(), now),
                health.probeMillis(),
                health.checks().stream().map(c -> check(c, now)).toList(),
                health.firingAlerts().stream().map(a -> AlertRow.of(a, now)).toList(),
                history.items().stream().map(t -> history(t, now)).toList(),
                history.next() == null ? null : page + HealthConsole.query(Map.of("before", history.next())),
                cursor.isEmpty() ? null : page,
                page + "/state" + HealthConsole.query(Map.of("before", cursor)),
                ConsolePages.iso(now),
                ConsolePages.clock(now));
    }

    static CheckRow check(HealthViews.Check c, Instant now) {
        List<FindingRow> findings = c.findings().stream()
                .map(f -> new FindingRow(
                        f.subject(),
                        f.status(),
                        f.reason() == null ? "" : f.reason(),
                        f.message() == null ? "" : f.message(),
                        Ago.of(f.since(), now)))
                .toList();
        return new CheckRow(
                c.check(),
                c.description(),
                c.advanced(),
                c.status(),
                c.reason() == null ? "" : c.reason(),
                c.message() == null ? "" : c.message(),
                Ago.of(c.since(), now),
                c.millis(),
                c.figures().entrySet().stream()
                        .map(e -> new Figure(e.getKey(), figure(e.getValue())))
                        .toList(),
                findings,
                findingSummary(findings));
    }

    /** "3 findings: 1 Fail, 2 Pass", worst first. */
    static String findingSummary(List<FindingRow> findings) {
        if (findings.isEmpty()) {
            return "";
        }
        Map<String, Long> byStatus =
                findings.stream().collect(Collectors.groupingBy(FindingRow::status, Collectors.counting()));
        String counts = HealthConsole.STATUSES.stream()
                .filter(byStatus::containsKey)
                .map(s -> byStatus.get(s) + " " + s)
                .collect(Collectors.joining(", "));
        return findings.size() + (findings.size() == 1 ? " finding: " : " findings: ") + counts;
    }

    /** A figure's value, compact: numbers without noise digits, lists and maps on one line. */
    static String figure(Object value) {
        return switch (value) {
            case null -> "";
            case Double d when !d.isNaN() && !d.isInfinite() -> decimal(BigDecimal.valueOf(d));
            case Float f when !f.isNaN() && !f.isInfinite() -> decimal(new BigDecimal(f.toString()));
            case BigDecimal b -> decimal(b);
            case Collection<?> list ->
                list.stream().map(ClusterHealthConsole::figure).collect(Collectors.joining(", "));
            case Map<?, ?> map ->
                map.entrySet().stream()
                        .map(e -> e.getKey() + "=" + figure(e.getValue()))
                        .collect(Collectors.joining(", "));
            default -> String.valueOf(value);
        };
    }

    private static String decimal(BigDecimal value) {
        BigDecimal rounded = value.setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
        return rounded.scale() < 0 ? rounded.setScale(0).toPlainString() : rounded.toPlainString();
    }

    /** One page of history: its lines, newest first, and the cursor of the next page (null on the last). */
    record History(List<HealthStore.TransitionRow> items, String next) {}

    /** One page of the cluster's history, as {@code GET .../health/history?before=} answers it. */
    private History history(String name, String before) {
        Optional<Long> cursor;
        try {
            cursor = before.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(before));
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("before", "must be the next of a previous page, was " + before);
        }
        List<HealthStore.TransitionRow> rows = store.transitions(name, Optional.empty(), cursor, HISTORY + 1);
        List<HealthStore.TransitionRow> page = rows.subList(0, Math.min(rows.size(), HISTORY));
        return new History(
                List.copyOf(page),
                rows.size() > HISTORY ? Long.toString(page.getLast().id()) : null);
    }

    static HistoryRow history(HealthStore.TransitionRow t, Instant now) {
        return new HistoryRow(
                t.id(),
                Ago.of(t.at(), now),
                t.check(),
                t.subject() == null ? "" : t.subject(),
                t.from() == null ? "" : t.from(),
                t.to(),
                t.reason() == null ? "" : t.reason(),
                t.message() == null ? "" : t.message());
    }
}
