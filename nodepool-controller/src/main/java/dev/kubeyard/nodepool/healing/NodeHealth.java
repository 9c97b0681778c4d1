package dev.kubeyard.nodepool.healing;

import java.time.Duration;
import java.util.Objects;

/** What {@link NodeClassifier} makes of one machine and its node. */
public sealed interface NodeHealth {

    /** Whether the node is due for replacement, before the guards have their say. */
    default boolean due() {
        return false;
    }

    /** Whether it counts as unhealthy in the max-unhealthy and jump shares, whatever its timeout. */
    default boolean countsAsUnhealthy() {
        return false;
    }

    /** How far past its timeout it is (zero when it is not past one): the most overdue are replaced first. */
    default Duration overdue() {
        return Duration.ZERO;
    }

    /** A short label for counts: {@code Ready=False}, {@code stuck provisioning}. */
    String label();

    /** What it is, with the numbers: {@code Ready=False for 12 min, timeout 5 min}. */
    String describe();

    /** Running, its node Ready, no unhealthy condition. */
    record Healthy() implements NodeHealth {
        @Override
        public String label() {
            return "healthy";
        }

        @Override
        public String describe() {
            return "healthy";
        }
    }

    /** Coming up: the machine is not running yet, or its node has not been Ready yet, within the timeout. */
    record Provisioning(Duration age, Duration timeout) implements NodeHealth {
        public Duration remaining() {
            return timeout.minus(age);
        }

        @Override
        public String label() {
            return "provisioning";
        }

        @Override
        public String describe() {
            return "provisioning for " + Text.duration(age) + ", timeout " + Text.duration(timeout);
        }
    }

    /** Still coming up after the provisioning timeout. */
    record StuckProvisioning(Duration age, Duration timeout) implements NodeHealth {
        @Override
        public boolean due() {
            return true;
        }

        @Override
        public boolean countsAsUnhealthy() {
            return true;
        }

        @Override
        public Duration overdue() {
            return age.minus(timeout);
        }

        @Override
        public String label() {
            return "stuck provisioning";
        }

        @Override
        public String describe() {
            return "provisioning for " + Text.duration(age) + ", more than the provisioning timeout of "
                    + Text.duration(timeout);
        }
    }

    /** An unhealthy condition holds; due once it has held for its timeout. */
    record Unhealthy(String condition, ConditionStatus status, Duration duration, Duration timeout)
            implements NodeHealth {

        public Unhealthy {
            Objects.requireNonNull(condition, "condition");
            Objects.requireNonNull(status, "status");
        }

        @Override
        public boolean due() {
            return duration.compareTo(timeout) >= 0;
        }

        @Override
        public boolean countsAsUnhealthy() {
            return true;
        }

        @Override
        public Duration overdue() {
            return due() ? duration.minus(timeout) : Duration.ZERO;
        }

        public Duration remaining() {
            return due() ? Duration.ZERO : timeout.minus(duration);
        }

        @Override
        public String label() {
            return condition + "=" + status.wireName();
        }

        @Override
        public String describe() {
            return label() + " for " + Text.duration(duration) + (due() ? ", more than its timeout of " : ", timeout ")
                    + Text.duration(timeout);
        }
    }

    /** Rancher reports the machine Failed: beyond repair, due at once. */
    record MachineFailed(String message) implements NodeHealth {
        public MachineFailed {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean due() {
            return true;
        }

        @Override
        public boolean countsAsUnhealthy() {
            return true;
        }

        @Override
        public String label() {
            return "machine Failed";
        }

        @Override
        public String describe() {
            return message.isBlank()
                    ? "Rancher reports the machine Failed"
                    : "Rancher reports the machine Failed: " + message;
        }
    }

    /** Being deleted: work in flight, never judged; stuck once past the deletion timeout. */
    record Deleting(Duration duration, Duration timeout) implements NodeHealth {
        public boolean stuck() {
            return duration.compareTo(timeout) >= 0;
        }

        @Override
        public String label() {
            return "deleting";
        }

        @Override
        public String describe() {
            return "being deleted for " + Text.duration(duration)
                    + (stuck() ? ", more than the deletion timeout of " : ", timeout ") + Text.duration(timeout);
        }
    }

    /** Its health cannot be told from what was observed (no Ready condition on a node past provisioning). */
    record NotObserved(String why) implements NodeHealth {
        public NotObserved {
            Objects.requireNonNull(why, "why");
        }

        @Override
        public String label() {
            return "not observed";
        }

        @Override
        public String describe() {
            return why;
        }
    }
}
