package dev.kubeyard.rancher.sim.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.downstream.WorkloadStatus.Kind;
import dev.kubeyard.rancher.sim.downstream.WorkloadStatus.Stage;
import dev.kubeyard.rancher.sim.faults.WorkloadFault;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The status a workload controller reports, per kind and stage, with apps/v1's field presence. */
class WorkloadStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(30);

    @Test
    void readyDeploymentReportsEveryReplicaAndBothConditionsTrue() {
        ObjectNode status =
                WorkloadStatus.of(Kind.DEPLOYMENT, workload("Deployment", 3, "web:1", 4), Stage.SETTLED, null, 0, T0);

        assertThat(status.path("observedGeneration").asLong()).isEqualTo(4);
        assertThat(status.path("replicas").asInt()).isEqualTo(3);
        assertThat(status.path("updatedReplicas").asInt()).isEqualTo(3);
        assertThat(status.path("readyReplicas").asInt()).isEqualTo(3);
        assertThat(status.path("availableReplicas").asInt()).isEqualTo(3);
        assertThat(status.has("unavailableReplicas"))
                .as("zero counts are omitted")
                .isFalse();
        assertThat(conditions(status))
                .containsExactly("Available=True/MinimumReplicasAvailable", "Progressing=True/NewReplicaSetAvailable");
        assertThat(condition(status, "Progressing").path("message").asText())
                .matches("ReplicaSet \"web-[bcdfghjklmnpqrstvwxz2456789]+\" has successfully progressed\\.");
        assertThat(condition(status, "Available").path("lastTransitionTime").asText())
                .isEqualTo("2026-11-22T10:00:00Z");
    }

    @Test
    void deploymentWithoutReplicasDefaultsToOne() {
        ObjectNode status = WorkloadStatus.of(
                Kind.DEPLOYMENT, workload("Deployment", null, "web:1", 1), Stage.SETTLED, null, 0, T0);

        assertThat(status.path("readyReplicas").asInt()).isEqualTo(1);
    }

    @Test
    void progressingDeploymentHasTheNewGenerationAndNoReadyReplicas() {
        ObjectNode status = WorkloadStatus.of(
                Kind.DEPLOYMENT, workload("Deployment", 2, "web:1", 2), Stage.PROGRESSING, null, 0, T0);

        assertThat(status.path("observedGeneration").asLong()).isEqualTo(2);
        assertThat(status.has("readyReplicas")).isFalse();
        assertThat(status.has("updatedReplicas")).isFalse();
        assertThat(status.has("availableReplicas")).isFalse();
        assertThat(status.path("unavailableReplicas").asInt()).isEqualTo(2);
        assertThat(conditions(status))
                .containsExactly("Available=False/MinimumReplicasUnavailable", "Progressing=True/ReplicaSetUpdated");
    }

    @Test
    void faultyDeploymentExceedsItsProgressDeadlineWithTheFaultsMessage() {
        ObjectNode status = WorkloadStatus.of(
                Kind.DEPLOYMENT,
                workload("Deployment", 2, "registry.example/broken:1.0", 1),
                Stage.SETTLED,
                WorkloadFault.image("broken"),
                0,
                T0);

        assertThat(status.has("readyReplicas")).isFalse();
        assertThat(status.has("availableReplicas")).isFalse();
        assertThat(status.path("unavailableReplicas").asInt()).isEqualTo(2);
        assertThat(conditions(status))
                .containsExactly(
                        "Available=False/MinimumReplicasUnavailable", "Progressing=False/ProgressDeadlineExceeded");
        assertThat(condition(status, "Progressing").path("message").asText())
                .endsWith(
                        "has timed out progressing: container image \"registry.example/broken:1.0\" ImagePullBackOff");
        assertThat(condition(status, "Available").path("message").asText())
                .isEqualTo("Deployment does not have minimum availability: "
                        + "container image \"registry.example/broken:1.0\" ImagePullBackOff");
    }

    @Test
    void conditionTimesMoveOnlyWhenTheConditionChanges() {
        ObjectNode workload = workload("Deployment", 1, "web:1", 1);
        workload.set("status", WorkloadStatus.of(Kind.DEPLOYMENT, workload, Stage.PROGRESSING, null, 0, T0));

        ObjectNode ready = WorkloadStatus.of(Kind.DEPLOYMENT, workload, Stage.SETTLED, null, 0, T1);

        JsonNode progressing = condition(ready, "Progressing");
        assertThat(progressing.path("lastTransitionTime").asText())
                .as("Progressing stayed True")
                .isEqualTo(T0.toString());
        assertThat(progressing.path("lastUpdateTime").asText())
                .as("its reason changed")
                .isEqualTo(T1.toString());
        assertThat(condition(ready, "Available").path("lastTransitionTime").asText())
                .as("Available flipped")
                .isEqualTo(T1.toString());

        workload.set("status", ready);
        ObjectNode again = WorkloadStatus.of(Kind.DEPLOYMENT, workload, Stage.SETTLED, null, 0, T1.plusSeconds(60));
        assertThat(again).isEqualTo(ready);
    }

    @Test
    void readyStatefulSetHasEqualRevisionsAndEveryReplica() {
        ObjectNode status =
                WorkloadStatus.of(Kind.STATEFUL_SET, workload("StatefulSet", 3, "db:1", 2), Stage.SETTLED, null, 0, T0);

        assertThat(status.path("observedGeneration").asLong()).isEqualTo(2);
        for (String field :
                new String[] {"replicas", "readyReplicas", "currentReplicas", "updatedReplicas", "availableReplicas"}) {
            assertThat(status.path(field).asInt()).as(field).isEqualTo(3);
        }
        assertThat(status.path("currentRevision").asText())
                .startsWith("web-")
                .isEqualTo(status.path("updateRevision").asText());
        assertThat(status.has("conditions")).isFalse();
    }

    @Test
    void statefulSetRollingToANewTemplateKeepsItsCurrentRevisionUntilReady() {
        ObjectNode workload = workload("StatefulSet", 2, "db:1", 1);
        workload.set("status", WorkloadStatus.of(Kind.STATEFUL_SET, workload, Stage.SETTLED, null, 0, T0));
        String oldRevision = workload.at("/status/currentRevision").asText();
        ((ObjectNode) workload.at("/spec/template/spec/containers/0")).put("image", "db:2");

        ObjectNode progressing = WorkloadStatus.of(Kind.STATEFUL_SET, workload, Stage.PROGRESSING, null, 0, T1);

        assertThat(progressing.path("currentRevision").asText()).isEqualTo(oldRevision);
        assertThat(progressing.path("updateRevision").asText()).isNotEqualTo(oldRevision);
        assertThat(progressing.has("readyReplicas")).isFalse();
        assertThat(progressing.path("availableReplicas").asInt())
                .as("availableReplicas is always present")
                .isZero();
        assertThat(progressing.path("replicas").asInt()).isEqualTo(2);
    }

    @Test
    void faultyStatefulSetHasNoReadyReplicasAndSaysWhy() {
        ObjectNode status = WorkloadStatus.of(
                Kind.STATEFUL_SET,
                workload("StatefulSet", 2, "db:1", 1),
                Stage.SETTLED,
                WorkloadFault.named(null, "web").because("CrashLoopBackOff", "back-off restarting failed container"),
                0,
                T0);

        assertThat(status.has("readyReplicas")).isFalse();
        assertThat(status.path("availableReplicas").asInt()).isZero();
        assertThat(conditions(status)).containsExactly("Available=False/CrashLoopBackOff");
        assertThat(condition(status, "Available").path("message").asText())
                .isEqualTo("back-off restarting failed container");
    }

    @Test
    void readyDaemonSetRunsOnEveryNode() {
        ObjectNode status = WorkloadStatus.of(
                Kind.DAEMON_SET, workload("DaemonSet", null, "agent:1", 3), Stage.SETTLED, null, 4, T0);

        assertThat(status.path("observedGeneration").asLong()).isEqualTo(3);
        for (String field : new String[] {
            "desiredNumberScheduled",
            "currentNumberScheduled",
            "numberReady",
            "updatedNumberScheduled",
            "numberAvailable"
        }) {
            assertThat(status.path(field).asInt()).as(field).isEqualTo(4);
        }
        assertThat(status.path("numberMisscheduled").asInt()).isZero();
        assertThat(status.has("numberUnavailable")).isFalse();
    }

    @Test
    void daemonSetOnAClusterWithoutNodesIsReadyWithZeroes() {
        ObjectNode status = WorkloadStatus.of(
                Kind.DAEMON_SET, workload("DaemonSet", null, "agent:1", 1), Stage.SETTLED, null, 0, T0);

        assertThat(status.path("desiredNumberScheduled").isInt())
                .as("required fields stay")
                .isTrue();
        assertThat(status.path("desiredNumberScheduled").asInt()).isZero();
        assertThat(status.path("numberReady").asInt()).isZero();
        assertThat(status.has("numberAvailable")).isFalse();
    }

    @Test
    void faultyDaemonSetHasNoReadyPodsAndAllUnavailable() {
        ObjectNode status = WorkloadStatus.of(
                Kind.DAEMON_SET, workload("DaemonSet", null, "agent:1", 1), Stage.SETTLED, WorkloadFault.all(), 3, T0);

        assertThat(status.path("desiredNumberScheduled").asInt()).isEqualTo(3);
        assertThat(status.path("numberReady").asInt()).isZero();
        assertThat(status.path("numberUnavailable").asInt()).isEqualTo(3);
        assertThat(conditions(status)).containsExactly("Available=False/ImagePullBackOff");
    }

    @Test
    void templateHashIsStableAndFollowsTheTemplate() {
        ObjectNode one = workload("Deployment", 1, "web:1", 1);
        ObjectNode same = workload("Deployment", 5, "web:1", 7);
        ObjectNode other = workload("Deployment", 1, "web:2", 1);

        assertThat(WorkloadStatus.templateHash(one))
                .isEqualTo(WorkloadStatus.templateHash(same))
                .isNotEqualTo(WorkloadStatus.templateHash(other));
    }

    static ObjectNode workload(String kind, Integer replicas, String image, long generation) {
        ObjectNode workload = JSON.createObjectNode();
        workload.put("apiVersion", "apps/v1");
        workload.put("kind", kind);
        workload.putObject("metadata").put("name", "web").put("namespace", "ns").put("generation", generation);
        ObjectNode spec = workload.putObject("spec");
        if (replicas != null) {
            spec.put("replicas", replicas);
        }
        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").putObject("labels").put("app", "web");
        template.putObject("spec")
                .putArray("containers")
                .addObject()
                .put("name", "main")
                .put("image", image);
        return workload;
    }

    private static java.util.List<String> conditions(JsonNode status) {
        return status.path("conditions")
                .valueStream()
                .map(c -> c.path("type").asText() + "=" + c.path("status").asText() + "/"
                        + c.path("reason").asText())
                .toList();
    }

    static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return JSON.missingNode();
    }
}
