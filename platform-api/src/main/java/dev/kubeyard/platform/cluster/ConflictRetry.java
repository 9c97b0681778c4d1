package dev.kubeyard.platform.cluster;

import io.smallrye.faulttolerance.api.Guard;
import jakarta.persistence.OptimisticLockException;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.hibernate.StaleObjectStateException;

/**
 * Runs a whole request transaction again when it lost an optimistic-locking race, typically to the reconciler writing
 * the cluster's status at the same moment. Each attempt reads afresh and validates again, so repeating a declarative
 * change is safe; a request still losing after three tries is answered 409 (ProblemMapper).
 */
final class ConflictRetry {

    private static final Guard GUARD = Guard.create()
            .withDescription("cluster-write-conflict")
            .withRetry()
            .maxRetries(3)
            .delay(20, ChronoUnit.MILLIS)
            .jitter(20, ChronoUnit.MILLIS)
            .whenException(ConflictRetry::lostARace)
            .done()
            .build();

    private ConflictRetry() {}

    static <T> T run(Supplier<T> transaction) {
        try {
            Callable<Object> attempt = transaction::get;
            return cast(GUARD.call(attempt, Object.class));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked") // the guard hands back what the supplier returned
    private static <T> T cast(Object value) {
        return (T) value;
    }

    /** Whether the failure, or any of its causes, is an optimistic-locking conflict. */
    static boolean lostARace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OptimisticLockException || t instanceof StaleObjectStateException) {
                return true;
            }
            if (t.getCause() == t) {
                return false;
            }
        }
        return false;
    }
}
