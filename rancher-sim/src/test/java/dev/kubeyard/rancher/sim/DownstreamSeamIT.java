package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Machines become Kubernetes nodes behind {@code /k8s/clusters/<mgmtId>}: the seam with the downstream APIs. */
class DownstreamSeamIT {

    @RegisterExtension
    static RancherSimExtension sim = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(2).demoPools(1, 1, 2).timing(SimTiming.fast()));

    private static final Duration WAIT = Duration.ofSeconds(20);

    private SimHttp http;

    @BeforeEach
    void setUp() {
        http = new SimHttp(sim.url());
    }

    @Test
    void everyRunningMachineIsANodeBehindTheProxy() {
        String mgmtId = sim.sim().managementId("demo-001");

        SimHttp.Resp nodes = http.get("/k8s/clusters/" + mgmtId + "/api/v1/nodes");

        assertThat(nodes.code()).as(nodes.body()).isEqualTo(200);
        Set<String> nodeNames = new HashSet<>();
        nodes.json()
                .path("items")
                .forEach(n -> nodeNames.add(n.at("/metadata/name").asText()));
        Set<String> machineNames = new HashSet<>();
        http.machines("demo-001")
                .path("data")
                .forEach(m -> machineNames.add(m.at("/metadata/name").asText()));
        assertThat(nodeNames).isEqualTo(machineNames);
    }

    @Test
    void notReadyMachineMakesItsNodeReadyUnknownAndScalingAddsANode() {
        KubernetesClient client = sim.sim().kubernetesClient("demo-002");
        String worker = http.get("/v1/cluster.x-k8s.io.machines/fleet-default?filter=spec.clusterName=demo-002"
                        + "&filter=metadata.labels[rke.cattle.io/worker-role]=true")
                .json()
                .at("/data/0/metadata/name")
                .asText();

        sim.sim().faults().failMachine(worker, "notready");

        await().atMost(WAIT).until(() -> "Unknown"
                .equals(readyStatus(client.nodes().withName(worker).get())));

        http.updateSpec("demo-002", spec -> {
            for (JsonNode pool : spec.at("/rkeConfig/machinePools")) {
                if (pool.path("name").asText().equals("workers")) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) pool).put("quantity", 3);
                }
            }
        });
        await().atMost(WAIT).until(() -> client.nodes().list().getItems().size() == 5);
    }

    private static String readyStatus(Node node) {
        if (node == null || node.getStatus() == null) {
            return null;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if (c.getType().equals("Ready")) {
                return c.getStatus();
            }
        }
        return null;
    }
}
