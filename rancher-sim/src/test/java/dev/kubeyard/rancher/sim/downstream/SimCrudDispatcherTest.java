package dev.kubeyard.rancher.sim.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Server-side apply and merge patch emulation on fabric8's CRUD store, without HTTP. */
class SimCrudDispatcherTest {

    private static final String CM = "/api/v1/namespaces/ns/configmaps";
    private static final String APPLY = "application/apply-patch+yaml";

    private final SimCrudDispatcher dispatcher = new SimCrudDispatcher();

    @Test
    void applyCreatesAMissingObject() {
        MockResponse response = send(
                HttpMethod.PATCH,
                CM + "/cfg?fieldManager=kubeyard&force=true",
                APPLY,
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\"},\"data\":{\"a\":\"1\"}}");

        assertThat(response.code()).isEqualTo(201);
        assertThat(body(response)).contains("\"namespace\":\"ns\"").contains("\"a\":\"1\"");
        assertThat(get(CM + "/cfg").code()).isEqualTo(200);
    }

    @Test
    void applyMergesIntoTheExistingObjectAndKeepsFieldsItDoesNotMention() {
        create("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"ns\","
                + "\"labels\":{\"owner\":\"other\"}},\"data\":{\"a\":\"1\"}}");

        MockResponse response = send(
                HttpMethod.PATCH,
                CM + "/cfg?fieldManager=kubeyard",
                APPLY,
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  b: \"2\"\n");

        assertThat(response.code()).isEqualTo(200);
        assertThat(body(response))
                .contains("\"a\":\"1\"")
                .contains("\"b\":\"2\"")
                .contains("\"owner\":\"other\"");
    }

    @Test
    void applyRejectsANameThatDiffersFromTheUrl() {
        MockResponse response = send(
                HttpMethod.PATCH,
                CM + "/cfg",
                APPLY,
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"other\"}}");

        assertThat(response.code()).isEqualTo(400);
        assertThat(body(response)).contains("does not match the name on the URL");
    }

    @Test
    void applyRejectsAConfigurationWithoutKind() {
        MockResponse response = send(HttpMethod.PATCH, CM + "/cfg", APPLY, "metadata:\n  name: cfg\n");

        assertThat(response.code()).isEqualTo(400);
    }

    @Test
    void applyToTheStatusOfAMissingObjectIsNotFound() {
        MockResponse response = send(
                HttpMethod.PATCH,
                CM + "/cfg/status",
                APPLY,
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\"}}");

        assertThat(response.code()).isEqualTo(404);
    }

    @Test
    void mergePatchWithNullRemovesTheField() {
        create("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"ns\"},"
                + "\"data\":{\"keep\":\"1\",\"drop\":\"2\"}}");

        MockResponse response =
                send(HttpMethod.PATCH, CM + "/cfg", "application/merge-patch+json", "{\"data\":{\"drop\":null}}");

        assertThat(response.code()).isEqualTo(200);
        assertThat(body(get(CM + "/cfg"))).contains("\"keep\":\"1\"").doesNotContain("drop");
    }

    @Test
    void mergePatchWithAStaleResourceVersionConflicts() {
        create("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"ns\"}}");

        MockResponse response = send(
                HttpMethod.PATCH,
                CM + "/cfg",
                "application/merge-patch+json",
                "{\"metadata\":{\"resourceVersion\":\"999\"},\"data\":{\"x\":\"1\"}}");

        assertThat(response.code()).isEqualTo(409);
    }

    @Test
    void patchOfAMissingObjectIsNotFound() {
        MockResponse response = send(HttpMethod.PATCH, CM + "/nope", "application/merge-patch+json", "{}");

        assertThat(response.code()).isEqualTo(404);
    }

