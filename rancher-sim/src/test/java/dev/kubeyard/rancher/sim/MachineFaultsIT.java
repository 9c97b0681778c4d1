package dev.kubeyard.rancher.sim;

import static dev.kubeyard.rancher.sim.SimHttp.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.SimHttp.Resp;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.NoSuchElementException;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The faults for node-pool auto-healing tests, over HTTP: new machines of a pool that hang or fail, refused
 * machine deletion, and the count of accepted machine deletions. Each test has a demo cluster of its own.
 */
class MachineFaultsIT {

    @RegisterExtension
    static RancherSimExtension sim = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(7).demoPools(1, 1, 2).timing(SimTiming.fast()));

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Twenty times the fast timing's provisioning step (50 ms). */
    private static final Duration WELL_PAST_PROVISIONING = Duration.ofSeconds(1);

    private SimHttp http;
    private SimHttp admin;

    @BeforeEach
    void setUp() {
        http = new SimHttp(sim.url());
        admin = new SimHttp(sim.url(), null);
    }

    @Test
    void stuckNewMachineStaysProvisioningWithoutANodeWhileANormalNewMachineRuns() {
        Set<String> oldWorkers = names("demo-001", "workers");
        Set<String> oldControlPlanes = names("demo-001", "control-plane");

        Resp set = newMachines("demo-001", "workers", "stuck");

        assertThat(set.code()).isEqualTo(200);
        assertThat(set.json().at("/faults/newMachines/demo-001/workers").asText())
                .isEqualTo("stuck");
        http.updateSpec("demo-001", spec -> {
            pool(spec, "workers").put("quantity", 3);
            pool(spec, "control-plane").put("quantity", 2);
        });
        String stuck = await().atMost(WAIT).until(() -> added("demo-001", "workers", oldWorkers), n -> n != null);
        String normal =
                await().atMost(WAIT).until(() -> added("demo-001", "control-plane", oldControlPlanes), n -> n != null);
        await().atMost(WAIT).until(() -> phase(normal).equals("Running"));
        await().atMost(WAIT).until(() -> nodeNames("demo-001").contains(normal));
        await().atMost(WAIT).until(() -> phase(stuck).equals("Provisioning"));

        await().during(WELL_PAST_PROVISIONING).atMost(WAIT).until(() -> phase(stuck)
                .equals("Provisioning"));
        JsonNode m = machine(stuck);
        assertThat(m.at("/status/nodeRef").isMissingNode()).isTrue();
        assertThat(condition(m, "InfrastructureReady").path("status").asText()).isEqualTo("False");
        assertThat(m.at("/metadata/state/name").asText())
                .as("a hung machine waits, it is not in error")
                .isEqualTo("waitingfornoderef");
        assertThat(m.at("/metadata/state/error").asBoolean()).isFalse();
        assertThat(nodeNames("demo-001")).doesNotContain(stuck);
        for (String old : oldWorkers) {
            assertThat(phase(old)).as("a machine the pool had").isEqualTo("Running");
        }
        assertThat(admin.get("/_sim/state")
                        .json()
                        .at("/faults/machines/" + stuck)
                        .asText())
                .isEqualTo("stuck");
    }

    @Test
    void recoveredStuckMachineFinishesProvisioningAndItsNodeAppears() {
        String stuck = stuckReplacement("demo-002");

        assertThat(admin.post("/_sim/machines/" + stuck + "/recover", "{}").code())
                .isEqualTo(200);

        await().atMost(WAIT).until(() -> phase(stuck).equals("Running"));
        await().atMost(WAIT).until(() -> nodeNames("demo-002").contains(stuck));
        assertThat(machine(stuck).at("/status/nodeRef/name").asText()).isEqualTo(stuck);
    }

    @Test
    void errorNewMachineFailsAtProvisioningAsAFailedMachineDoes() {
        Set<String> before = names("demo-003", "workers");
        String victim = before.iterator().next();
        String survivor =
                before.stream().filter(n -> !n.equals(victim)).findFirst().orElseThrow();
        newMachines("demo-003", "workers", "error");

        assertThat(http.delete(machinePath(victim)).code()).isEqualTo(200);

        String failed = await().atMost(WAIT).until(() -> added("demo-003", "workers", before), n -> n != null);
        await().atMost(WAIT).until(() -> phase(failed).equals("Failed"));
        JsonNode m = machine(failed);
        assertThat(condition(m, "InfrastructureReady").path("status").asText()).isEqualTo("False");
        assertThat(m.at("/metadata/state/name").asText()).isEqualTo("error");
        assertThat(m.at("/metadata/state/error").asBoolean()).isTrue();
        assertThat(admin.get("/_sim/state")
                        .json()
                        .at("/faults/machines/" + failed)
                        .asText())
                .isEqualTo("error");
        assertThat(phase(survivor)).as("a machine the pool had").isEqualTo("Running");
        assertThat(nodeNames("demo-003")).doesNotContain(failed);
    }

    @Test
    void turningTheNewMachineFaultOffLetsTheNextMachineRunAndLeavesTheStuckOneStuck() {
        String stuck = stuckReplacement("demo-004");
        Set<String> before = names("demo-004", "workers");
        String healthy =
                before.stream().filter(n -> !n.equals(stuck)).findFirst().orElseThrow();

        Resp off = newMachines("demo-004", "workers", "none");

        assertThat(off.code()).isEqualTo(200);
        assertThat(off.json().at("/faults/newMachines/demo-004").isMissingNode())
                .isTrue();
        assertThat(http.delete(machinePath(healthy)).code()).isEqualTo(200);
        String next = await().atMost(WAIT).until(() -> added("demo-004", "workers", before), n -> n != null);
        await().atMost(WAIT).until(() -> phase(next).equals("Running"));
        await().atMost(WAIT).until(() -> nodeNames("demo-004").contains(next));
        assertThat(phase(stuck)).isEqualTo("Provisioning");
        assertThat(nodeNames("demo-004")).doesNotContain(stuck);
    }

    @Test
    void newMachineFaultNeedsAKnownClusterAndPoolAndMode() {
        assertThat(newMachines("nope", "workers", "stuck").code()).isEqualTo(404);
        assertThat(newMachines("demo-005", "gpu", "stuck").code()).isEqualTo(404);
        assertThat(newMachines("demo-005", "workers", "melted").code()).isEqualTo(400);
        assertThat(admin.post("/_sim/clusters/demo-005/pools/workers/new-machines", "{}")
                        .code())
                .isEqualTo(400);
        assertThatThrownBy(() -> sim.sim().faults().newMachineFault("demo-005", "gpu", "error"))
                .isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> sim.sim().faults().newMachineFault("demo-005", "workers", "slow"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(admin.get("/_sim/state")
                        .json()
                        .at("/faults/newMachines/demo-005")
                        .isMissingNode())
                .as("no fault left behind by the refused calls")
                .isTrue();
    }

    @Test
    void refusedMachineDeletionAnswersAWebhookDenialAndKeepsTheMachine() {
        String machine = names("demo-006", "workers").iterator().next();

        Resp on = admin.post(
                "/_sim/clusters/demo-006/machine-deletion", SimHttp.object().put("refuse", true));

        assertThat(on.code()).isEqualTo(200);
        assertThat(on.json().at("/faults/machineDeletionRefused").toString()).contains("\"demo-006\"");
        Resp refused = http.delete(machinePath(machine));
        assertThat(refused.code()).isEqualTo(400);
        assertThat(refused.json().path("type").asText()).isEqualTo("error");
        assertThat(refused.json().path("code").asText()).isEqualTo("BadRequest");
        assertThat(refused.json().path("status").asInt()).isEqualTo(400);
        assertThat(refused.json().path("message").asText())
                .startsWith("admission webhook \"")
                .contains("denied the request: ", machine);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> {
            JsonNode m = http.get(machinePath(machine)).json();
            return m.at("/status/phase").asText().equals("Running")
                    && m.at("/metadata/deletionTimestamp").isMissingNode();
        });
        assertThat(deletions(machine)).as("a refused DELETE is not counted").isZero();
        assertThat(admin.post("/_sim/clusters/demo-006/machine-deletion", "{}").code())
                .as("refuse is required")
                .isEqualTo(400);
        assertThat(admin.post(
                                "/_sim/clusters/nope/machine-deletion",
                                SimHttp.object().put("refuse", true))
                        .code())
                .isEqualTo(404);

        sim.sim().faults().refuseMachineDeletion("demo-006", false);

        assertThat(http.delete(machinePath(machine)).code()).isEqualTo(200);
        assertThat(deletions(machine)).isEqualTo(1);
    }

    @Test
    void acceptedDeletionsAreCountedPerMachineAndClusterAndOutliveTheMachine() {
        String machine = names("demo-007", "workers").iterator().next();

        assertThat(http.delete(machinePath(machine)).code()).isEqualTo(200);
        assertThat(http.delete(machinePath(machine)).code())
                .as("a DELETE of a deleting machine is accepted too")
                .isEqualTo(200);
        assertThat(deletions(machine)).isEqualTo(2);

        await().atMost(WAIT).until(() -> http.get(machinePath(machine)).code() == 404);
        assertThat(http.delete(machinePath(machine)).code()).isEqualTo(404);
        assertThat(deletions(machine)).as("kept after the machine is gone").isEqualTo(2);
        assertThat(sim.sim().faults().machineDeletions(machine)).isEqualTo(2);
        assertThat(sim.sim().faults().machineDeletions("fleet-default/" + machine))
                .isEqualTo(2);
        assertThat(admin.get("/_sim/state")
                        .json()
                        .at("/faults/machineDeletions/demo-007")
                        .asInt())
                .isEqualTo(2);
        assertThat(deletions("demo-007-workers-never-existed")).isZero();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** Turns the stuck fault on for the cluster's workers and deletes one: its replacement hangs. */
    private String stuckReplacement(String cluster) {
        Set<String> before = names(cluster, "workers");
        newMachines(cluster, "workers", "stuck");
        assertThat(http.delete(machinePath(before.iterator().next())).code()).isEqualTo(200);
        String stuck = await().atMost(WAIT).until(() -> added(cluster, "workers", before), n -> n != null);
        await().atMost(WAIT).until(() -> admin.get("/_sim/state")
                .json()
                .at("/faults/machines/" + stuck)
                .asText()
                .equals("stuck"));
        assertThat(phase(stuck)).isEqualTo("Provisioning");
        return stuck;
    }

    private Resp newMachines(String cluster, String pool, String mode) {
        return admin.post(
                "/_sim/clusters/" + cluster + "/pools/" + pool + "/new-machines",
                SimHttp.object().put("mode", mode));
    }

    private int deletions(String machine) {
        Resp r = admin.get("/_sim/machines/" + machine + "/deletions");
        assertThat(r.code()).isEqualTo(200);
        return r.json().path("deletions").asInt(-1);
    }

    private static ObjectNode pool(ObjectNode spec, String name) {
        for (JsonNode pool : spec.at("/rkeConfig/machinePools")) {
            if (pool.path("name").asText().equals(name)) {
                return (ObjectNode) pool;
            }
        }
        throw new AssertionError("no pool " + name);
    }

    /** Names of the pool's machines not being deleted. */
    private Set<String> names(String cluster, String pool) {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode m : http.get("/v1/cluster.x-k8s.io.machines/fleet-default?filter=spec.clusterName=" + cluster
                        + "&filter=metadata.labels[rke.cattle.io/rke-machine-pool-name]=" + pool)
                .json()
                .path("data")) {
            if (m.at("/metadata/deletionTimestamp").isMissingNode()) {
                out.add(m.at("/metadata/name").asText());
            }
        }
        return out;
    }

    /** A machine of the pool that was not there before, or null. */
    private String added(String cluster, String pool, Set<String> before) {
        for (String name : names(cluster, pool)) {
            if (!before.contains(name)) {
                return name;
            }
        }
        return null;
    }

    private Set<String> nodeNames(String cluster) {
        Set<String> out = new LinkedHashSet<>();
        for (Node n : sim.sim().kubernetesClient(cluster).nodes().list().getItems()) {
            out.add(n.getMetadata().getName());
        }
        return out;
    }

    private JsonNode machine(String name) {
        return http.get(machinePath(name)).json();
    }

    private String phase(String name) {
        return machine(name).at("/status/phase").asText();
    }

    private static String machinePath(String name) {
        return "/v1/cluster.x-k8s.io.machines/fleet-default/" + name;
    }
}
