package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.SimHttp.Resp;
import dev.kubeyard.rancher.sim.api.Releases;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Generation-driven day-2 operations reaching their final RKEControlPlane status. */
class DayTwoIT {

    @RegisterExtension
    static RancherSimExtension sim = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(6).timing(SimTiming.uniform(100)));

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NEWEST = Releases.VERSIONS.get(Releases.VERSIONS.size() - 1);

    private SimHttp http;

    @BeforeEach
    void setUp() {
        http = new SimHttp(sim.url());
    }

    @Test
    void kubernetesVersionChangeUpgradesEveryMachineThenTheClusterIsActive() {
        http.updateSpec("demo-001", spec -> spec.put("kubernetesVersion", NEWEST));

        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> http.cluster("demo-001")
                .at("/metadata/state/name")
                .asText()
                .equals("updating"));
        // Machines are upgraded one after another, so "ready" alone can be seen between two of them (on a loaded
        // machine a poll may land there): wait for the end state as a whole.
        String mgmtId = sim.sim().managementId("demo-001");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(http.ready("demo-001")).isTrue();
            for (JsonNode m : http.machines("demo-001").path("data")) {
                assertThat(m.at("/status/nodeInfo/kubeletVersion").asText()).isEqualTo(NEWEST);
            }
            assertThat(http.get("/v1/management.cattle.io.clusters/" + mgmtId)
                            .json()
                            .at("/status/version/gitVersion")
                            .asText())
                    .isEqualTo(NEWEST);
        });
    }

    @Test
    void certificateRotationGenerationIsReportedWhenDone() {
        http.updateSpec("demo-002", spec -> spec.withObjectProperty("rkeConfig")
                .putObject("rotateCertificates")
                .put("generation", 1));

        await().atMost(WAIT)
                .until(() -> http.controlPlane("demo-002")
                                .at("/status/certificateRotationGeneration")
                                .asLong()
                        == 1);
        await().atMost(WAIT).until(() -> http.ready("demo-002"));
    }

    @Test
    void etcdSnapshotCreationFinishesWithOneSnapshotPerEtcdNode() {
        http.updateSpec("demo-003", spec -> spec.withObjectProperty("rkeConfig")
                .putObject("etcdSnapshotCreate")
                .put("generation", 1));

        await().atMost(WAIT).until(() -> {
            JsonNode status = http.controlPlane("demo-003").path("status");
            return status.at("/etcdSnapshotCreate/generation").asLong() == 1
                    && status.path("etcdSnapshotCreatePhase").asText().equals("Finished");
        });
        JsonNode snapshots = http.get("/v1/rke.cattle.io.etcdsnapshots/fleet-default?filter=spec.clusterName=demo-003")
                .json();
        int etcdNodes = http.get("/v1/cluster.x-k8s.io.machines/fleet-default?filter=spec.clusterName=demo-003"
                        + "&filter=metadata.labels[rke.cattle.io/etcd-role]=true")
                .json()
                .path("count")
                .asInt();
        assertThat(snapshots.path("count").asInt()).isEqualTo(etcdNodes);
        JsonNode snapshot = snapshots.path("data").get(0);
        assertThat(snapshot.at("/type").asText()).isEqualTo("rke.cattle.io.etcdsnapshot");
        assertThat(snapshot.at("/spec/clusterName").asText()).isEqualTo("demo-003");
        JsonNode file = snapshot.path("snapshotFile");
        assertThat(file.path("name").asText()).startsWith("on-demand-demo-003-etcd-");
        assertThat(file.path("location").asText()).startsWith("file:///var/lib/rancher/rke2/server/db/snapshots/");
        assertThat(file.path("status").asText()).isEqualTo("successful");
        assertThat(file.path("size").asLong()).isPositive();
        assertThat(file.path("createdAt").asText()).isNotEmpty();
        assertThat(file.path("nodeName").asText()).startsWith("demo-003-etcd-");
    }

    @Test
    void etcdRestoreWalksThroughEveryPhaseToFinished() {
        String snapshot = takeSnapshot("demo-004");

        http.updateSpec("demo-004", spec -> spec.withObjectProperty("rkeConfig")
                .putObject("etcdSnapshotRestore")
                .put("name", snapshot)
                .put("generation", 1)
                .put("restoreRKEConfig", "none"));

        List<String> phases = new ArrayList<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(15)).until(() -> {
            String phase = http.controlPlane("demo-004")
                    .at("/status/etcdSnapshotRestorePhase")
                    .asText();
            if (!phase.isEmpty()
                    && (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase))) {
                phases.add(phase);
            }
            return phase.equals("Finished");
        });
        assertThat(phases)
                .startsWith("Started")
                .endsWith("Finished")
                .isSubsetOf(
                        "Started",
                        "Shutdown",
                        "Restore",
                        "PostRestorePodCleanup",
                        "InitialRestartCluster",
                        "PostRestoreNodeCleanup",
                        "RestartCluster",
                        "Finished");
        JsonNode restore = http.controlPlane("demo-004").at("/status/etcdSnapshotRestore");
        assertThat(restore.path("name").asText()).isEqualTo(snapshot);
        assertThat(restore.path("generation").asLong()).isEqualTo(1);
        await().atMost(WAIT).until(() -> http.ready("demo-004"));
    }

    @Test
    void restoreWithKubernetesVersionPutsTheSnapshotVersionBack() {
        String before = http.cluster("demo-005").at("/spec/kubernetesVersion").asText();
        String snapshot = takeSnapshot("demo-005");
        http.updateSpec("demo-005", spec -> spec.put("kubernetesVersion", NEWEST));
        await().atMost(WAIT).until(() -> http.ready("demo-005"));

        http.updateSpec("demo-005", spec -> spec.withObjectProperty("rkeConfig")
                .putObject("etcdSnapshotRestore")
                .put("name", snapshot)
                .put("generation", 1)
                .put("restoreRKEConfig", "kubernetesVersion"));

        await().atMost(WAIT).until(() -> http.controlPlane("demo-005")
                .at("/status/etcdSnapshotRestorePhase")
                .asText()
                .equals("Finished"));
        await().atMost(WAIT).until(() -> http.ready("demo-005"));
        assertThat(http.cluster("demo-005").at("/spec/kubernetesVersion").asText())
                .isEqualTo(before);
        for (JsonNode m : http.machines("demo-005").path("data")) {
            assertThat(m.at("/status/nodeInfo/kubeletVersion").asText()).isEqualTo(before);
        }
    }

    @Test
    void restoreOfAMissingSnapshotIsDeniedByTheWebhook() {
        ObjectNode cluster = (ObjectNode) http.cluster("demo-006");
        ((ObjectNode) cluster.get("spec"))
                .withObjectProperty("rkeConfig")
                .putObject("etcdSnapshotRestore")
                .put("name", "demo-006-no-such-snapshot")
                .put("generation", 1)
                .put("restoreRKEConfig", "none");

        Resp r = http.put("/v1/provisioning.cattle.io.clusters/fleet-default/demo-006", cluster);

        assertThat(r.code()).isEqualTo(400);
        assertThat(r.json().path("type").asText()).isEqualTo("error");
        assertThat(r.json().path("code").asText()).isEqualTo("BadRequest");
        assertThat(r.json().path("message").asText())
                .startsWith("admission webhook \"rancher.cattle.io.clusters.provisioning.cattle.io\" denied the"
                        + " request: ")
                .contains("demo-006-no-such-snapshot");
        assertThat(http.cluster("demo-006")
                        .at("/spec/rkeConfig/etcdSnapshotRestore")
                        .isMissingNode())
                .isTrue();
    }

    @Test
    void encryptionKeyRotationReachesDone() {
        http.updateSpec("demo-006", spec -> spec.withObjectProperty("rkeConfig")
                .putObject("rotateEncryptionKeys")
                .put("generation", 1));

        await().atMost(WAIT).until(() -> http.controlPlane("demo-006")
                .at("/status/rotateEncryptionKeysPhase")
                .asText()
                .equals("Done"));
        assertThat(http.controlPlane("demo-006")
                        .at("/status/rotateEncryptionKeys/generation")
                        .asLong())
                .isEqualTo(1);
    }

    private String takeSnapshot(String cluster) {
        http.updateSpec(cluster, spec -> spec.withObjectProperty("rkeConfig")
                .putObject("etcdSnapshotCreate")
                .put("generation", 1));
        await().atMost(WAIT).until(() -> http.controlPlane(cluster)
                .at("/status/etcdSnapshotCreatePhase")
                .asText()
                .equals("Finished"));
        await().atMost(WAIT).until(() -> http.ready(cluster));
        return http.get("/v1/rke.cattle.io.etcdsnapshots/fleet-default?filter=spec.clusterName=" + cluster)
                .json()
                .path("data")
                .get(0)
                .at("/metadata/name")
                .asText();
    }
}
