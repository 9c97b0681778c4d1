package dev.kubeyard.addons.plan;

import java.util.List;

/**
 * What to do with one installation's objects in a cluster: create the missing, repair the edited, update those of an
 * older version, leave the rest, and prune what the version no longer has (unless a safety rule keeps it).
 *
 * @param create desired objects the cluster lacks (new, or deleted by hand when {@code deletedByHand})
 * @param update desired objects applied before at another version or with other values
 * @param repair desired objects at the right version that someone edited: the path says where
 * @param prune objects labelled for the addon that the version no longer has
 * @param keep objects the version no longer has, held back by a safety rule (with the rule)
 */
public record ObjectPlan(
        List<Missing> create,
        List<DesiredObject> update,
        List<Repair> repair,
        List<DesiredObject> unchanged,
        List<Prune> prune,
        List<Prune> keep) {

    /** A desired object that is not in the cluster; deleted by hand when it was applied before. */
    public record Missing(DesiredObject object, boolean deletedByHand) {}

    /** A desired object edited in the cluster: {@code path} is the first applied field that differs. */
    public record Repair(DesiredObject object, String path) {}

    public record Prune(ObjectKey key, String apiVersion, String reason) {}

    /** Every object to apply, in apply order. */
    public List<DesiredObject> toApply() {
        java.util.ArrayList<DesiredObject> all = new java.util.ArrayList<>();
        create.forEach(m -> all.add(m.object()));
        all.addAll(update);
        repair.forEach(r -> all.add(r.object()));
        all.sort(ApplyOrder.COMPARATOR);
        return all;
    }

    /** Hand changes found: objects deleted or edited since the last apply. */
    public int drift() {
        return (int) create.stream().filter(Missing::deletedByHand).count() + repair.size();
    }

    public boolean inSync() {
        return create.isEmpty() && update.isEmpty() && repair.isEmpty() && prune.isEmpty();
    }
}
