package dev.kubeyard.platform.cluster;

import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.cluster.ManagedClusterRepository;
import dev.kubeyard.inventory.operation.OperationRepository;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.access.RancherAccess;
import dev.kubeyard.platform.cluster.ClusterService.Applied;
import dev.kubeyard.platform.cluster.ClusterService.Caller;
import dev.kubeyard.platform.cluster.ClusterService.NodePoolPatch;
import dev.kubeyard.platform.lifecycle.OperationKind;
import dev.kubeyard.platform.operation.OperationView;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.rancher.RancherConnection;
import dev.kubeyard.platform.request.PageLimit;
import dev.kubeyard.platform.request.RequestContext;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.access.RegistrationToken;
import dev.kubeyard.rancher.client.access.WorkerRegistration;
import dev.kubeyard.rancher.client.machine.Machine;
import dev.kubeyard.rancher.client.provisioning.EtcdSnapshot;
import dev.kubeyard.rancher.client.provisioning.RestoreMode;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The cluster lifecycle API. Reads answer from the inventory (and, for nodes and snapshots, from Rancher); every change
 * is stored as desired state with an operation and answered 202: the reconciler carries it out.
 */
@Path("/api/v1/clusters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Clusters")
public class ClusterResource {

    static final int DEFAULT_LIMIT = 50;
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    @Inject
    ManagedClusterRepository clusters;

    @Inject
    OperationRepository operations;

    @Inject
    ClusterService service;

    @Inject
    RequestContext request;

    @Inject
    RancherConnection rancher;

    @Inject
    RancherAccess rancherAccess;

    @GET
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(
            summary = "List clusters",
            description = "Clusters in name order, one page at a time, optionally of one team and carrying given"
                    + " labels. Pass the nextCursor of a page as cursor to get the next one; the last page has none.")
    public ClusterPage list(
            @Parameter(description = "Page size, 1 to 500") @QueryParam("limit") @DefaultValue("50") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Only this team's clusters") @QueryParam("team") String team,
            @Parameter(description = "Only clusters with this label, as key=value; repeat for several")
                    @QueryParam("label")
                    List<String> label) {
        int pageSize = PageLimit.parse(limit);
        String after = cursor == null || cursor.isEmpty() ? null : PageCursor.decode(cursor);
        Map<String, String> labels = parseLabels(label);
        String teamFilter = team == null || team.isBlank() ? null : team;
        // One row more than asked tells whether there is a next page without a count query.
        Set<String> visible = request.principal().visibleTeams().orElse(null);
        List<ManagedCluster> rows = clusters.pageByName(after, pageSize + 1, teamFilter, labels, visible);
        boolean more = rows.size() > pageSize;
        List<ManagedCluster> page = more ? rows.subList(0, pageSize) : rows;
        List<ClusterSummary> items = page.stream().map(ClusterSummary::of).toList();
        String next = more ? PageCursor.encode(page.getLast().getName()) : null;
        return new ClusterPage(items, next);
    }

