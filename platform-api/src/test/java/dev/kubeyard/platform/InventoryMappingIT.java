package dev.kubeyard.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeyard.inventory.audit.AuditEvent;
import dev.kubeyard.inventory.audit.AuditEventRepository;
import dev.kubeyard.inventory.cluster.ClusterCondition;
import dev.kubeyard.inventory.cluster.ConditionStatus;
import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.cluster.ManagedClusterRepository;
import dev.kubeyard.inventory.cluster.NodePool;
import dev.kubeyard.inventory.cluster.NodeRoles;
import dev.kubeyard.inventory.cluster.Taint;
import dev.kubeyard.inventory.operation.Operation;
import dev.kubeyard.inventory.operation.OperationRepository;
import dev.kubeyard.inventory.operation.OperationState;
import dev.kubeyard.inventory.team.Team;
import dev.kubeyard.inventory.team.TeamRepository;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.Inventory;
import dev.kubeyard.platform.testing.RancherSimResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.StaleStateException;
import org.hibernate.exception.ConstraintViolationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inventory's mapping against the real schema: jsonb round trips, optimistic locking, unique keys, Quartz. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class InventoryMappingIT {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Inject
    Inventory inventory;

    @Inject
    TeamRepository teams;

    @Inject
    ManagedClusterRepository clusters;

    @Inject
    OperationRepository operations;

    @Inject
    AuditEventRepository auditEvents;

    @BeforeEach
    void emptyInventory() {
        inventory.clear();
    }

    private void createCluster(String name) {
        QuarkusTransaction.requiringNew().run(() -> {
            Team team = teams.findByName("payments").orElseGet(() -> {
                Team created = new Team("payments", "Payments");
                teams.persist(created);
                return created;
            });
            ManagedCluster cluster = new ManagedCluster(name, team, "v1.31.4+rke2r1");
            cluster.setCondition("Ready", ConditionStatus.FALSE, "Provisioning", "0 of 3 nodes ready", NOW);
            NodePool pool = cluster.addNodePool("workers", NodeRoles.WORKER, 3);
            pool.setTaints(List.of(new Taint("dedicated", "gpu", "NoSchedule")));
            pool.setNodeSpec(Map.of("image", "ubuntu-24.04", "flavor", "m1.large"));
            clusters.persist(cluster);
        });
    }

    @Test
    void conditionsTaintsAndNodeSpecSurviveAJsonbRoundTrip() {
        createCluster("prod-eu-1");

        QuarkusTransaction.requiringNew().run(() -> {
            ManagedCluster cluster = clusters.findByName("prod-eu-1").orElseThrow();
            assertThat(cluster.getConditions())
                    .containsExactly(new ClusterCondition(
                            "Ready", ConditionStatus.FALSE, "Provisioning", "0 of 3 nodes ready", NOW));
            NodePool pool = cluster.getNodePools().getFirst();
            assertThat(pool.getTaints()).containsExactly(new Taint("dedicated", "gpu", "NoSchedule"));
            assertThat(pool.getNodeSpec()).containsEntry("flavor", "m1.large");
            assertThat(pool.getRoles()).isEqualTo(NodeRoles.WORKER);
        });
    }

    @Test
    void aWriteFromAStaleReadIsRejectedAndChangesNothing() {
        createCluster("prod-eu-1");
        ManagedCluster stale = QuarkusTransaction.requiringNew()
                .call(() -> clusters.findByName("prod-eu-1").orElseThrow());

        QuarkusTransaction.requiringNew()
                .run(() -> clusters.findByName("prod-eu-1").orElseThrow().setNodeCounts(3, 2));
        stale.setNodeCounts(3, 1);

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew()
                        .run(() -> clusters.getEntityManager().merge(stale)))
                .satisfies(thrown -> assertCausedBy(thrown, OptimisticLockException.class, StaleStateException.class));
        QuarkusTransaction.requiringNew().run(() -> assertThat(
                        clusters.findByName("prod-eu-1").orElseThrow().getNodesReady())
                .isEqualTo(2));
    }

    @Test
    void anIdempotencyKeyIsUniquePerActorOnly() {
        createCluster("prod-eu-1");
        QuarkusTransaction.requiringNew().run(() -> {
            ManagedCluster cluster = clusters.findByName("prod-eu-1").orElseThrow();
            operations.persist(operation(cluster, "alice", "key-1"));
            operations.persist(operation(cluster, "bob", "key-1"));
        });

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
                    ManagedCluster cluster = clusters.findByName("prod-eu-1").orElseThrow();
                    operations.persist(operation(cluster, "alice", "key-1"));
                    operations.flush();
                }))
                .satisfies(thrown -> assertCausedBy(thrown, ConstraintViolationException.class));
        QuarkusTransaction.requiringNew().run(() -> {
            Operation found = operations.findByIdempotencyKey("alice", "key-1").orElseThrow();
            assertThat(found.getState()).isEqualTo(OperationState.PENDING);
            assertThat(operations.listOpen()).hasSize(2);
        });
    }

    @Test
    void auditEventsOfOneRequestComeBackInOrder() {
        QuarkusTransaction.requiringNew().run(() -> {
            auditEvents.persist(audit(NOW.plusSeconds(1), "rancher.cluster.create"));
            auditEvents.persist(audit(NOW, "cluster.create"));
        });

        QuarkusTransaction.requiringNew().run(() -> assertThat(auditEvents.listByCorrelationId("corr-42"))
                .extracting(AuditEvent::getAction)
                .containsExactly("cluster.create", "rancher.cluster.create"));
    }

    @Test
    void reconcilerIsAClusteredQuartzJobInTheDatabase() {
        Number triggers = QuarkusTransaction.requiringNew().call(() -> (Number) clusters.getEntityManager()
                .createNativeQuery(
                        "select count(*) from qrtz_triggers where trigger_name = 'cluster-reconciler_trigger'"
                                + " or job_name = 'cluster-reconciler'")
                .getSingleResult());
        Number checkIns = QuarkusTransaction.requiringNew().call(() -> (Number) clusters.getEntityManager()
                .createNativeQuery("select count(*) from qrtz_scheduler_state")
                .getSingleResult());

        assertThat(triggers.longValue()).isEqualTo(1);
        assertThat(checkIns.longValue()).as("a clustered scheduler checks in").isPositive();
    }

    private static Operation operation(ManagedCluster cluster, String actor, String key) {
        return new Operation(UUID.randomUUID(), cluster, "EtcdSnapshot", Map.of(), actor, "corr-1", key);
    }

    private static AuditEvent audit(Instant at, String action) {
        return new AuditEvent(
                UUID.randomUUID(),
                at,
                "alice",
                action,
                "cluster",
                "prod-eu-1",
                "UserRequest",
                "corr-42",
                Map.of("kubernetesVersion", "v1.31.4+rke2r1"));
    }

    private static void assertCausedBy(Throwable thrown, Class<?>... expected) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            for (Class<?> type : expected) {
                if (type.isInstance(cause)) {
                    return;
                }
            }
        }
        throw new AssertionError(
                "Expected a failure caused by one of " + List.of(expected) + ", got " + thrown, thrown);
    }
}
