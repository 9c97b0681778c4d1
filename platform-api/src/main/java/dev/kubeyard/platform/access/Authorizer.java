package dev.kubeyard.platform.access;

import dev.kubeyard.inventory.audit.AuditEvent;
import dev.kubeyard.platform.audit.AuditLog;
import dev.kubeyard.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Enforces {@link AccessPolicy}: a refusal becomes a 403 problem, or a 404 that reads exactly like the one for
 * something that does not exist, and is recorded in the audit trail as denied (in its own transaction: the request
 * rolls back, the record stays).
 */
@ApplicationScoped
public class Authorizer {

    @Inject
    AuditLog audit;

    /** Who asks: the actor's roles, the request's correlation id and source address. */
    public record Subject(Principal principal, String correlationId, String sourceAddress) {}

    /**
     * Passes when the subject holds the permission on the team (ignored for platform permissions); else throws.
     *
     * @param notFoundDetail what a 404 for a thing that does not exist says ("Cluster x does not exist")
     */
    public void require(
            Subject subject,
            Permission permission,
            String team,
            String targetKind,
            String targetName,
            String notFoundDetail) {
        Decision decision = AccessPolicy.decide(subject.principal(), permission, team);
        if (decision == Decision.ALLOWED) {
            return;
        }
        recordDenial(subject, permission, targetKind, targetName, decision);
        if (decision == Decision.HIDDEN) {
            throw ProblemException.notFound(notFoundDetail);
        }
        throw ProblemException.forbidden(describe(subject.principal(), permission, team));
    }

    /** Whether the subject holds the permission, without recording anything (to decide what to show). */
    public boolean allows(Subject subject, Permission permission, String team) {
        return AccessPolicy.decide(subject.principal(), permission, team) == Decision.ALLOWED;
    }

    /** Records a refusal the caller decided itself (for example a quota, or a team it may not create in). */
    public void recordDenial(
            Subject subject, Permission permission, String targetKind, String targetName, Decision decision) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("permission", permission.name());
        details.put("answer", decision == Decision.HIDDEN ? 404 : 403);
        audit.recordNow(
                subject.principal().name(),
                "access.denied",
                targetKind,
                targetName,
                AuditLog.REASON_SECURITY,
                subject.correlationId(),
                details,
                AuditEvent.DENIED,
                subject.sourceAddress());
    }

    static String describe(Principal principal, Permission permission, String team) {
        String what =
                switch (permission) {
                    case READ_TEAM -> "read this team's clusters";
                    case CHANGE_CLUSTERS -> "change this team's clusters";
                    case FETCH_KUBECONFIG -> "fetch a kubeconfig";
                    case REGISTER_NODES -> "join servers to this team's clusters";
                    case MANAGE_MEMBERS -> "grant this team's roles";
                    case MANAGE_TEAMS -> "create teams or set quotas";
                    case MANAGE_USERS -> "manage users, tokens and group bindings";
                    case READ_AUDIT -> "read the audit trail";
                    case READ_FLEET -> "see addon rollouts, default sets and alert receivers";
                    case MANAGE_ADDONS -> "run addon rollouts or change default addon sets";
                };
        String held = permission.teamScoped()
                ? principal
                        .roleIn(team)
                        .map(r -> "you are " + r.wireName() + " of team " + team)
                        .orElse("you hold no role in team " + team)
                : principal.platformRoles().isEmpty()
                        ? "you hold no platform role"
                        : "you are "
                                + principal.platformRoles().iterator().next().wireName();
        return "You may not " + what + ": " + held;
    }
}