    @Test
    void jsonPatchAnswersOkLikeKubeApiserver() {
        create("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"ns\"},"
                + "\"data\":{\"a\":\"1\"}}");

        MockResponse response = send(
                HttpMethod.PATCH,
                CM + "/cfg",
                "application/json-patch+json",
                "[{\"op\":\"replace\",\"path\":\"/data/a\",\"value\":\"2\"}]");

        assertThat(response.code()).isEqualTo(200);
        assertThat(body(get(CM + "/cfg"))).contains("\"a\":\"2\"");
    }

    @Test
    void nodeSyncLeavesOtherKindsAlone() {
        create("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cfg\",\"namespace\":\"ns\"}}");
        NodeManifests.Memo memo = new NodeManifests.Memo();
        SimNode node = new SimNode("n1", Map.of(), List.of(), true, null, null, "10.0.0.1", Instant.now());

        dispatcher.reconcileNodes(() -> List.of(node), memo);
        dispatcher.reconcileNodes(List::of, memo);

        assertThat(get(CM + "/cfg").code()).isEqualTo(200);
        assertThat(get(SimCrudDispatcher.NODES_PATH + "/n1").code()).isEqualTo(404);
    }

    @Test
    void listsHonourSetBasedLabelSelectorsTheMockIgnores() {
        create(labelled("a", "tier", "web"));
        create(labelled("b", "tier", "db"));
        create(labelled("c", "other", "x"));

        assertThat(names("/api/v1/configmaps?labelSelector=tier+in+%28web%2Cdb%29"))
                .containsExactly("a", "b");
        assertThat(names("/api/v1/configmaps?labelSelector=tier%20notin%20(web)"))
                .containsExactly("b", "c");
        assertThat(names(CM + "?labelSelector=tier")).containsExactly("a", "b");
        assertThat(names(CM + "?labelSelector=!tier")).containsExactly("c");
        assertThat(names(CM + "?labelSelector=tier!%3Dweb,other!%3Dy")).containsExactly("b", "c");
        assertThat(get(CM + "?labelSelector=tier+in+").code()).isEqualTo(400);
    }

    @Test
    void deleteByASetBasedSelectorDeletesOnlyTheMatches() {
        create(labelled("a", "v", "1"));
        create(labelled("b", "v", "2"));

        assertThat(send(HttpMethod.DELETE, CM + "?labelSelector=v+notin+(2)", "application/json", "")
                        .code())
                .isEqualTo(200);

        assertThat(names(CM)).containsExactly("b");
    }

    @Test
    void mergePatchFollowsRfc7386() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var target = json.createObjectNode();
        target.put("a", "b");
        target.putObject("c").put("d", "e").put("f", "g");
        var patch = json.createObjectNode();
        patch.put("a", "z");
        patch.putObject("c").putNull("f");

        assertThat(SimCrudDispatcher.mergePatch(target, patch).toString())
                .isEqualTo("{\"a\":\"z\",\"c\":{\"d\":\"e\"}}");
    }

    private static String labelled(String name, String key, String value) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"ns\",\"labels\":{\"" + key + "\":\"" + value + "\"}}}";
    }

    private List<String> names(String path) {
        MockResponse response = get(path);
        assertThat(response.code()).isEqualTo(200);
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(body(response))
                    .path("items")
                    .valueStream()
                    .map(i -> i.at("/metadata/name").asText())
                    .sorted()
                    .toList();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private void create(String json) {
        assertThat(send(HttpMethod.POST, CM, "application/json", json).code()).isEqualTo(201);
    }

    private MockResponse get(String path) {
        return dispatcher.dispatch(new RecordedRequest(
                "HTTP/1.1", HttpMethod.GET, path, Headers.builder().build(), new Buffer()));
    }

    private MockResponse send(HttpMethod method, String path, String contentType, String body) {
        return dispatcher.dispatch(new RecordedRequest(
                "HTTP/1.1",
                method,
                path,
                Headers.builder().add("Content-Type", contentType).build(),
                new Buffer(body.getBytes(StandardCharsets.UTF_8))));
    }

    private static String body(MockResponse response) {
        return response.getBody() == null ? "" : response.getBody().readUtf8();
    }
}
