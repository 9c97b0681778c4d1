package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.SimHttp.Resp;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The v3 pieces: clusters, generateKubeconfig, registration tokens, tokens, Norman errors and paging. */
class NormanApiIT {

    @RegisterExtension
    static RancherSimExtension sim = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(5).timing(SimTiming.fast()));

    private static final Pattern KUBECONFIG_TOKEN =
            Pattern.compile("token: \"(kubeconfig-u-[a-z0-9]{5}):([a-z0-9]{54})\"");

    private SimHttp http;
    private String mgmtId;

    @BeforeEach
    void setUp() {
        http = new SimHttp(sim.url());
        mgmtId = sim.sim().managementId("demo-001");
    }

    @Test
    void v3ClusterHasNormanShape() {
        JsonNode c = http.get("/v3/clusters/" + mgmtId).json();

        assertThat(c.path("id").asText()).isEqualTo(mgmtId);
        assertThat(c.path("type").asText()).isEqualTo("cluster");
        assertThat(c.path("baseType").asText()).isEqualTo("cluster");
        assertThat(c.path("name").asText()).isEqualTo("demo-001");
        assertThat(c.path("state").asText()).isEqualTo("active");
        assertThat(c.path("transitioning").asText()).isEqualTo("no");
        assertThat(c.at("/actions/generateKubeconfig").asText())
                .isEqualTo(sim.url() + "/v3/clusters/" + mgmtId + "?action=generateKubeconfig");
        assertThat(c.at("/actions/importYaml").asText()).endsWith("?action=importYaml");
        assertThat(c.at("/links/self").asText()).isEqualTo(sim.url() + "/v3/clusters/" + mgmtId);
        assertThat(c.path("conditions").isArray()).isTrue();
        assertThat(c.at("/info/provisioningClusterRef/name").asText()).isEqualTo("demo-001");
        assertThat(c.path("createdTS").isNumber()).isTrue();
    }

    @Test
    void v3CollectionPagesWithLimitAndMarker() {
        JsonNode first = http.get("/v3/clusters?limit=2").json();

        assertThat(first.path("type").asText()).isEqualTo("collection");
        assertThat(first.path("resourceType").asText()).isEqualTo("cluster");
        assertThat(first.at("/pagination/limit").asInt()).isEqualTo(2);
        assertThat(first.at("/pagination/total").asInt()).isEqualTo(5);
        assertThat(first.at("/pagination/partial").asBoolean()).isTrue();
        String next = first.at("/pagination/next").asText();
        assertThat(next).contains("marker=").contains("limit=2");

        Set<String> ids = new HashSet<>();
        first.path("data").forEach(c -> ids.add(c.path("id").asText()));
        String url = next.substring(sim.url().length());
        while (url != null) {
            JsonNode page = http.get(url).json();
            page.path("data").forEach(c -> ids.add(c.path("id").asText()));
            url = page.at("/pagination/next").isTextual()
                    ? page.at("/pagination/next").asText().substring(sim.url().length())
                    : null;
        }
        assertThat(ids).hasSize(5);
    }

    @Test
    void generateKubeconfigMintsANewTokenOnEachCall() {
        Resp first = http.post("/v3/clusters/" + mgmtId + "?action=generateKubeconfig", "{}");
        Resp second = http.post("/v3/clusters/" + mgmtId + "?action=generateKubeconfig", "{}");

        assertThat(first.code()).isEqualTo(200);
        JsonNode out = first.json();
        assertThat(out.path("type").asText()).isEqualTo("generateKubeconfigOutput");
        assertThat(out.path("baseType").asText()).isEqualTo("generateKubeconfigOutput");
        String config = out.path("config").asText();
        assertThat(config)
                .contains("kind: Config")
                .contains("server: \"" + sim.url() + "/k8s/clusters/" + mgmtId + "\"")
                .contains("- name: \"demo-001\"")
                .contains("current-context: \"demo-001\"");
        Matcher token = KUBECONFIG_TOKEN.matcher(config);
        assertThat(token.find()).as(config).isTrue();
        Matcher other = KUBECONFIG_TOKEN.matcher(second.json().path("config").asText());
        assertThat(other.find()).isTrue();
        assertThat(other.group(1)).isNotEqualTo(token.group(1));
    }

    @Test
    void unknownActionIsInvalidActionAndUnknownClusterIsNotFound() {
        Resp action = http.post("/v3/clusters/" + mgmtId + "?action=backupEtcd", "{}");

        assertThat(action.code()).isEqualTo(422);
        assertThat(action.json().toString())
                .isEqualTo("{\"baseType\":\"error\",\"code\":\"InvalidAction\",\"message\":\"Invalid action:"
                        + " backupEtcd\",\"status\":422,\"type\":\"error\"}");

        Resp missing = http.get("/v3/clusters/c-m-nothere");
        assertThat(missing.code()).isEqualTo(404);
        assertThat(missing.json().path("baseType").asText()).isEqualTo("error");
        assertThat(missing.json().path("code").asText()).isEqualTo("NotFound");
    }

    @Test
    void registrationTokenCommandsAreFilledShortlyAfterCreation() {
        ObjectNode body =
                SimHttp.object().put("type", "clusterRegistrationToken").put("clusterId", mgmtId);

        Resp created = http.post("/v3/clusterregistrationtokens", body);

        assertThat(created.code()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(id).startsWith(mgmtId + ":");
        assertThat(created.json().path("nodeCommand").asText()).isEmpty();
        assertThat(created.json().path("manifestUrl").asText()).isEmpty();

        await().atMost(Duration.ofSeconds(5)).until(() -> !http.get("/v3/clusterregistrationtokens/" + id)
                .json()
                .path("nodeCommand")
                .asText()
                .isEmpty());
        JsonNode t = http.get("/v3/clusterregistrationtokens/" + id).json();
        String token = t.path("token").asText();
        String url = sim.url();
        assertThat(token).matches("[bcdfghjklmnpqrstvwxz2456789]{54}");
        assertThat(t.path("type").asText()).isEqualTo("clusterRegistrationToken");
        assertThat(t.path("baseType").asText()).isEqualTo("clusterRegistrationToken");
        assertThat(t.path("manifestUrl").asText()).isEqualTo(url + "/v3/import/" + token + "_" + mgmtId + ".yaml");
        assertThat(t.path("command").asText())
                .isEqualTo("kubectl apply -f " + t.path("manifestUrl").asText());
        assertThat(t.path("insecureCommand").asText())
                .isEqualTo("curl --insecure -sfL " + t.path("manifestUrl").asText() + " | kubectl apply -f -");
        assertThat(t.path("nodeCommand").asText())
                .isEqualTo(" curl -fL " + url + "/system-agent-install.sh | sudo  sh -s - --server " + url
                        + " --label 'cattle.io/os=linux' --token " + token);
        assertThat(t.path("insecureNodeCommand").asText()).startsWith(" curl --insecure -fL ");
        assertThat(t.path("windowsNodeCommand").asText())
                .contains("-Token " + token)
                .endsWith("-Worker");

        Resp manifest =
                http.withAuthorization(null).get(t.path("manifestUrl").asText().substring(url.length()));
        assertThat(manifest.code()).isEqualTo(200);
    }

    @Test
    void defaultRegistrationTokenIsListedByClusterId() {
        JsonNode list =
                http.get("/v3/clusterregistrationtokens?clusterId=" + mgmtId).json();

        Set<String> ids = new HashSet<>();
        list.path("data").forEach(t -> {
            ids.add(t.path("id").asText());
            assertThat(t.path("clusterId").asText()).isEqualTo(mgmtId);
        });
        assertThat(ids).contains(mgmtId + ":default-token");
        JsonNode token = http.get("/v3/clusterregistrationtokens/" + mgmtId + ":default-token")
                .json();
        assertThat(token.path("nodeCommand").asText())
                .as("demo clusters at start-up skip the delay")
                .startsWith(" curl -fL ");
    }

    @Test
    void v3TokenSecretIsReturnedOnlyOnCreate() {
        Resp created = http.post(
                "/v3/tokens",
                SimHttp.object().put("type", "token").put("description", "ci").put("ttl", 0));

        assertThat(created.code()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(id).matches("token-[a-z0-9]{5}");
        assertThat(created.json().path("token").asText()).matches(id + ":[bcdfghjklmnpqrstvwxz2456789]{54}");
        assertThat(created.json().path("baseType").asText()).isEqualTo("token");

        JsonNode read = http.get("/v3/tokens/" + id).json();
        assertThat(read.has("token")).isFalse();
        assertThat(read.path("description").asText()).isEqualTo("ci");
        boolean listed = false;
        for (JsonNode t : http.get("/v3/tokens").json().path("data")) {
            listed |= t.path("id").asText().equals(id);
            assertThat(t.has("token")).isFalse();
        }
        assertThat(listed).isTrue();
        assertThat(http.delete("/v3/tokens/" + id).code()).isEqualTo(200);
        assertThat(http.get("/v3/tokens/" + id).code()).isEqualTo(404);
    }
}
