package dev.kubeyard.health.notify;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * One notification owed to one receiver: a row of the outbox, written in the transaction that opened or resolved the
 * alert, and worked off by the delivery worker until delivered or given up.
 */
@Entity
@Table(name = "health_alert_deliveries")
public class DeliveryRecord {

    /** Owed, and tried again at {@code nextAttemptAt}. */
    public static final String PENDING = "Pending";

    public static final String DELIVERED = "Delivered";

    /** Not delivered within the delivery's maximum age, or the receiver is no longer configured. */
    public static final String GAVE_UP = "GaveUp";

    /**
     * Not sent because something newer says more: a refresh of an alert that has resolved since, or one with a newer
     * refresh queued behind it.
     */
    public static final String SUPERSEDED = "Superseded";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "alert_id", nullable = false, updatable = false)
    private Long alertId;

    @Column(nullable = false, updatable = false)
    private String receiver;

    @Column(nullable = false, updatable = false)
    private String kind;

    @Column(nullable = false)
    private String state;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(nullable = false)
    private int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    private Instant nextAttemptAt;

    @Column(name = "delivered_at")
    private Instant deliveredAt;

    @Column(name = "last_error")
    private String lastError;

    protected DeliveryRecord() {}

    public DeliveryRecord(Long alertId, String receiver, DeliveryKind kind, Instant now) {
        this.alertId = alertId;
        this.receiver = receiver;
        this.kind = kind.wireName();
        this.state = PENDING;
        this.createdAt = now;
        this.nextAttemptAt = now;
    }

    public void delivered(Instant now) {
        attempts++;
        state = DELIVERED;
        deliveredAt = now;
        lastError = null;
    }

    /** A failed attempt: tried again at {@code next}. The error is a sentence without secrets (no URL). */
    public void failed(String error, Instant next) {
        attempts++;
        lastError = error;
        nextAttemptAt = next;
    }

    /**
     * Not tried this time (the receiver's circuit is open after repeated failures): tried at {@code next}, without
     * counting an attempt; the last error stays what the receiver last answered.
     */
    public void postponed(Instant next) {
        nextAttemptAt = next;
    }

    public void superseded(String why) {
        state = SUPERSEDED;
        lastError = why;
    }

    public void gaveUp(String why) {
        state = GAVE_UP;
        lastError = why;
    }

    public Long getId() {
        return id;
    }

    public Long getAlertId() {
        return alertId;
    }

    public String getReceiver() {
        return receiver;
    }

    public DeliveryKind getKind() {
        return DeliveryKind.fromWireName(kind);
    }

    public String getState() {
        return state;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public int getAttempts() {
        return attempts;
    }

    public Instant getNextAttemptAt() {
        return nextAttemptAt;
    }

    public Optional<Instant> getDeliveredAt() {
        return Optional.ofNullable(deliveredAt);
    }

    public Optional<String> getLastError() {
        return Optional.ofNullable(lastError);
    }
}
