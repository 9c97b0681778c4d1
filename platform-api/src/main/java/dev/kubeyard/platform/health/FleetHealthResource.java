package dev.kubeyard.platform.health;

import dev.kubeyard.health.check.CheckStatus;
import dev.kubeyard.platform.cluster.ClusterService.Caller;
import dev.kubeyard.platform.health.HealthViews.Fleet;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.RequestContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The health of every cluster the caller may see, at a glance. */
@Path("/api/v1/health")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Cluster health")
public class FleetHealthResource {

    @Inject
    HealthQueries queries;

    @Inject
    RequestContext request;

    @GET
    @Operation(
            summary = "Every visible cluster's health, worst first",
            description = "Each cluster's status (Fail, Unknown, Warn, Pass; NotChecked before its first check), its"
                    + " failing, warning and unknown checks, and its firing alerts; counts per status. Filter with"
                    + " status (comma-separated) and team.")
    public Fleet fleet(@QueryParam("status") String status, @QueryParam("team") String team) {
        return queries.fleet(
                Caller.of(request).principal(),
                statuses(status),
                Optional.ofNullable(team).filter(t -> !t.isBlank()));
    }

    static Set<String> statuses(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.split(",")) {
            String s = part.trim();
            if (s.equalsIgnoreCase(HealthQueries.NOT_CHECKED)) {
                out.add(HealthQueries.NOT_CHECKED);
                continue;
            }
            try {
                out.add(CheckStatus.fromWireName(s).wireName());
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalidField(
                        "status",
                        "must be a comma-separated list of "
                                + Arrays.stream(CheckStatus.values())
                                        .map(CheckStatus::wireName)
                                        .toList()
                                + " or NotChecked, was " + text);
            }
        }
        return out;
    }
}
