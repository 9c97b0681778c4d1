package dev.kubeyard.platform.cluster;

import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.cluster.ManagedClusterRepository;
import dev.kubeyard.platform.problem.ProblemException;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

@Path("/api/v1/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    @Inject
    ManagedClusterRepository clusters;

    @GET
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(
            summary = "List clusters",
            description = "Clusters in name order, one page at a time. Pass the nextCursor of a page as cursor to"
                    + " get the next one; the last page has no nextCursor.")
    public ClusterPage list(
            @Parameter(description = "Page size, 1 to 500") @QueryParam("limit") @DefaultValue("50") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        int pageSize = parseLimit(limit);
        String after = cursor == null || cursor.isEmpty() ? null : PageCursor.decode(cursor);
        // One row more than asked tells whether there is a next page without a count query.
        List<ManagedCluster> rows = clusters.pageByName(after, pageSize + 1);
        boolean more = rows.size() > pageSize;
        List<ManagedCluster> page = more ? rows.subList(0, pageSize) : rows;
        List<ClusterSummary> items = page.stream().map(ClusterSummary::of).toList();
        String next = more ? PageCursor.encode(page.getLast().getName()) : null;
        return new ClusterPage(items, next);
    }

    private static int parseLimit(String limit) {
        int value;
        try {
            value = Integer.parseInt(limit.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField("limit", "must be a whole number from 1 to " + MAX_LIMIT);
        }
        if (value < 1 || value > MAX_LIMIT) {
            throw ProblemException.invalidField("limit", "must be from 1 to " + MAX_LIMIT + ", was " + value);
        }
        return value;
    }
}
