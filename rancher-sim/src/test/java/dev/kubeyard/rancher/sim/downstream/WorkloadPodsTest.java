package dev.kubeyard.rancher.sim.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.downstream.WorkloadPods.Host;
import dev.kubeyard.rancher.sim.downstream.WorkloadStatus.Kind;
import dev.kubeyard.rancher.sim.downstream.WorkloadStatus.Stage;
import dev.kubeyard.rancher.sim.faults.WorkloadFault;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pods kept for a workload and its status: counts, names, labels, owner, readiness and waiting reasons. */
class WorkloadPodsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(30);
    private static final String ALPHABET = "[bcdfghjklmnpqrstvwxz2456789]";
    private static final List<Host> HOSTS = List.of(
            new Host("cp-1", "10.0.0.1", false),
            new Host("worker-1", "10.0.0.2", true),
            new Host("worker-2", null, true));

    @Test
    void readyDeploymentHasOneRunningReadyPodPerReplicaNamedAfterItsTemplate() {
        ObjectNode web = settled(Kind.DEPLOYMENT, workload("Deployment", 3, "web:1"), null);

        Map<String, ObjectNode> pods = settledPods(Kind.DEPLOYMENT, web, null, Map.of(), T0);

        String hash = WorkloadStatus.templateHash(web);
        assertThat(hash).matches(ALPHABET + "{10}");
        assertThat(pods).hasSize(3);
        assertThat(pods.keySet()).allMatch(name -> name.matches("web-" + hash + "-" + ALPHABET + "{5}"));
        for (ObjectNode pod : pods.values()) {
            assertThat(pod.at("/metadata/labels"))
                    .isEqualTo(JSON.createObjectNode().put("app", "web").put("pod-template-hash", hash));
            assertThat(pod.at("/metadata/ownerReferences/0/kind").asText()).isEqualTo("Deployment");
            assertThat(pod.at("/metadata/ownerReferences/0/name").asText()).isEqualTo("web");
            assertThat(pod.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo("uid-web");
            assertThat(pod.at("/metadata/ownerReferences/0/controller").asBoolean())
                    .isTrue();
            assertThat(pod.at("/spec/containers/0/image").asText()).isEqualTo("web:1");
            assertThat(pod.at("/spec/nodeName").asText())
                    .as("tainted nodes take no Deployment pods")
                    .startsWith("worker-");
            assertThat(pod.at("/status/phase").asText()).isEqualTo("Running");
            assertThat(conditions(pod)).contains("Ready=True", "ContainersReady=True", "PodScheduled=True");
            assertThat(pod.at("/status/containerStatuses/0/ready").asBoolean()).isTrue();
            assertThat(pod.at("/status/containerStatuses/0/state/running/startedAt")
                            .asText())
                    .isEqualTo("2026-11-22T10:00:00Z");
            assertThat(pod.at("/status/podIP").asText()).startsWith("10.42.");
        }
    }

    @Test
    void unchangedWorkloadGivesTheSamePodsLater() {
        ObjectNode web = settled(Kind.DEPLOYMENT, workload("Deployment", 2, "web:1"), null);
        Map<String, ObjectNode> first = settledPods(Kind.DEPLOYMENT, web, null, Map.of(), T0);

        Map<String, ObjectNode> later = settledPods(Kind.DEPLOYMENT, web, null, stored(first), T1);

        assertThat(later).isEqualTo(first);
    }

    @Test
    void scalingKeepsTheRemainingPodsAndANewTemplateRenamesThemAll() {
        ObjectNode three = settled(Kind.DEPLOYMENT, workload("Deployment", 3, "web:1"), null);
        ObjectNode two = settled(Kind.DEPLOYMENT, workload("Deployment", 2, "web:1"), null);
        ObjectNode v2 = settled(Kind.DEPLOYMENT, workload("Deployment", 2, "web:2"), null);

        List<String> before = WorkloadPods.names(Kind.DEPLOYMENT, three, HOSTS);
        List<String> scaled = WorkloadPods.names(Kind.DEPLOYMENT, two, HOSTS);
        List<String> rolled = WorkloadPods.names(Kind.DEPLOYMENT, v2, HOSTS);

        assertThat(before).hasSize(3).doesNotHaveDuplicates().startsWith(scaled.toArray(String[]::new));
        assertThat(rolled).hasSize(2).doesNotContainAnyElementsOf(before);
    }

    @Test
    void progressingPodsAreCreatedButNotReady() {
        ObjectNode web = workload("Deployment", 2, "web:1");
        web.set("status", WorkloadStatus.of(Kind.DEPLOYMENT, web, Stage.PROGRESSING, null, 0, T0));

        Map<String, ObjectNode> pods =
                WorkloadPods.of(Kind.DEPLOYMENT, web, Stage.PROGRESSING, null, HOSTS, Map.of(), T0);

        assertThat(pods).hasSize(2).allSatisfy((name, pod) -> {
            assertThat(pod.at("/status/phase").asText()).isEqualTo("Pending");
            assertThat(conditions(pod)).contains("Ready=False", "ContainersReady=False");
            assertThat(pod.at("/status/containerStatuses/0/state/waiting/reason")
                            .asText())
                    .isEqualTo("ContainerCreating");
            assertThat(pod.at("/status/containerStatuses/0/ready").asBoolean()).isFalse();
            assertThat(pod.at("/status").has("podIP")).isFalse();
        });
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("image pull", "ImagePullBackOff", "Pending", "ImagePullBackOff", 0),
                Arguments.of("crash loop", "CrashLoopBackOff", "Running", "CrashLoopBackOff", 5),
                Arguments.of("out of memory", "OOMKilled", "Running", "CrashLoopBackOff", 5),
                Arguments.of(
                        "configuration", "CreateContainerConfigError", "Pending", "CreateContainerConfigError", 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void faultShowsInTheWaitingReasonOfTheContainersItMatches(
            String row, String reason, String phase, String waiting, int restarts) {
        WorkloadFault fault = WorkloadFault.image("broken").because(reason, null);
        ObjectNode web = workload("Deployment", 2, "web:1");
        ((ArrayNode) web.at("/spec/template/spec/containers"))
                .addObject()
                .put("name", "sidecar")
                .put("image", "broken:1");
        web = settled(Kind.DEPLOYMENT, web, fault);

        Map<String, ObjectNode> pods = settledPods(Kind.DEPLOYMENT, web, fault, Map.of(), T0);

        assertThat(pods).hasSize(2).allSatisfy((name, pod) -> {
            assertThat(pod.at("/status/phase").asText()).isEqualTo(phase);
            assertThat(conditions(pod)).contains("Ready=False", "PodScheduled=True");
            assertThat(pod.at("/status/containerStatuses/0/ready").asBoolean())
                    .as("the other container runs")
                    .isTrue();
            JsonNode sidecar = pod.at("/status/containerStatuses/1");
            assertThat(sidecar.path("ready").asBoolean()).isFalse();
            assertThat(sidecar.at("/state/waiting/reason").asText()).isEqualTo(waiting);
            assertThat(sidecar.at("/state/waiting/message").asText())
                    .isEqualTo("container image \"broken:1\" " + reason);
            assertThat(sidecar.path("restartCount").asInt()).isEqualTo(restarts);
        });
    }

    @Test
    void unschedulableFaultLeavesPodsPendingWithoutANode() {
        WorkloadFault fault = WorkloadFault.all().because("Unschedulable", null);
        ObjectNode web = settled(Kind.DEPLOYMENT, workload("Deployment", 1, "web:1"), fault);

        ObjectNode pod = settledPods(Kind.DEPLOYMENT, web, fault, Map.of(), T0)
                .values()
                .iterator()
                .next();

        assertThat(pod.at("/status/phase").asText()).isEqualTo("Pending");
        assertThat(pod.at("/spec").has("nodeName")).isFalse();
        assertThat(conditions(pod)).containsExactly("PodScheduled=False");
        assertThat(pod.at("/status/conditions/0/reason").asText()).isEqualTo("Unschedulable");
        assertThat(pod.at("/status").has("containerStatuses")).isFalse();
    }

    @Test
    void healedPodKeepsItsNameAndRestartCountAndFlipsReady() {
        WorkloadFault fault = WorkloadFault.all().because("CrashLoopBackOff", null);
        ObjectNode broken = settled(Kind.DEPLOYMENT, workload("Deployment", 1, "web:1"), fault);
        Map<String, ObjectNode> crashing = settledPods(Kind.DEPLOYMENT, broken, fault, Map.of(), T0);
        ObjectNode healthy = settled(Kind.DEPLOYMENT, workload("Deployment", 1, "web:1"), null);

        Map<String, ObjectNode> healed = settledPods(Kind.DEPLOYMENT, healthy, null, stored(crashing), T1);

        assertThat(healed.keySet()).isEqualTo(crashing.keySet());
        ObjectNode pod = healed.values().iterator().next();
        assertThat(pod.at("/metadata/uid"))
                .isEqualTo(crashing.values().iterator().next().at("/metadata/uid"));
        assertThat(pod.at("/status/containerStatuses/0/restartCount").asInt()).isEqualTo(5);
        assertThat(pod.at("/status/containerStatuses/0/state/running/startedAt").asText())
                .isEqualTo(T1.toString());
        JsonNode ready = condition(pod, "Ready");
        assertThat(ready.path("status").asText()).isEqualTo("True");
        assertThat(ready.path("lastTransitionTime").asText()).isEqualTo(T1.toString());
        assertThat(condition(pod, "PodScheduled").path("lastTransitionTime").asText())
                .as("stayed True")
                .isEqualTo(T0.toString());
    }

    @Test
    void statefulSetPodsHaveOrdinalNamesAndTheRevisionLabels() {
        ObjectNode db = settled(Kind.STATEFUL_SET, workload("StatefulSet", 2, "db:1"), null);

        Map<String, ObjectNode> pods = settledPods(Kind.STATEFUL_SET, db, null, Map.of(), T0);

        assertThat(pods.keySet()).containsExactly("web-0", "web-1");
        JsonNode labels = pods.get("web-1").at("/metadata/labels");
        assertThat(labels.path("app").asText()).isEqualTo("web");
        assertThat(labels.path("controller-revision-hash").asText())
                .isEqualTo(db.at("/status/updateRevision").asText());
        assertThat(labels.path("statefulset.kubernetes.io/pod-name").asText()).isEqualTo("web-1");
        assertThat(labels.path("apps.kubernetes.io/pod-index").asText()).isEqualTo("1");
        assertThat(pods.get("web-1").at("/spec/hostname").asText()).isEqualTo("web-1");
    }

    @Test
    void statefulSetWithANewTemplateReplacesItsPodsUnderTheSameNames() {
        ObjectNode v1 = settled(Kind.STATEFUL_SET, workload("StatefulSet", 1, "db:1"), null);
        Map<String, ObjectNode> before = settledPods(Kind.STATEFUL_SET, v1, null, Map.of(), T0);
        ObjectNode v2 = settled(Kind.STATEFUL_SET, workload("StatefulSet", 1, "db:2"), null);

        Map<String, ObjectNode> after = settledPods(Kind.STATEFUL_SET, v2, null, stored(before), T1);

        assertThat(after.keySet()).isEqualTo(before.keySet());
        assertThat(after.get("web-0").at("/metadata/uid"))
                .isNotEqualTo(before.get("web-0").at("/metadata/uid"));
        assertThat(after.get("web-0").at("/metadata/creationTimestamp").asText())
                .isEqualTo(T1.toString());
    }

    @Test
    void daemonSetRunsOnePodOnEveryNodeTaintedOnesIncluded() {
        ObjectNode agent = settled(Kind.DAEMON_SET, workload("DaemonSet", null, "agent:1"), null);

        Map<String, ObjectNode> pods = settledPods(Kind.DAEMON_SET, agent, null, Map.of(), T0);

        assertThat(pods.keySet()).hasSize(3).allMatch(name -> name.matches("web-" + ALPHABET + "{5}"));
        assertThat(pods.values())
                .extracting(p -> p.at("/spec/nodeName").asText())
                .containsExactly("cp-1", "worker-1", "worker-2");
        assertThat(pods.values())
                .extracting(p -> p.at("/status/hostIP").asText(""))
                .containsExactly("10.0.0.1", "10.0.0.2", "");
        assertThat(pods.values()).allSatisfy(p -> {
            assertThat(p.at("/metadata/labels/controller-revision-hash").asText())
                    .isEqualTo(WorkloadStatus.templateHash(agent));
            assertThat(p.at("/metadata/labels/pod-template-generation").asText())
                    .isEqualTo("1");
            assertThat(conditions(p)).contains("Ready=True");
        });
    }

    @Test
    void daemonSetKeepsThePodsOfRemainingNodesWhenANodeGoes() {
        ObjectNode agent = settled(Kind.DAEMON_SET, workload("DaemonSet", null, "agent:1"), null);
        List<String> all = WorkloadPods.names(Kind.DAEMON_SET, agent, HOSTS);
        List<Host> fewer = HOSTS.subList(1, 3);
        ObjectNode smaller = workload("DaemonSet", null, "agent:1");
        smaller.set("status", WorkloadStatus.of(Kind.DAEMON_SET, smaller, Stage.SETTLED, null, fewer.size(), T0));

        assertThat(WorkloadPods.names(Kind.DAEMON_SET, smaller, fewer)).containsExactlyElementsOf(all.subList(1, 3));
    }

    @Test
    void workloadWithoutReplicasHasNoPods() {
        ObjectNode none = settled(Kind.DEPLOYMENT, workload("Deployment", 0, "web:1"), null);

        assertThat(settledPods(Kind.DEPLOYMENT, none, null, Map.of(), T0)).isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static ObjectNode settled(Kind kind, ObjectNode workload, WorkloadFault fault) {
        workload.set("status", WorkloadStatus.of(kind, workload, Stage.SETTLED, fault, HOSTS.size(), T0));
        return workload;
    }

    /** The pods of a settled rollout on {@link #HOSTS}. */
    private static Map<String, ObjectNode> settledPods(
            Kind kind, JsonNode workload, WorkloadFault fault, Map<String, JsonNode> previous, Instant now) {
        return WorkloadPods.of(kind, workload, Stage.SETTLED, fault, HOSTS, previous, now);
    }

    private static Map<String, JsonNode> stored(Map<String, ObjectNode> pods) {
        Map<String, JsonNode> stored = new HashMap<>();
        pods.forEach((name, pod) -> stored.put(name, pod.deepCopy()));
        return stored;
    }

    private static ObjectNode workload(String kind, Integer replicas, String image) {
        ObjectNode workload = WorkloadStatusTest.workload(kind, replicas, image, 1);
        workload.withObject("/metadata").put("uid", "uid-web");
        return workload;
    }

    private static List<String> conditions(JsonNode pod) {
        return pod.at("/status/conditions")
                .valueStream()
                .map(c -> c.path("type").asText() + "=" + c.path("status").asText())
                .toList();
    }

    private static JsonNode condition(JsonNode pod, String type) {
        return WorkloadStatusTest.condition(pod.path("status"), type);
    }
}
