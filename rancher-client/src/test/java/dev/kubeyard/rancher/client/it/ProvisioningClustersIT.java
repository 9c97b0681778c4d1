package dev.kubeyard.rancher.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.rancher.client.RancherAlreadyExistsException;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherConflictException;
import dev.kubeyard.rancher.client.RancherInvalidRequestException;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.machine.Machine;
import dev.kubeyard.rancher.client.provisioning.EtcdSnapshot;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import dev.kubeyard.rancher.client.provisioning.RestoreMode;
import dev.kubeyard.rancher.client.provisioning.RkeControlPlane.Progress;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ProvisioningClustersIT {

    @RegisterExtension
    static final RancherSimExtension SIM =
            RancherSimExtension.withOptions(SimOptions.defaults().timing(SimTiming.fast()));

    private static RancherClient rancher;

    @BeforeAll
    static void connect() {
        rancher = SimSupport.client(SIM.sim().url());
    }

    @AfterAll
    static void close() {
        rancher.close();
    }

    private static ProvisioningCluster usable(String name) {
        return await().atMost(Duration.ofSeconds(20))
                .until(() -> rancher.clusters().get(name), ProvisioningCluster::isUsable);
    }

    @Test
    void createdClusterBecomesUsableWithAMachinePerQuantityOfEachPool() {
        ProvisioningCluster created = SimSupport.createCluster(rancher, "life-1", 3, 1, 2, Map.of("team", "a"));

        assertThat(created.managementId())
                .hasValueSatisfying(id -> assertThat(id).matches("c-m-[a-z0-9]{8}"));
        assertThat(created.isUsable()).isFalse();
        ProvisioningCluster ready = usable("life-1");
        assertThat(ready.condition("Ready").orElseThrow().isTrue()).isTrue();
        List<Machine> machines = rancher.machines().list("life-1");
        assertThat(machines).hasSize(6);
        assertThat(rancher.machines().list("life-1", "etcd")).hasSize(3);
        assertThat(machines).allSatisfy(m -> assertThat(m.nodeName()).isPresent());
    }

    @Test
    void listFiltersByLabelAndReadsEveryPage() {
        for (int i = 0; i < 5; i++) {
            SimSupport.createCluster(rancher, "page-" + i, 1, 1, 1, Map.of("team", "paging"));
        }
        SimSupport.createCluster(rancher, "page-other", 1, 1, 1, Map.of("team", "other"));

        List<ProvisioningCluster> paging = rancher.clusters().list(Map.of("team", "paging"));

        assertThat(paging)
                .extracting(ProvisioningCluster::name)
                .containsExactlyInAnyOrder("page-0", "page-1", "page-2", "page-3", "page-4");
        assertThat(rancher.clusters().list())
                .extracting(ProvisioningCluster::name)
                .contains("page-other", "page-4");
    }

    @Test
    void updateFromAStaleReadIsAConflictAndModifyReadsAgain() {
        SimSupport.createCluster(rancher, "conflict-1", 1, 1, 1, Map.of());
        ProvisioningCluster first = rancher.clusters().get("conflict-1");
        rancher.clusters().scalePool("conflict-1", "workers", 2);

        assertThatThrownBy(() ->
                        rancher.clusters().update(first.withSpec(first.spec().withKubernetesVersion("v1.33.4+rke2r1"))))
                .isInstanceOf(RancherConflictException.class);
        ProvisioningCluster upgraded = rancher.clusters().upgradeKubernetes("conflict-1", "v1.33.4+rke2r1");
        assertThat(upgraded.spec().kubernetesVersion()).isEqualTo("v1.33.4+rke2r1");
        assertThat(upgraded.pool("workers").orElseThrow().quantity()).isEqualTo(2);
    }

    @Test
    void creatingATakenNameIsAlreadyExists() {
        SimSupport.createCluster(rancher, "taken-1", 1, 1, 1, Map.of());

        assertThatThrownBy(() -> SimSupport.createCluster(rancher, "taken-1", 1, 1, 1, Map.of()))
                .isInstanceOf(RancherAlreadyExistsException.class);
    }

    @Test
    void missingClusterIsNotFound() {
        assertThatThrownBy(() -> rancher.clusters().get("no-such-cluster"))
                .isInstanceOfSatisfying(RancherNotFoundException.class, e -> assertThat(e.status())
                        .isEqualTo(404));
        assertThat(rancher.clusters().find("no-such-cluster")).isEmpty();
    }

    @Test
    void deletedClusterGoesAwayWithItsMachines() {
        SimSupport.createCluster(rancher, "gone-1", 1, 1, 1, Map.of());
        usable("gone-1");

        rancher.clusters().delete("gone-1");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> rancher.clusters().find("gone-1").isEmpty());
        await().atMost(Duration.ofSeconds(20))
                .until(() -> rancher.machines().list("gone-1").isEmpty());
    }

    @Test
    void scalingAPoolAddsAndRemovesMachines() {
        SimSupport.createCluster(rancher, "scale-1", 1, 1, 1, Map.of());
        usable("scale-1");

        rancher.clusters().scalePool("scale-1", "workers", 4);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> rancher.machines().list("scale-1", "workers").size() == 4);

        rancher.clusters().scalePool("scale-1", "workers", 2);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> rancher.machines().list("scale-1", "workers").size() == 2);
        assertThatThrownBy(() -> rancher.clusters().scalePool("scale-1", "nope", 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kubernetesUpgradeReachesEveryMachine() {
        SimSupport.createCluster(rancher, "upgrade-1", 1, 1, 1, Map.of());
        usable("upgrade-1");

        rancher.clusters().upgradeKubernetes("upgrade-1", "v1.33.4+rke2r1");

        usable("upgrade-1");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                        rancher.machines().list("upgrade-1"))
                .allSatisfy(m -> assertThat(m.status().nodeInfo()).containsEntry("kubeletVersion", "v1.33.4+rke2r1")));
    }

    @Test
    void certificateRotationIsReportedDoneByTheControlPlane() {
        SimSupport.createCluster(rancher, "certs-1", 1, 1, 1, Map.of());
        usable("certs-1");

        long generation = rancher.clusters().rotateCertificates("certs-1", List.of());

        assertThat(generation).isEqualTo(1);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> rancher.clusters().controlPlane("certs-1").certificateRotation(generation)
                        == Progress.FINISHED);
        assertThat(rancher.clusters().rotateCertificates("certs-1", List.of("etcd")))
                .isEqualTo(2);
    }

    @Test
    void etcdSnapshotIsTakenListedAndRestoredFrom() {
        SimSupport.createCluster(rancher, "etcd-1", 3, 1, 1, Map.of());
        usable("etcd-1");

        long snap = rancher.clusters().createEtcdSnapshot("etcd-1");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> rancher.clusters().controlPlane("etcd-1").etcdSnapshotCreate(snap) == Progress.FINISHED);
        List<EtcdSnapshot> snapshots = rancher.clusters().etcdSnapshots("etcd-1");
        assertThat(snapshots).isNotEmpty().allSatisfy(s -> assertThat(s.spec().clusterName())
                .isEqualTo("etcd-1"));
        assertThat(snapshots.get(0).isSuccessful()).isTrue();

        long restore = rancher.clusters()
                .restoreEtcdSnapshot("etcd-1", snapshots.get(0).name(), RestoreMode.NONE);
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        rancher.clusters().controlPlane("etcd-1").etcdSnapshotRestore(restore) == Progress.FINISHED);
        usable("etcd-1");
    }

    @Test
    void restoreFromASnapshotThatDoesNotExistIsRejected() {
        SimSupport.createCluster(rancher, "etcd-2", 1, 1, 1, Map.of());

        assertThatThrownBy(() -> rancher.clusters().restoreEtcdSnapshot("etcd-2", "no-such-snapshot", RestoreMode.ALL))
                .isInstanceOfSatisfying(RancherInvalidRequestException.class, e -> assertThat(e.rancherMessage())
                        .contains("denied the request"));
        assertThat(rancher.clusters().get("etcd-2").spec().rkeConfig().etcdSnapshotRestore())
                .isNull();
    }
}
