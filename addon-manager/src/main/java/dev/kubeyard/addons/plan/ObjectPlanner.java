package dev.kubeyard.addons.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Compares what an installation should have in the cluster with what the cluster holds under the addon's label, and
 * says what to do. Pure: the controller observes and acts.
 */
public final class ObjectPlanner {

    /** Kinds never pruned: deleting them takes with them what others put inside (workloads, data, custom objects). */
    static final Set<String> NEVER_PRUNED = Set.of("Namespace", "PersistentVolumeClaim", "CustomResourceDefinition");

    private ObjectPlanner() {}

    /**
     * @param desired the rendered, decorated objects
     * @param live the cluster's objects labelled for the addon, by key
     * @param appliedBefore the keys the controller applied before (its record): a missing one was deleted by hand
     */
    public static ObjectPlan plan(
            List<DesiredObject> desired, Map<ObjectKey, ObjectNode> live, Set<ObjectKey> appliedBefore) {
        List<ObjectPlan.Missing> create = new ArrayList<>();
        List<DesiredObject> update = new ArrayList<>();
        List<ObjectPlan.Repair> repair = new ArrayList<>();
        List<DesiredObject> unchanged = new ArrayList<>();
        for (DesiredObject d : desired) {
            ObjectNode current = live.get(d.key());
            if (current == null) {
                create.add(new ObjectPlan.Missing(d, appliedBefore.contains(d.key())));
                continue;
            }
            Optional<String> difference = Drift.difference(d.body(), current);
            if (difference.isEmpty()) {
                unchanged.add(d);
            } else if (!digest(current).equals(digest(d.body()))) {
                update.add(d);
            } else {
                repair.add(new ObjectPlan.Repair(d, difference.get()));
            }
        }
        Set<ObjectKey> wanted = new java.util.HashSet<>();
        desired.forEach(d -> wanted.add(d.key()));
        List<ObjectPlan.Prune> prune = new ArrayList<>();
        List<ObjectPlan.Prune> keep = new ArrayList<>();
        for (Map.Entry<ObjectKey, ObjectNode> e : live.entrySet()) {
            if (wanted.contains(e.getKey())) {
                continue;
            }
            String apiVersion = e.getValue().path("apiVersion").asText();
            Optional<String> rule = keepRule(e.getKey(), e.getValue());
            if (rule.isPresent()) {
                keep.add(new ObjectPlan.Prune(e.getKey(), apiVersion, rule.get()));
            } else {
                prune.add(new ObjectPlan.Prune(e.getKey(), apiVersion, "not in the version any more"));
            }
        }
        // Prune in reverse apply order: workloads before what they use.
        Comparator<ObjectPlan.Prune> reverse = Comparator.comparingInt(
                        (ObjectPlan.Prune p) -> ApplyOrder.rank(p.key().kind()))
                .reversed()
                .thenComparing(ObjectPlan.Prune::key);
        prune.sort(reverse);
        keep.sort(reverse);
        create.sort(Comparator.comparing(m -> m.object(), ApplyOrder.COMPARATOR));
        update.sort(ApplyOrder.COMPARATOR);
        repair.sort(Comparator.comparing(r -> r.object(), ApplyOrder.COMPARATOR));
        return new ObjectPlan(create, update, repair, unchanged, prune, keep);
    }

    /** Why an object the version no longer has must stay, if it must. */
    static Optional<String> keepRule(ObjectKey key, JsonNode live) {
        if (NEVER_PRUNED.contains(key.kind())) {
            return Optional.of(key.kind() + "s are never pruned: deleting one deletes what others put in it");
        }
        JsonNode annotations = live.path("metadata").path("annotations");
        if ("false".equals(annotations.path(ManagedLabels.PRUNE).asText())) {
            return Optional.of("annotated " + ManagedLabels.PRUNE + "=false");
        }
        if ("keep".equals(annotations.path(ManagedLabels.HELM_KEEP).asText())) {
            return Optional.of("annotated " + ManagedLabels.HELM_KEEP + "=keep");
        }
        return Optional.empty();
    }

    private static String digest(JsonNode object) {
        return object.path("metadata")
                .path("annotations")
                .path(ManagedLabels.DIGEST)
                .asText("");
    }
}
