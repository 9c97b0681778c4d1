package dev.kubeyard.platform.board;

import dev.kubeyard.platform.board.BoardViews.Clusters;
import dev.kubeyard.platform.board.BoardViews.Detail;
import dev.kubeyard.platform.board.BoardViews.Page;
import dev.kubeyard.platform.cluster.ClusterService.Caller;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.RequestContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The multi-cluster service board: every Service of every cluster the caller's teams may see, from PostgreSQL (no
 * request ever calls out to a cluster).
 */
@Path("/api/v1/services")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Service board")
public class ServiceBoardResource {

    @Inject
    BoardQueries queries;

    @Inject
    RequestContext request;

    @GET
    @Operation(
            summary = "Search the services of the visible clusters",
            description = "Filters: cluster (repeatable or comma-separated), status (Healthy, Degraded, Down, Unknown;"
                    + " repeatable or comma-separated), q (a part of namespace/name, an image or an ingress host), name (a part of"
                    + " the name), namespace (repeatable), label (a selector: app=web,tier!=cache,canary,!legacy),"
                    + " image (a part of an image: nginx, :1.27). Order: sort (status, worst first, the default;"
                    + " name; cluster; updatedAt, newest first by default) and order (asc, desc). Page: limit (1-500,"
                    + " 50) and cursor (nextCursor of the previous page). counts has the matches per status whatever"
                    + " the status filter.")
    public Page search(
            @QueryParam("cluster") List<String> cluster,
            @QueryParam("status") List<String> status,
            @QueryParam("q") String q,
            @QueryParam("name") String name,
            @QueryParam("namespace") List<String> namespace,
            @QueryParam("label") String label,
            @QueryParam("image") String image,
            @QueryParam("sort") String sort,
            @QueryParam("order") String order,
            @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        return queries.search(
                Caller.of(request).principal(),
                new BoardQueries.Params(
                        cluster,
                        String.join(",", status == null ? List.of() : status),
                        q,
                        name,
                        namespace,
                        label,
                        image,
                        sort,
                        order,
                        limit,
                        cursor));
    }

    @GET
    @Path("/clusters")
    @Operation(
            summary = "The visible clusters as the board knows them",
            description = "Per cluster: its services per status, when its collector last synchronised, and why its"
                    + " services show Unknown (unreachable, not synchronised, not running), if they do.")
    public Clusters clusters() {
        return new Clusters(queries.clusters(Caller.of(request).principal()));
    }

    @GET
    @Path("/{cluster}/{namespace}/{name}")
    @Operation(
            summary = "One service: every field the board has, with its cluster's freshness",
            description = "404 when the service is not on the board or its cluster is not visible to the caller.")
    public Detail detail(
            @PathParam("cluster") String cluster,
            @PathParam("namespace") String namespace,
            @PathParam("name") String name) {
        return queries.detail(Caller.of(request).principal(), cluster, namespace, name)
                .orElseThrow(() -> ProblemException.notFound(
                        "service " + namespace + "/" + name + " of cluster " + cluster + " is not on the board"));
    }
}
