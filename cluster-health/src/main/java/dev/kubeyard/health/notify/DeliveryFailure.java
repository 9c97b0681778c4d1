package dev.kubeyard.health.notify;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A delivery the receiver did not take: it answered other than 2xx, or did not answer. The message names the
 * receiver and the status or the exception's class, never the URL (which may carry a credential) nor the exception's
 * own message (which may quote the URL).
 */
final class DeliveryFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The HTTP status, or 0 when the receiver did not answer. */
    private final int status;

    private final boolean rejected;

    /** What the receiver asked for with {@code Retry-After}, or null. */
    private final Duration retryAfter;

    private DeliveryFailure(String message, int status, boolean rejected, Duration retryAfter) {
        // No stack trace: the message says everything, and failures are expected while a receiver is down.
        super(message, null, false, false);
        this.status = status;
        this.rejected = rejected;
        this.retryAfter = retryAfter;
    }

    static DeliveryFailure answered(String receiver, int status, Optional<Duration> retryAfter) {
        boolean rejected = isRejection(status);
        String message = "receiver " + receiver + " answered " + status
                + (rejected ? " (refused: check the receiver's URL and token)" : "");
        return new DeliveryFailure(message, status, rejected, retryAfter.orElse(null));
    }

    static DeliveryFailure noAnswer(String receiver, Exception cause) {
        String what = cause instanceof InterruptedIOException
                ? "no answer in time (" + cause.getClass().getSimpleName() + ")"
                : "no answer (" + cause.getClass().getSimpleName() + ")";
        return new DeliveryFailure("receiver " + receiver + ": " + what, 0, false, null);
    }

    /**
     * A refusal the receiver will repeat until its configuration changes: a 4xx other than 408 (timeout) and 429 (too
     * many requests), or a redirect (not followed, so that the token never goes to another address). Retried with
     * back-off like any other failure, so that a receiver whose settings are mended still gets what it is owed within
     * the maximum age, but counted apart ({@code outcome="rejected"}).
     */
    static boolean isRejection(int status) {
        return status >= 300 && status < 500 && status != 408 && status != 429;
    }

    int status() {
        return status;
    }

    boolean rejected() {
        return rejected;
    }

    Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
