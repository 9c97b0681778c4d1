package dev.kubeyard.platform.health;

import dev.kubeyard.health.alert.AlertState;
import dev.kubeyard.health.alert.Severity;
import dev.kubeyard.health.control.HealthService;
import dev.kubeyard.health.notify.DeliveryStore;
import dev.kubeyard.health.record.AlertRecord;
import dev.kubeyard.health.record.HealthStore;
import dev.kubeyard.platform.access.Authorizer;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.access.Principal;
import dev.kubeyard.platform.cluster.ClusterService.Caller;
import dev.kubeyard.platform.health.HealthViews.Alert;
import dev.kubeyard.platform.health.HealthViews.AlertPage;
import dev.kubeyard.platform.health.HealthViews.Rule;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.PageLimit;
import dev.kubeyard.platform.request.RequestContext;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Alerts of the clusters the caller may see, and the rules that open them. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Alerts")
public class AlertResource {

    @Inject
    HealthStore store;

    @Inject
    HealthQueries queries;

    @Inject
    HealthService health;

    @Inject
    RequestContext request;

    @Inject
    DeliveryStore deliveries;

    @Inject
    Authorizer authorizer;

    @GET
    @Path("/alerts")
    @Transactional
    @Operation(
            summary = "Alerts, newest first: firing ones by default",
            description = "Filter by state (Firing, Resolved, all), cluster, severity and rule; page with before.")
    public AlertPage alerts(
            @QueryParam("state") @DefaultValue("Firing") String state,
            @QueryParam("cluster") String cluster,
            @QueryParam("severity") String severity,
            @QueryParam("rule") String rule,
            @QueryParam("before") String before,
            @QueryParam("limit") @DefaultValue("50") String limit) {
        int max = PageLimit.parse(limit);
        Optional<String> stateFilter = state.equalsIgnoreCase("all")
                ? Optional.empty()
                : Optional.of(parse(
                        "state", state, () -> AlertState.fromWireName(state).wireName()));
        Optional<String> severityFilter = Optional.ofNullable(severity)
                .filter(s -> !s.isBlank())
                .map(s -> parse("severity", s, () -> Severity.fromWireName(s).wireName()));
        Optional<String> ruleFilter = Optional.ofNullable(rule)
                .filter(r -> !r.isBlank())
                .map(r -> {
                    if (health.rules().stream().noneMatch(x -> x.name().equals(r))) {
                        throw ProblemException.invalidField("rule", "no rule is named " + r);
                    }
                    return r;
                });
        Optional<Long> cursor = Optional.ofNullable(before)
                .filter(b -> !b.isBlank())
                .map(b -> {
                    try {
                        return Long.parseLong(b);
                    } catch (NumberFormatException e) {
                        throw ProblemException.invalidField("before", "must be the next of a previous page, was " + b);
                    }
                });
        Principal principal = Caller.of(request).principal();
        Optional<List<String>> clusters = Optional.empty();
        Set<String> visible = principal.visibleTeams().isEmpty()
                ? Set.of()
                : queries.visibleClusters(principal).stream()
                        .map(HealthQueries.Visible::name)
                        .collect(Collectors.toSet());
        if (cluster != null && !cluster.isBlank()) {
            if (principal.visibleTeams().isPresent() && !visible.contains(cluster)) {
                throw ProblemException.notFound("No cluster named " + cluster);
            }
            clusters = Optional.of(List.of(cluster));
        } else if (principal.visibleTeams().isPresent()) {
            clusters = Optional.of(List.copyOf(visible));
        }
        if (clusters.isPresent() && clusters.get().isEmpty()) {
            return new AlertPage(List.of(), null);
        }
        List<AlertRecord> rows = store.alerts(
                new HealthStore.AlertQuery(stateFilter, clusters, severityFilter, ruleFilter, cursor, max + 1));
        List<Alert> items = rows.stream().limit(max).map(Alert::of).toList();
        String next = rows.size() > max ? Long.toString(items.getLast().id()) : null;
        return new AlertPage(items, next);
    }

    @GET
    @Path("/alerts/{id}")
    @Transactional
    @Operation(summary = "One alert")
    public Alert alert(@PathParam("id") String id) {
        AlertRecord alert = find(id);
        return Alert.of(alert);
    }

    @GET
    @Path("/alerts/{id}/deliveries")
    @Transactional
    @Operation(
            summary = "The alert's notifications, newest first: receiver, kind, state, attempts, the last error",
            description = "No receiver's URL or token is ever shown.")
    public List<DeliveryStore.DeliveryView> deliveries(@PathParam("id") String id) {
        return deliveries.deliveriesOf(find(id).getId());
    }

    @GET
    @Path("/alert-receivers")
    @Transactional
    @Operation(
            summary = "The configured receivers: type, what they take, deliveries pending, the last delivery and error",
            description = "Platform admins and auditors. No URL or token is ever shown.")
    public List<DeliveryStore.ReceiverStatus> receivers() {
        authorizer.require(request.subject(), Permission.READ_FLEET, null, "alert-receiver", "", "");
        return deliveries.receivers();
    }

    @GET
    @Path("/alert-rules")
    @Operation(summary = "The alert rules: what each watches, from which status, for how long, how severe")
    public List<Rule> rules() {
        return health.rules().stream().map(Rule::of).toList();
    }

    AlertRecord find(String id) {
        long alertId;
        try {
            alertId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("No alert " + id);
        }
        AlertRecord alert = store.alert(alertId).orElseThrow(() -> ProblemException.notFound("No alert " + id));
        Principal principal = Caller.of(request).principal();
        if (principal.visibleTeams().isPresent()
                && queries.visibleClusters(principal).stream()
                        .noneMatch(v -> v.name().equals(alert.getCluster()))) {
            throw ProblemException.notFound("No alert " + id);
        }
        return alert;
    }

    private static String parse(String field, String value, java.util.function.Supplier<String> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField(field, e.getMessage());
        }
    }
}
