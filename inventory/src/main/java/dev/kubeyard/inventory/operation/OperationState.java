package dev.kubeyard.inventory.operation;

import java.util.EnumSet;
import java.util.Set;

/** The life of an operation: Pending, then Running, then one of the terminal states. Stored as its wire name. */
public enum OperationState {
    PENDING("Pending"),
    RUNNING("Running"),
    SUCCEEDED("Succeeded"),
    FAILED("Failed"),
    CANCELLED("Cancelled");

    private final String wireName;

    OperationState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** The states this one may move to. A terminal state moves nowhere; staying in the same state is not a move. */
    public Set<OperationState> successors() {
        return switch (this) {
            case PENDING -> EnumSet.of(RUNNING, FAILED, CANCELLED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED);
            case SUCCEEDED, FAILED, CANCELLED -> EnumSet.noneOf(OperationState.class);
        };
    }

    public static OperationState fromWireName(String wireName) {
        for (OperationState state : values()) {
            if (state.wireName.equals(wireName)) {
                return state;
            }
        }
        throw new IllegalArgumentException("Unknown operation state: " + wireName);
    }
}
