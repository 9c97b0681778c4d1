package dev.kubeyard.rancher.sim.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.rancher.sim.faults.WorkloadFault;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Generation, the status subresource and the simulated workload controllers on fabric8's CRUD store, without HTTP and
 * with a hand-moved clock.
 */
class WorkloadDispatcherTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEPLOYMENTS = "/apis/apps/v1/namespaces/ns/deployments";
    private static final String WEB = DEPLOYMENTS + "/web";
    private static final String APPLY = "application/apply-patch+yaml";
    private static final String MERGE = "application/merge-patch+json";
    private static final long READY_MILLIS = 200;

    private final HandClock clock = new HandClock();
    private final List<WorkloadFault> faults = new CopyOnWriteArrayList<>();
    private final AtomicInteger rolloutsStarted = new AtomicInteger();
    private final SimCrudDispatcher dispatcher =
            new SimCrudDispatcher(clock, () -> faults, rolloutsStarted::incrementAndGet);

    // ---- generation and the status subresource -------------------------------------------------------------

    @Test
    void createSetsGenerationOneAndDropsAStatusInTheBody() {
        JsonNode created = json(send(
                HttpMethod.POST,
                DEPLOYMENTS,
                "application/json",
                deployment("web", 2, "web:1").replaceFirst("\"spec\"", "\"status\":{\"readyReplicas\":5},\"spec\"")));

        assertThat(created.at("/metadata/generation").asLong()).isEqualTo(1);
        assertThat(created.has("status")).isFalse();
        assertThat(rolloutsStarted).hasValue(1);
    }

    @Test
    void onlyASpecChangeBumpsTheGeneration() {
        create(deployment("web", 2, "web:1"));

        merge(WEB, "{\"metadata\":{\"labels\":{\"team\":\"a\"},\"annotations\":{\"note\":\"x\"}}}");
        assertThat(generation()).as("metadata only").isEqualTo(1);
        merge(WEB + "/status", "{\"status\":{\"observedGeneration\":1,\"readyReplicas\":2}}");
        assertThat(generation()).as("status only").isEqualTo(1);
        apply(deployment("web", 2, "web:1"));
        assertThat(generation()).as("the same spec applied again").isEqualTo(1);

        apply(deployment("web", 2, "web:2"));
        assertThat(generation()).as("new image").isEqualTo(2);
        merge(WEB, "{\"spec\":{\"replicas\":3}}");
        assertThat(generation()).as("scaled").isEqualTo(3);
    }

    @Test
    void writesOfTheObjectKeepTheStoredStatus() {
        create(deployment("web", 2, "web:1"));
        merge(WEB + "/status", "{\"status\":{\"observedGeneration\":1,\"readyReplicas\":2}}");

        JsonNode stored = get(WEB);
        ((com.fasterxml.jackson.databind.node.ObjectNode) stored).remove("status");
        assertThat(send(HttpMethod.PUT, WEB, "application/json", stored.toString())
                        .code())
                .isEqualTo(200);
        assertThat(get(WEB).at("/status/readyReplicas").asInt())
                .as("PUT without status")
                .isEqualTo(2);

        apply(deployment("web", 2, "web:2").replaceFirst("\"spec\"", "\"status\":{\"readyReplicas\":9},\"spec\""));
        assertThat(get(WEB).at("/status/readyReplicas").asInt())
                .as("apply with a status")
                .isEqualTo(2);
        merge(WEB, "{\"status\":{\"readyReplicas\":7}}");
        assertThat(get(WEB).at("/status/readyReplicas").asInt())
                .as("merge patch of the object")
                .isEqualTo(2);
    }

    // ---- the simulated controller ---------------------------------------------------------------------------

    @Test
    void newDeploymentIsProgressingAtOnceThenReadyAfterTheDelay() {
        create(deployment("web", 3, "web:1"));

        advance(Duration.ZERO);
        JsonNode progressing = get(WEB).path("status");
        assertThat(progressing.path("observedGeneration").asLong()).isEqualTo(1);
        assertThat(progressing.has("readyReplicas")).isFalse();
        assertThat(progressing.path("unavailableReplicas").asInt()).isEqualTo(3);
        assertThat(condition(progressing, "Progressing").path("reason").asText())
                .isEqualTo("ReplicaSetUpdated");

        advance(Duration.ofMillis(READY_MILLIS - 1));
        assertThat(get(WEB).at("/status/readyReplicas").isMissingNode()).isTrue();

        advance(Duration.ofMillis(1));
        JsonNode ready = get(WEB).path("status");
        assertThat(ready.path("readyReplicas").asInt()).isEqualTo(3);
        assertThat(ready.path("availableReplicas").asInt()).isEqualTo(3);
        assertThat(condition(ready, "Available").path("status").asText()).isEqualTo("True");
        assertThat(condition(ready, "Progressing").path("reason").asText()).isEqualTo("NewReplicaSetAvailable");
        assertThat(dispatcher.rolloutsInFlight()).isZero();
    }

    @Test
    void simulatorWritesNeitherBumpTheGenerationNorRepeatAnUnchangedStatus() {
        create(deployment("web", 1, "web:1"));
        advance(Duration.ZERO);
        advance(Duration.ofMillis(READY_MILLIS));
        String version = get(WEB).at("/metadata/resourceVersion").asText();

        dispatcher.recheckWorkloads();
        advance(Duration.ofMillis(READY_MILLIS));

        assertThat(generation()).isEqualTo(1);
        assertThat(get(WEB).at("/metadata/resourceVersion").asText()).isEqualTo(version);
    }

    @Test
    void specChangeOfAReadyDeploymentShowsTheNewGenerationNotReadyThenReady() {
        create(deployment("web", 2, "web:1"));
        advance(Duration.ZERO);
        advance(Duration.ofMillis(READY_MILLIS));

        apply(deployment("web", 2, "web:2"));
        JsonNode before = get(WEB);
        assertThat(before.at("/status/observedGeneration").asLong())
                .as("not yet observed")
                .isEqualTo(1);
        advance(Duration.ZERO);
        JsonNode progressing = get(WEB).path("status");
        assertThat(progressing.path("observedGeneration").asLong()).isEqualTo(2);
        assertThat(progressing.has("readyReplicas")).isFalse();
        assertThat(progressing.has("updatedReplicas")).isFalse();
        assertThat(condition(progressing, "Progressing").path("reason").asText())
                .isEqualTo("ReplicaSetUpdated");

        advance(Duration.ofMillis(READY_MILLIS));
        assertThat(get(WEB).at("/status/updatedReplicas").asInt()).isEqualTo(2);
    }

    @Test
    void clientWriteBetweenTwoStepsIsKept() {
        create(deployment("web", 1, "web:1"));
        advance(Duration.ZERO);

        merge(WEB, "{\"metadata\":{\"labels\":{\"added\":\"meanwhile\"}}}");
        advance(Duration.ofMillis(READY_MILLIS));

        JsonNode stored = get(WEB);
        assertThat(stored.at("/metadata/labels/added").asText()).isEqualTo("meanwhile");
        assertThat(stored.at("/status/readyReplicas").asInt()).isEqualTo(1);
    }

    @Test
    void statusWrittenByTheClientTakesOverUntilTheNextSpecChange() {
        create(deployment("web", 2, "web:1"));
        advance(Duration.ZERO);

        merge(WEB + "/status", "{\"status\":{\"observedGeneration\":1,\"readyReplicas\":1,\"replicas\":2}}");
        advance(Duration.ofMillis(READY_MILLIS));
        assertThat(get(WEB).at("/status/readyReplicas").asInt()).isEqualTo(1);

        merge(WEB, "{\"spec\":{\"replicas\":4}}");
        advance(Duration.ZERO);
        advance(Duration.ofMillis(READY_MILLIS));
        assertThat(get(WEB).at("/status/readyReplicas").asInt()).isEqualTo(4);
    }

    @Test
    void workloadDeletedDuringTheDelayIsDropped() {
        create(deployment("web", 1, "web:1"));
        advance(Duration.ZERO);

        assertThat(send(HttpMethod.DELETE, WEB, "application/json", "").code()).isEqualTo(200);
        advance(Duration.ofMillis(READY_MILLIS));

        assertThat(send(HttpMethod.GET, WEB, "application/json", "").code()).isEqualTo(404);
        assertThat(dispatcher.rolloutsInFlight()).isZero();
    }

    @Test
    void daemonSetCountsTheNodesAndFollowsANewNode() {
        NodeManifests.Memo memo = new NodeManifests.Memo();
        dispatcher.reconcileNodes(() -> List.of(node("n1"), node("n2")), memo);
        String path = "/apis/apps/v1/namespaces/ns/daemonsets/agent";
        create("/apis/apps/v1/namespaces/ns/daemonsets", workload("DaemonSet", "agent", null, "agent:1"));
        advance(Duration.ZERO);
        advance(Duration.ofMillis(READY_MILLIS));
        assertThat(get(path).at("/status/numberReady").asInt()).isEqualTo(2);

        dispatcher.reconcileNodes(() -> List.of(node("n1"), node("n2"), node("n3")), memo);
        advance(Duration.ofMillis(READY_MILLIS));

        JsonNode status = get(path).path("status");
        assertThat(status.path("desiredNumberScheduled").asInt()).isEqualTo(3);
        assertThat(status.path("numberReady").asInt()).isEqualTo(3);
    }

    @Test
    void matchingFaultMakesTheWorkloadSettleNotReadyUntilHealed() {
        create(deployment("web", 2, "web:1"));
        advance(Duration.ZERO);
        advance(Duration.ofMillis(READY_MILLIS));

        faults.add(WorkloadFault.image("web:"));
        dispatcher.recheckWorkloads();
        advance(Duration.ofMillis(READY_MILLIS - 1));
        assertThat(get(WEB).at("/status/readyReplicas").asInt())
                .as("within the delay")
                .isEqualTo(2);
        advance(Duration.ofMillis(1));
        JsonNode failed = get(WEB).path("status");
        assertThat(failed.has("readyReplicas")).isFalse();
        assertThat(failed.path("unavailableReplicas").asInt()).isEqualTo(2);
        assertThat(condition(failed, "Progressing").path("reason").asText()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(condition(failed, "Progressing").path("message").asText())
                .endsWith("container image \"web:1\" ImagePullBackOff");

        faults.clear();
        dispatcher.recheckWorkloads();
        advance(Duration.ofMillis(READY_MILLIS));
        assertThat(get(WEB).at("/status/readyReplicas").asInt()).isEqualTo(2);
    }

    @Test
    void nothingToAdvanceWithoutRollouts() {
        assertThat(dispatcher.advanceWorkloads(clock.instant(), READY_MILLIS)).isFalse();
        create(
                "/api/v1/namespaces/ns/configmaps",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                        + "\"metadata\":{\"name\":\"cfg\",\"namespace\":\"ns\"}}");
        assertThat(rolloutsStarted).hasValue(0);
        assertThat(dispatcher.rolloutsInFlight()).isZero();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private void advance(Duration by) {
        clock.advance(by);
        dispatcher.advanceWorkloads(clock.instant(), READY_MILLIS);
    }

    private long generation() {
        return get(WEB).at("/metadata/generation").asLong();
    }

    static String deployment(String name, int replicas, String image) {
        return workload("Deployment", name, replicas, image);
    }

    static String workload(String kind, String name, Integer replicas, String image) {
        return "{\"apiVersion\":\"apps/v1\",\"kind\":\"" + kind + "\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"ns\"},\"spec\":{" + (replicas == null ? "" : "\"replicas\":" + replicas + ",")
                + "\"selector\":{\"matchLabels\":{\"app\":\"" + name + "\"}},\"template\":{\"metadata\":{\"labels\":"
                + "{\"app\":\"" + name + "\"}},\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"" + image
                + "\"}]}}}}";
    }

    private static SimNode node(String name) {
        return new SimNode(name, Map.of(), List.of(), true, null, null, "10.0.0.1", Instant.now());
    }

    private static JsonNode condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return JSON.missingNode();
    }

    private List<String> names(String path) {
        MockResponse response = send(HttpMethod.GET, path, "application/json", "");
        assertThat(response.code()).isEqualTo(200);
        return json(response)
                .path("items")
                .valueStream()
                .map(i -> i.at("/metadata/name").asText())
                .sorted()
                .toList();
    }

    private void create(String body) {
        create(DEPLOYMENTS, body);
    }

    private void create(String collection, String body) {
        MockResponse response = send(HttpMethod.POST, collection, "application/json", body);
        assertThat(response.code()).as(response.getBody().readUtf8()).isEqualTo(201);
    }

    private void merge(String path, String patch) {
        MockResponse response = send(HttpMethod.PATCH, path, MERGE, patch);
        assertThat(response.code()).as(response.getBody().readUtf8()).isEqualTo(200);
    }

    private void apply(String body) {
        MockResponse response = send(HttpMethod.PATCH, WEB + "?fieldManager=kubeyard&force=true", APPLY, body);
        assertThat(response.code()).as(response.getBody().readUtf8()).isIn(200, 201);
    }

    private JsonNode get(String path) {
        MockResponse response = send(HttpMethod.GET, path, "application/json", "");
        assertThat(response.code()).isEqualTo(200);
        return json(response);
    }

    private MockResponse send(HttpMethod method, String path, String contentType, String body) {
        return dispatcher.dispatch(new RecordedRequest(
                "HTTP/1.1",
                method,
                path,
                Headers.builder().add("Content-Type", contentType).build(),
                new Buffer(body.getBytes(StandardCharsets.UTF_8))));
    }

    private static JsonNode json(MockResponse response) {
        try {
            return JSON.readTree(response.getBody().getBytes());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Time as an input: moved by hand. */
    private static final class HandClock extends Clock {
        private volatile Instant now = Instant.parse("2026-11-22T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
