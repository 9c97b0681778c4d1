package dev.kubeyard.nodepool.healing;

import java.util.Objects;
import java.util.Optional;

/**
 * One step of a {@link HealingPlan}, with its reason word and a message with the numbers. Only {@link ReplaceNode}
 * and {@link RaiseAlert} make the actor do something; the others are recorded and nothing else, a dry run's
 * {@link WouldReplaceNode} included: it is its own type so that no actor can carry it out by mistake.
 */
public sealed interface HealingAction {

    String cluster();

    /** A CamelCase word from {@link HealingReasons}. */
    String reason();

    /** A sentence with the numbers. */
    String message();

    /** Whether the actor does something in the world for it; the rest is only recorded. */
    boolean acts();

    /** Delete the machine through Rancher, which creates its successor; the evidence goes into the record first. */
    record ReplaceNode(String cluster, String pool, String machine, String reason, String message, Evidence evidence)
            implements HealingAction {
        public ReplaceNode {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(machine, "machine");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(evidence, "evidence");
        }

        @Override
        public boolean acts() {
            return true;
        }
    }

    /** Dry run: the replacement every guard let through, recorded as it would be, never carried out. */
    record WouldReplaceNode(
            String cluster, String pool, String machine, String reason, String message, Evidence evidence)
            implements HealingAction {
        public WouldReplaceNode {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(machine, "machine");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(evidence, "evidence");
        }

        @Override
        public boolean acts() {
            return false;
        }
    }

    /**
     * A guard held healing back: of the whole cluster (pool and machine empty), of a pool (machine empty), or of one
     * machine.
     */
    record HoldBack(
            String cluster,
            Optional<String> pool,
            Optional<String> machine,
            HealingRule rule,
            String reason,
            String message)
            implements HealingAction {
        public HoldBack {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(machine, "machine");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean acts() {
            return false;
        }
    }

    /** Something a person must look at: too many unhealthy, repeated failures, etcd quorum lost, a budget spent. */
    record RaiseAlert(String cluster, Optional<String> pool, String reason, String message) implements HealingAction {
        public RaiseAlert {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        /** The kind of alert: its reason word. */
        public String kind() {
            return reason;
        }

        @Override
        public boolean acts() {
            return true;
        }
    }

    /** Nothing to do, and why. */
    record Noop(String cluster, String reason, String message) implements HealingAction {
        public Noop {
            Objects.requireNonNull(cluster, "cluster");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public boolean acts() {
            return false;
        }
    }
}
