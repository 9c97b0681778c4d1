package dev.kubeyard.rancher.sim.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** An ordered, compact list of conditions that keeps Kubernetes' transition-time rules. */
public final class Conds {

    private static final Cond[] NONE = new Cond[0];

    private Cond[] items = NONE;

    /**
     * Sets a condition; a new type is appended. Returns whether anything changed. The transition time
     * moves only when the status flips, the update time whenever something changed.
     */
    public boolean set(String type, String status, String reason, String message, Instant now) {
        for (int i = 0; i < items.length; i++) {
            Cond old = items[i];
            if (old.type().equals(type)) {
                if (old.status().equals(status)
                        && Objects.equals(old.reason(), reason)
                        && Objects.equals(old.message(), message)) {
                    return false;
                }
                Instant transition = old.status().equals(status) ? old.lastTransitionTime() : now;
                items[i] = new Cond(type, status, reason, message, transition, now);
                return true;
            }
        }
        Cond[] grown = new Cond[items.length + 1];
        System.arraycopy(items, 0, grown, 0, items.length);
        grown[items.length] = new Cond(type, status, reason, message, now, now);
        items = grown;
        return true;
    }

    public boolean remove(String type) {
        for (int i = 0; i < items.length; i++) {
            if (items[i].type().equals(type)) {
                Cond[] shrunk = new Cond[items.length - 1];
                System.arraycopy(items, 0, shrunk, 0, i);
                System.arraycopy(items, i + 1, shrunk, i, items.length - i - 1);
                items = shrunk;
                return true;
            }
        }
        return false;
    }

    public Cond get(String type) {
        for (Cond c : items) {
            if (c.type().equals(type)) {
                return c;
            }
        }
        return null;
    }

    public boolean isTrue(String type) {
        Cond c = get(type);
        return c != null && c.isTrue();
    }

    public List<Cond> all() {
        return List.of(items);
    }

    public boolean isEmpty() {
        return items.length == 0;
    }

    public void clear() {
        items = NONE;
    }

    /** A copy that shares the (immutable) conditions. */
    public List<Cond> snapshot() {
        return new ArrayList<>(List.of(items));
    }
}
