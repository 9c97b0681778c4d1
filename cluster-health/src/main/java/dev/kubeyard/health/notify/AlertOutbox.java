package dev.kubeyard.health.notify;

import dev.kubeyard.health.alert.Severity;
import dev.kubeyard.health.control.HealthConfig;
import dev.kubeyard.health.record.AlertRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Map;

/**
 * Queues the notifications of an alert change for every configured receiver that wants them, in the caller's
 * transaction: the alert and what is owed about it commit together, so a crash or a receiver outage loses nothing.
 */
@ApplicationScoped
public class AlertOutbox {

    @Inject
    HealthConfig config;

    @Inject
    EntityManager em;

    /** @return how many deliveries were queued */
    @Transactional(Transactional.TxType.MANDATORY)
    public int enqueue(AlertRecord alert, DeliveryKind kind, Instant now) {
        int queued = 0;
        for (Map.Entry<String, HealthConfig.Receiver> receiver :
                config.receivers().entrySet()) {
            if (wants(receiver.getValue(), alert, kind)) {
                em.persist(new DeliveryRecord(alert.getId(), receiver.getKey(), kind, now));
                queued++;
            }
        }
        return queued;
    }

    /** Whether a receiver wants this notification: its least severity, resolved ones, refreshes for Alertmanager. */
    static boolean wants(HealthConfig.Receiver receiver, AlertRecord alert, DeliveryKind kind) {
        return Receiver.wants(
                ReceiverType.of(receiver),
                Severity.fromWireName(receiver.minSeverity().trim()),
                receiver.sendResolved(),
                alert.getSeverity(),
                kind);
    }
}
