package dev.kubeyard.platform.healing;

import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.nodepool.control.HealingConfig;
import dev.kubeyard.nodepool.control.HealingCycle;
import dev.kubeyard.nodepool.control.HealingService;
import dev.kubeyard.nodepool.healing.HealingPlan;
import dev.kubeyard.nodepool.healing.Verdict;
import dev.kubeyard.nodepool.record.HealingDecisionRecord;
import dev.kubeyard.nodepool.record.HealingReplacement;
import dev.kubeyard.nodepool.record.HealingStore;
import dev.kubeyard.nodepool.record.Pause;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.audit.AuditLog;
import dev.kubeyard.platform.cluster.ClusterService;
import dev.kubeyard.platform.cluster.ClusterService.Caller;
import dev.kubeyard.platform.healing.HealingViews.Decision;
import dev.kubeyard.platform.healing.HealingViews.DecisionPage;
import dev.kubeyard.platform.healing.HealingViews.Evaluation;
import dev.kubeyard.platform.healing.HealingViews.EvaluationResult;
import dev.kubeyard.platform.healing.HealingViews.PauseRequest;
import dev.kubeyard.platform.healing.HealingViews.PauseView;
import dev.kubeyard.platform.healing.HealingViews.Policy;
import dev.kubeyard.platform.healing.HealingViews.Replacement;
import dev.kubeyard.platform.healing.HealingViews.Status;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.PageLimit;
import dev.kubeyard.platform.request.RequestContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A cluster's node pool healing: its status and decision history ("why was this node replaced, why not that one"),
 * an evaluation on demand, and the pause switches of the cluster and of each pool. Reading needs the team's read
 * right; evaluating and pausing its right to change clusters.
 */
@Path("/api/v1/clusters/{name}/healing")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Node healing")
public class HealingResource {

    static final int MAX_REASON = 500;
    static final int RECENT = 20;

    @Inject
    ClusterService clusters;

    @Inject
    HealingService healing;

    @Inject
    HealingStore store;

    @Inject
    HealingConfig config;

    @Inject
    AuditLog audit;

    @Inject
    RequestContext request;

    @Inject
    Clock clock;

    @GET
    @Transactional
    @Operation(summary = "The cluster's healing status: pause switches, the last evaluation, replacements, the policy")
    public Status status(@PathParam("name") String name) {
        return statusOf(clusters.find(name, caller(), Permission.READ_TEAM));
    }

    @GET
    @Path("/decisions")
    @Transactional
    @Operation(
            summary = "The cluster's decision records, newest first",
            description =
                    "Every evaluation leaves a record for the cluster and one for each node that was not"
                            + " healthy, replaced, held back or waiting, with its rule, reason, numbers, budget state and"
                            + " evidence. Filter by pool, machine or verdict; page with cursor (the next of the previous page).")
    public DecisionPage decisions(
            @PathParam("name") String name,
            @QueryParam("pool") String pool,
            @QueryParam("machine") String machine,
            @QueryParam("verdict") String verdict,
            @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") String limit) {
        clusters.find(name, caller(), Permission.READ_TEAM);
        int max = PageLimit.parse(limit);
        Optional<String> verdictFilter = Optional.ofNullable(verdict)
                .filter(v -> !v.isBlank())
                .map(v -> {
                    try {
                        return Verdict.valueOf(v.trim().toUpperCase(Locale.ROOT))
                                .name();
                    } catch (IllegalArgumentException e) {
                        throw ProblemException.invalidField(
                                "verdict", "must be one of " + List.of(Verdict.values()) + ", was " + v);
                    }
                });
        Optional<Map.Entry<Instant, UUID>> after =
                Optional.ofNullable(cursor).filter(c -> !c.isBlank()).map(HealingResource::parseCursor);
        List<HealingDecisionRecord> page =
                store.decisions(name, blankToEmpty(pool), blankToEmpty(machine), verdictFilter, after, max + 1);
        List<Decision> items = page.stream().limit(max).map(Decision::of).toList();
        String next =
                page.size() > max ? items.getLast().at() + "~" + items.getLast().id() : null;
        return new DecisionPage(items, next);
    }

    @POST
    @Path("/evaluations")
    @Operation(
            summary = "Evaluate the cluster's healing now, with the same rules and budgets as the sweep",
            description = "Replaces what is due unless a guard holds it back, and answers with every decision. 409"
                    + " while another evaluation of the cluster runs, or before the cluster is provisioned.")
    public EvaluationResult evaluate(@PathParam("name") String name) {
        Caller caller = caller();
        QuarkusTransaction.requiringNew().run(() -> clusters.find(name, caller, Permission.CHANGE_CLUSTERS));
        HealingCycle.Outcome outcome = healing.heal(name)
                .orElseThrow(() -> ProblemException.conflict(
                        "Cluster " + name + " is not provisioned yet, or is being deleted: there is nothing to heal"));
        if (outcome.plan().isEmpty()) {
            throw ProblemException.conflict(
                    outcome.skipped().orElse("The evaluation did not run") + "; try again in a moment");
        }
        HealingPlan plan = outcome.plan().get();
        var decision = plan.clusterDecision();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("verdict", decision.verdict().name());
        details.put("reason", decision.reason());
        details.put("replacements", plan.replacements().size());
        QuarkusTransaction.requiringNew()
                .run(() -> audit.record(
                        caller.actor(),
                        "healing.evaluate",
                        "cluster",
                        name,
                        AuditLog.REASON_USER_REQUEST,
                        caller.correlationId(),
                        details));
        return new EvaluationResult(
                name,
                plan.evaluatedAt(),
                decision.verdict().name(),
                decision.reason(),
                decision.message(),
                plan.replacements().stream().map(r -> r.machine()).toList(),
                plan.dryRunReplacements().stream().map(r -> r.machine()).toList(),
                plan.holdBacks().size(),
                plan.alerts().stream().map(a -> a.reason() + ": " + a.message()).toList(),
                plan.decisions().stream().map(Decision::of).toList());
    }

