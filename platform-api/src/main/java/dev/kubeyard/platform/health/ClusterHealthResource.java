package dev.kubeyard.platform.health;

import dev.kubeyard.health.check.CheckId;
import dev.kubeyard.health.control.HealthService;
import dev.kubeyard.health.record.HealthStore;
import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.cluster.ClusterService;
import dev.kubeyard.platform.cluster.ClusterService.Caller;
import dev.kubeyard.platform.health.HealthViews.Alert;
import dev.kubeyard.platform.health.HealthViews.Check;
import dev.kubeyard.platform.health.HealthViews.ClusterHealth;
import dev.kubeyard.platform.health.HealthViews.HistoryPage;
import dev.kubeyard.platform.health.HealthViews.Transition;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.PageLimit;
import dev.kubeyard.platform.request.RequestContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** One cluster's health: its checks, their history, a check on demand. Needs the team's read right. */
@Path("/api/v1/clusters/{name}/health")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Cluster health")
public class ClusterHealthResource {

    @Inject
    ClusterService clusters;

    @Inject
    HealthStore store;

    @Inject
    HealthService health;

    @Inject
    RequestContext request;

    @GET
    @Transactional
    @Operation(
            summary = "The cluster's checks: status, reason, message with numbers, since when, figures, findings",
            description = "A check that could not run is Unknown and says why; it never passes silently.")
    public ClusterHealth health(@PathParam("name") String name) {
        ManagedCluster cluster = clusters.find(name, Caller.of(request), Permission.READ_TEAM);
        return view(cluster, store.state(name));
    }

    @POST
    @Path("/checks")
    @Operation(
            summary = "Check the cluster now, the advanced checks included, and answer with the result",
            description = "The same checks, history and alert rules as the sweep.")
    public ClusterHealth checkNow(@PathParam("name") String name) {
        Caller caller = Caller.of(request);
        QuarkusTransaction.requiringNew().run(() -> clusters.find(name, caller, Permission.READ_TEAM));
        Optional<HealthStore.ClusterState> state = health.checkNow(name);
        return QuarkusTransaction.requiringNew().call(() -> view(clusters.find(name), state));
    }

    @GET
    @Path("/history")
    @Transactional
    @Operation(
            summary = "The cluster's health history, newest first: each change of a check's or a finding's status",
            description = "Filter by check; page with before (the next of the previous page).")
    public HistoryPage history(
            @PathParam("name") String name,
            @QueryParam("check") String check,
            @QueryParam("before") String before,
            @QueryParam("limit") @DefaultValue("50") String limit) {
        clusters.find(name, Caller.of(request), Permission.READ_TEAM);
        int max = PageLimit.parse(limit);
        Optional<CheckId> checkFilter =
                Optional.ofNullable(check).filter(c -> !c.isBlank()).map(ClusterHealthResource::checkId);
        Optional<Long> cursor = Optional.ofNullable(before)
                .filter(b -> !b.isBlank())
                .map(b -> {
                    try {
                        return Long.parseLong(b);
                    } catch (NumberFormatException e) {
                        throw ProblemException.invalidField("before", "must be the next of a previous page, was " + b);
                    }
                });
        List<HealthStore.TransitionRow> rows = store.transitions(name, checkFilter, cursor, max + 1);
        List<Transition> items = rows.stream().limit(max).map(Transition::of).toList();
        String next = rows.size() > max ? Long.toString(items.getLast().id()) : null;
        return new HistoryPage(items, next);
    }

    static CheckId checkId(String text) {
        try {
            return CheckId.fromWireName(text.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField(
                    "check",
                    "must be one of "
                            + Arrays.stream(CheckId.values())
                                    .map(CheckId::wireName)
                                    .toList() + ", was " + text);
        }
    }

    private ClusterHealth view(ManagedCluster cluster, Optional<HealthStore.ClusterState> state) {
        List<Alert> firing =
                store.firing(cluster.getName()).stream().map(Alert::of).toList();
        return new ClusterHealth(
                cluster.getName(),
                cluster.getTeam().getName(),
                cluster.getPhase().wireName(),
                state.map(s -> s.status().wireName()).orElse(HealthQueries.NOT_CHECKED),
                state.map(HealthStore.ClusterState::checkedAt).orElse(null),
                state.flatMap(HealthStore.ClusterState::advancedAt).orElse(null),
                state.map(HealthStore.ClusterState::probeMillis).orElse(0),
                state.map(s -> s.checks().stream().map(Check::of).toList()).orElse(List.of()),
                firing);
    }
}
