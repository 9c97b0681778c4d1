package dev.kubeyard.inventory.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeyard.inventory.team.Team;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagedClusterTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static ManagedCluster cluster() {
        return new ManagedCluster("demo", new Team("payments", "Payments"), "v1.31.4+rke2r1");
    }

    @Test
    void aClusterWithoutTimeToLiveNeverExpires() {
        ManagedCluster cluster = cluster();

        assertThat(cluster.isExpired(NOW.plus(Duration.ofDays(3650)))).isFalse();
        assertThat(cluster.getExpiresAt()).isEmpty();
    }

    @Test
    void aTemporaryClusterExpiresAtItsTimeToLive() {
        ManagedCluster cluster = cluster();
        cluster.setTimeToLive(Duration.ofHours(4), NOW);

        assertThat(cluster.getExpiresAt()).contains(NOW.plus(Duration.ofHours(4)));
        assertThat(cluster.isExpired(NOW.plus(Duration.ofHours(4)).minusSeconds(1)))
                .isFalse();
        assertThat(cluster.isExpired(NOW.plus(Duration.ofHours(4)))).isTrue();
    }

    @Test
    void refusesATimeToLiveThatIsNotAPositiveWholeNumberOfSeconds() {
        ManagedCluster cluster = cluster();

        assertThatThrownBy(() -> cluster.setTimeToLive(Duration.ZERO, NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cluster.setTimeToLive(Duration.ofMillis(1500), NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void applyingTheSameSpecTwiceAdvancesTheGenerationOnce() {
        ManagedCluster cluster = cluster();
        Map<String, Object> spec = Map.of("cni", "calico");

        cluster.applySpec(spec, "v1.32.1+rke2r1", Map.of("env", "dev"));
        cluster.applySpec(spec, "v1.32.1+rke2r1", Map.of("env", "dev"));

        assertThat(cluster.getGeneration()).isEqualTo(2);
    }

    @Test
    void observedGenerationNeverGoesBackNorAhead() {
        ManagedCluster cluster = cluster();
        cluster.applySpec(Map.of("cni", "cilium"), "v1.31.4+rke2r1", Map.of());
        cluster.setObservedGeneration(2);
        cluster.setObservedGeneration(1);

        assertThat(cluster.getObservedGeneration()).isEqualTo(2);
        assertThatThrownBy(() -> cluster.setObservedGeneration(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecondDeletionRequestKeepsTheFirstTime() {
        ManagedCluster cluster = cluster();
        cluster.requestDeletion(NOW);
        cluster.requestDeletion(NOW.plusSeconds(60));

        assertThat(cluster.getDeletionRequestedAt()).contains(NOW);
        assertThat(cluster.getGeneration()).isEqualTo(2);
    }

    @Test
    void setConditionSaysWhetherAnythingChanged() {
        ManagedCluster cluster = cluster();

        assertThat(cluster.setCondition("Ready", ConditionStatus.FALSE, "Provisioning", "0 of 3 nodes ready", NOW))
                .isTrue();
        assertThat(cluster.setCondition(
                        "Ready", ConditionStatus.FALSE, "Provisioning", "0 of 3 nodes ready", NOW.plusSeconds(5)))
                .isFalse();
    }

    @Test
    void aNodePoolNeedsARoleAndACountThatAddsUp() {
        ManagedCluster cluster = cluster();
        NodePool pool = cluster.addNodePool("workers", NodeRoles.WORKER, 3);

        assertThatThrownBy(() -> new NodeRoles(false, false, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.setQuantity(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.setNodeCounts(2, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThat(cluster.getNodePools()).containsExactly(pool);
    }
}
