package dev.kubeyard.platform.audit;

import dev.kubeyard.inventory.audit.AuditEvent;
import dev.kubeyard.inventory.audit.AuditEventRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the audit trail: every change a user asks for (in the request's own transaction, so that a rejected request
 * leaves no event), every Rancher call that changes something, and every security-relevant event (login, failed
 * login, token created or revoked, denied access; in a transaction of its own, so that the record survives whatever
 * happens next). The table is append-only: the database refuses updates and deletes.
 */
@ApplicationScoped
public class AuditLog {

    /** Reasons: why something was done. */
    public static final String REASON_USER_REQUEST = "user-request";

    public static final String REASON_TIME_TO_LIVE = "time-to-live-expired";
    public static final String REASON_SANDBOX = "sandbox-demo";
    /** Authentication and authorisation events. */
    public static final String REASON_SECURITY = "security";
    /** A change the directory sync made (a group joined or left). */
    public static final String REASON_DIRECTORY_SYNC = "directory-sync";
    /** A replacement node pool healing asked for, or one that failed. */
    public static final String REASON_NODE_HEALING = "node-healing";

    /** The addon controller acting on its own (pruning what a new version dropped, removing an addon). */
    public static final String REASON_ADDON_CONTROLLER = "addon-controller";

    /** A rollout moving a cluster's addon to a new version, or back. */
    public static final String REASON_ADDON_ROLLOUT = "addon-rollout";

    /** The actor of what the platform does on its own account (reconciler calls, expiry). */
    public static final String SYSTEM_ACTOR = "system:kubeyard";

    /** The actor of a request that proved no identity. */
    public static final String ANONYMOUS_ACTOR = "anonymous";

    @Inject
    AuditEventRepository events;

    @Inject
    Clock clock;

    /** Records a successful change within the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(
            String actor,
            String action,
            String targetKind,
            String targetName,
            String reason,
            String correlationId,
            Map<String, Object> details) {
        record(actor, action, targetKind, targetName, reason, correlationId, details, AuditEvent.SUCCESS, null);
    }

    /** Records within the caller's transaction, with the outcome and where the request came from. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(
            String actor,
            String action,
            String targetKind,
            String targetName,
            String reason,
            String correlationId,
            Map<String, Object> details,
            String outcome,
            String sourceAddress) {
        events.persist(new AuditEvent(
                UUID.randomUUID(),
                clock.instant(),
                actor,
                action,
                targetKind,
                targetName,
                reason,
                correlationId,
                details,
                outcome,
                sourceAddress));
    }

    /** Records in a transaction of its own, committed on return. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordNow(
            String actor,
            String action,
            String targetKind,
            String targetName,
            String reason,
            String correlationId,
            Map<String, Object> details) {
        record(actor, action, targetKind, targetName, reason, correlationId, details);
    }

    /** Records in a transaction of its own, with the outcome and the source: denials, failed logins. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordNow(
            String actor,
            String action,
            String targetKind,
            String targetName,
            String reason,
            String correlationId,
            Map<String, Object> details,
            String outcome,
            String sourceAddress) {
        record(actor, action, targetKind, targetName, reason, correlationId, details, outcome, sourceAddress);
    }
}
