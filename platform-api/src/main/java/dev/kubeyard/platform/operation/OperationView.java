package dev.kubeyard.platform.operation;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.kubeyard.inventory.operation.Operation;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A long-running request as the API shows it: poll {@code self} until {@code state} is final. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A long-running operation; poll it until state is Succeeded, Failed or Cancelled")
public record OperationView(
        UUID id,
        String cluster,
        @Schema(examples = "Upgrade") String kind,

        @Schema(description = "Pending, Running, Succeeded, Failed or Cancelled")
        String state,

        int progress,
        Map<String, Object> parameters,
        Map<String, Object> result,
        String error,
        String requestedBy,
        String correlationId,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String self) {

    public static final String PATH = "/api/v1/operations/";

    public static OperationView of(Operation op) {
        return new OperationView(
                op.getId(),
                op.getClusterName(),
                op.getKind(),
                op.getState().wireName(),
                op.getProgress(),
                op.getParameters(),
                op.getResult().orElse(null),
                op.getError().orElse(null),
                op.getRequestedBy(),
                op.getCorrelationId(),
                op.getCreatedAt(),
                op.getStartedAt().orElse(null),
                op.getFinishedAt().orElse(null),
                PATH + op.getId());
    }
}
