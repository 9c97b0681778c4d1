package dev.kubeyard.platform.addons;

import dev.kubeyard.addons.control.AddonControllers;
import dev.kubeyard.addons.control.AddonService;
import dev.kubeyard.addons.record.AddonStore;
import dev.kubeyard.addons.record.InstallationRecord;
import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.audit.AuditLog;
import dev.kubeyard.platform.cluster.ClusterService;
import dev.kubeyard.platform.cluster.ClusterService.Caller;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.RequestContext;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The addon catalog, and each cluster's addons: install, change (version, values, namespace) and remove. Reading the
 * catalog needs only to be signed in; a cluster's addons need the team's read right, changing them its right to change
 * clusters. A change answers at once; the cluster's controller carries it out and reports in {@code status}.
 */
@Path("/api/v1/clusters/{name}/addons")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Addons")
public class AddonResource {

    @Inject
    AddonService addons;

    @Inject
    AddonStore store;

    @Inject
    AddonControllers controllers;

    @Inject
    ClusterService clusters;

    @Inject
    AuditLog audit;

    @Inject
    RequestContext request;

    /** What a PUT of a cluster's addon carries: every field optional (version: the newest the cluster supports). */
    public record InstallRequest(String version, String namespace, Map<String, Object> values) {}

    @GET
    @Transactional
    @Operation(summary = "The cluster's addons with their status (conditions Applied, Progressing, Healthy, Degraded)")
    public AddonViews.InstallationList installations(@PathParam("name") String name) {
        clusters.find(name, caller(), Permission.READ_TEAM);
        return new AddonViews.InstallationList(
                name,
                store.installations(name).stream()
                        .map(AddonViews.Installation::of)
                        .toList());
    }

    @GET
    @Path("/{addon}")
    @Transactional
    @Operation(summary = "One addon of the cluster")
    public AddonViews.Installation installation(@PathParam("name") String name, @PathParam("addon") String addon) {
        clusters.find(name, caller(), Permission.READ_TEAM);
        return AddonViews.Installation.of(store.installation(name, addon)
                .orElseThrow(() -> ProblemException.notFound(addon + " is not installed in " + name)));
    }

    @PUT
    @Path("/{addon}")
    @Operation(
            summary = "Install the addon in the cluster, or change its version, values or namespace (what is left out"
                    + " stays as it is; a new installation gets the newest version that supports the cluster)",
            description = "201 when installed, 200 when changed or already so. Refused with the field at fault when the"
                    + " version is not in the catalog, does not support the cluster's Kubernetes version, or the values"
                    + " break the version's schema; 409 while a rollout of the addon covers the cluster.")
    public Response install(@PathParam("name") String name, @PathParam("addon") String addon, InstallRequest body) {
        Caller caller = caller();
        InstallRequest b = body == null ? new InstallRequest(null, null, null) : body;
        AddonService.Installed installed = QuarkusTransaction.requiringNew().call(() -> {
            ManagedCluster cluster = clusters.find(name, caller, Permission.CHANGE_CLUSTERS);
            if (cluster.isDeletionRequested()) {
                throw ProblemException.conflict("Cluster " + name + " is being deleted");
            }
            AddonService.Installed result = addons.install(
                    ref(cluster),
                    new AddonService.Request(
                            addon, Optional.ofNullable(b.version()), Optional.ofNullable(b.namespace()), b.values()),
                    "user",
                    caller.actor());
            if (result.changed()) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("addon", addon);
                details.put("version", result.installation().getVersion());
                details.put("namespace", result.installation().getNamespace());
                // Values may hold secrets' names, never secrets (the schemas take references), but stay out of the
                // trail.
                audit.record(
                        caller.actor(),
                        result.created() ? "addon.install" : "addon.change",
                        "cluster",
                        name,
                        AuditLog.REASON_USER_REQUEST,
                        caller.correlationId(),
                        details);
            }
            return result;
        });
        controllers.nudge(name);
        AddonViews.Installation view = QuarkusTransaction.requiringNew()
                .call(() -> AddonViews.Installation.of(
                        store.installation(name, addon).orElseThrow()));
        return Response.status(installed.created() ? 201 : 200).entity(view).build();
    }

    @DELETE
    @Path("/{addon}")
    @Operation(
            summary = "Remove the addon from the cluster",
            description =
                    "202: the controller deletes the addon's objects (Namespaces and volume claims are kept), then"
                            + " the installation.")
    public Response remove(@PathParam("name") String name, @PathParam("addon") String addon) {
        Caller caller = caller();
        InstallationRecord record = QuarkusTransaction.requiringNew().call(() -> {
            clusters.find(name, caller, Permission.CHANGE_CLUSTERS);
            InstallationRecord r = addons.remove(name, addon, caller.actor());
            audit.record(
                    caller.actor(),
                    "addon.remove",
                    "cluster",
                    name,
                    AuditLog.REASON_USER_REQUEST,
                    caller.correlationId(),
                    Map.of("addon", addon, "version", r.getVersion()));
            return r;
        });
        controllers.nudge(name);
        return Response.accepted(AddonViews.Installation.of(record)).build();
    }

    /** The cluster as the addon manager sees it: its Kubernetes version is the one it runs, else the one asked for. */
    public static AddonService.ClusterRef ref(ManagedCluster cluster) {
        return new AddonService.ClusterRef(
                cluster.getName(),
                cluster.getTeam().getName(),
                cluster.getLabels(),
                cluster.getObservedKubernetesVersion().orElse(cluster.getKubernetesVersion()));
    }

    private Caller caller() {
        return Caller.of(request);
    }
}
