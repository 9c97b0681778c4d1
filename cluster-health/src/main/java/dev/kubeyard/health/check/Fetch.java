package dev.kubeyard.health.check;

import java.util.Objects;
import java.util.Optional;

/**
 * What one call of a probe gave: a value, a typed failure, or nothing because the call was not made (and why). Checks
 * turn each into a status; a failure or a skipped call becomes {@code Unknown} for every check that needed it.
 */
public sealed interface Fetch<T> {

    long millis();

    record Ok<T>(T value, long millis) implements Fetch<T> {
        public Ok {
            Objects.requireNonNull(value, "value");
        }
    }

    record Failed<T>(Failure failure, String message, long millis) implements Fetch<T> {
        public Failed {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(message, "message");
        }
    }

    record Skipped<T>(String why) implements Fetch<T> {
        @Override
        public long millis() {
            return 0;
        }
    }

    /** Why a call gave no value. */
    enum Failure {
        /** Rancher answered that the cluster agent is disconnected (500 {@code cluster agent disconnected}). */
        AGENT_DISCONNECTED,
        /** Rancher (or the network) could not reach the cluster's API: 502/503, connection refused. */
        UNREACHABLE,
        TIMEOUT,
        /** 401 or 403. */
        UNAUTHORIZED,
        /** 404: the API or the resource is not served (no metrics-server, say). */
        NOT_SERVED,
        /** Another error status. */
        ERROR,
        /** An answer that could not be read. */
        BAD_ANSWER
    }

    static <T> Fetch<T> ok(T value, long millis) {
        return new Ok<>(value, millis);
    }

    static <T> Fetch<T> failed(Failure failure, String message, long millis) {
        return new Failed<>(failure, message, millis);
    }

    static <T> Fetch<T> skipped(String why) {
        return new Skipped<>(why);
    }

    default Optional<T> get() {
        return this instanceof Ok<T> ok ? Optional.of(ok.value()) : Optional.empty();
    }

    /** A sentence saying why there is no value (empty for a value). */
    default String problem() {
        return switch (this) {
            case Ok<T> ignored -> "";
            case Failed<T> f -> f.message();
            case Skipped<T> s -> s.why();
        };
    }
}
