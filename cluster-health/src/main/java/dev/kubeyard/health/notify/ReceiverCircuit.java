package dev.kubeyard.health.notify;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * One receiver's circuit breaker (SmallRye Fault Tolerance's programmatic {@link Guard}, one per receiver and
 * replica): when {@value #FAILURES} of its last {@value #WINDOW} deliveries failed, the circuit opens and the
 * receiver is left alone for the circuit's delay; the next delivery after it is a trial that closes the circuit again
 * or keeps it open. Deliveries that meet an open circuit are postponed, not failed: they count no attempt.
 */
final class ReceiverCircuit {

    private static final Logger LOG = Logger.getLogger(ReceiverCircuit.class);

    /** The rolling window of the breaker, in deliveries. */
    static final int WINDOW = 4;

    /** Failures within the window that open the circuit. */
    static final int FAILURES = 3;

    private final String receiver;
    private final Duration delay;
    private final Guard guard;
    private volatile CircuitState state = CircuitState.CLOSED;

    ReceiverCircuit(String receiver, Duration delay) {
        this.receiver = receiver;
        this.delay = delay;
        this.guard = Guard.create()
                .withDescription("alert receiver " + receiver)
                .withCircuitBreaker()
                .requestVolumeThreshold(WINDOW)
                .failureRatio((double) FAILURES / WINDOW)
                .delay(delay.toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1)
                .onStateChange(this::changed)
                .done()
                .build();
    }

    /**
     * Sends through the breaker: a failure of {@code send} (any exception) counts against the receiver and is
     * thrown on.
     *
     * @return false when the circuit is open and nothing was sent
     */
    boolean send(Runnable send) {
        try {
            guard.get(
                    () -> {
                        send.run();
                        return Boolean.TRUE;
                    },
                    Boolean.class);
            return true;
        } catch (CircuitBreakerOpenException e) {
            return false;
        }
    }

    CircuitState state() {
        return state;
    }

    /** How long the circuit stays open before a trial delivery. */
    Duration delay() {
        return delay;
    }

    private void changed(CircuitBreakerState next) {
        CircuitState was = state;
        state = switch (next) {
            case CLOSED -> CircuitState.CLOSED;
            case OPEN -> CircuitState.OPEN;
            case HALF_OPEN -> CircuitState.HALF_OPEN;
        };
        if (state == CircuitState.OPEN && was == CircuitState.CLOSED) {
            LOG.warnf(
                    "Alert receiver %s failed %d or more of its last %d deliveries: its deliveries wait %s between trials"
                            + " (circuit open)",
                    receiver, FAILURES, WINDOW, DeliveryRules.human(delay));
        } else if (state == CircuitState.CLOSED && was != CircuitState.CLOSED) {
            LOG.infof("Alert receiver %s takes deliveries again (circuit closed)", receiver);
        }
    }
}
