package dev.kubeyard.rancher.sim;

import static dev.kubeyard.rancher.sim.SimHttp.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.sim.SimHttp.Resp;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A provisioning cluster from POST to Ready and to gone, over real HTTP. */
class ClusterLifecycleIT {

    /** Steps of 150 ms: slow enough to observe each stage, fast enough for a test. */
    @RegisterExtension
    static RancherSimExtension sim =
            RancherSimExtension.withOptions(SimOptions.defaults().timing(SimTiming.uniform(150)));

    private SimHttp http;

    @BeforeEach
    void setUp() {
        http = new SimHttp(sim.url());
    }

    @Test
    void createdClusterProvisionsThroughRancherConditionsToReady() {
        String config = http.createOpenstackConfig("nc-life-pool-");
        Resp created = http.post("/v1/provisioning.cattle.io.clusters", SimHttp.clusterBody("life", config, 1, 1, 2));

        assertThat(created.code()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.at("/id").asText()).isEqualTo("fleet-default/life");
        assertThat(body.at("/type").asText()).isEqualTo("provisioning.cattle.io.cluster");
        assertThat(body.at("/links/view").asText())
                .endsWith("/apis/provisioning.cattle.io/v1/namespaces/fleet-default/clusters/life");
        assertThat(body.at("/status/clusterName").asText()).matches("c-m-[a-z0-9]{8}");
        assertThat(body.at("/metadata/resourceVersion").asText()).matches("\\d+");
        assertThat(body.at("/metadata/generation").asLong()).isEqualTo(1);

        List<String> states = new ArrayList<>();
        AtomicReference<JsonNode> provisioning = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    JsonNode c = http.cluster("life");
                    String state = c.at("/metadata/state/name").asText();
                    if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
                        states.add(state);
                    }
                    if (state.equals("provisioning") && provisioning.get() == null) {
                        provisioning.set(c);
                    }
                    return c.at("/status/ready").asBoolean();
                });

        JsonNode during = provisioning.get();
        assertThat(during)
                .as("observed while provisioning, states seen %s", states)
                .isNotNull();
        assertThat(during.at("/metadata/state/transitioning").asBoolean()).isTrue();
        for (String type : List.of("Provisioned", "Updated", "Ready")) {
            JsonNode cond = condition(during, type);
            assertThat(cond.path("status").asText()).as(type).isEqualTo("Unknown");
            assertThat(cond.path("message").asText()).as(type).containsAnyOf("waiting for", "configuring");
        }
        assertThat(condition(during, "Provisioned").path("transitioning").asBoolean())
                .isTrue();
        assertThat(condition(during, "Ready").path("error").asBoolean())
                .as("a Ready=Unknown condition is flagged as error by Steve")
                .isTrue();

        JsonNode ready = http.cluster("life");
        for (String type : List.of("Created", "Provisioned", "Updated", "Ready", "Connected")) {
            JsonNode cond = condition(ready, type);
            assertThat(cond.path("status").asText()).as(type).isEqualTo("True");
            assertThat(cond.path("error").isBoolean()).isTrue();
            assertThat(cond.path("transitioning").isBoolean()).isTrue();
            assertThat(cond.path("lastUpdateTime").asText()).isNotEmpty();
        }
        assertThat(ready.at("/metadata/state/name").asText()).isEqualTo("active");
        assertThat(ready.at("/status/observedGeneration").asLong())
                .isEqualTo(ready.at("/metadata/generation").asLong());
        assertThat(states).contains("provisioning").endsWith("active");
    }

    @Test
    void machinesHaveTheCapiV1beta2ShapeAndRunOnePerQuantity() {
        String config = http.createOpenstackConfig("nc-shape-pool-");
        http.post("/v1/provisioning.cattle.io.clusters", SimHttp.clusterBody("shape", config, 1, 1, 2));
        await().atMost(Duration.ofSeconds(15)).until(() -> http.ready("shape"));

        JsonNode machines = http.machines("shape");
        assertThat(machines.path("count").asInt()).isEqualTo(4);
        JsonNode worker = null;
        for (JsonNode m : machines.path("data")) {
            assertThat(m.at("/apiVersion").asText()).isEqualTo("cluster.x-k8s.io/v1beta2");
            assertThat(m.at("/type").asText()).isEqualTo("cluster.x-k8s.io.machine");
            assertThat(m.at("/metadata/name").asText()).matches("shape-(etcd|cp|workers)-[0-9a-f]{8}-[a-z0-9]{5}");
            assertThat(m.at("/status/phase").asText()).isEqualTo("Running");
            assertThat(m.at("/metadata/state/name").asText()).isEqualTo("running");
            if (m.at("/metadata/labels/rke.cattle.io~1rke-machine-pool-name")
                    .asText()
                    .equals("workers")) {
                worker = m;
            }
        }
        assertThat(worker).isNotNull();
        String name = worker.at("/metadata/name").asText();
        assertThat(worker.at("/metadata/labels/cluster.x-k8s.io~1cluster-name").asText())
                .isEqualTo("shape");
        assertThat(worker.at("/metadata/labels/cluster.x-k8s.io~1deployment-name")
                        .asText())
                .isEqualTo("shape-workers");
        assertThat(worker.at("/metadata/labels/rke.cattle.io~1worker-role").asText())
                .isEqualTo("true");
        assertThat(worker.at("/metadata/labels/cattle.io~1os").asText()).isEqualTo("linux");
        assertThat(worker.at("/spec/clusterName").asText()).isEqualTo("shape");
        assertThat(worker.at("/spec/infrastructureRef/kind").asText()).isEqualTo("OpenstackMachine");
        assertThat(worker.at("/spec/infrastructureRef/apiGroup").asText()).isEqualTo("rke-machine.cattle.io");
        assertThat(worker.at("/spec/bootstrap/configRef/kind").asText()).isEqualTo("RKEBootstrap");
        assertThat(worker.at("/spec/providerID").asText()).isEqualTo("rke2://" + name);
        assertThat(worker.at("/status/nodeRef/name").asText()).isEqualTo(name);
        assertThat(worker.at("/status/nodeInfo/kubeletVersion").asText()).isEqualTo("v1.33.5+rke2r1");
        assertThat(worker.at("/status/addresses/0/type").asText()).isEqualTo("InternalIP");
        for (String type :
                List.of("Ready", "NodeReady", "NodeHealthy", "InfrastructureReady", "BootstrapConfigReady")) {
            assertThat(condition(worker, type).path("status").asText()).as(type).isEqualTo("True");
        }
        assertThat(condition(worker, "Deleting").path("status").asText()).isEqualTo("False");

        JsonNode byPool = http.get("/v1/cluster.x-k8s.io.machines/fleet-default"
                        + "?filter=metadata.labels[rke.cattle.io/rke-machine-pool-name]=workers"
                        + "&filter=spec.clusterName=shape")
                .json();
        assertThat(byPool.path("count").asInt()).isEqualTo(2);
    }

    @Test
    void clusterBringsManagementClusterControlPlaneAndRegistrationToken() {
        String config = http.createOpenstackConfig("nc-side-pool-");
        String mgmtId = http.post("/v1/provisioning.cattle.io.clusters", SimHttp.clusterBody("side", config, 1, 1, 1))
                .json()
                .at("/status/clusterName")
                .asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> http.ready("side"));

        Resp mgmt = http.get("/v1/management.cattle.io.clusters/" + mgmtId);
        assertThat(mgmt.code()).isEqualTo(200);
        assertThat(mgmt.json().at("/id").asText()).isEqualTo(mgmtId);
        assertThat(mgmt.json().at("/spec/displayName").asText()).isEqualTo("side");
        assertThat(condition(mgmt.json(), "Connected").path("status").asText()).isEqualTo("True");
        assertThat(mgmt.json().at("/status/info/provisioningClusterRef/name").asText())
                .isEqualTo("side");
        assertThat(sim.sim().managementId("side")).isEqualTo(mgmtId);

        JsonNode cp = http.controlPlane("side");
        assertThat(cp.at("/kind").asText()).isEqualTo("RKEControlPlane");
        assertThat(cp.at("/spec/managementClusterName").asText()).isEqualTo(mgmtId);
        assertThat(cp.at("/status/ready").asBoolean()).isTrue();

        Resp token = http.get("/v3/clusterregistrationtokens/" + mgmtId + ":default-token");
        assertThat(token.code()).isEqualTo(200);
        assertThat(token.json().at("/clusterId").asText()).isEqualTo(mgmtId);
    }

    @Test
    void managementClustersAreReadOnlyThroughSteve() {
        String config = http.createOpenstackConfig("nc-ro-pool-");
        String mgmtId = http.post("/v1/provisioning.cattle.io.clusters", SimHttp.clusterBody("ro", config, 1, 1, 1))
                .json()
                .at("/status/clusterName")
                .asText();
        String path = "/v1/management.cattle.io.clusters/" + mgmtId;

        Resp post = http.post("/v1/management.cattle.io.clusters", SimHttp.object());
        Resp put = http.put(path, http.get(path).json());
        Resp delete = http.delete(path);

        for (Resp r : List.of(post, put, delete)) {
            assertThat(r.code()).isEqualTo(403);
            assertThat(r.json().path("code").asText()).isEqualTo("PermissionDenied");
            assertThat(r.json().path("type").asText()).isEqualTo("error");
        }
        assertThat(http.get(path).json().at("/links/update").asText()).isEqualTo("blocked");
    }

    @Test
    void deletedClusterIsRemovingThenGoneWithItsMachines() {
        String config = http.createOpenstackConfig("nc-del-pool-");
        String mgmtId = http.post("/v1/provisioning.cattle.io.clusters", SimHttp.clusterBody("del", config, 1, 1, 1))
                .json()
                .at("/status/clusterName")
                .asText();
        await().atMost(Duration.ofSeconds(15)).until(() -> http.ready("del"));

        Resp deleted = http.delete("/v1/provisioning.cattle.io.clusters/fleet-default/del");

        assertThat(deleted.code()).isEqualTo(200);
        assertThat(deleted.json().at("/metadata/state/name").asText()).isEqualTo("removing");
        assertThat(deleted.json().at("/metadata/deletionTimestamp").asText()).isNotEmpty();
        assertThat(http.machines("del").path("data").get(0).at("/status/phase").asText())
                .isEqualTo("Deleting");
        await().atMost(Duration.ofSeconds(15))
                .until(() -> http.get("/v1/provisioning.cattle.io.clusters/fleet-default/del")
                                .code()
                        == 404);
        assertThat(http.machines("del").path("count").asInt()).isZero();
        assertThat(http.get("/v1/management.cattle.io.clusters/" + mgmtId).code())
                .isEqualTo(404);
        assertThat(http.get("/v1/rke-machine-config.cattle.io.openstackconfigs/fleet-default/" + config)
                        .code())
                .as("the adopted machine config is garbage-collected with its cluster")
                .isEqualTo(404);
    }

    @Test
    void missingMachineConfigKeepsThePoolPendingUntilItExists() {
        http.post("/v1/provisioning.cattle.io.clusters", SimHttp.clusterBody("orphan", "nc-orphan-later", 1, 1, 1));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> http.machines("orphan").path("count").asInt() == 3);
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).until(() -> {
            for (JsonNode m : http.machines("orphan").path("data")) {
                if (!m.at("/status/phase").asText().equals("Pending")) {
                    return false;
                }
            }
            return true;
        });
        JsonNode machine = http.machines("orphan").path("data").get(0);
        JsonNode infra = condition(machine, "InfrastructureReady");
        assertThat(infra.path("status").asText()).isEqualTo("False");
        assertThat(infra.path("message").asText())
                .isEqualTo("OpenstackConfig.rke-machine-config.cattle.io \"nc-orphan-later\" not found");
        assertThat(http.cluster("orphan").at("/metadata/state/name").asText()).isEqualTo("provisioning");

        SimHttp.Resp config = http.post(
                "/v1/rke-machine-config.cattle.io.openstackconfigs/fleet-default",
                SimHttp.MAPPER
                        .createObjectNode()
                        .put("flavorName", "m1.small")
                        .set(
                                "metadata",
                                SimHttp.object().put("name", "nc-orphan-later").put("namespace", "fleet-default")));
        assertThat(config.code()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(15)).until(() -> http.ready("orphan"));
    }
}
