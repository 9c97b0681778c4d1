package dev.kubeyard.platform.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.platform.testing.PackagedApplications;
import dev.kubeyard.platform.testing.Specs;
import dev.kubeyard.rancher.sim.RancherSim;
import dev.kubeyard.rancher.sim.SimTiming;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged application killed with SIGKILL in the middle of a create, then started again on the same database and
 * Rancher: the new process finishes the operation, and Rancher ends up with one cluster, not two. A real process, a
 * real kill: no in-JVM stand-in can lose what a crash loses.
 */
class RestartMidOperationIT {

    static final String TOKEN = "token-restart:restart-test-secret";

    PackagedApplications apps;
    RancherSim rancher;

    @BeforeEach
    void startDatabaseAndRancher() throws IOException {
        // Steps of 400 ms: provisioning takes a few seconds, long enough to kill the application in the middle.
        apps = PackagedApplications.withOwnDatabaseAndRancher(TOKEN, SimTiming.uniform(400));
        rancher = apps.rancher();
    }

    @AfterEach
    void stopEverything() {
        if (apps != null) {
            apps.close();
        }
    }

    @Test
    void createInterruptedByAKilledApplicationIsFinishedAfterRestart() throws Exception {
        int port = PackagedApplications.freePort();
        Process first = apps.start(port, "first", Map.of());
        String name = "restart-" + Long.toHexString(System.nanoTime());

        HttpResponse<String> created = apps.put(port, "/api/v1/clusters/" + name, Specs.small("payments", 2));
        assertThat(created.statusCode()).isEqualTo(202);
        String opId = apps.json().readTree(created.body()).get("id").asText();

        // Kill it once Rancher has the cluster and the operation runs, before the cluster is Ready.
        await().atMost(Duration.ofSeconds(60))
                .until(() -> apps.rancherGet("/v1/provisioning.cattle.io.clusters/fleet-default/" + name)
                        .isPresent());
        JsonNode beforeKill = apps.get(port, "/api/v1/clusters/" + name);
        assertThat(beforeKill.at("/status/phase").asText()).isNotEqualTo("Ready");
        first.destroyForcibly().waitFor();

        apps.start(port, "second", Map.of());

        JsonNode op = await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> apps.get(port, "/api/v1/operations/" + opId),
                        o -> o.get("state").asText().equals("Succeeded"));
        assertThat(op.get("kind").asText()).isEqualTo("Create");
        JsonNode cluster = apps.get(port, "/api/v1/clusters/" + name);
        assertThat(cluster.at("/status/phase").asText()).isEqualTo("Ready");
        assertThat(cluster.at("/status/nodesReady").asInt()).isEqualTo(3);
        assertThat(rancher.clusterCount()).isEqualTo(1);
        assertThat(rancher.machineCount()).isEqualTo(3);
    }
}
