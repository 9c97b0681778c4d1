package dev.kubeyard.platform.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.inventory.cluster.ClusterPhase;
import dev.kubeyard.inventory.cluster.ConditionStatus;
import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.team.Team;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ClusterRowTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Team PAYMENTS = new Team("payments", "Payments");

    @Test
    void showsTheRunningVersionOnlyWhenItDiffersFromTheOneAskedFor() {
        ManagedCluster cluster = new ManagedCluster("prod-eu-1", PAYMENTS, "v1.34.2+rke2r1");
        assertThat(ClusterRow.of(cluster, NOW).runningVersion()).isNull();

        cluster.setObservedKubernetesVersion("v1.34.2+rke2r1");
        assertThat(ClusterRow.of(cluster, NOW).runningVersion()).isNull();

        cluster.setObservedKubernetesVersion("v1.33.5+rke2r1");
        assertThat(ClusterRow.of(cluster, NOW).runningVersion()).isEqualTo("v1.33.5+rke2r1");
    }

    @Test
    void carriesThePhaseAsTheApiNamesItWithABadgeStyle() {
        ManagedCluster cluster = new ManagedCluster("prod-eu-1", PAYMENTS, "v1.34.2+rke2r1");
        cluster.setPhase(ClusterPhase.PROVISIONING);
        cluster.setNodeCounts(3, 1);

        ClusterRow row = ClusterRow.of(cluster, NOW);

        assertThat(row.phase()).isEqualTo("Provisioning");
        assertThat(row.phaseStyle()).isEqualTo("phase-provisioning");
        assertThat(row.team()).isEqualTo("payments");
        assertThat(row.nodesReady()).isEqualTo(1);
        assertThat(row.nodesDesired()).isEqualTo(3);
    }

    @Test
    void saysWhyAClusterIsNotReadyOnlyWhileItIsNot() {
        ManagedCluster cluster = new ManagedCluster("prod-eu-1", PAYMENTS, "v1.34.2+rke2r1");
        cluster.setCondition("Ready", ConditionStatus.FALSE, "Provisioning", "1 of 3 nodes ready", NOW);
        assertThat(ClusterRow.of(cluster, NOW).readyMessage()).isEqualTo("1 of 3 nodes ready");

        cluster.setCondition("Ready", ConditionStatus.TRUE, "Ready", "3 of 3 nodes ready", NOW);
        assertThat(ClusterRow.of(cluster, NOW).readyMessage()).isNull();
    }

    @Test
    void marksTemporaryAndDeletedClusters() {
        ManagedCluster permanent = new ManagedCluster("prod-eu-1", PAYMENTS, "v1.34.2+rke2r1");
        ManagedCluster temporary = new ManagedCluster("ci-temp-7", PAYMENTS, "v1.34.2+rke2r1");
        temporary.setTimeToLive(Duration.ofHours(3), NOW);
        temporary.requestDeletion(NOW);

        assertThat(ClusterRow.of(permanent, NOW).expiry()).isNull();
        assertThat(ClusterRow.of(permanent, NOW).deleting()).isFalse();
        assertThat(ClusterRow.of(temporary, NOW).expiry().text()).isEqualTo("expires in 3 h");
        assertThat(ClusterRow.of(temporary, NOW).deleting()).isTrue();
    }
}
