package dev.kubeyard.platform.addons;

import dev.kubeyard.addons.control.AddonService;
import dev.kubeyard.addons.control.RolloutService;
import dev.kubeyard.addons.record.AddonStore;
import dev.kubeyard.addons.record.RolloutRecord;
import dev.kubeyard.platform.access.Authorizer;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.audit.AuditLog;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.PageLimit;
import dev.kubeyard.platform.request.RequestContext;
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
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Fleet-wide addon work: rollouts of a new version across clusters in waves, and the default sets every new cluster
 * gets. Platform admins run them; auditors see them.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Addon rollouts")
public class AddonRolloutResource {

    @Inject
    RolloutService rollouts;

    @Inject
    AddonService addons;

    @Inject
    AddonStore store;

    @Inject
    Authorizer authorizer;

    @Inject
    AuditLog audit;

    @Inject
    RequestContext request;

    public record RolloutRequest(
            String addon,
            String version,
            List<String> clusters,
            Integer canaries,
            Integer maxConcurrent,
            Long soakSeconds,
            Integer failureBudget,
            Boolean healthGate,
            Long progressDeadlineSeconds) {}

    @POST
    @Path("/addon-rollouts")
    @Transactional
    @Operation(
            summary = "Roll an addon version out across clusters",
            description = "Over the clusters named (in order), or every cluster that has the addon. The first"
                    + " `canaries` go alone, then at most `maxConcurrent` at once; each changed cluster must stay"
                    + " healthy for `soakSeconds`. With the health gate on (the default), more failures than"
                    + " `failureBudget` stop the rollout and move every cluster it changed back to the last version"
                    + " healthy there. Unhealthy clusters are left out of their wave.")
    public Response create(RolloutRequest body) {
        authorizer.require(request.subject(), Permission.MANAGE_ADDONS, null, "addon-rollout", "", "");
        if (body == null || body.addon() == null || body.addon().isBlank()) {
            throw ProblemException.invalidField("addon", "is required");
        }
        if (body.soakSeconds() != null && body.soakSeconds() < 0) {
            throw ProblemException.invalidField("soakSeconds", "must not be negative");
        }
        if (body.progressDeadlineSeconds() != null && body.progressDeadlineSeconds() < 1) {
            throw ProblemException.invalidField("progressDeadlineSeconds", "must be at least 1");
        }
        if (body.canaries() != null && body.canaries() < 0) {
            throw ProblemException.invalidField("canaries", "must not be negative");
        }
        if (body.maxConcurrent() != null && body.maxConcurrent() < 1) {
            throw ProblemException.invalidField("maxConcurrent", "must be at least 1");
        }
        if (body.failureBudget() != null && body.failureBudget() < 0) {
            throw ProblemException.invalidField("failureBudget", "must not be negative");
        }
        RolloutRecord record = rollouts.create(
                new RolloutService.Request(
                        body.addon(),
                        body.version(),
                        body.clusters() == null ? List.of() : body.clusters(),
                        Optional.ofNullable(body.canaries()),
                        Optional.ofNullable(body.maxConcurrent()),
                        Optional.ofNullable(body.soakSeconds()).map(Duration::ofSeconds),
                        Optional.ofNullable(body.failureBudget()),
                        Optional.ofNullable(body.healthGate()),
                        Optional.ofNullable(body.progressDeadlineSeconds()).map(Duration::ofSeconds)),
                request.actor());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("addon", record.getAddon());
        details.put("version", record.getTargetVersion());
        details.put("clusters", record.getTargets().size());
        details.putAll(record.getSettings());
        audit.record(
                request.actor(),
                "addon.rollout.create",
                "addon-rollout",
                record.getId().toString(),
                AuditLog.REASON_USER_REQUEST,
                request.correlationId(),
                details);
        return Response.status(201)
                .entity(AddonViews.RolloutView.of(record, true))
                .build();
    }

    @GET
    @Path("/addon-rollouts")
    @Transactional
    @Operation(summary = "Rollouts, newest first, with their progress counts")
    public AddonViews.RolloutList list(@QueryParam("limit") @DefaultValue("50") String limit) {
        authorizer.require(request.subject(), Permission.READ_FLEET, null, "addon-rollout", "", "");
        return new AddonViews.RolloutList(store.rollouts(PageLimit.parse(limit)).stream()
                .map(r -> AddonViews.RolloutView.of(r, false))
                .toList());
    }

