package dev.kubeyard.health.notify;

import dev.kubeyard.health.alert.AlertState;
import dev.kubeyard.health.control.HealthConfig;
import dev.kubeyard.health.record.AlertRecord;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hibernate.Session;
import org.hibernate.jpa.HibernateHints;

/**
 * Tells Alertmanager again, every {@code resend-interval}, about the alerts that still fire: Alertmanager resolves an
 * alert whose {@code endsAt} passed, so a firing alert it is not told about again ends by itself (which is also what
 * should happen when Kubeyard itself stops). Called by the sweep once per sweep.
 */
@ApplicationScoped
public class AlertRefresher {

    /** Alerts refreshed per call at most; the rest are the next sweep's (their refresh stays valid for four more). */
    static final int LIMIT = 1000;

    /**
     * Firing alerts not refreshed since the cutoff, locked so that two callers never refresh one alert twice;
     * {@code SKIP LOCKED} so that a caller never waits for a transaction that holds an alert (the sweep's own, say):
     * that alert is refreshed next time.
     */
    static final String DUE = "SELECT id FROM health_alerts"
            + " WHERE state = '" + AlertState.FIRING.wireName() + "' AND coalesce(refreshed_at, started_at) <= ?1"
            + " ORDER BY coalesce(refreshed_at, started_at), id LIMIT ?2"
            + " FOR UPDATE SKIP LOCKED";

    @Inject
    HealthConfig config;

    @Inject
    Receivers receivers;

    @Inject
    EntityManager em;

    /**
     * For every firing alert whose last refresh is at least one resend interval before {@code now}: queues a
     * {@link DeliveryKind#REFRESH} for each receiver that wants refreshes of it (Alertmanager receivers at or below its
     * severity) and has no delivery of it pending already (that one, when sent, says the same and more), and records
     * the alert as refreshed at {@code now}. In a transaction of its own, committed on return.
     *
     * @return how many refreshes were queued
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int refreshDue(Instant now) {
        List<Receiver> refreshing = receivers.all().stream()
                .filter(r -> r.type() == ReceiverType.ALERTMANAGER)
                .toList();
        if (refreshing.isEmpty()) {
            return 0;
        }
        Instant cutoff = now.minus(config.delivery().resendInterval());
        List<Long> ids = em.unwrap(Session.class)
                .createNativeQuery(DUE, Long.class)
                .setParameter(1, cutoff)
                .setParameter(2, LIMIT)
                .getResultList();
        if (ids.isEmpty()) {
            return 0;
        }
        List<AlertRecord> alerts = em.createQuery("select a from AlertRecord a where a.id in :ids", AlertRecord.class)
                .setParameter("ids", ids)
                .setHint(HibernateHints.HINT_READ_ONLY, true)
                .getResultList();
        Set<DeliveryWorker.Key> pending = new HashSet<>();
        for (Object[] r : em.createQuery(
                        "select distinct d.alertId, d.receiver from DeliveryRecord d where d.state = '"
                                + DeliveryRecord.PENDING + "' and d.alertId in :ids",
                        Object[].class)
                .setParameter("ids", ids)
                .getResultList()) {
            pending.add(new DeliveryWorker.Key((Long) r[0], (String) r[1]));
        }
        int queued = 0;
        for (AlertRecord alert : alerts) {
            for (Receiver receiver : refreshing) {
                if (receiver.wants(alert.getSeverity(), DeliveryKind.REFRESH)
                        && !pending.contains(new DeliveryWorker.Key(alert.getId(), receiver.name()))) {
                    em.persist(new DeliveryRecord(alert.getId(), receiver.name(), DeliveryKind.REFRESH, now));
                    queued++;
                }
            }
        }
        // One column, not the entity: whatever else of these alerts changes is the sweep's.
        em.createQuery("update AlertRecord a set a.refreshedAt = :now where a.id in :ids")
                .setParameter("now", now)
                .setParameter("ids", ids)
                .executeUpdate();
        return queued;
    }
}
