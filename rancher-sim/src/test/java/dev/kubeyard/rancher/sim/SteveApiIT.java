package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.SimHttp.Resp;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Steve's envelope and Kubernetes write semantics: conflicts, errors, patches, paging, filters, sorting. */
class SteveApiIT {

    @RegisterExtension
    static RancherSimExtension sim = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(5).timing(SimTiming.fast()).seed(42));

    private static final String CLUSTERS = "/v1/provisioning.cattle.io.clusters";
    private static final String DEMO = CLUSTERS + "/fleet-default/demo-001";

    private SimHttp http;

    @BeforeEach
    void setUp() {
        http = new SimHttp(sim.url());
    }

    @Test
    void collectionHasSteveEnvelope() {
        JsonNode list = http.get(CLUSTERS + "/fleet-default").json();

        assertThat(list.path("type").asText()).isEqualTo("collection");
        assertThat(list.path("resourceType").asText()).isEqualTo("provisioning.cattle.io.cluster");
        assertThat(list.at("/links/self").asText()).isEqualTo(sim.url() + CLUSTERS + "/fleet-default");
        assertThat(list.at("/createTypes/provisioning.cattle.io.cluster").asText())
                .isEqualTo(sim.url() + CLUSTERS);
        assertThat(list.path("actions").isObject()).isTrue();
        assertThat(list.path("revision").asText()).matches("\\d+");
        assertThat(list.path("count").asInt()).isGreaterThanOrEqualTo(5);
        assertThat(list.has("continue")).as("no continue without more results").isFalse();
        assertThat(list.has("pagination")).isFalse();
        JsonNode first = list.path("data").get(0);
        assertThat(first.at("/links/self").asText())
                .isEqualTo(sim.url() + CLUSTERS + "/" + first.path("id").asText());
    }

    @Test
    void putWithStaleResourceVersionIsAConflict() {
        ObjectNode current = (ObjectNode) http.get(DEMO).json();
        ObjectNode stale = current.deepCopy();
        current.withObjectProperty("metadata").withObjectProperty("labels").put("team", "a");
        assertThat(http.put(DEMO, current).code()).isEqualTo(200);

        stale.withObjectProperty("metadata").withObjectProperty("labels").put("team", "b");
        Resp conflict = http.put(DEMO, stale);

        assertThat(conflict.code()).isEqualTo(409);
        assertThat(conflict.json().path("type").asText()).isEqualTo("error");
        assertThat(conflict.json().path("links").isObject()).isTrue();
        assertThat(conflict.json().path("code").asText()).isEqualTo("Conflict");
        assertThat(conflict.json().path("status").asInt()).isEqualTo(409);
        assertThat(conflict.json().path("message").asText())
                .isEqualTo("Operation cannot be fulfilled on clusters.provisioning.cattle.io \"demo-001\": the object"
                        + " has been modified; please apply your changes to the latest version and try again");
    }

    @Test
    void putWithoutResourceVersionIsAServerError() {
        ObjectNode body = (ObjectNode) http.get(DEMO).json();
        body.withObjectProperty("metadata").remove("resourceVersion");

        Resp r = http.put(DEMO, body);

        assertThat(r.code()).isEqualTo(500);
        assertThat(r.json().path("code").asText()).isEqualTo("ServerError");
        assertThat(r.json().path("message").asText()).isEqualTo("metadata.resourceVersion is required for update");
    }

    @Test
    void specChangeRaisesGenerationAndObservedGenerationFollows() {
        String path = CLUSTERS + "/fleet-default/demo-002";
        long before = http.get(path).json().at("/metadata/generation").asLong();

        JsonNode updated = http.updateSpec("demo-002", spec -> spec.put("description", "changed"));

        assertThat(updated.at("/metadata/generation").asLong()).isEqualTo(before + 1);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(5))
                .until(() ->
                        http.get(path).json().at("/status/observedGeneration").asLong() == before + 1);
    }

    @Test
    void labelOnlyChangeKeepsGeneration() {
        String path = CLUSTERS + "/fleet-default/demo-003";
        ObjectNode body = (ObjectNode) http.get(path).json();
        long generation = body.at("/metadata/generation").asLong();
        String rv = body.at("/metadata/resourceVersion").asText();
        body.withObjectProperty("metadata").withObjectProperty("labels").put("env", "test");

        JsonNode updated = http.put(path, body).json();

        assertThat(updated.at("/metadata/generation").asLong()).isEqualTo(generation);
        assertThat(updated.at("/metadata/resourceVersion").asText()).isNotEqualTo(rv);
        assertThat(updated.at("/metadata/labels/env").asText()).isEqualTo("test");
    }

    @Test
    void creatingAnExistingNameIsAlreadyExists() {
        ObjectNode body = SimHttp.clusterBody("demo-001", "nc-x", 1, 1, 1);

        Resp r = http.post(CLUSTERS, body);

        assertThat(r.code()).isEqualTo(409);
        assertThat(r.json().path("code").asText()).isEqualTo("AlreadyExists");
        assertThat(r.json().path("message").asText())
                .isEqualTo("clusters.provisioning.cattle.io \"demo-001\" already exists");
    }

    @Test
    void missingObjectIsSteveNotFound() {
        Resp r = http.get(CLUSTERS + "/fleet-default/nope");

        assertThat(r.code()).isEqualTo(404);
        assertThat(r.json().toString())
                .isEqualTo("{\"type\":\"error\",\"links\":{},\"code\":\"NotFound\",\"message\":"
                        + "\"clusters.provisioning.cattle.io \\\"nope\\\" not found\",\"status\":404}");
    }

    @Test
    void unknownTypeIsNotFoundWithEmptyBody() {
        Resp r = http.get("/v1/example.cattle.io.widgets");

        assertThat(r.code()).isEqualTo(404);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void mergePatchChangesTheSpecAndJsonPatchTooButStrategicMergeIs415() {
        String path = CLUSTERS + "/fleet-default/demo-004";
        ObjectNode merge = SimHttp.object();
        merge.putObject("metadata").putObject("annotations").put("note", "merged");
        Resp merged = http.patch(path, merge, "application/merge-patch+json");
        assertThat(merged.code()).isEqualTo(200);
        assertThat(merged.json().at("/metadata/annotations/note").asText()).isEqualTo("merged");

        String jsonPatch = "[{\"op\":\"replace\",\"path\":\"/spec/rkeConfig/machinePools/2/quantity\",\"value\":3}]";
        Resp patched = http.patch(path, jsonPatch, "application/json-patch+json");
        assertThat(patched.code()).isEqualTo(200);
        assertThat(patched.json().at("/spec/rkeConfig/machinePools/2/quantity").asInt())
                .isEqualTo(3);

        Resp strategic = http.patch(path, merge, "application/strategic-merge-patch+json");
        assertThat(strategic.code()).isEqualTo(415);
        assertThat(strategic.json().path("code").asText()).isEqualTo("UnsupportedMediaType");
    }

    @Test
    void mergePatchWithStaleResourceVersionConflicts() {
        ObjectNode patch = SimHttp.object();
        patch.putObject("metadata")
                .put("resourceVersion", "1")
                .putObject("labels")
                .put("x", "y");

        Resp r = http.patch(CLUSTERS + "/fleet-default/demo-005", patch, "application/merge-patch+json");

        assertThat(r.code()).isEqualTo(409);
        assertThat(r.json().path("code").asText()).isEqualTo("Conflict");
    }

    @Test
    void limitAndContinuePageThroughEveryMachine() {
        int total = http.get("/v1/cluster.x-k8s.io.machines/fleet-default")
                .json()
                .path("count")
                .asInt();
        Set<String> seen = new HashSet<>();
        String url = "/v1/cluster.x-k8s.io.machines/fleet-default?limit=4";
        int pages = 0;
        while (url != null) {
            JsonNode page = http.get(url).json();
            pages++;
            assertThat(page.path("count").asInt()).isEqualTo(total);
            page.path("data").forEach(m -> seen.add(m.path("id").asText()));
            if (page.has("continue")) {
                assertThat(page.at("/pagination/partial").asBoolean()).isTrue();
                String next = page.at("/pagination/next").asText();
                assertThat(next).startsWith(sim.url()).contains("continue=").contains("limit=4");
                assertThat(page.at("/pagination/first").asText()).doesNotContain("continue=");
                url = "/v1/cluster.x-k8s.io.machines/fleet-default?limit=4&continue="
                        + page.path("continue").asText();
            } else {
                assertThat(page.has("pagination")).isFalse();
                url = null;
            }
        }
        assertThat(seen).hasSize(total);
        assertThat(pages).isEqualTo((total + 3) / 4);
    }

    @Test
    void pagesizeAndPageReturnConsecutivePages() {
        JsonNode all = http.get(CLUSTERS + "?sort=metadata.name").json();
        JsonNode page1 =
                http.get(CLUSTERS + "?pagesize=2&page=1&sort=metadata.name").json();
        JsonNode page2 =
                http.get(CLUSTERS + "?pagesize=2&page=2&sort=metadata.name").json();

        assertThat(page1.path("data")).hasSize(2);
        assertThat(page1.at("/pagination/next").asText()).contains("pagesize=2").contains("continue=");
        assertThat(page2.path("data").get(0).path("id"))
                .isEqualTo(all.path("data").get(2).path("id"));
        assertThat(page2.path("data").get(1).path("id"))
                .isEqualTo(all.path("data").get(3).path("id"));
    }

    @Test
    void filtersCombineWithAndAndOrAndOperators() {
        assertThat(names(CLUSTERS + "?filter=metadata.name=demo-002")).containsExactly("demo-002");
        assertThat(names(CLUSTERS + "?filter=metadata.name=demo-002,metadata.name=demo-004"))
                .containsExactly("demo-002", "demo-004");
        assertThat(names(CLUSTERS + "?filter=metadata.name~demo-00&filter=metadata.name!=demo-001"))
                .contains("demo-002", "demo-003")
                .doesNotContain("demo-001");
        assertThat(names(CLUSTERS + "?filter=metadata.name in (demo-003,demo-005)"))
                .containsExactly("demo-003", "demo-005");
        assertThat(names(CLUSTERS + "?filter=metadata.state.name=active&filter=metadata.name=demo-001"))
                .containsExactly("demo-001");
    }

    @Test
    void sortOrdersByAFieldPathDescendingWithMinus() {
        List<String> descending = names(CLUSTERS + "?sort=-metadata.name&filter=metadata.name~demo-");
        List<String> sorted = new ArrayList<>(descending);
        sorted.sort(java.util.Comparator.reverseOrder());

        assertThat(descending).isEqualTo(sorted);
    }

    @Test
    void machineConfigsAreGenericOverKindsWithTopLevelFields() {
        ObjectNode body = SimHttp.object();
        body.putObject("metadata").put("generateName", "nc-aws-").put("namespace", "fleet-default");
        body.put("instanceType", "t3.large");

        Resp created = http.post("/v1/rke-machine-config.cattle.io.amazonec2configs", body);

        assertThat(created.code()).isEqualTo(201);
        JsonNode config = created.json();
        assertThat(config.at("/metadata/name").asText()).matches("nc-aws-[a-z0-9]{5}");
        assertThat(config.at("/kind").asText()).isEqualTo("Amazonec2Config");
        assertThat(config.at("/type").asText()).isEqualTo("rke-machine-config.cattle.io.amazonec2config");
        assertThat(config.at("/instanceType").asText()).isEqualTo("t3.large");
        assertThat(config.has("spec")).isFalse();
        assertThat(config.at("/metadata/state/name").asText()).isEqualTo("active");
        assertThat(config.at("/metadata/state/message").asText()).isEqualTo("Resource is current");

        ObjectNode update = (ObjectNode) config.deepCopy();
        update.put("instanceType", "t3.xlarge");
        String path = "/v1/rke-machine-config.cattle.io.amazonec2configs/"
                + config.path("id").asText();
        assertThat(http.put(path, update).json().at("/instanceType").asText()).isEqualTo("t3.xlarge");
        assertThat(http.delete(path).code()).isEqualTo(200);
        assertThat(http.get(path).code()).isEqualTo(404);
    }

    @Test
    void extTokenSecretIsReturnedOnlyOnCreate() {
        ObjectNode body = SimHttp.object();
        body.put("type", "ext.cattle.io.token");
        body.putObject("spec").put("description", "automation").put("ttl", 3_600_000);

        Resp created = http.post("/v1/ext.cattle.io.tokens", body);

        assertThat(created.code()).isEqualTo(201);
        String name = created.json().at("/metadata/name").asText();
        assertThat(name).matches("token-[a-z0-9]{5}");
        String value = created.json().at("/status/value").asText();
        assertThat(value).hasSize(54);
        assertThat(created.json().at("/status/bearerToken").asText()).isEqualTo("ext/" + name + ":" + value);
        JsonNode read = http.get("/v1/ext.cattle.io.tokens/" + name).json();
        assertThat(read.at("/status/value").isMissingNode()).isTrue();
        assertThat(read.at("/status/bearerToken").isMissingNode()).isTrue();
        assertThat(http.delete("/v1/ext.cattle.io.tokens/" + name).code()).isEqualTo(200);
        assertThat(http.get("/v1/ext.cattle.io.tokens/" + name).code()).isEqualTo(404);
    }

    @Test
    void extKubeconfigCarriesTheYamlOnlyOnCreate() {
        String mgmtId = sim.sim().managementId("demo-001");
        ObjectNode body = SimHttp.object();
        body.put("type", "ext.cattle.io.kubeconfig");
        body.putObject("spec").put("ttl", 7200).putArray("clusters").add(mgmtId);

        Resp created = http.post("/v1/ext.cattle.io.kubeconfigs", body);

        assertThat(created.code()).isEqualTo(201);
        String yaml = created.json().at("/status/value").asText();
        assertThat(yaml)
                .contains("server: \"" + sim.url() + "/k8s/clusters/" + mgmtId + "\"")
                .contains("name: \"demo-001\"")
                .containsPattern("token: \"ext/token-[a-z0-9]{5}:[a-z0-9]{54}\"");
        String name = created.json().at("/metadata/name").asText();
        assertThat(http.get("/v1/ext.cattle.io.kubeconfigs/" + name)
                        .json()
                        .at("/status/value")
                        .isMissingNode())
                .isTrue();
    }

    @Test
    void steveRedirectsKubeconfigGenerationToV3() {
        String mgmtId = sim.sim().managementId("demo-001");

        Resp r = http.post("/v1/management.cattle.io.clusters/" + mgmtId + "?action=generateKubeconfig", "{}");

        assertThat(r.code()).isEqualTo(302);
        assertThat(r.headers().get("Location"))
                .isEqualTo(sim.url() + "/v3/clusters/" + mgmtId + "?action=generateKubeconfig");
    }

    private List<String> names(String path) {
        Resp r = http.get(path);
        assertThat(r.code()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().path("data").forEach(o -> out.add(o.at("/metadata/name").asText()));
        return out;
    }
}
