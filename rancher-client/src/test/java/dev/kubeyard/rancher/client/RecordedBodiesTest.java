package dev.kubeyard.rancher.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.client.access.ApiToken;
import dev.kubeyard.rancher.client.access.RegistrationToken;
import dev.kubeyard.rancher.client.internal.Json;
import dev.kubeyard.rancher.client.internal.Resources;
import dev.kubeyard.rancher.client.machine.Machine;
import dev.kubeyard.rancher.client.machine.MachinePhase;
import dev.kubeyard.rancher.client.machineconfig.MachineConfig;
import dev.kubeyard.rancher.client.model.Condition;
import dev.kubeyard.rancher.client.provisioning.EtcdSnapshot;
import dev.kubeyard.rancher.client.provisioning.NodeRole;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import dev.kubeyard.rancher.client.provisioning.RkeControlPlane;
import dev.kubeyard.rancher.client.provisioning.RkeControlPlane.Progress;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordedBodiesTest {

    private static ProvisioningCluster firstCluster() {
        JsonNode page = Fixtures.json("v1/provisioning-clusters-page1.json");
        return Json.mapper().convertValue(page.path("data").get(0), ProvisioningCluster.class);
    }

    @Test
    void readsAReadyClusterWithItsPoolsIdsAndConditions() {
        ProvisioningCluster c = firstCluster();

        assertThat(c.name()).isEqualTo("payments-prod-eu1");
        assertThat(c.managementId()).contains("c-m-7x2kq9vd");
        assertThat(c.spec().kubernetesVersion()).isEqualTo("v1.33.4+rke2r1");
        assertThat(c.metadata().labels()).containsEntry("team", "payments");
        assertThat(c.metadata().resourceVersion()).isEqualTo("48390101");
        assertThat(c.machinePools()).extracting(p -> p.name()).containsExactly("etcd", "cp", "workers");
        assertThat(c.pool("etcd").orElseThrow().roles()).containsExactly(NodeRole.ETCD);
        assertThat(c.pool("workers").orElseThrow().quantity()).isEqualTo(12);
        assertThat(c.pool("workers").orElseThrow().taints()).singleElement().satisfies(t -> assertThat(t.effect())
                .isEqualTo("NoSchedule"));
        assertThat(c.spec().rkeConfig().etcdSnapshotCreate().value()).isEqualTo(3);
        assertThat(c.condition("Ready").orElseThrow().lastTransition()).contains(Instant.parse("2026-11-20T10:01:02Z"));
        assertThat(c.isUsable()).isTrue();
    }

    @Test
    void clusterStillProvisioningIsNotUsableEvenThoughItsStateIsNotAnError() {
        ProvisioningCluster c = Fixtures.read("v1/provisioning-cluster-provisioning.json", ProvisioningCluster.class);

        assertThat(c.metadata().stateOrUnknown().name()).isEqualTo("provisioning");
        assertThat(c.condition("Ready").orElseThrow().isUnknown()).isTrue();
        assertThat(c.condition("Ready").orElseThrow().error()).isTrue();
        assertThat(c.isUsable()).isFalse();
    }

    @Test
    void writeBodyKeepsKeysTheClientDoesNotModelAndDropsWhatSteveAdds() {
        ProvisioningCluster c = firstCluster();

        JsonNode body = Resources.writeBody(c, ProvisioningCluster.STEVE_TYPE);

        assertThat(body.path("type").asText()).isEqualTo("provisioning.cattle.io.cluster");
        assertThat(body.has("links")).isFalse();
        assertThat(body.has("id")).isFalse();
        assertThat(body.has("status")).isFalse();
        assertThat(body.path("metadata").has("state")).isFalse();
        assertThat(body.path("metadata").has("fields")).isFalse();
        assertThat(body.path("metadata").path("resourceVersion").asText()).isEqualTo("48390101");
        assertThat(body.path("metadata").path("managedFields").isArray()).isTrue();
        JsonNode rke = body.path("spec").path("rkeConfig");
        assertThat(rke.path("chartValues").has("rke2-cilium")).isTrue();
        assertThat(rke.path("etcd").path("snapshotRetention").asInt()).isEqualTo(5);
        assertThat(rke.path("machinePools")
                        .get(0)
                        .path("machineDeploymentLabels")
                        .path("tier")
                        .asText())
                .isEqualTo("etcd");
        assertThat(body.path("spec").has("localClusterAuthEndpoint")).isTrue();
    }

    @Test
    void notReadyMachineIsSeenAsUnhealthyThroughItsConditionsNotItsState() {
        Machine m = Fixtures.read("v1/machine-notready.json", Machine.class);

        assertThat(m.metadata().stateOrUnknown().name()).isEqualTo("running");
        assertThat(m.phase()).isEqualTo(MachinePhase.RUNNING);
        assertThat(m.condition("NodeHealthy").map(Condition::isFalse)).contains(true);
        assertThat(m.condition("HealthCheckSucceeded").map(Condition::isFalse)).contains(true);
        assertThat(m.condition("NodeReady").flatMap(Condition::lastTransition))
                .contains(Instant.parse("2026-11-22T04:58:10Z"));
        assertThat(m.pool()).contains("workers");
        assertThat(m.roles()).isEqualTo(Set.of(NodeRole.WORKER));
        assertThat(m.nodeName()).contains("payments-prod-eu1-workers-8f3a1c2e-kq2zx");
        assertThat(m.spec().clusterName()).isEqualTo("payments-prod-eu1");
        assertThat(m.isDeleting()).isFalse();
        assertThat(m.status().addresses()).extracting(Machine.Address::address).contains("10.20.4.17");
    }

    @Test
    void controlPlaneStatusTellsWhereEachOperationStands() {
        RkeControlPlane cp = Fixtures.read("v1/rkecontrolplane.json", RkeControlPlane.class);

        assertThat(cp.etcdSnapshotCreate(3)).isEqualTo(Progress.FINISHED);
        assertThat(cp.etcdSnapshotCreate(4)).isEqualTo(Progress.PENDING);
        assertThat(cp.etcdSnapshotRestore(1)).isEqualTo(Progress.RUNNING);
        assertThat(cp.certificateRotation(1)).isEqualTo(Progress.FINISHED);
        assertThat(cp.certificateRotation(2)).isEqualTo(Progress.PENDING);
    }

    @Test
    void etcdSnapshotsCarryTheirFileAtTopLevel() {
        List<EtcdSnapshot> snapshots = Json.mapper()
                .convertValue(
                        Fixtures.json("v1/etcdsnapshots.json").path("data"),
                        Json.mapper().getTypeFactory().constructCollectionType(List.class, EtcdSnapshot.class));

        assertThat(snapshots).hasSize(2);
        assertThat(snapshots.get(0).spec().clusterName()).isEqualTo("payments-prod-eu1");
        assertThat(snapshots.get(0).isSuccessful()).isTrue();
        assertThat(snapshots.get(0).snapshotFile().size()).isEqualTo(28471328L);
        assertThat(snapshots.get(1).isSuccessful()).isFalse();
        assertThat(snapshots.get(1).snapshotFile().message()).isEqualTo("context deadline exceeded");
    }

    @Test
    void machineConfigKeepsDriverFieldsAtTopLevel() {
        MachineConfig mc = Fixtures.read("v1/openstackconfig.json", MachineConfig.class);

        assertThat(mc.kind()).isEqualTo("OpenstackConfig");
        assertThat(mc.field("flavorName")).isEqualTo("m1.xlarge");
        assertThat(mc.field("imageName")).isEqualTo("ubuntu-24.04-rke2");
        assertThat(MachineConfig.collection(mc.kind())).isEqualTo("rke-machine-config.cattle.io.openstackconfigs");
        JsonNode body = Resources.writeBody(mc, MachineConfig.steveType(mc.kind()));
        assertThat(body.path("netName").asText()).isEqualTo("tenant-net-eu1");
        assertThat(body.has("spec")).isFalse();
    }

    @Test
    void registrationTokenReadsItsCommandsAndHidesThemFromToString() {
        RegistrationToken t = Fixtures.read("v3/registration-token.json", RegistrationToken.class);

        assertThat(t.clusterId()).isEqualTo("c-m-7x2kq9vd");
        assertThat(t.isReady()).isTrue();
        assertThat(t.nodeCommand()).startsWith(" curl").contains("sudo  sh");
        assertThat(t.toString()).doesNotContain(t.token());
    }

    @Test
    void tokenListingTypeNeverKeepsTheSecret() {
        ApiToken t = Fixtures.read("v3/token-created.json", ApiToken.class);

        assertThat(t.id()).isEqualTo("token-x7k2q");
        assertThat(t.extra()).doesNotContainKey("token");
        assertThat(t.toString()).doesNotContain("pz6vgh2lq8");
    }
}