    @GET
    @Path("/addon-rollouts/{id}")
    @Transactional
    @Operation(summary = "One rollout with its progress per cluster")
    public AddonViews.RolloutView get(@PathParam("id") String id) {
        authorizer.require(request.subject(), Permission.READ_FLEET, null, "addon-rollout", id, "");
        return AddonViews.RolloutView.of(rollouts.find(parse(id)), true);
    }

    @POST
    @Path("/addon-rollouts/{id}/{command: pause|resume|abort}")
    @Transactional
    @Operation(summary = "Pause (no new waves), resume, or abort (every cluster it changed goes back) a rollout")
    public AddonViews.RolloutView command(@PathParam("id") String id, @PathParam("command") String command) {
        authorizer.require(request.subject(), Permission.MANAGE_ADDONS, null, "addon-rollout", id, "");
        RolloutRecord record = rollouts.command(parse(id), command, request.actor());
        audit.record(
                request.actor(),
                "addon.rollout." + command,
                "addon-rollout",
                id,
                AuditLog.REASON_USER_REQUEST,
                request.correlationId(),
                Map.of("addon", record.getAddon(), "version", record.getTargetVersion()));
        return AddonViews.RolloutView.of(record, true);
    }

    public record DefaultSetRequest(String team, Map<String, String> selector, List<DefaultAddonRequest> addons) {}

    public record DefaultAddonRequest(String addon, String version, String namespace, Map<String, Object> values) {}

    @GET
    @Path("/addon-default-sets")
    @Transactional
    @Operation(summary = "The default addon sets")
    public AddonViews.DefaultSetList defaultSets() {
        authorizer.require(request.subject(), Permission.READ_FLEET, null, "addon-default-set", "", "");
        return new AddonViews.DefaultSetList(
                store.defaultSets().stream().map(AddonViews.DefaultSet::of).toList());
    }

    @PUT
    @Path("/addon-default-sets/{name}")
    @Transactional
    @Operation(
            summary = "Create or replace a default set",
            description = "Every cluster created afterwards in the team (every team when none is given) whose labels"
                    + " match the selector gets these addons.")
    public AddonViews.DefaultSet putDefaultSet(@PathParam("name") String name, DefaultSetRequest body) {
        authorizer.require(request.subject(), Permission.MANAGE_ADDONS, null, "addon-default-set", name, "");
        if (body == null || body.addons() == null) {
            throw ProblemException.invalidField("addons", "is required");
        }
        List<AddonService.DefaultAddon> entries = body.addons().stream()
                .map(a -> new AddonService.DefaultAddon(
                        a == null ? null : a.addon(),
                        Optional.ofNullable(a == null ? null : a.version()),
                        Optional.ofNullable(a == null ? null : a.namespace()),
                        a == null || a.values() == null ? Map.of() : a.values()))
                .toList();
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).addon() == null || entries.get(i).addon().isBlank()) {
                throw ProblemException.invalidField("addons[" + i + "].addon", "is required");
            }
        }
        var set = addons.putDefaultSet(
                name,
                Optional.ofNullable(body.team()).filter(t -> !t.isBlank()),
                body.selector() == null ? Map.of() : body.selector(),
                entries,
                request.actor());
        audit.record(
                request.actor(),
                "addon.defaultSet.put",
                "addon-default-set",
                name,
                AuditLog.REASON_USER_REQUEST,
                request.correlationId(),
                Map.of("addons", entries.size()));
        return AddonViews.DefaultSet.of(set);
    }

    @DELETE
    @Path("/addon-default-sets/{name}")
    @Transactional
    @Operation(summary = "Delete a default set (clusters that got it keep their addons)")
    public Response deleteDefaultSet(@PathParam("name") String name) {
        authorizer.require(request.subject(), Permission.MANAGE_ADDONS, null, "addon-default-set", name, "");
        addons.deleteDefaultSet(name);
        audit.record(
                request.actor(),
                "addon.defaultSet.delete",
                "addon-default-set",
                name,
                AuditLog.REASON_USER_REQUEST,
                request.correlationId(),
                Map.of());
        return Response.noContent().build();
    }

    private static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no rollout " + id);
        }
    }
}
