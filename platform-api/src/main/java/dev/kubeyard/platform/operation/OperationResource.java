package dev.kubeyard.platform.operation;

import dev.kubeyard.inventory.operation.Operation;
import dev.kubeyard.inventory.operation.OperationRepository;
import dev.kubeyard.platform.problem.ProblemException;
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

    @GET
    @Path("/{id}")
    @Transactional(Transactional.TxType.SUPPORTS)
    @org.eclipse.microprofile.openapi.annotations.Operation(summary = "Get one operation (poll it until it is final)")
    public OperationView get(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("id", "is not an operation id (a UUID): " + id);
        }
        Operation op = operations.findById(uuid);
        if (op == null) {
            throw ProblemException.notFound("Operation " + id + " does not exist");
        }
        return OperationView.of(op);
    }
}
