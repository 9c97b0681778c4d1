package dev.kubeyard.health.notify;

import dev.kubeyard.health.control.HealthConfig;
import dev.kubeyard.health.record.AlertRecord;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.hibernate.Session;
import org.hibernate.jpa.HibernateHints;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Works off the delivery outbox, on every replica, every {@code kubeyard.health.delivery.interval}. A round takes up
 * to {@code batch} due deliveries, oldest first, locked with {@code FOR UPDATE SKIP LOCKED} in one transaction: two
 * replicas never take the same row, and a replica that dies mid-round leaves its rows Pending (nothing it did
 * commits). Only the first pending delivery of each alert and receiver is due, so a resolution never overtakes its
 * alert's first notice. Each is sent (its receiver's circuit permitting) and marked Delivered, or tried again after a
 * back-off, or postponed while the circuit is open, superseded, or given up; DESIGN.md has the whole story.
 *
 * <p>Scheduled by a thread of its own rather than {@code @Scheduled}: in this application {@code @Scheduled} runs on
 * Quartz's clustered store (one replica at a time, a row write per firing), and the simple scheduler beside it needs
 * a build-time switch ({@code quarkus.scheduler.use-composite-scheduler}) in the application. Off when
 * {@code kubeyard.health.enabled} is false.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    static final String DELIVERIES = "kubeyard.health.alert.deliveries";
    static final String PENDING = "kubeyard.health.alert.deliveries.pending";
    static final String DURATION = "kubeyard.health.alert.delivery.duration";

    /** Rounds one tick may run back to back while each takes a full batch (a backlog after an outage). */
    static final int MAX_ROUNDS_PER_TICK = 10;

    /**
     * The due deliveries of a round. The state literals (not parameters) let PostgreSQL use the partial index of
     * pending rows; the NOT EXISTS keeps all but the oldest pending delivery of an alert and receiver back.
     */
    static final String DUE = "SELECT d.* FROM health_alert_deliveries d"
            + " WHERE d.state = '" + DeliveryRecord.PENDING + "' AND d.next_attempt_at <= ?1"
            + " AND NOT EXISTS (SELECT 1 FROM health_alert_deliveries e"
            + " WHERE e.alert_id = d.alert_id AND e.receiver = d.receiver"
            + " AND e.state = '" + DeliveryRecord.PENDING + "' AND e.id < d.id)"
            + " ORDER BY d.created_at, d.id LIMIT ?2"
            + " FOR UPDATE OF d SKIP LOCKED";

    @Inject
    HealthConfig config;

    @Inject
    Receivers receivers;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry meters;

    private final AtomicLong pending = new AtomicLong();
    private volatile boolean stopping;
    private ScheduledExecutorService ticker;
    private WebhookClient http;
    private Backoff backoff;

    /** What one round did. {@code leftOver}: taken but not handled, for the round ran out of time. */
    public record Round(int taken, int delivered, int failed, int postponed, int gaveUp, int superseded, int leftOver) {

        static final Round NOTHING = new Round(0, 0, 0, 0, 0, 0, 0);
    }

    @PostConstruct
    void init() {
        HealthConfig.Delivery d = config.delivery();
        backoff = new Backoff(d.backoffInitial(), d.backoffMax());
        http = new WebhookClient(d.timeout());
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Alert delivery is off on this replica (kubeyard.health.enabled=false)");
            return;
        }
        meters.gauge(PENDING, pending);
        long every = config.delivery().interval().toMillis();
        ticker = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("health-delivery").daemon().factory());
        ticker.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        stopping = true;
        if (ticker == null) {
            return;
        }
        // A round under way finishes the delivery it is sending and commits; the rest stay Pending.
        ticker.shutdown();
        try {
            if (!ticker.awaitTermination(config.delivery().timeout().toMillis() + 2000, TimeUnit.MILLISECONDS)) {
                ticker.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void close() {
        if (http != null) {
            http.close();
        }
    }

    private void tick() {
        try {
            int batch = config.delivery().batch();
            for (int i = 0; i < MAX_ROUNDS_PER_TICK && !stopping; i++) {
                Round r = deliverDue();
                if (r.taken() < batch || r.leftOver() > 0) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("Alert delivery round failed; its deliveries stay pending for the next one: %s", e.toString());
        }
    }

    /**
     * One round, in a transaction of its own: what the worker does every interval (a test or a caller that wants the
     * outbox worked off now may call it too; concurrent rounds take different rows).
     */
    public Round deliverDue() {
        return QuarkusTransaction.requiringNew()
                .timeout(transactionTimeoutSeconds(config.delivery()))
                .call(this::round);
    }

    /**
     * A round stops starting deliveries after this long, so that its transaction (and the locks on its rows) ends
     * well within the transaction timeout however slow the receivers are.
     */
    static Duration roundBudget(HealthConfig.Delivery d) {
        return d.timeout().multipliedBy(6);
    }

    static int transactionTimeoutSeconds(HealthConfig.Delivery d) {
        Duration t = roundBudget(d).plus(d.timeout().multipliedBy(2)).plusSeconds(10);
        return (int) Math.min(Integer.MAX_VALUE, t.toSeconds() + 1);
    }

    Round round() {
        HealthConfig.Delivery d = config.delivery();
        Instant started = clock.instant();
        List<DeliveryRecord> due = em.unwrap(Session.class)
                .createNativeQuery(DUE, DeliveryRecord.class)
                .setParameter(1, started)
                .setParameter(2, d.batch())
                .getResultList();
        Round round = Round.NOTHING;
        if (!due.isEmpty()) {
            Map<Long, AlertRecord> alerts = alerts(due);
            Map<Key, Long> newest = newestPending(alerts.keySet());
            Counts counts = new Counts();
            Instant deadline = started.plus(roundBudget(d));
            for (DeliveryRecord row : due) {
                if (stopping || clock.instant().isAfter(deadline)) {
                    counts.leftOver++;
                    continue;
                }
                AlertRecord alert = alerts.get(row.getAlertId());
                if (alert == null) {
                    // The alert was deleted (retention) since the query: its deliveries went with it.
                    continue;
                }
                MDC.put("cluster", alert.getCluster());
                try {
                    handle(row, alert, newest, counts, d);
                } finally {
                    MDC.remove("cluster");
                }
            }
            em.flush();
            pruneRefreshes(counts.refreshesDelivered);
            round = counts.round(due.size());
        }
        pending.set(em.createQuery(
                        "select count(d) from DeliveryRecord d where d.state = '" + DeliveryRecord.PENDING + "'",
                        Long.class)
                .getSingleResult());
        if (round.taken() > 0) {
            LOG.debugf("Alert delivery round: %s", round);
        }
        return round;
    }

    private Map<Long, AlertRecord> alerts(List<DeliveryRecord> due) {
        Set<Long> ids = due.stream().map(DeliveryRecord::getAlertId).collect(Collectors.toSet());
        // Read only: the sweep may change an alert meanwhile, and this round must not write it back.
        return em
                .createQuery("select a from AlertRecord a where a.id in :ids", AlertRecord.class)
                .setParameter("ids", ids)
                .setHint(HibernateHints.HINT_READ_ONLY, true)
                .getResultList()
                .stream()
                .collect(Collectors.toMap(AlertRecord::getId, a -> a));
    }

    /** The newest pending delivery of each alert and receiver: a refresh with something newer behind it is moot. */
    private Map<Key, Long> newestPending(Set<Long> alertIds) {
        if (alertIds.isEmpty()) {
            return Map.of();
        }
        Map<Key, Long> out = new HashMap<>();
        for (Object[] r : em.createQuery(
                        "select d.alertId, d.receiver, max(d.id) from DeliveryRecord d where d.state = '"
                                + DeliveryRecord.PENDING + "' and d.alertId in :ids group by d.alertId, d.receiver",
                        Object[].class)
                .setParameter("ids", alertIds)
                .getResultList()) {
            out.put(new Key((Long) r[0], (String) r[1]), (Long) r[2]);
        }
        return out;
    }

    private void handle(
            DeliveryRecord row, AlertRecord alert, Map<Key, Long> newest, Counts counts, HealthConfig.Delivery d) {
        Instant now = clock.instant();
        Optional<Receiver> receiver = receivers.get(row.getReceiver());
        DeliveryKind kind = row.getKind();
        DeliveryRules.Due due = new DeliveryRules.Due(
                kind,
                row.getCreatedAt(),
                row.getAttempts(),
                receiver.isPresent(),
                receiver.map(r -> r.wants(alert.getSeverity(), kind)).orElse(false),
                alert.isFiring(),
                newest.getOrDefault(new Key(row.getAlertId(), row.getReceiver()), row.getId()) > row.getId());
        DeliveryRules.Verdict verdict = DeliveryRules.decide(due, now, d.maxAge());
        switch (verdict) {
            case SEND -> send(row, receiver.orElseThrow(), alert, now, counts, d);
            case SUPERSEDE -> {
                row.superseded(DeliveryRules.reason(verdict, row.getReceiver(), due, d.maxAge(), null));
                counts.superseded++;
                count(row.getReceiver(), "superseded");
            }
            default -> {
                String why = DeliveryRules.reason(
                        verdict,
                        row.getReceiver(),
                        due,
                        d.maxAge(),
                        row.getLastError().orElse(null));
                LOG.warnf(
                        "Gave up on the %s notification of alert %d (%s) to receiver %s: %s",
                        kind.wireName(), alert.getId(), alert.getRule(), row.getReceiver(), why);
                row.gaveUp(why);
                counts.gaveUp++;
                count(row.getReceiver(), "gave_up");
            }
        }
    }

    private void send(
            DeliveryRecord row,
            Receiver receiver,
            AlertRecord alert,
            Instant now,
            Counts counts,
            HealthConfig.Delivery d) {
        AlertNotice notice = AlertNotice.of(alert);
        String body =
                switch (receiver.type()) {
                    case ALERTMANAGER -> AlertmanagerPayload.body(notice, row.getKind(), now, d.resendInterval());
                    case SLACK -> SlackMessage.body(notice, row.getKind());
                };
        ReceiverCircuit circuit = receivers.circuit(receiver.name());
        Timer timer = meters.timer(DURATION, "receiver", receiver.name());
        String failure;
        boolean rejected = false;
        Optional<Duration> retryAfter = Optional.empty();
        try {
            if (!circuit.send(() -> timer.record(() -> http.post(receiver, body)))) {
                row.postponed(now.plus(Backoff.jitter(circuit.delay(), random())));
                counts.postponed++;
                count(receiver.name(), "postponed");
                return;
            }
            row.delivered(clock.instant());
            counts.delivered++;
            count(receiver.name(), "delivered");
            if (row.getKind() == DeliveryKind.REFRESH) {
                counts.refreshesDelivered.add(row);
            }
            LOG.debugf(
                    "Delivered the %s notification of alert %d (%s) to receiver %s",
                    row.getKind().wireName(), alert.getId(), alert.getRule(), receiver.name());
            return;
        } catch (DeliveryFailure f) {
            failure = f.getMessage();
            rejected = f.rejected();
            retryAfter = f.retryAfter();
        } catch (RuntimeException e) {
            // Not an answer of the receiver (a bug, a broken body): still an attempt, named by its class only, as its
            // message might quote the URL.
            failure = "receiver " + receiver.name() + ": delivery failed ("
                    + e.getClass().getName() + ")";
        }
        int failures = row.getAttempts() + 1;
        Instant next = now.plus(backoff.next(failures, retryAfter, random()));
        row.failed(failure, next);
        counts.failed++;
        count(receiver.name(), rejected ? "rejected" : "failed");
        if (rejected && failures == 1) {
            LOG.warnf(
                    "Alert receiver %s refused the %s notification of alert %d: %s; tried again with back-off",
                    receiver.name(), row.getKind().wireName(), alert.getId(), failure);
        } else {
            LOG.debugf(
                    "The %s notification of alert %d to receiver %s failed (attempt %d, next at %s): %s",
                    row.getKind().wireName(), alert.getId(), receiver.name(), failures, next, failure);
        }
    }

    /** Keeps the latest delivered refresh of an alert and receiver only: refreshes come every resend interval. */
    private void pruneRefreshes(List<DeliveryRecord> delivered) {
        for (DeliveryRecord r : delivered) {
            em.createQuery("delete from DeliveryRecord d where d.alertId = :alert and d.receiver = :receiver"
                            + " and d.kind = :refresh and d.state in (:done) and d.id < :id")
                    .setParameter("alert", r.getAlertId())
                    .setParameter("receiver", r.getReceiver())
                    .setParameter("refresh", DeliveryKind.REFRESH.wireName())
                    .setParameter("done", List.of(DeliveryRecord.DELIVERED, DeliveryRecord.SUPERSEDED))
                    .setParameter("id", r.getId())
                    .executeUpdate();
        }
    }

    private void count(String receiver, String outcome) {
        meters.counter(DELIVERIES, "receiver", receiver, "outcome", outcome).increment();
    }

    private static double random() {
        return ThreadLocalRandom.current().nextDouble();
    }

    /** An alert and a receiver: the unit of ordering. */
    record Key(long alertId, String receiver) {}

    private static final class Counts {
        int delivered;
        int failed;
        int postponed;
        int gaveUp;
        int superseded;
        int leftOver;
        final List<DeliveryRecord> refreshesDelivered = new ArrayList<>();

        Round round(int taken) {
            return new Round(taken, delivered, failed, postponed, gaveUp, superseded, leftOver);
        }
    }
}
