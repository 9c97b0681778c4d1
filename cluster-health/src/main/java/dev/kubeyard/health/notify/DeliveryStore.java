package dev.kubeyard.health.notify;

import dev.kubeyard.health.alert.Severity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.Session;

/** What the API shows of deliveries: an alert's notifications, and each receiver's state. No URL, no token. */
@ApplicationScoped
public class DeliveryStore {

    @Inject
    EntityManager em;

    @Inject
    Receivers receivers;

    /** One delivery, as the API shows it. {@code state}: Pending, Delivered, GaveUp or Superseded. */
    public record DeliveryView(
            long id,
            long alertId,
            String receiver,
            DeliveryKind kind,
            String state,
            Instant createdAt,
            int attempts,
            Instant nextAttemptAt,
            Optional<Instant> deliveredAt,
            Optional<String> lastError) {

        static DeliveryView of(DeliveryRecord r) {
            return new DeliveryView(
                    r.getId(),
                    r.getAlertId(),
                    r.getReceiver(),
                    r.getKind(),
                    r.getState(),
                    r.getCreatedAt(),
                    r.getAttempts(),
                    r.getNextAttemptAt(),
                    r.getDeliveredAt(),
                    r.getLastError());
        }
    }

    /**
     * A configured receiver, as the API shows it. {@code lastError}: the error of its most recently tried delivery
     * that is still pending (empty when nothing pending has failed). {@code circuit}: this replica's circuit.
     */
    public record ReceiverStatus(
            String name,
            ReceiverType type,
            boolean sendResolved,
            Severity minSeverity,
            long pending,
            Optional<Instant> lastDeliveredAt,
            Optional<String> lastError,
            CircuitState circuit) {}

    /** The deliveries of an alert, newest first. */
    @Transactional
    public List<DeliveryView> deliveriesOf(long alertId) {
        return em
                .createQuery(
                        "select d from DeliveryRecord d where d.alertId = :alert order by d.createdAt desc, d.id desc",
                        DeliveryRecord.class)
                .setParameter("alert", alertId)
                .getResultList()
                .stream()
                .map(DeliveryView::of)
                .toList();
    }

    /** Every configured receiver, by name. */
    @Transactional
    public List<ReceiverStatus> receivers() {
        Map<String, Long> pending = new HashMap<>();
        for (Object[] r : em.createQuery(
                        "select d.receiver, count(d) from DeliveryRecord d where d.state = '" + DeliveryRecord.PENDING
                                + "' group by d.receiver",
                        Object[].class)
                .getResultList()) {
            pending.put((String) r[0], (Long) r[1]);
        }
        Map<String, Instant> delivered = new HashMap<>();
        for (Object[] r : em.createQuery(
                        "select d.receiver, max(d.deliveredAt) from DeliveryRecord d where d.state = '"
                                + DeliveryRecord.DELIVERED + "' group by d.receiver",
                        Object[].class)
                .getResultList()) {
            delivered.put((String) r[0], (Instant) r[1]);
        }
        Map<String, String> errors = new HashMap<>();
        for (Object[] r : em.unwrap(Session.class)
                .createNativeQuery(
                        "SELECT DISTINCT ON (receiver) receiver, last_error FROM health_alert_deliveries"
                                + " WHERE state = '" + DeliveryRecord.PENDING + "' AND attempts > 0"
                                + " AND last_error IS NOT NULL ORDER BY receiver, next_attempt_at DESC",
                        Object[].class)
                .getResultList()) {
            errors.put((String) r[0], (String) r[1]);
        }
        List<ReceiverStatus> out = new ArrayList<>();
        for (Receiver r : receivers.all()) {
            out.add(new ReceiverStatus(
                    r.name(),
                    r.type(),
                    r.sendResolved(),
                    r.minSeverity(),
                    pending.getOrDefault(r.name(), 0L),
                    Optional.ofNullable(delivered.get(r.name())),
                    Optional.ofNullable(errors.get(r.name())),
                    receivers.circuitState(r.name())));
        }
        return out;
    }
}
