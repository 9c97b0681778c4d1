package dev.kubeyard.addons.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ObjectPlannerTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode object(
            String apiVersion, String kind, String ns, String name, String digest, Map<String, Object> data) {
        ObjectNode o = JSON.createObjectNode();
        o.put("apiVersion", apiVersion);
        o.put("kind", kind);
        o.putObject("metadata").put("name", name);
        if (ns != null) {
            ((ObjectNode) o.get("metadata")).put("namespace", ns);
        }
        ObjectNode rendered = ManagedLabels.decorate(o, "demo", "1.0.0", digest, ns);
        rendered.set("data", JSON.valueToTree(data));
        return rendered;
    }

    static DesiredObject desired(ObjectNode o) {
        return DesiredObject.of(o);
    }

    @Test
    void whatIsMissingIsCreatedAndWhatWasAppliedBeforeCountsAsDeletedByHand() {
        ObjectNode a = object("v1", "ConfigMap", "demo", "a", "d1", Map.of("k", "v"));
        ObjectNode b = object("v1", "ConfigMap", "demo", "b", "d1", Map.of("k", "v"));
        ObjectPlan plan = ObjectPlanner.plan(List.of(desired(a), desired(b)), Map.of(), Set.of(ObjectKey.of(b)));
        assertThat(plan.create())
                .extracting(m -> m.object().key().name(), ObjectPlan.Missing::deletedByHand)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", false),
                        org.assertj.core.groups.Tuple.tuple("b", true));
        assertThat(plan.drift()).isEqualTo(1);
    }

    @Test
    void anotherDigestIsAnUpdateAndTheSameDigestWithADifferenceIsARepair() {
        ObjectNode applied = object("v1", "ConfigMap", "demo", "a", "d2", Map.of("k", "v"));
        ObjectNode oldVersion = object("v1", "ConfigMap", "demo", "a", "d1", Map.of("k", "old"));
        ObjectPlan update =
                ObjectPlanner.plan(List.of(desired(applied)), Map.of(ObjectKey.of(applied), oldVersion), Set.of());
        assertThat(update.update()).hasSize(1);
        assertThat(update.repair()).isEmpty();

        ObjectNode edited = applied.deepCopy();
        ((ObjectNode) edited.get("data")).put("k", "by hand");
        ObjectPlan repair =
                ObjectPlanner.plan(List.of(desired(applied)), Map.of(ObjectKey.of(applied), edited), Set.of());
        assertThat(repair.repair()).extracting(ObjectPlan.Repair::path).containsExactly("/data/k");
        assertThat(repair.drift()).isEqualTo(1);
    }

    @Test
    void labelledObjectsTheVersionNoLongerHasArePrunedWorkloadsFirst() {
        ObjectNode keep = object("v1", "ConfigMap", "demo", "keep", "d", Map.of());
        ObjectNode goneConfig = object("v1", "ConfigMap", "demo", "old", "d", Map.of());
        ObjectNode goneDeployment = object("apps/v1", "Deployment", "demo", "old", "d", Map.of());
        ObjectPlan plan = ObjectPlanner.plan(
                List.of(desired(keep)),
                Map.of(
                        ObjectKey.of(keep),
                        keep,
                        ObjectKey.of(goneConfig),
                        goneConfig,
                        ObjectKey.of(goneDeployment),
                        goneDeployment),
                Set.of());
        assertThat(plan.prune()).extracting(p -> p.key().kind()).containsExactly("Deployment", "ConfigMap");
        assertThat(plan.unchanged()).hasSize(1);
    }

    @Test
    void namespacesVolumeClaimsAndAnnotatedObjectsAreKept() {
        ObjectNode namespace = object("v1", "Namespace", null, "logging", "d", Map.of());
        ObjectNode claim = object("v1", "PersistentVolumeClaim", "demo", "data", "d", Map.of());
        ObjectNode annotated = object("v1", "ConfigMap", "demo", "precious", "d", Map.of());
        ((ObjectNode) annotated.get("metadata").get("annotations")).put(ManagedLabels.PRUNE, "false");
        ObjectNode helmKeep = object("v1", "Secret", "demo", "kept", "d", Map.of());
        ((ObjectNode) helmKeep.get("metadata").get("annotations")).put(ManagedLabels.HELM_KEEP, "keep");
        ObjectPlan plan = ObjectPlanner.plan(
                List.of(),
                Map.of(
                        ObjectKey.of(namespace),
                        namespace,
                        ObjectKey.of(claim),
                        claim,
                        ObjectKey.of(annotated),
                        annotated,
                        ObjectKey.of(helmKeep),
                        helmKeep),
                Set.of());
        assertThat(plan.prune()).isEmpty();
        assertThat(plan.keep()).hasSize(4).allSatisfy(k -> assertThat(k.reason())
                .isNotBlank());
    }

    @Test
    void applyOrderPutsNamespacesAndAccountsBeforeWorkloads() {
        ObjectNode deployment = object("apps/v1", "Deployment", "demo", "web", "d", Map.of());
        ObjectNode namespace = object("v1", "Namespace", null, "demo", "d", Map.of());
        ObjectNode account = object("v1", "ServiceAccount", "demo", "web", "d", Map.of());
        ObjectPlan plan = ObjectPlanner.plan(
                List.of(desired(deployment), desired(namespace), desired(account)), Map.of(), Set.of());
        assertThat(plan.toApply())
                .extracting(d -> d.key().kind())
                .containsExactly("Namespace", "ServiceAccount", "Deployment");
    }
}
