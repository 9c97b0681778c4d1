package dev.kubeyard.rancher.sim;

import static dev.kubeyard.rancher.sim.SimHttp.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.SimHttp.Resp;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pool quantity changes, machine deletion and replacement, machine health checks. */
class PoolScalingIT {

    @RegisterExtension
    static RancherSimExtension sim = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(5).demoPools(1, 1, 2).timing(SimTiming.fast()));

    private static final Duration WAIT = Duration.ofSeconds(10);

    private SimHttp http;

    @BeforeEach
    void setUp() {
        http = new SimHttp(sim.url());
    }

    @Test
    void raisingQuantityAddsRunningMachines() {
        http.updateSpec("demo-001", spec -> workers(spec).put("quantity", 4));

        await().atMost(WAIT).until(() -> running(poolMachines("demo-001", "workers")) == 4);
        await().atMost(WAIT).until(() -> http.ready("demo-001"));
        assertThat(http.machines("demo-001").path("count").asInt()).isEqualTo(6);
    }

    @Test
    void loweringQuantityDeletesTheAnnotatedMachine() {
        JsonNode workers = poolMachines("demo-002", "workers");
        String chosen = workers.path("data").get(1).at("/metadata/name").asText();
        ObjectNode annotate = SimHttp.object();
        annotate.putObject("metadata").putObject("annotations").put("cluster.x-k8s.io/delete-machine", "true");
        assertThat(http.patch(machinePath(chosen), annotate, "application/merge-patch+json")
                        .code())
                .isEqualTo(200);

        http.updateSpec("demo-002", spec -> workers(spec).put("quantity", 1));

        await().atMost(WAIT).until(() -> http.get(machinePath(chosen)).code() == 404);
        JsonNode left = poolMachines("demo-002", "workers");
        assertThat(left.path("count").asInt()).isEqualTo(1);
        assertThat(left.path("data").get(0).at("/metadata/name").asText()).isNotEqualTo(chosen);
        await().atMost(WAIT).until(() -> http.ready("demo-002"));
    }

    @Test
    void loweringQuantityWithoutAnnotationDeletesTheNewestMachine() {
        Set<String> original = names(poolMachines("demo-003", "workers"));
        http.updateSpec("demo-003", spec -> workers(spec).put("quantity", 3));
        await().atMost(WAIT).until(() -> running(poolMachines("demo-003", "workers")) == 3);
        Set<String> added = names(poolMachines("demo-003", "workers"));
        added.removeAll(original);
        assertThat(added).hasSize(1);

        http.updateSpec("demo-003", spec -> workers(spec).put("quantity", 2));

        await().atMost(WAIT)
                .until(() -> names(poolMachines("demo-003", "workers")).equals(original));
    }

    @Test
    void deletedMachineGoesDeletingAndItsPoolReplacesIt() {
        String victim = poolMachines("demo-004", "workers")
                .path("data")
                .get(0)
                .at("/metadata/name")
                .asText();

        Resp deleted = http.delete(machinePath(victim));

        assertThat(deleted.code()).isEqualTo(200);
        JsonNode machine = deleted.json();
        assertThat(machine.at("/status/phase").asText()).isEqualTo("Deleting");
        assertThat(condition(machine, "Deleting").path("status").asText()).isEqualTo("True");
        assertThat(machine.at("/metadata/state/name").asText()).isEqualTo("deleting");
        assertThat(machine.at("/metadata/state/message").asText())
                .as("a drain message is shown as Draining node")
                .isEqualTo("Draining node");
        await().atMost(WAIT).until(() -> http.get(machinePath(victim)).code() == 404);
        await().atMost(WAIT).until(() -> running(poolMachines("demo-004", "workers")) == 2);
        assertThat(names(poolMachines("demo-004", "workers"))).doesNotContain(victim);
        await().atMost(WAIT).until(() -> http.ready("demo-004"));
    }

    @Test
    void poolWithUnhealthyNodeTimeoutReplacesANotReadyMachine() {
        http.updateSpec("demo-005", spec -> workers(spec).put("unhealthyNodeTimeout", "300ms"));
        String sick = poolMachines("demo-005", "workers")
                .path("data")
                .get(0)
                .at("/metadata/name")
                .asText();
        await().atMost(WAIT).until(() -> condition(http.get(machinePath(sick)).json(), "HealthCheckSucceeded")
                .path("status")
                .asText()
                .equals("True"));

        sim.sim().faults().failMachine(sick, "notready");

        await().atMost(WAIT).until(() -> http.get(machinePath(sick)).code() == 404);
        await().atMost(WAIT).until(() -> running(poolMachines("demo-005", "workers")) == 2);
        assertThat(names(poolMachines("demo-005", "workers"))).doesNotContain(sick);
    }

    private static ObjectNode workers(ObjectNode spec) {
        for (JsonNode pool : spec.at("/rkeConfig/machinePools")) {
            if (pool.path("name").asText().equals("workers")) {
                return (ObjectNode) pool;
            }
        }
        throw new AssertionError("no workers pool");
    }

    private JsonNode poolMachines(String cluster, String pool) {
        return http.get("/v1/cluster.x-k8s.io.machines/fleet-default?filter=spec.clusterName=" + cluster
                        + "&filter=metadata.labels[rke.cattle.io/rke-machine-pool-name]=" + pool)
                .json();
    }

    private static int running(JsonNode list) {
        int n = 0;
        for (JsonNode m : list.path("data")) {
            if (m.at("/status/phase").asText().equals("Running")
                    && !m.at("/metadata/deletionTimestamp").isTextual()) {
                n++;
            }
        }
        return n;
    }

    private static Set<String> names(JsonNode list) {
        Set<String> out = new HashSet<>();
        list.path("data").forEach(m -> out.add(m.at("/metadata/name").asText()));
        return out;
    }

    private static String machinePath(String name) {
        return "/v1/cluster.x-k8s.io.machines/fleet-default/" + name;
    }
}
