package dev.kubeyard.serviceboard.publish;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.inventory.kube.ClusterClients;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherToken;
import dev.kubeyard.rancher.sim.RancherSim;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import dev.kubeyard.serviceboard.board.ServiceKey;
import dev.kubeyard.serviceboard.board.ServiceRow;
import dev.kubeyard.serviceboard.board.ServiceStatus;
import dev.kubeyard.serviceboard.collect.ClusterCollector.Batch;
import dev.kubeyard.serviceboard.publish.ServiceInfoPublisher.Kind;
import dev.kubeyard.serviceboard.publish.ServiceInfoPublisher.Pass;
import dev.kubeyard.serviceboard.record.BoardChanges;
import dev.kubeyard.serviceboard.record.BoardStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The publisher over its real boundaries: board rows written by {@link BoardStore} into an embedded PostgreSQL
 * (migrated with the application's migrations), ServiceInfo objects in a rancher-sim cluster reached through the
 * simulator's {@code /k8s/clusters} proxy with the production client code. The simulator has no {@code local}
 * cluster: a demo cluster plays the management cluster. Its API is fabric8's CRUD mock, whose server-side apply the
 * simulator emulates without field ownership (rancher-sim's downstream DESIGN.md): nothing here depends on it, as
 * every apply sends the whole object.
 */
class ServiceInfoPublisherIT {

    static final String NAMESPACE = "kubeyard-services";
    static final String HOLDER = "it";
    static final Duration FULL_EVERY = Duration.ofMinutes(5);

    @TempDir
    static Path work;

    static EmbeddedPostgres postgres;
    static DataSource db;
    static RancherSim sim;
    static Vertx vertx;
    static RancherClient rancher;
    static ClusterClients clients;
    static String management;
    static KubernetesClient seeing;

    final BoardStore store = new BoardStore(db);
    final TestClock clock = new TestClock(Instant.parse("2026-12-02T10:00:00Z"));
    ServiceInfoPublisher publisher;
    Instant t0;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(work.resolve("pg"))
                .setCleanDataDirectory(true)
                .start();
        db = postgres.getPostgresDatabase();
        Flyway.configure()
                .dataSource(db)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        sim = RancherSim.start(SimOptions.defaults().port(0).demoClusters(1).timing(SimTiming.fast()));
        vertx = Vertx.vertx();
        rancher = RancherClient.create(RancherClientConfig.builder(sim.url(), RancherToken.of("token-pub:secret"))
                .build());
        clients = new ClusterClients(rancher::kubernetesConfig, vertx);
        management = sim.managementId("demo-001");
        seeing = sim.kubernetesClient("demo-001");
        try (InputStream in = Files.newInputStream(ServiceInfoCrdTest.CRD)) {
            seeing.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(seeing.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class))
                    .create();
        }
        seeing.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(NAMESPACE)
                        .endMetadata()
                        .build())
                .create();
    }

    @AfterAll
    static void stop() throws IOException {
        if (clients != null) {
            clients.close();
        }
        if (rancher != null) {
            rancher.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
        if (sim != null) {
            sim.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void emptyBoardAndNamespace() throws SQLException {
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE board_services, board_clusters");
        }
        objects().delete();
        sim.faults().apiReachable("demo-001", true);
        t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
        publisher = new ServiceInfoPublisher(
                new ServiceInfoPublisher.Settings(NAMESPACE, Duration.ofSeconds(30), FULL_EVERY, 2),
                new BoardChanges(db),
                new KubeServiceInfoPort(() -> clients.forCluster(management), NAMESPACE),
                clock);
    }

    static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
                    GenericKubernetesResource,
                    io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
                    io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
            objects() {
        return seeing.genericKubernetesResources(KubeServiceInfoPort.CONTEXT).inNamespace(NAMESPACE);
    }

    static Optional<GenericKubernetesResource> object(String cluster, String namespace, String name) {
        return Optional.ofNullable(objects()
                .withName(ServiceInfos.objectName(cluster, namespace, name))
                .get());
    }

    static Map<String, Object> spec(GenericKubernetesResource o) {
        return ServiceInfosTest.spec(o);
    }

    ServiceRow row(String cluster, String name, ServiceStatus status, long secondsAfterT0) {
        return Rows.full(cluster, "shop", name, status, t0.plusSeconds(secondsAfterT0));
    }

    void write(String cluster, List<ServiceRow> upserts, List<ServiceKey> deletes) {
        Instant now = Instant.now();
        store.lease(Set.of(cluster), HOLDER, now, Duration.ofHours(1));
        assertThat(store.write(
                        new Batch(cluster, upserts, deletes, Optional.empty(), false, Optional.empty()), HOLDER, now))
                .isTrue();
    }

    /** Two healthy services of cluster alpha, written and published by the first (full) pass. */
    void publishWebAndApiOfAlpha() {
        write(
                "alpha",
                List.of(row("alpha", "web", ServiceStatus.HEALTHY, 0), row("alpha", "api", ServiceStatus.HEALTHY, 0)),
                List.of());
        assertThat(pass().applied()).isEqualTo(2);
    }

    Pass pass() {
        Pass pass = publisher.pass();
        assertThat(pass.failure()).isEmpty();
        return pass;
    }

    @Test
    void newRowsAppearAsServiceInfoObjects() {
        write(
                "alpha",
                List.of(row("alpha", "web", ServiceStatus.HEALTHY, 0), row("alpha", "api", ServiceStatus.DOWN, 0)),
                List.of());
        write("beta", List.of(row("beta", "web", ServiceStatus.DEGRADED, 0)), List.of());

        Pass first = pass();

        assertThat(first.kind()).isEqualTo(Kind.FULL);
        assertThat(first.applied()).isEqualTo(3);
        GenericKubernetesResource web = object("alpha", "shop", "web").orElseThrow();
        assertThat(web.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "kubeyard")
                .containsEntry("kubeyard.dev/cluster", "alpha")
                .containsEntry("kubeyard.dev/service-namespace", "shop")
                .containsEntry("kubeyard.dev/status", "Healthy");
        assertThat(spec(web))
                .containsEntry("cluster", "alpha")
                .containsEntry("service", "web")
                .containsEntry("images", List.of("registry.example.com/shop:1.4.2"));
        assertThat(object("beta", "shop", "web")).isPresent();

        write("beta", List.of(row("beta", "cart", ServiceStatus.HEALTHY, 2)), List.of());
        Pass next = pass();

        assertThat(next.kind()).isEqualTo(Kind.CHANGES);
        assertThat(next.applied()).isEqualTo(1);
        assertThat(object("beta", "shop", "cart")).isPresent();
    }

    @Test
    void aChangedRowUpdatesItsObjectAndUnchangedRowsReadAgainAreNotWritten() {
        publishWebAndApiOfAlpha();
        String before =
                object("alpha", "shop", "api").orElseThrow().getMetadata().getResourceVersion();

        write("alpha", List.of(row("alpha", "web", ServiceStatus.DOWN, 5)), List.of());
        Pass changes = pass();

        // api's row lies in the overlap window and is read again, but its object is current.
        assertThat(changes.applied()).isEqualTo(1);
        assertThat(changes.unchanged()).isEqualTo(1);
        GenericKubernetesResource web = object("alpha", "shop", "web").orElseThrow();
        assertThat(web.getMetadata().getLabels()).containsEntry("kubeyard.dev/status", "Down");
        assertThat(spec(web))
                .containsEntry("status", "Down")
                .containsEntry("updatedAt", t0.plusSeconds(5).toString());
        assertThat(object("alpha", "shop", "api").orElseThrow().getMetadata().getResourceVersion())
                .isEqualTo(before);
    }

    @Test
    void aDeletedRowsObjectIsDeleted() {
        publishWebAndApiOfAlpha();

        write("alpha", List.of(), List.of(new ServiceKey("shop", "api")));
        Pass changes = pass();

        assertThat(changes.kind()).isEqualTo(Kind.CHANGES);
        assertThat(changes.deleted()).isEqualTo(1);
        assertThat(object("alpha", "shop", "api")).isEmpty();
        assertThat(object("alpha", "shop", "web")).isPresent();
    }

    @Test
    void theObjectsOfAClusterThatLeftTheBoardAreDeleted() {
        write("alpha", List.of(row("alpha", "web", ServiceStatus.HEALTHY, 0)), List.of());
        pass();

        // The test database has no managed clusters: every cluster has left the inventory.
        assertThat(store.dropGoneClusters()).containsKey("alpha");
        Pass changes = pass();

        assertThat(changes.deleted()).isEqualTo(1);
        assertThat(object("alpha", "shop", "web")).isEmpty();
    }

    @Test
    void aRowCommittedLateWithAnEarlierTimeIsPublishedWhenItFallsInTheOverlap() {
        write("alpha", List.of(row("alpha", "web", ServiceStatus.HEALTHY, 10)), List.of());
        pass();

        // Written by a replica whose transaction committed after the pass, stamped before the newest row it saw.
        write("beta", List.of(row("beta", "late", ServiceStatus.HEALTHY, 4)), List.of());
        Pass changes = pass();

        assertThat(changes.applied()).isEqualTo(1);
        assertThat(object("beta", "shop", "late")).isPresent();
    }

    @Test
    void theFullReconciliationDeletesOrphansPutsBackMissingObjectsAndLeavesOthersAlone() {
        publishWebAndApiOfAlpha();
        GenericKubernetesResource orphan = ServiceInfos.toObject(row("gone", "old", ServiceStatus.DOWN, 0), NAMESPACE);
        objects().resource(orphan).create();
        GenericKubernetesResource foreign =
                ServiceInfos.toObject(row("else", "theirs", ServiceStatus.DOWN, 0), NAMESPACE);
        foreign.getMetadata().getLabels().remove(ServiceInfos.MANAGED_BY);
        objects().resource(foreign).create();
        objects().withName(ServiceInfos.objectName("alpha", "shop", "api")).delete();

        Pass changes = pass();
        assertThat(changes.kind()).isEqualTo(Kind.CHANGES);
        assertThat(object("gone", "shop", "old")).isPresent();

        clock.advance(FULL_EVERY);
        Pass full = pass();

        assertThat(full.kind()).isEqualTo(Kind.FULL);
        assertThat(full.deleted()).isEqualTo(1);
        assertThat(full.applied()).isEqualTo(1);
        assertThat(full.unchanged()).isEqualTo(1);
        assertThat(object("gone", "shop", "old")).isEmpty();
        assertThat(object("else", "shop", "theirs")).isPresent();
        assertThat(object("alpha", "shop", "api")).isPresent();
        assertThat(object("alpha", "shop", "web")).isPresent();
    }

    @Test
    void anUnreachableManagementClusterFailsThePassWithoutThrowingAndIsCaughtUpAfter() {
        publishWebAndApiOfAlpha();

        sim.faults().apiReachable("demo-001", false);
        write(
                "alpha",
                List.of(row("alpha", "web", ServiceStatus.DOWN, 3), row("alpha", "new", ServiceStatus.HEALTHY, 3)),
                List.of(new ServiceKey("shop", "api")));
        Pass failed = publisher.pass();

        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.failure().orElseThrow())
                .startsWith("the management cluster did not answer as expected")
                .doesNotContain("secret");
        // Later rows go on being written to the board while publishing fails.
        write("alpha", List.of(row("alpha", "later", ServiceStatus.HEALTHY, 4)), List.of());

        sim.faults().apiReachable("demo-001", true);
        Pass caughtUp = pass();

        assertThat(caughtUp.kind()).isEqualTo(Kind.CHANGES);
        assertThat(object("alpha", "shop", "web").map(o -> spec(o).get("status")))
                .contains("Down");
        assertThat(object("alpha", "shop", "new")).isPresent();
        assertThat(object("alpha", "shop", "later")).isPresent();
        assertThat(object("alpha", "shop", "api")).isEmpty();
    }

    @Test
    void onlyOneProcessHoldsThePublishersLockAndItGoesWithItsSession() {
        SessionLock first = new SessionLock(db, 42);
        SessionLock second = new SessionLock(db, 42);
        try {
            assertThat(first.held()).isTrue();
            assertThat(first.held()).isTrue();
            assertThat(second.held()).isFalse();

            first.close();

            assertThat(second.held()).isTrue();
            assertThat(second.turns()).isEqualTo(1);
            assertThat(first.held()).isFalse();
        } finally {
            first.close();
            second.close();
        }
    }

    /** A clock the test moves by hand (the publisher's full-reconciliation schedule). */
    static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
