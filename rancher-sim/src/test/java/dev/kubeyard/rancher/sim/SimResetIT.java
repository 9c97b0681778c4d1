package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.sim.downstream.PromSamples;
import dev.kubeyard.rancher.sim.faults.SimFaults;
import dev.kubeyard.rancher.sim.faults.WorkloadFault;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /_sim/reset}: faults off, counts dropped, user clusters gone, demo clusters back. */
class SimResetIT {

    @RegisterExtension
    static RancherSimExtension sim = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(2).timing(SimTiming.fast()));

    @Test
    void resetTurnsFaultsOffAndRecreatesTheDemoClusters() {
        SimHttp http = new SimHttp(sim.url());
        SimHttp admin = new SimHttp(sim.url(), null);
        String config = http.createOpenstackConfig("nc-extra-pool-");
        http.post("/v1/provisioning.cattle.io.clusters", SimHttp.clusterBody("extra", config, 1, 1, 1));
        String oldId = sim.sim().managementId("demo-001");
        sim.sim().faults().stall("demo-002");
        sim.sim().faults().latency(250, "/v1");
        sim.sim().faults().errors(1.0, 503, "status", "/v3", null);
        sim.sim().faults().timing(SimTiming.uniform(5_000));

        JsonNode state = admin.post("/_sim/reset", "{}").json();

        assertThat(state.path("clusters").asInt()).isEqualTo(2);
        assertThat(state.at("/faults/stalledClusters")).isEmpty();
        assertThat(state.at("/faults/latency")).isEmpty();
        assertThat(state.at("/faults/errors").isMissingNode()).isTrue();
        assertThat(state.at("/timing/machinePendingMillis").asLong())
                .isEqualTo(SimTiming.fast().machinePendingMillis());
        assertThat(http.get("/v1/provisioning.cattle.io.clusters/fleet-default/extra")
                        .code())
                .isEqualTo(404);
        assertThat(http.get("/v3/clusters").code()).isEqualTo(200);
        assertThat(http.ready("demo-001")).isTrue();
        assertThat(sim.sim().managementId("demo-001")).isNotEqualTo(oldId);
        assertThat(sim.sim().clusterCount()).isEqualTo(2);
        assertThat(sim.sim().machineCount()).isEqualTo(state.path("machines").asInt());
    }

    @Test
    void resetTurnsWorkloadFaultsOff() {
        SimHttp admin = new SimHttp(sim.url(), null);
        sim.sim().faults().failWorkloads("demo-001", WorkloadFault.image("broken"));
        assertThat(admin.get("/_sim/state")
                        .json()
                        .at("/faults/workloads/demo-001/0/image")
                        .asText())
                .isEqualTo("broken");

        JsonNode state = admin.post("/_sim/reset", "{}").json();

        assertThat(state.at("/faults/workloads")).isEmpty();
        KubernetesClient client = sim.sim().kubernetesClient("demo-001");
        Deployment created = client.resource(WorkloadsIT.deployment("default", "web", 1, "broken:1"))
                .create();
        await("the recreated demo-001 has no workload fault")
                .atMost(Duration.ofSeconds(10))
                .until(() -> WorkloadsIT.ready(client.resource(created).get()));
    }

    @Test
    void resetTurnsMachineFaultsOffAndDropsTheDeletionCounts() {
        SimHttp http = new SimHttp(sim.url());
        SimHttp admin = new SimHttp(sim.url(), null);
        String deleted = http.machines("demo-001").at("/data/0/metadata/name").asText();
        assertThat(http.delete("/v1/cluster.x-k8s.io.machines/fleet-default/" + deleted)
                        .code())
                .isEqualTo(200);
        sim.sim().faults().newMachineFault("demo-001", "workers", "stuck");
        sim.sim().faults().newMachineFault("demo-002", "workers", "error");
        sim.sim().faults().refuseMachineDeletion("demo-002", true);
        JsonNode before = admin.get("/_sim/state").json();
        assertThat(before.at("/faults/newMachines").size()).isEqualTo(2);
        assertThat(before.at("/faults/machineDeletionRefused").size()).isEqualTo(1);
        assertThat(before.at("/faults/machineDeletions/demo-001").asInt()).isEqualTo(1);

        JsonNode state = admin.post("/_sim/reset", "{}").json();

        assertThat(state.at("/faults/newMachines")).isEmpty();
        assertThat(state.at("/faults/machineDeletionRefused")).isEmpty();
        assertThat(state.at("/faults/machineDeletions")).isEmpty();
        assertThat(sim.sim().faults().machineDeletions(deleted)).isZero();
        String machine = http.machines("demo-002").at("/data/0/metadata/name").asText();
        assertThat(http.delete("/v1/cluster.x-k8s.io.machines/fleet-default/" + machine)
                        .code())
                .as("the recreated demo-002 refuses nothing")
                .isEqualTo(200);
    }

    @Test
    void resetTurnsHealthFaultsOff() {
        SimHttp http = new SimHttp(sim.url());
        SimHttp admin = new SimHttp(sim.url(), null);
        JsonNode machines = http.machines("demo-001").path("data");
        String machine = machines.get(0).at("/metadata/name").asText();
        SimFaults faults = sim.sim().faults();
        faults.nodeCondition(machine, "MemoryPressure", "True", null, null);
        faults.nodeUsage(machine, 3900, 1L << 34);
        faults.nodeAgentConnected(machine, false);
        faults.componentHealthy("demo-001", "controller-manager", false, null);
        faults.etcd("demo-001", false, 1L << 30);
        faults.readyzCheck("demo-001", "shutdown", false);
        faults.apiServerTraffic("demo-001", 0.5, 900);
        faults.metricsApi("demo-001", false);
        faults.certificatesExpireAt("demo-001", Instant.parse("2027-01-01T00:00:00Z"));
        faults.newMachineFault("demo-002", "workers", "quota");
        JsonNode before = admin.get("/_sim/state").json().path("faults");
        for (String key : List.of(
                "nodeConditions",
                "nodeUsage",
                "nodeAgentDisconnected",
                "components",
                "etcd",
                "readyzChecks",
                "apiServerTraffic",
                "metricsApiUnavailable",
                "certificatesExpireAt",
                "newMachines")) {
            assertThat(before.path(key)).as(key).hasSize(1);
        }
        String base = "/k8s/clusters/" + sim.sim().managementId("demo-001");
        assertThat(http.get(base + "/readyz").code()).isEqualTo(500);

        JsonNode state = admin.post("/_sim/reset", "{}").json();

        for (String key : List.of(
                "nodeConditions",
                "nodeUsage",
                "nodeAgentDisconnected",
                "components",
                "etcd",
                "readyzChecks",
                "apiServerTraffic",
                "metricsApiUnavailable",
                "certificatesExpireAt",
                "newMachines")) {
            assertThat(state.path("faults").path(key)).as(key).isEmpty();
        }
        String fresh = "/k8s/clusters/" + sim.sim().managementId("demo-001");
        assertThat(http.get(fresh + "/readyz").body()).isEqualTo("ok");
        assertThat(http.get(fresh + "/api/v1/componentstatuses").json().path("items"))
                .allSatisfy(
                        i -> assertThat(i.at("/conditions/0/status").asText()).isEqualTo("True"));
        assertThat(http.get(fresh + "/apis/metrics.k8s.io/v1beta1/nodes").code())
                .isEqualTo(200);
        assertThat(PromSamples.parse(http.get(fresh + "/metrics").body())
                        .sum("apiserver_request_total", k -> k.contains("code=\"5")))
                .isZero();
        for (JsonNode node : http.get(fresh + "/api/v1/nodes").json().path("items")) {
            for (JsonNode c : node.at("/status/conditions")) {
                if (!c.path("type").asText().equals("Ready")) {
                    assertThat(c.path("status").asText())
                            .as(c.path("type").asText())
                            .isEqualTo("False");
                }
            }
        }
        for (JsonNode m : http.machines("demo-001").path("data")) {
            assertThat(SimHttp.condition(m, "Reconciled").path("status").asText())
                    .isEqualTo("True");
        }
    }
}
