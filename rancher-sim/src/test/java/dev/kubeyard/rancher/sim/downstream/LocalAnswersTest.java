package dev.kubeyard.rancher.sim.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an in-memory cluster answers without its API server: component statuses, metrics-server, health paths. */
class LocalAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00.250Z");

    private final ClusterApi api = new ClusterApi("c-m-local001", Clock.fixed(NOW, ZoneOffset.UTC), started -> {});

    private LocalAnswers.Answer get(String path, String query) {
        return LocalAnswers.answer(api, path, query, NOW);
    }

    private JsonNode json(String path) {
        try {
            return JSON.readTree(get(path, null).body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void componentStatusesListTheSchedulerControllerManagerAndEtcdHealthy() {
        LocalAnswers.Answer answer = get("/api/v1/componentstatuses", null);
        JsonNode list = json("/api/v1/componentstatuses");

        assertThat(answer.headers()).containsEntry("Warning", "299 - \"v1 ComponentStatus is deprecated in v1.19+\"");
        assertThat(list.path("kind").asText()).isEqualTo("ComponentStatusList");
        assertThat(list.path("items"))
                .extracting(i -> i.at("/metadata/name").asText() + "="
                        + i.at("/conditions/0/type").asText() + ":"
                        + i.at("/conditions/0/status").asText() + "/"
                        + i.at("/conditions/0/message").asText())
                .containsExactly(
                        "scheduler=Healthy:True/ok", "controller-manager=Healthy:True/ok", "etcd-0=Healthy:True/ok");
        assertThat(list.at("/items/0/conditions/0").has("error")).isFalse();
    }

    @Test
    void anUnhealthyComponentShowsFalseWithTheProbeError() {
        api.health(ApiHealth.DEFAULT.withComponent("scheduler", false, null).withEtcd(false, 0));

        JsonNode scheduler = json("/api/v1/componentstatuses/scheduler");
        JsonNode etcd = json("/api/v1/componentstatuses/etcd-0");

        assertThat(scheduler.path("kind").asText()).isEqualTo("ComponentStatus");
        assertThat(scheduler.at("/conditions/0/status").asText()).isEqualTo("False");
        assertThat(scheduler.at("/conditions/0/error").asText())
                .isEqualTo(
                        "Get \"https://127.0.0.1:10259/healthz\": dial tcp 127.0.0.1:10259: connect: connection refused");
        assertThat(etcd.at("/conditions/0/status").asText()).isEqualTo("False");
        assertThat(etcd.at("/conditions/0/message").asText()).startsWith("{\"health\":\"false\"");
        assertThat(json("/api/v1/componentstatuses/controller-manager")
                        .at("/conditions/0/status")
                        .asText())
                .isEqualTo("True");
    }

    @Test
    void anUnknownComponentIsAPlainServerError() {
        LocalAnswers.Answer answer = get("/api/v1/componentstatuses/kubelet", null);

        assertThat(answer.status()).isEqualTo(500);
        assertThat(answer.body()).contains("\"message\":\"Component not found: kubelet\"");
    }

    @Test
    void nodeMetricsListOnlyReadyNodesInMetricsServersFormat() {
        api.syncNodes(List.of(
                node("n-ready", true, null),
                node("n-silent", false, null),
                node("n-busy", true, new SimNode.Usage(2000, 8L * 1024 * 1024 * 1024))));

        JsonNode list = json("/apis/metrics.k8s.io/v1beta1/nodes");

        assertThat(list.path("kind").asText()).isEqualTo("NodeMetricsList");
        assertThat(list.path("apiVersion").asText()).isEqualTo("metrics.k8s.io/v1beta1");
        assertThat(list.path("items"))
                .extracting(i -> i.at("/metadata/name").asText())
                .containsExactly("n-ready", "n-busy");
        JsonNode ready = list.path("items").get(0);
        assertThat(ready.path("window").asText()).isEqualTo("10.5s");
        assertThat(ready.path("timestamp").asText()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(ready.at("/metadata/labels/kubernetes.io~1hostname").asText())
                .isEqualTo("n-ready");
        assertThat(ready.at("/usage/cpu").asText()).matches("(3[5-9]|4[0-4])[0-9]m");
        assertThat(ready.at("/usage/memory").asText()).matches("40[0-9]{5}Ki");
        assertThat(list.at("/items/1/usage/cpu").asText()).isEqualTo("2");
        assertThat(list.at("/items/1/usage/memory").asText()).isEqualTo("8Gi");
    }

    @Test
    void oneNodesMetricsOrNotFoundForANodeWithout() {
        api.syncNodes(List.of(node("n-ready", true, null), node("n-silent", false, null)));

        assertThat(json("/apis/metrics.k8s.io/v1beta1/nodes/n-ready")
                        .path("kind")
                        .asText())
                .isEqualTo("NodeMetrics");
        LocalAnswers.Answer silent = get("/apis/metrics.k8s.io/v1beta1/nodes/n-silent", null);
        assertThat(silent.status()).isEqualTo(404);
        assertThat(silent.body()).contains("nodemetrics.metrics.k8s.io \\\"n-silent\\\" not found");
    }

    @Test
    void withoutTheMetricsApiEveryPathOfTheGroupIsNotFound() {
        api.health(ApiHealth.DEFAULT.withMetricsApi(false));

        for (String path :
                List.of("/apis/metrics.k8s.io/v1beta1/nodes", "/apis/metrics.k8s.io/v1beta1", "/apis/metrics.k8s.io")) {
            LocalAnswers.Answer answer = get(path, null);
            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.body())
                    .contains("\"reason\":\"NotFound\"")
                    .contains("\"message\":\"the server could not find the requested resource\"");
        }
    }

    @ParameterizedTest(name = "{0} millicores is {1}")
    @CsvSource({"350, 350m", "1000, 1", "1500, 1500m", "0, 0"})
    void cpuQuantitiesAreCanonical(long millis, String quantity) {
        assertThat(NodeMetrics.cpu(millis)).isEqualTo(quantity);
    }

    @ParameterizedTest(name = "{0} bytes is {1}")
    @CsvSource({
        "4194305024, 4096001Ki",
        "4194304000, 4000Mi",
        "4194868224, 4096551Ki",
        "4294967296, 4Gi",
        "1000, 1000",
        "0, 0"
    })
    void memoryQuantitiesAreCanonicalBinary(long bytes, String quantity) {
        assertThat(NodeMetrics.memory(bytes)).isEqualTo(quantity);
    }

    @Test
    void healthPathsAndMetricsAreAnsweredHereAndOtherPathsAreNot() {
        api.health(ApiHealth.DEFAULT.withEtcd(false, 0));

        assertThat(get("/readyz", "verbose").status()).isEqualTo(500);
        assertThat(get("/livez/etcd", null).body()).isEqualTo("internal server error: etcd check failed\n");
        assertThat(get("/livez/ping", null).body()).isEqualTo("ok");
        assertThat(get("/readyz/nope", null).status()).isEqualTo(404);
        assertThat(get("/readyz", "exclude=etcd&exclude=etcd-readiness").status())
                .isEqualTo(200);
        LocalAnswers.Answer metrics = get("/metrics", null);
        assertThat(metrics.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).contains("# TYPE apiserver_request_total counter\n");
        assertThat(get("/api/v1/nodes", null)).isNull();
        assertThat(get("/apis/apps/v1/deployments", null)).isNull();
    }

    private static SimNode node(String name, boolean ready, SimNode.Usage usage) {
        return new SimNode(
                name,
                Map.of(),
                List.of(),
                ready,
                ready ? null : NodeManifests.STATUS_UNKNOWN_REASON,
                null,
                "10.0.0.1",
                NOW,
                List.of(),
                usage);
    }
}
