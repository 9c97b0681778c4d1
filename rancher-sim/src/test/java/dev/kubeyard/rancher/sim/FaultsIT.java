package dev.kubeyard.rancher.sim;

import static dev.kubeyard.rancher.sim.SimHttp.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.sim.SimHttp.Resp;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every fault of the admin API, driven over HTTP as a test of a client would drive it. */
class FaultsIT {

    @RegisterExtension
    static RancherSimExtension sim = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(4).timing(SimTiming.fast()));

    private static final Duration WAIT = Duration.ofSeconds(10);

    private SimHttp http;
    private SimHttp admin;

    @BeforeEach
    void setUp() {
        http = new SimHttp(sim.url());
        admin = new SimHttp(sim.url(), null);
    }

    @AfterEach
    void clearRequestFaults() {
        admin.post("/_sim/latency", SimHttp.object().put("millis", 0).put("pathPrefix", "/v1"));
        admin.post("/_sim/errors", SimHttp.object().put("rate", 0));
    }

    @Test
    void failedMachineInErrorModeIsFailedUntilRecovered() {
        String machine = firstMachine("demo-001", "workers");

        Resp fail = admin.post(
                "/_sim/machines/" + machine + "/fail", SimHttp.object().put("mode", "error"));

        assertThat(fail.code()).isEqualTo(200);
        JsonNode m = machine(machine);
        assertThat(m.at("/status/phase").asText()).isEqualTo("Failed");
        assertThat(condition(m, "InfrastructureReady").path("status").asText()).isEqualTo("False");
        assertThat(m.at("/metadata/state/name").asText()).isEqualTo("error");
        assertThat(m.at("/metadata/state/error").asBoolean()).isTrue();

        assertThat(admin.post("/_sim/machines/" + machine + "/recover", "{}").code())
                .isEqualTo(200);

        JsonNode recovered = machine(machine);
        assertThat(recovered.at("/status/phase").asText()).isEqualTo("Running");
        assertThat(recovered.at("/metadata/state/name").asText()).isEqualTo("running");
    }

    @Test
    void notReadyMachineKeepsRunningStateButReportsAnUnhealthyNode() {
        String machine = firstMachine("demo-002", "workers");

        admin.post("/_sim/machines/" + machine + "/fail", SimHttp.object().put("mode", "notready"));

        JsonNode m = machine(machine);
        assertThat(m.at("/status/phase").asText()).isEqualTo("Running");
        assertThat(m.at("/metadata/state/name").asText())
                .as("a NotReady node keeps state running")
                .isEqualTo("running");
        assertThat(condition(m, "NodeHealthy").path("status").asText()).isEqualTo("False");
        assertThat(condition(m, "NodeReady").path("status").asText()).isEqualTo("False");
        assertThat(condition(m, "Ready").path("status").asText()).isEqualTo("False");
        assertThat(http.cluster("demo-002").at("/metadata/state/name").asText()).isEqualTo("active");

        sim.sim().faults().recoverMachine(machine);
        assertThat(condition(machine(machine), "NodeHealthy").path("status").asText())
                .isEqualTo("True");
    }

    @Test
    void unknownMachineOrClusterIsNotFoundInTheAdminApi() {
        assertThat(admin.post("/_sim/machines/nope/fail", "{}").code()).isEqualTo(404);
        assertThat(admin.post("/_sim/clusters/nope/stall", "{}").code()).isEqualTo(404);
        assertThat(admin.post(
                                "/_sim/machines/" + firstMachine("demo-001", "etcd") + "/fail",
                                SimHttp.object().put("mode", "melted"))
                        .code())
                .isEqualTo(400);
    }

    @Test
    void stalledClusterMakesNoProgressUntilUnstalled() {
        String config = http.createOpenstackConfig("nc-stall-pool-");
        http.post("/v1/provisioning.cattle.io.clusters", SimHttp.clusterBody("stalled", config, 1, 1, 1));
        admin.post("/_sim/clusters/stalled/stall", "{}");
        String before = phases("stalled");

        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> phases("stalled")
                .equals(before));
        assertThat(http.cluster("stalled").at("/status/ready").asBoolean()).isFalse();

        admin.post("/_sim/clusters/stalled/unstall", "{}");
        await().atMost(WAIT).until(() -> http.ready("stalled"));
    }

    @Test
    void disconnectedAgentShowsInManagementClusterAndProxyAnswers500() {
        String mgmtId = sim.sim().managementId("demo-003");

        admin.post("/_sim/clusters/demo-003/agent", SimHttp.object().put("connected", false));

        JsonNode mgmt = http.get("/v1/management.cattle.io.clusters/" + mgmtId).json();
        assertThat(condition(mgmt, "Connected").path("status").asText()).isEqualTo("False");
        assertThat(http.get("/v3/clusters/" + mgmtId).json().path("state").asText())
                .isEqualTo("unavailable");
        assertThat(condition(http.cluster("demo-003"), "Connected")
                        .path("status")
                        .asText())
                .isEqualTo("False");
        Resp proxied = http.get("/k8s/clusters/" + mgmtId + "/version");
        assertThat(proxied.code()).isEqualTo(500);
        assertThat(proxied.body()).isEqualTo("cluster agent disconnected");
        assertThat(proxied.contentType()).startsWith("text/plain");

        admin.post("/_sim/clusters/demo-003/agent", SimHttp.object().put("connected", true));
        assertThat(condition(
                                http.get("/v1/management.cattle.io.clusters/" + mgmtId)
                                        .json(),
                                "Connected")
                        .path("status")
                        .asText())
                .isEqualTo("True");
        assertThat(http.get("/k8s/clusters/" + mgmtId + "/version").code()).isNotEqualTo(500);
    }

    @Test
    void unreachableApiMakesTheProxyAnswer502() {
        String mgmtId = sim.sim().managementId("demo-004");

        admin.post("/_sim/clusters/demo-004/api", SimHttp.object().put("reachable", false));
        Resp r = http.get("/k8s/clusters/" + mgmtId + "/api/v1/nodes");

        assertThat(r.code()).isEqualTo(502);
        assertThat(r.body()).startsWith("dial tcp ").endsWith(":6443: connect: connection refused");
        admin.post("/_sim/clusters/demo-004/api", SimHttp.object().put("reachable", true));
        assertThat(http.get("/k8s/clusters/" + mgmtId + "/api/v1/nodes").code()).isNotEqualTo(502);
    }

    @Test
    void proxyAnswersTheClusterRoutersOwnErrors() {
        Resp unknown = http.get("/k8s/clusters/c-m-unknown1/api/v1/nodes");
        assertThat(unknown.code()).isEqualTo(404);
        assertThat(unknown.json().toString())
                .isEqualTo("{\"Code\":{\"Code\":\"NotFound\",\"Status\":404},\"Message\":\"failed to find cluster\","
                        + "\"Cause\":null,\"FieldName\":\"\"}");

        String config = http.createOpenstackConfig("nc-early-pool-");
        String mgmtId = http.post("/v1/provisioning.cattle.io.clusters", SimHttp.clusterBody("early", config, 1, 1, 1))
                .json()
                .at("/status/clusterName")
                .asText();
        sim.sim().faults().stall("early");
        Resp early = http.get("/k8s/clusters/" + mgmtId + "/api/v1/nodes");
        assertThat(early.code()).isEqualTo(503);
        assertThat(early.json().at("/Code/Code").asText()).isEqualTo("ClusterUnavailable");
        sim.sim().faults().unstall("early");
    }

    @Test
    void latencyDelaysOnlyTheChosenPrefix() {
        admin.post("/_sim/latency", SimHttp.object().put("millis", 400).put("pathPrefix", "/v1"));

        long slow = timed(() -> http.get("/v1/provisioning.cattle.io.clusters"));
        long fast = timed(() -> http.get("/v3/clusters"));

        assertThat(slow).isGreaterThanOrEqualTo(400);
        assertThat(fast).isLessThan(400);
    }

    @Test
    void injectedErrorsUseTheShapeOfTheApi() {
        admin.post(
                "/_sim/errors",
                SimHttp.object()
                        .put("rate", 1.0)
                        .put("status", 503)
                        .put("mode", "status")
                        .put("pathPrefix", "/v1"));

        Resp steve = http.get("/v1/provisioning.cattle.io.clusters");
        assertThat(steve.code()).isEqualTo(503);
        assertThat(steve.json().path("type").asText()).isEqualTo("error");
        assertThat(steve.json().path("code").asText()).isEqualTo("ServiceUnavailable");
        assertThat(steve.json().path("status").asInt()).isEqualTo(503);
        assertThat(http.get("/v3/clusters").code()).isEqualTo(200);

        admin.post(
                "/_sim/errors",
                SimHttp.object().put("rate", 1.0).put("status", 500).put("pathPrefix", "/v3"));
        Resp norman = http.get("/v3/clusters");
        assertThat(norman.code()).isEqualTo(500);
        assertThat(norman.json().path("baseType").asText()).isEqualTo("error");
        assertThat(norman.json().path("code").asText()).isEqualTo("ServerError");
    }

    @Test
    void seededErrorRateRepeatsTheSameSequence() {
        List<Integer> first = errorSequence(7);
        List<Integer> second = errorSequence(7);

        assertThat(first).isEqualTo(second);
        assertThat(first).contains(200, 503);
    }

    @Test
    void resetModeDropsTheConnection() {
        admin.post(
                "/_sim/errors",
                SimHttp.object().put("rate", 1.0).put("mode", "reset").put("pathPrefix", "/v1/provisioning"));

        assertThatThrownBy(() -> http.get("/v1/provisioning.cattle.io.clusters"))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(http.get("/v3/clusters").code()).isEqualTo(200);
    }

    @Test
    void timingChangesTakeEffectAndUnknownFieldsAreRejected() {
        SimTiming before = sim.sim().faults().timing();

        Resp changed = admin.post("/_sim/timing", SimHttp.object().put("machineDeleteMillis", 1234));

        assertThat(changed.code()).isEqualTo(200);
        assertThat(admin.get("/_sim/timing").json().path("machineDeleteMillis").asLong())
                .isEqualTo(1234);
        assertThat(sim.sim().faults().timing().machineDeleteMillis()).isEqualTo(1234);
        assertThat(admin.post("/_sim/timing", SimHttp.object().put("warpSpeed", 9))
                        .code())
                .isEqualTo(400);
        sim.sim().faults().timing(before);
    }

    @Test
    void externalApiIsRecordedForTheCluster() {
        Resp r = admin.post(
                "/_sim/clusters/demo-001/external",
                SimHttp.object().put("url", "https://10.1.2.3:6443").put("token", "abc"));

        assertThat(r.code()).isEqualTo(200);
        assertThat(r.json().at("/faults/externalApis/demo-001").asText()).isEqualTo("https://10.1.2.3:6443");
    }

    @Test
    void stateCountsObjects() {
        JsonNode state = admin.get("/_sim/state").json();

        assertThat(state.path("clusters").asInt()).isGreaterThanOrEqualTo(4);
        assertThat(state.path("machines").asInt()).isEqualTo(sim.sim().machineCount());
        assertThat(state.at("/machinesByPhase/Running").asInt()).isPositive();
        assertThat(state.at("/timing/tickMillis").asLong()).isPositive();
    }

    private List<Integer> errorSequence(long seed) {
        admin.post(
                "/_sim/errors",
                SimHttp.object()
                        .put("rate", 0.5)
                        .put("status", 503)
                        .put("seed", seed)
                        .put("pathPrefix", "/v3"));
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            codes.add(http.get("/v3/clusters").code());
        }
        return codes;
    }

    private String firstMachine(String cluster, String pool) {
        return http.get("/v1/cluster.x-k8s.io.machines/fleet-default?filter=spec.clusterName=" + cluster
                        + "&filter=metadata.labels[rke.cattle.io/rke-machine-pool-name]=" + pool)
                .json()
                .at("/data/0/metadata/name")
                .asText();
    }

    private JsonNode machine(String name) {
        return http.get("/v1/cluster.x-k8s.io.machines/fleet-default/" + name).json();
    }

    private String phases(String cluster) {
        StringBuilder out = new StringBuilder();
        for (JsonNode m : http.machines(cluster).path("data")) {
            out.append(m.at("/metadata/name").asText())
                    .append('=')
                    .append(m.at("/status/phase").asText())
                    .append(';');
        }
        return out.toString();
    }

    private static long timed(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