    @GET
    @Path("/{name}")
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "Get a cluster: its spec and its observed status")
    public Response get(@PathParam("name") String name) {
        ManagedCluster cluster = service.find(name, caller(), Permission.READ_TEAM);
        return Response.ok(ClusterView.of(cluster))
                .tag(new EntityTag(Long.toString(cluster.getGeneration()), true))
                .build();
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Create or update a cluster from its full spec (declarative apply)",
            description = "202 with the operation that carries the change out when something changed (Location points"
                    + " at the operation); 200 with the cluster when the spec was already the desired one.")
    public Response apply(@PathParam("name") String name, ClusterSpec spec) {
        if (spec == null) {
            throw ProblemException.invalidField("body", "a cluster spec is required");
        }
        Applied applied = ConflictRetry.run(() -> service.apply(name, spec, caller()));
        if (applied.operation().isEmpty()) {
            return Response.ok(ClusterView.of(applied.cluster())).build();
        }
        return accepted(applied.operation().get());
    }

    @DELETE
    @Path("/{name}")
    @Operation(summary = "Delete a cluster (202 with the deletion operation; repeating it returns the same one)")
    public Response delete(@PathParam("name") String name) {
        return accepted(ConflictRetry.run(() -> service.delete(name, caller())));
    }

    @PATCH
    @Path("/{name}/node-pools/{pool}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @Operation(summary = "Scale or change one node pool: quantity, nodeSpec, labels, taints (absent fields stay)")
    public Response changePool(@PathParam("name") String name, @PathParam("pool") String pool, NodePoolPatch patch) {
        if (patch == null) {
            throw ProblemException.invalidField("body", "a node pool change is required");
        }
        Applied applied = ConflictRetry.run(() -> service.changePool(name, pool, patch, caller()));
        if (applied.operation().isEmpty()) {
            return Response.ok(ClusterView.of(applied.cluster())).build();
        }
        return accepted(applied.operation().get());
    }

    @GET
    @Path("/{name}/nodes")
    @Operation(summary = "A cluster's nodes with their state, as Rancher has them now")
    public List<NodeView> nodes(@PathParam("name") String name) {
        ManagedCluster cluster = service.find(name, caller(), Permission.READ_TEAM);
        return rancher.client().machines().list(cluster.getName()).stream()
                .map(NodeView::of)
                .toList();
    }

    @POST
    @Path("/{name}/upgrade")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upgrade Kubernetes, forward and one minor version at a time (202 with the operation)")
    public Response upgrade(
            @PathParam("name") String name, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey, UpgradeRequest body) {
        String version = body == null ? null : body.kubernetesVersion();
        return accepted(ConflictRetry.run(() -> service.upgrade(name, version, idempotencyKey, caller())));
    }

    @POST
    @Path("/{name}/rotate-certificates")
    @Operation(summary = "Rotate the cluster's certificates (202 with the operation)")
    public Response rotateCertificates(
            @PathParam("name") String name, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        return accepted(ConflictRetry.run(
                () -> service.dayTwo(name, OperationKind.ROTATE_CERTIFICATES, Map.of(), idempotencyKey, caller())));
    }

    @GET
    @Path("/{name}/etcd-snapshots")
    @Operation(summary = "The cluster's etcd snapshots, as Rancher has them now")
    public List<EtcdSnapshotView> etcdSnapshots(@PathParam("name") String name) {
        ManagedCluster cluster = service.find(name, caller(), Permission.READ_TEAM);
        return rancher.client().clusters().etcdSnapshots(cluster.getName()).stream()
                .map(EtcdSnapshotView::of)
                .toList();
    }

    @POST
    @Path("/{name}/etcd-snapshots")
    @Operation(summary = "Take an etcd snapshot (202 with the operation)")
    public Response takeSnapshot(@PathParam("name") String name, @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        return accepted(ConflictRetry.run(
                () -> service.dayTwo(name, OperationKind.ETCD_SNAPSHOT, Map.of(), idempotencyKey, caller())));
    }

    @POST
    @Path("/{name}/etcd-snapshots/{snapshot}/restore")
    @Operation(
            summary = "Restore etcd from a snapshot (202 with the operation)",
            description = "restoreMode: none (etcd only, the default), kubernetesVersion, or all (also the RKE config)")
    public Response restore(
            @PathParam("name") String name,
            @PathParam("snapshot") String snapshot,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            RestoreRequest body) {
        ManagedCluster cluster = service.find(name, caller(), Permission.CHANGE_CLUSTERS);
        String mode = body == null || body.restoreMode() == null ? RestoreMode.NONE.wire() : body.restoreMode();
        if (List.of(RestoreMode.values()).stream().noneMatch(m -> m.wire().equals(mode))) {
            throw ProblemException.invalidField("restoreMode", "must be none, kubernetesVersion or all, was " + mode);
        }
        boolean known = rancher.client().clusters().etcdSnapshots(cluster.getName()).stream()
                .anyMatch(s -> s.name().equals(snapshot));
        if (!known) {
            throw ProblemException.notFound("Cluster " + name + " has no etcd snapshot " + snapshot);
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("snapshot", snapshot);
        parameters.put("restoreMode", mode);
        return accepted(ConflictRetry.run(
                () -> service.dayTwo(name, OperationKind.ETCD_RESTORE, parameters, idempotencyKey, caller())));
    }

    @POST
    @Path("/{name}/nodes/{node}/replace")
    @Operation(
            summary = "Replace a node: Rancher deletes its machine and creates a new one (202 with the operation)",
            description = "node is the machine name or the Kubernetes node name. An etcd node is not replaced when"
                    + " that would leave etcd below quorum.")
    public Response replaceNode(
            @PathParam("name") String name,
            @PathParam("node") String node,
            @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey) {
        ManagedCluster cluster = service.find(name, caller(), Permission.CHANGE_CLUSTERS);
        Machine machine = rancher.client().machines().list(cluster.getName()).stream()
                .filter(m -> m.name().equals(node) || node.equals(m.nodeName().orElse(null)))
                .findFirst()
                .orElseThrow(() -> ProblemException.notFound("Cluster " + name + " has no node " + node));
        return accepted(ConflictRetry.run(() -> service.dayTwo(
                name, OperationKind.REPLACE_NODE, Map.of("machine", machine.name()), idempotencyKey, caller())));
    }

    @GET
    @Path("/{name}/operations")
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "A cluster's operations, newest first")
    public List<OperationView> operations(
            @PathParam("name") String name, @QueryParam("limit") @DefaultValue("50") String limit) {
        service.find(name, caller(), Permission.READ_TEAM);
        return operations.listByCluster(name, PageLimit.parse(limit)).stream()
                .map(OperationView::of)
                .toList();
    }

    @GET
    @Path("/{name}/kubeconfig")
    @Produces({"application/yaml", MediaType.APPLICATION_JSON})
    @Operation(
            summary = "Download a kubeconfig for the cluster, with the rights of your role",
            description =
                    "Issued through Rancher for you: your own Rancher identity, bound to the cluster with the role"
                            + " template of your team role, and a token valid on this cluster only, for lifetimeSeconds (at"
                            + " most 86400, the configured default when absent). Each download is audited; the token is"
                            + " removed when your role goes.")
    public Response kubeconfig(
            @PathParam("name") String name,
            @Parameter(description = "Lifetime of the kubeconfig's token, 60 to 86400 seconds")
                    @QueryParam("lifetimeSeconds")
                    Long lifetimeSeconds) {
        ManagedCluster cluster = service.find(name, caller(), Permission.FETCH_KUBECONFIG);
        String managementId = provisionedId(cluster);
        Duration lifetime = null;
        if (lifetimeSeconds != null) {
            if (lifetimeSeconds < 60 || lifetimeSeconds > RancherAccess.MAX_LIFETIME.toSeconds()) {
                throw ProblemException.invalidField(
                        "lifetimeSeconds", "must be from 60 to 86400 (24 hours), was " + lifetimeSeconds);
            }
            lifetime = Duration.ofSeconds(lifetimeSeconds);
        }
        RancherAccess.IssuedKubeconfig issued = rancherAccess.issue(
                request.actor(),
                null,
                request.principal(),
                new RancherAccess.ClusterPlace(name, cluster.getTeam().getName(), managementId),
                lifetime,
                request.correlationId(),
                request.sourceAddress());
        service.auditAccess(name, "cluster.kubeconfig", caller());
        return Response.ok(issued.yaml(), "application/yaml")
                .header("Content-Disposition", "attachment; filename=\"" + name + ".yaml\"")
                .header("Cache-Control", "no-store")
                .header("X-Kubeyard-Expires-At", issued.expiresAt().toString())
                .header("X-Kubeyard-Role-Template", issued.roleTemplate())
                .build();
    }

    @GET
    @Path("/{name}/registration-command")
    @Operation(
            summary = "The command that joins your own server to the cluster as a worker-only node",
            description = "Never etcd or control plane. The command holds a registration secret: it is not logged,"
                    + " and fetching it is audited.")
    public Response registrationCommand(
            @PathParam("name") String name,
            @QueryParam("nodeName") String nodeName,
            @Parameter(description = "Node label as key=value; repeat for several") @QueryParam("label")
                    List<String> label) {
        String managementId = provisionedId(service.find(name, caller(), Permission.REGISTER_NODES));
        RegistrationToken token;
        try {
            token = rancher.client().registrationTokens().defaultToken(managementId);
        } catch (RancherNotFoundException e) {
            token = rancher.client().registrationTokens().create(managementId);
        }
        if (!token.isReady()) {
            throw new ProblemException(
                    503,
                    "Service Unavailable",
                    "Rancher has not finished the registration command of " + name + " yet; try again in a few"
                            + " seconds",
                    List.of());
        }
        WorkerRegistration registration = new WorkerRegistration();
        if (nodeName != null && !nodeName.isBlank()) {
            registration.nodeName(nodeName);
        }
        parseLabels(label).forEach(registration::label);
        String command = registration.command(token);
        service.auditAccess(name, "cluster.registrationCommand", caller());
        return Response.ok(new RegistrationCommand(command, List.of("worker")))
                .header("Cache-Control", "no-store")
                .build();
    }

    private static String provisionedId(ManagedCluster cluster) {
        String name = cluster.getName();
        return cluster.getRancherManagementId()
                .orElseThrow(() -> ProblemException.conflict("Cluster " + name + " is not provisioned yet (phase "
                        + cluster.getPhase().wireName() + "); try again once it is Ready"));
    }

    private Caller caller() {
        return Caller.of(request);
    }

    private static Response accepted(dev.kubeyard.inventory.operation.Operation op) {
        return Response.accepted(OperationView.of(op))
                .location(URI.create(OperationView.PATH + op.getId()))
                .build();
    }

    private static Map<String, String> parseLabels(List<String> labels) {
        Map<String, String> parsed = new LinkedHashMap<>();
        if (labels == null) {
            return parsed;
        }
        for (String label : labels) {
            int eq = label.indexOf('=');
            if (eq <= 0) {
                throw ProblemException.invalidField("label", "must be key=value, was " + label);
            }
            parsed.put(label.substring(0, eq), label.substring(eq + 1));
        }
        return parsed;
    }

    /** Body of the upgrade request. */
    public record UpgradeRequest(String kubernetesVersion) {}

    /** Body of the restore request (optional). */
    public record RestoreRequest(String restoreMode) {}

    /** The join command and the roles the node gets (always worker only). */
    public record RegistrationCommand(String command, List<String> roles) {}

    /** One node (a Rancher machine) of a cluster. */
    public record NodeView(
            String name,
            String nodeName,
            String pool,
            List<String> roles,
            String phase,
            boolean ready,
            String kubeletVersion,
            String message) {

        static NodeView of(Machine m) {
            List<String> roles = m.roles().stream()
                    .map(r -> switch (r) {
                        case ETCD -> ClusterSpec.ROLE_ETCD;
                        case CONTROL_PLANE -> ClusterSpec.ROLE_CONTROL_PLANE;
                        case WORKER -> ClusterSpec.ROLE_WORKER;
                    })
                    .toList();
            Object kubelet =
                    m.status().nodeInfo() == null ? null : m.status().nodeInfo().get("kubeletVersion");
            String message = m.condition("NodeHealthy")
                    .filter(c -> !c.isTrue())
                    .map(c -> c.message())
                    .orElse(null);
            return new NodeView(
                    m.name(),
                    m.nodeName().orElse(null),
                    m.pool().orElse(null),
                    roles,
                    m.phase().name().charAt(0) + m.phase().name().substring(1).toLowerCase(java.util.Locale.ROOT),
                    dev.kubeyard.platform.lifecycle.ClusterPlanner.isReady(m),
                    kubelet == null ? null : kubelet.toString(),
                    message);
        }
    }

    /** One etcd snapshot. */
    public record EtcdSnapshotView(
            String name, String createdAt, Long size, String location, String status, String nodeName) {

        static EtcdSnapshotView of(EtcdSnapshot s) {
            var file = s.snapshotFile();
            return file == null
                    ? new EtcdSnapshotView(s.name(), null, null, null, null, null)
                    : new EtcdSnapshotView(
                            s.name(), file.createdAt(), file.size(), file.location(), file.status(), file.nodeName());
        }
    }
}
