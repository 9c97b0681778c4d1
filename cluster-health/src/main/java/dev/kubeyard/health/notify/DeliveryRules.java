package dev.kubeyard.health.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * What to do with a due delivery before anything is sent: the guards of the worker, pure so that they are tested by
 * table. In this order: a receiver that is gone, or that no longer wants this notification, gets nothing; a refresh
 * that something newer makes pointless is superseded; a delivery older than the maximum age is given up; otherwise it
 * is sent.
 */
final class DeliveryRules {

    private DeliveryRules() {}

    /** What the worker knows of one due delivery. */
    record Due(
            DeliveryKind kind,
            Instant createdAt,
            int attempts,
            boolean receiverConfigured,
            boolean receiverWantsIt,
            boolean alertFiring,
            boolean newerPendingForSameReceiver) {}

    enum Verdict {
        SEND,
        /** The receiver is no longer configured. */
        GIVE_UP_RECEIVER_GONE,
        /** The receiver's settings changed since (its type, least severity, resolved or not). */
        GIVE_UP_NOT_WANTED,
        /** Not delivered within the maximum age. */
        GIVE_UP_TOO_OLD,
        /** A refresh of an alert that has resolved, or with a newer notification queued behind it. */
        SUPERSEDE
    }

    static Verdict decide(Due due, Instant now, Duration maxAge) {
        if (!due.receiverConfigured()) {
            return Verdict.GIVE_UP_RECEIVER_GONE;
        }
        if (due.kind() == DeliveryKind.REFRESH && (!due.alertFiring() || due.newerPendingForSameReceiver())) {
            return Verdict.SUPERSEDE;
        }
        if (!due.receiverWantsIt()) {
            return Verdict.GIVE_UP_NOT_WANTED;
        }
        if (!now.isBefore(due.createdAt().plus(maxAge))) {
            return Verdict.GIVE_UP_TOO_OLD;
        }
        return Verdict.SEND;
    }

    /** The reason stored with a delivery that is not sent (a sentence with its numbers, no URL). */
    static String reason(Verdict verdict, String receiver, Due due, Duration maxAge, String lastError) {
        return switch (verdict) {
            case SEND -> throw new IllegalArgumentException("a delivery that is sent has no reason");
            case GIVE_UP_RECEIVER_GONE -> "receiver " + receiver + " is no longer configured";
            case GIVE_UP_NOT_WANTED ->
                "receiver " + receiver + " no longer takes "
                        + due.kind().wireName().toLowerCase(Locale.ROOT)
                        + " notifications of this alert (its settings changed)";
            case GIVE_UP_TOO_OLD ->
                "not delivered within " + human(maxAge) + " (" + due.attempts() + " attempts)"
                        + (lastError == null ? "" : "; last: " + lastError);
            case SUPERSEDE ->
                due.alertFiring()
                        ? "superseded by a newer notification of the same alert"
                        : "superseded: the alert resolved before its refresh was sent";
        };
    }

    /** {@code 24h}, {@code 90s}, {@code 1500ms}: the way the settings are written. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
