package dev.kubeyard.platform.audit;

import dev.kubeyard.inventory.audit.AuditEvent;
import dev.kubeyard.inventory.audit.AuditEventRepository;
import dev.kubeyard.inventory.audit.AuditEventRepository.AuditQuery;
import dev.kubeyard.platform.access.Authorizer;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.PageLimit;
import dev.kubeyard.platform.request.RequestContext;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit trail, newest first, for platform admins and auditors. */
@Path("/api/v1/audit-events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Audit")
public class AuditResource {

    private static final Set<String> OUTCOMES = Set.of(AuditEvent.SUCCESS, AuditEvent.DENIED, AuditEvent.FAILED);

    @Inject
    AuditEventRepository events;

    @Inject
    Authorizer authorizer;

    @Inject
    RequestContext request;

    /** One event: who, what, on what, when, from where, why, and how it ended. */
    public record AuditEventView(
            String id,
            Instant occurredAt,
            String actor,
            String action,
            String targetKind,
            String targetName,
            String outcome,
            String sourceAddress,
            String reason,
            String correlationId,
            Map<String, Object> details) {
        static AuditEventView of(AuditEvent e) {
            return new AuditEventView(
                    e.getId().toString(),
                    e.getOccurredAt(),
                    e.getActor(),
                    e.getAction(),
                    e.getTargetKind(),
                    e.getTargetName(),
                    e.getOutcome(),
                    e.getSourceAddress().orElse(null),
                    e.getReason(),
                    e.getCorrelationId(),
                    e.getDetails());
        }
    }

    public record AuditPage(List<AuditEventView> items, String nextCursor) {}

    @GET
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "Query the audit trail, newest first, one page at a time")
    public AuditPage search(
            @Parameter(description = "Who did it") @QueryParam("actor") String actor,
            @Parameter(description = "What, e.g. cluster.create; a trailing * matches a prefix (auth.*)")
                    @QueryParam("action")
                    String action,
            @Parameter(description = "Only events on this cluster") @QueryParam("cluster") String cluster,
            @Parameter(description = "Kind of target: cluster, team, user, group, operation") @QueryParam("targetKind")
                    String targetKind,
            @Parameter(description = "Name of the target") @QueryParam("target") String target,
            @Parameter(description = "success, denied or failed") @QueryParam("outcome") String outcome,
            @QueryParam("correlationId") String correlationId,
            @Parameter(description = "From this time on (RFC 3339)") @QueryParam("since") String since,
            @Parameter(description = "Before this time (RFC 3339)") @QueryParam("until") String until,
            @QueryParam("limit") @DefaultValue("100") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) {
        authorizer.require(request.subject(), Permission.READ_AUDIT, null, "audit", "*", "");
        if (outcome != null && !OUTCOMES.contains(outcome)) {
            throw ProblemException.invalidField("outcome", "must be success, denied or failed, was " + outcome);
        }
        if (cluster != null && (targetKind != null || target != null)) {
            throw ProblemException.invalidField("cluster", "cannot be combined with targetKind or target");
        }
        int size = PageLimit.parse(limit);
        Instant beforeTime = null;
        UUID beforeId = null;
        if (cursor != null && !cursor.isBlank()) {
            String[] parts = decode(cursor).split("\\|", 2);
            try {
                beforeTime = Instant.parse(parts[0]);
                beforeId = UUID.fromString(parts[1]);
            } catch (RuntimeException e) {
                throw ProblemException.invalidField("cursor", "is not a cursor this API gave out");
            }
        }
        AuditQuery query = new AuditQuery(
                blankToNull(actor),
                blankToNull(action),
                cluster != null ? "cluster" : blankToNull(targetKind),
                cluster != null ? cluster : blankToNull(target),
                outcome,
                blankToNull(correlationId),
                parseTime("since", since),
                parseTime("until", until),
                beforeTime,
                beforeId);
        List<AuditEvent> rows = events.search(query, size + 1);
        boolean more = rows.size() > size;
        List<AuditEvent> page = more ? rows.subList(0, size) : rows;
        String next = more
                ? encode(page.getLast().getOccurredAt() + "|" + page.getLast().getId())
                : null;
        return new AuditPage(page.stream().map(AuditEventView::of).toList(), next);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static Instant parseTime(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be an RFC 3339 time such as 2026-12-01T08:00:00Z");
        }
    }

    private static String encode(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("cursor", "is not a cursor this API gave out");
        }
    }
}