    @PUT
    @Path("/pause")
    @Transactional
    @Operation(summary = "Pause all healing of the cluster (it is still evaluated and recorded, nothing is replaced)")
    public Status pause(@PathParam("name") String name, PauseRequest body) {
        return setPause(clusters.find(name, caller(), Permission.CHANGE_CLUSTERS), Optional.empty(), body);
    }

    @DELETE
    @Path("/pause")
    @Transactional
    @Operation(summary = "Resume healing of the cluster")
    public Status resume(@PathParam("name") String name) {
        return clearPause(clusters.find(name, caller(), Permission.CHANGE_CLUSTERS), Optional.empty());
    }

    @PUT
    @Path("/pools/{pool}/pause")
    @Transactional
    @Operation(summary = "Pause healing of one node pool")
    public Status pausePool(@PathParam("name") String name, @PathParam("pool") String pool, PauseRequest body) {
        ManagedCluster cluster = clusters.find(name, caller(), Permission.CHANGE_CLUSTERS);
        requirePool(cluster, pool);
        return setPause(cluster, Optional.of(pool), body);
    }

    @DELETE
    @Path("/pools/{pool}/pause")
    @Transactional
    @Operation(summary = "Resume healing of one node pool")
    public Status resumePool(@PathParam("name") String name, @PathParam("pool") String pool) {
        ManagedCluster cluster = clusters.find(name, caller(), Permission.CHANGE_CLUSTERS);
        requirePool(cluster, pool);
        return clearPause(cluster, Optional.of(pool));
    }

    private Status setPause(ManagedCluster cluster, Optional<String> pool, PauseRequest body) {
        String name = cluster.getName();
        String reason =
                body == null || body.reason() == null ? "" : body.reason().trim();
        if (reason.isEmpty()) {
            throw ProblemException.invalidField("reason", "is required: say why healing is paused, for the others");
        }
        if (reason.length() > MAX_REASON) {
            throw ProblemException.invalidField(
                    "reason", "must be at most " + MAX_REASON + " characters, was " + reason.length());
        }
        Caller caller = caller();
        if (store.pause(name, pool, reason, caller.actor(), clock.instant())) {
            auditSwitch(caller, "healing.pause", name, pool, Optional.of(reason));
        }
        return statusOf(cluster);
    }

    private Status clearPause(ManagedCluster cluster, Optional<String> pool) {
        String name = cluster.getName();
        Caller caller = caller();
        if (store.resume(name, pool)) {
            auditSwitch(caller, "healing.resume", name, pool, Optional.empty());
        }
        return statusOf(cluster);
    }

    /** A pause switch turned, in the request's transaction. */
    private void auditSwitch(
            Caller caller, String action, String name, Optional<String> pool, Optional<String> reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        pool.ifPresent(p -> details.put("pool", p));
        reason.ifPresent(r -> details.put("reason", r));
        audit.record(
                caller.actor(), action, "cluster", name, AuditLog.REASON_USER_REQUEST, caller.correlationId(), details);
    }

    private static void requirePool(ManagedCluster cluster, String pool) {
        if (cluster.nodePool(pool).isEmpty()) {
            throw ProblemException.notFound("Cluster " + cluster.getName() + " has no node pool " + pool);
        }
    }

    public Status statusOf(ManagedCluster cluster) {
        String name = cluster.getName();
        List<Pause> pauses = store.pauses(name);
        PauseView clusterPause = pauses.stream()
                .filter(p -> p.pool().isEmpty())
                .findFirst()
                .map(PauseView::of)
                .orElse(null);
        List<PauseView> pools = pauses.stream()
                .filter(p -> p.pool().isPresent())
                .map(PauseView::of)
                .toList();
        List<HealingReplacement> recent = store.replacements(name, RECENT);
        return new Status(
                name,
                config.enabled(),
                healing.policy().dryRun(),
                clusterPause,
                pools,
                store.state(name).map(Evaluation::of).orElse(null),
                recent.stream()
                        .filter(r -> HealingReplacement.IN_PROGRESS.equals(r.getOutcome()))
                        .map(Replacement::of)
                        .toList(),
                recent.stream().map(Replacement::of).toList(),
                Policy.of(healing.policyFor(cluster), config.fleetMaxPerHour()));
    }

    /** The {@code next} of a page: the last record's time and id. */
    static Map.Entry<Instant, UUID> parseCursor(String cursor) {
        int tilde = cursor.indexOf('~');
        try {
            if (tilde < 0) {
                throw new IllegalArgumentException("no separator");
            }
            return Map.entry(Instant.parse(cursor.substring(0, tilde)), UUID.fromString(cursor.substring(tilde + 1)));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw ProblemException.invalidField("cursor", "is not the next of a page of decisions: " + cursor);
        }
    }

    private static Optional<String> blankToEmpty(String value) {
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }

    private Caller caller() {
        return Caller.of(request);
    }
}
