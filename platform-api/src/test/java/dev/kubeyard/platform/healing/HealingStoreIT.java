package dev.kubeyard.platform.healing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.nodepool.healing.ConditionStatus;
import dev.kubeyard.nodepool.healing.FleetBudget;
import dev.kubeyard.nodepool.healing.HealingHistory;
import dev.kubeyard.nodepool.healing.HealingHistory.ReplacementOutcome;
import dev.kubeyard.nodepool.healing.HealingPlan;
import dev.kubeyard.nodepool.healing.HealingPlanner;
import dev.kubeyard.nodepool.healing.HealingPolicy;
import dev.kubeyard.nodepool.healing.MachinePhase;
import dev.kubeyard.nodepool.healing.NodeCondition;
import dev.kubeyard.nodepool.healing.NodeRole;
import dev.kubeyard.nodepool.healing.ObservedCluster;
import dev.kubeyard.nodepool.healing.ObservedNode;
import dev.kubeyard.nodepool.healing.ObservedPool;
import dev.kubeyard.nodepool.record.HealingDecisionRecord;
import dev.kubeyard.nodepool.record.HealingStore;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.RancherSimResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The healing recorder against real PostgreSQL: a replacement is claimed once whoever asks at the same moment (the
 * guard against two replicas replacing one node twice), decisions are kept with their numbers and evidence, and the
 * planner's history and fleet budget are read back from what was recorded.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class HealingStoreIT {

    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Inject
    HealingStore store;

    final String cluster = "heal-" + UUID.randomUUID().toString().substring(0, 8);

    static ObservedNode healthy(String machine) {
        return node(machine, ConditionStatus.TRUE, NOW.minus(Duration.ofHours(2)));
    }

    static ObservedNode node(String machine, ConditionStatus ready, Instant since) {
        return new ObservedNode(
                machine,
                Optional.of(machine),
                MachinePhase.RUNNING,
                NOW.minus(Duration.ofHours(3)),
                Optional.empty(),
                List.of(NodeCondition.of(NodeCondition.READY, ready, since)),
                Optional.empty(),
                List.of());
    }

    /** Three workers, one NotReady for 12 minutes (past the worker's 5-minute timeout). */
    ObservedCluster oneWorkerDown() {
        ObservedPool workers = new ObservedPool(
                "workers",
                Set.of(NodeRole.WORKER),
                3,
                false,
                List.of(
                        healthy(cluster + "-w-0"),
                        node(cluster + "-w-1", ConditionStatus.FALSE, NOW.minus(Duration.ofMinutes(12))),
                        healthy(cluster + "-w-2")));
        return new ObservedCluster(cluster, "openstack/" + cluster, true, true, Set.of(), false, List.of(workers));
    }

    @Test
    void aReplacementIsClaimedOnceWhenEightReplicasAskAtTheSameMoment() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                claims.add(() -> store.claim(cluster, "workers", cluster + "-w-1", "openstack/" + cluster, NOW));
            }
            int won = 0;
            for (Future<Boolean> claim : pool.invokeAll(claims)) {
                won += claim.get() ? 1 : 0;
            }
            assertThat(won).as("claims won").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.claim(cluster, "workers", cluster + "-w-2", "openstack/" + cluster, NOW))
                .as("another machine is a replacement of its own")
                .isTrue();
    }

    @Test
    void everyDecisionIsKeptWithItsNumbersAndEvidence() {
        HealingPlan plan = new HealingPlanner()
                .plan(oneWorkerDown(), HealingPolicy.defaults(), HealingHistory.empty(), FleetBudget.of(20), NOW);
        assertThat(plan.replacements()).hasSize(1);

        store.record(plan);

        List<HealingDecisionRecord> decisions = store.decisions(cluster, 10);
        assertThat(decisions).hasSameSizeAs(plan.decisions());
        HealingDecisionRecord replace = decisions.stream()
                .filter(d -> d.getMachine().equals(Optional.of(cluster + "-w-1")))
                .findFirst()
                .orElseThrow();
        assertThat(replace.getVerdict()).isEqualTo("REPLACE");
        assertThat(replace.getMessage()).contains("Ready=False");
        assertThat(replace.getDetails()).containsKeys("budget", "evidence", "pool");
        @SuppressWarnings("unchecked") // the evidence is a JSON object
        Map<String, Object> evidence =
                (Map<String, Object>) replace.getDetails().get("evidence");
        assertThat(evidence).containsEntry("machine", cluster + "-w-1").containsKey("conditions");
    }

    @Test
    void theHistoryAndTheFleetBudgetAreReadBackFromTheReplacementsAskedFor() {
        String fleet = "openstack/" + cluster;
        assertThat(store.claim(cluster, "workers", cluster + "-w-1", fleet, NOW.minus(Duration.ofMinutes(30))))
                .isTrue();
        assertThat(store.claim(cluster, "workers", cluster + "-w-2", fleet, NOW.minus(Duration.ofMinutes(10))))
                .isTrue();
        assertThat(store.claim(cluster, "workers", cluster + "-w-0", fleet, NOW.minus(Duration.ofHours(2))))
                .isTrue();

        assertThat(store.fleetBudget(5, NOW).spent(fleet))
                .as("the last hour only")
                .isEqualTo(2);
        assertThat(store.fleetBudget(5, NOW).remaining(fleet)).isEqualTo(3);

        assertThat(store.settle(cluster, cluster + "-w-1", true, NOW)).isTrue();
        assertThat(store.settle(cluster, cluster + "-w-1", false, NOW))
                .as("settled once")
                .isFalse();
        HealingHistory history = store.history(cluster, NOW);
        assertThat(history.replacements())
                .extracting(HealingHistory.PastReplacement::machine, HealingHistory.PastReplacement::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(cluster + "-w-0", ReplacementOutcome.IN_PROGRESS),
                        org.assertj.core.groups.Tuple.tuple(cluster + "-w-1", ReplacementOutcome.SUCCEEDED),
                        org.assertj.core.groups.Tuple.tuple(cluster + "-w-2", ReplacementOutcome.IN_PROGRESS));
    }
}
