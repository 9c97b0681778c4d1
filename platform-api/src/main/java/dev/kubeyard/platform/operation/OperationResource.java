package dev.kubeyard.platform.operation;

import dev.kubeyard.inventory.operation.Operation;
import dev.kubeyard.inventory.operation.OperationRepository;
import dev.kubeyard.platform.access.Authorizer;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.RequestContext;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations")
public class OperationResource {

    @Inject
    OperationRepository operations;

    @Inject
    Authorizer authorizer;

    @Inject
    RequestContext request;

    @GET
    @Path("/{id}")
    @Transactional(Transactional.TxType.SUPPORTS)
    @org.eclipse.microprofile.openapi.annotations.Operation(
            summary = "Get one operation (poll it until it is final); another team's operation answers 404")
    public OperationView get(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("id", "is not an operation id (a UUID): " + id);
        }
        Operation op = operations.findById(uuid);
        String notFound = "Operation " + id + " does not exist";
        if (op == null) {
            throw ProblemException.notFound(notFound);
        }
        String team = op.getTeamName()
                .orElseGet(() -> op.getCluster().map(c -> c.getTeam().getName()).orElse(null));
        authorizer.require(request.subject(), Permission.READ_TEAM, team, "operation", id, notFound);
        return OperationView.of(op);
    }
}
