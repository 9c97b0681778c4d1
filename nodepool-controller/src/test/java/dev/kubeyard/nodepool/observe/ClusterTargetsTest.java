package dev.kubeyard.nodepool.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.cluster.NodeRoles;
import dev.kubeyard.inventory.team.Team;
import dev.kubeyard.nodepool.healing.DayTwoOperation;
import dev.kubeyard.nodepool.healing.NodeRole;
import dev.kubeyard.nodepool.observe.HealingObserver.ClusterTarget;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterTargetsTest {

    static ManagedCluster provisioned(Map<String, String> labels) {
        ManagedCluster cluster = new ManagedCluster("dev-1", new Team("payments", "Payments"), "v1.33.5+rke2r1");
        cluster.applySpec(Map.of("nodePools", List.of()), "v1.33.5+rke2r1", labels);
        cluster.addNodePool("control-plane", new NodeRoles(true, true, false), 3);
        cluster.addNodePool("workers", NodeRoles.WORKER, 5);
        cluster.setRancherIds("dev-1", "c-m-abc12345");
        return cluster;
    }

    @Test
    void aProvisionedClusterIsATargetWithItsPoolsAsTheSpecHasThem() {
        ClusterTarget target =
                ClusterTargets.of(provisioned(Map.of()), List.of()).orElseThrow();

        assertThat(target.managementId()).isEqualTo("c-m-abc12345");
        assertThat(target.pools())
                .extracting(HealingObserver.PoolTarget::name)
                .containsExactly("control-plane", "workers");
        assertThat(target.pools().getFirst().roles()).containsExactlyInAnyOrder(NodeRole.ETCD, NodeRole.CONTROL_PLANE);
        assertThat(target.pools().get(1).desiredQuantity()).isEqualTo(5);
        assertThat(target.fleetKey()).isEqualTo(ClusterTargets.DEFAULT_FLEET);
    }

    @Test
    void aPoolsOwnHealingRulesComeFromItsSpecAndTheOtherPoolsKeepTheirRolesDefaults() {
        ManagedCluster cluster = provisioned(Map.of());
        cluster.applySpec(
                Map.of(
                        "nodePools",
                        List.of(
                                Map.of("name", "control-plane"),
                                Map.of(
                                        "name",
                                        "workers",
                                        "healing",
                                        Map.of("notReadyTimeoutSeconds", 900, "maxPerHour", 1, "dryRun", true)))),
                "v1.33.5+rke2r1",
                Map.of());

        ClusterTarget target = ClusterTargets.of(cluster, List.of()).orElseThrow();

        assertThat(target.pools().getFirst().healing()).isEmpty();
        PoolHealing workers = target.pools().get(1).healing().orElseThrow();
        assertThat(workers.notReadyTimeout()).contains(java.time.Duration.ofMinutes(15));
        assertThat(workers.maxPerHour()).hasValue(1);
        assertThat(workers.dryRun()).contains(true);
        assertThat(workers.provisioningTimeout()).isEmpty();
        assertThat(workers.maxConcurrent()).isEmpty();
    }

    @Test
    void anUpgradeRotationOrRestoreInProgressHoldsHealingBackButASnapshotDoesNot() {
        ClusterTarget target = ClusterTargets.of(
                        provisioned(Map.of()), List.of("Upgrade", "EtcdSnapshot", "RotateCertificates", "EtcdRestore"))
                .orElseThrow();

        assertThat(target.operationsInProgress())
                .containsExactlyInAnyOrder(
                        DayTwoOperation.UPGRADE, DayTwoOperation.CERTIFICATE_ROTATION, DayTwoOperation.ETCD_RESTORE);
    }

    @Test
    void theFleetComesFromTheFleetLabelThenTheRegionLabel() {
        assertThat(ClusterTargets.fleetKey(
                        Map.of(ClusterTargets.FLEET_LABEL, "openstack-fra", ClusterTargets.REGION_LABEL, "eu")))
                .isEqualTo("openstack-fra");
        assertThat(ClusterTargets.fleetKey(Map.of(ClusterTargets.REGION_LABEL, "eu-west")))
                .isEqualTo("region/eu-west");
        assertThat(ClusterTargets.fleetKey(Map.of())).isEqualTo("default");
    }

    @Test
    void aClusterNotProvisionedYetOrBeingDeletedIsNoTarget() {
        ManagedCluster fresh = new ManagedCluster("new-1", new Team("payments", "Payments"), "v1.33.5+rke2r1");
        assertThat(ClusterTargets.of(fresh, List.of())).isEmpty();

        ManagedCluster leaving = provisioned(Map.of());
        leaving.requestDeletion(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(ClusterTargets.of(leaving, List.of())).isEmpty();
    }
}
