package dev.kubeyard.mirror.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.inventory.kube.ClusterClients;
import dev.kubeyard.mirror.collect.KubeMirrorFacts;
import dev.kubeyard.mirror.plan.MirrorLabels;
import dev.kubeyard.mirror.record.MirrorStore;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherToken;
import dev.kubeyard.rancher.sim.RancherSim;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mirror over its real boundaries: three rancher-sim clusters (fabric8's CRUD mock over HTTP and watches)
 * reached through the simulator's Rancher proxy with the production clients, sets and records in an embedded
 * PostgreSQL migrated with the application's migrations, and {@link SetMirrors} with short timings (a 3 s
 * withdraw-after). The simulator runs no EndpointSlice controller: the tests write the exporters' slices as the
 * controller would. Each test uses its own service names.
 */
class ServiceMirrorIT {

    static final String SET = "peers";
    static final Duration WITHDRAW_AFTER = Duration.ofSeconds(3);
    static final Duration SOON = Duration.ofSeconds(10);
    static final ResourceDefinitionContext EXPORTS = KubeMirrorFacts.SERVICE_EXPORTS;

    @TempDir
    static Path work;

    static EmbeddedPostgres postgres;
    static DataSource db;
    static RancherSim sim;
    static Vertx vertx;
    static RancherClient rancher;
    static ClusterClients clients;
    static SetMirrors mirrors;
    static KubernetesClient a;
    static KubernetesClient b;
    static KubernetesClient c;

    @BeforeAll
    static void start() throws IOException, SQLException {
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
        sim = RancherSim.start(SimOptions.defaults().port(0).demoClusters(3).timing(SimTiming.fast()));
        vertx = Vertx.vertx();
        rancher = RancherClient.create(RancherClientConfig.builder(sim.url(), RancherToken.of("token-mirror:secret"))
                .build());
        clients = new ClusterClients(rancher::kubernetesConfig, vertx);
        a = sim.kubernetesClient("demo-001");
        b = sim.kubernetesClient("demo-002");
        c = sim.kubernetesClient("demo-003");
        for (KubernetesClient k : List.of(a, b, c)) {
            k.namespaces()
                    .resource(new NamespaceBuilder()
                            .withNewMetadata()
                            .withName("shop")
                            .endMetadata()
                            .build())
                    .create();
        }
        try (Connection conn = db.getConnection();
                Statement s = conn.createStatement()) {
            s.execute("INSERT INTO teams (name) VALUES ('payments')");
            for (String cluster : List.of("demo-001", "demo-002", "demo-003")) {
                s.execute(("INSERT INTO managed_clusters (name, team_id, kubernetes_version, rancher_management_id,"
                                + " phase) SELECT '%s', id, 'v1.30.4', '%s', 'Ready' FROM teams")
                        .formatted(cluster, sim.managementId(cluster)));
            }
            s.execute("INSERT INTO mirror_sets (name, team_id, create_namespaces) SELECT '" + SET
                    + "', id, true FROM teams");
            s.execute("INSERT INTO mirror_set_members (set_id, cluster_id) SELECT s.id, c.id FROM mirror_sets s,"
                    + " managed_clusters c");
        }
        mirrors = new SetMirrors(
                new SetMirrors.Settings(
                        Duration.ofMillis(300), Duration.ofSeconds(20), WITHDRAW_AFTER, Duration.ofMillis(50)),
                clients,
                db,
                Clock.systemUTC(),
                new SimpleMeterRegistry(),
                "it");
        mirrors.start();
        await().atMost(SOON)
                .until(() ->
                        mirrors.watching("demo-001") && mirrors.watching("demo-002") && mirrors.watching("demo-003"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (mirrors != null) {
            mirrors.close();
        }
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

    @AfterEach
    void everyClusterAnswers() {
        for (String cluster : List.of("demo-001", "demo-002", "demo-003")) {
            sim.faults().apiReachable(cluster, true);
        }
    }

    // --- the clusters' side, written as users and the EndpointSlice controller would ---

    static void service(KubernetesClient k, String name, int port, Map<String, String> labels) {
        k.resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withNamespace("shop")
                        .withName(name)
                        .withLabels(labels)
                        .endMetadata()
                        .withNewSpec()
                        .withType("ClusterIP")
                        .withSelector(Map.of("app", name))
                        .addNewPort()
                        .withName("http")
                        .withPort(port)
                        .endPort()
                        .endSpec()
                        .build())
                .create();
    }

    /** The cluster's own EndpointSlice of a service: ready addresses and one not ready. */
    static void endpoints(KubernetesClient k, String service, List<String> ready, List<String> notReady) {
        List<io.fabric8.kubernetes.api.model.discovery.v1.Endpoint> endpoints = new ArrayList<>();
        ready.forEach(ip -> endpoints.add(endpoint(ip, true)));
        notReady.forEach(ip -> endpoints.add(endpoint(ip, false)));
        k.resource(new EndpointSliceBuilder()
                        .withNewMetadata()
                        .withNamespace("shop")
                        .withName(service + "-x7k2p")
                        .addToLabels(MirrorLabels.SERVICE_NAME, service)
                        .addToLabels(MirrorLabels.MANAGED_BY, "endpointslice-controller.k8s.io")
                        .endMetadata()
                        .withAddressType("IPv4")
                        .withEndpoints(endpoints)
                        .addNewPort()
                        .withName("http")
                        .withProtocol("TCP")
                        .withPort(8080)
                        .endPort()
                        .build())
                .createOr(o -> o.update());
    }

    static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint(String ip, boolean ready) {
        return new EndpointBuilder()
                .withAddresses(ip)
                .withNewConditions()
                .withReady(ready)
                .endConditions()
                .build();
    }

    static GenericKubernetesResource export(KubernetesClient k, String name) {
        return k.genericKubernetesResources(EXPORTS)
                .inNamespace("shop")
                .resource(new GenericKubernetesResourceBuilder()
                        .withApiVersion("multicluster.x-k8s.io/v1alpha1")
                        .withKind("ServiceExport")
                        .withNewMetadata()
                        .withNamespace("shop")
                        .withName(name)
                        .endMetadata()
                        .build())
                .create();
    }

    static void unexport(KubernetesClient k, String name) {
        k.genericKubernetesResources(EXPORTS).inNamespace("shop").withName(name).delete();
    }

    /** A Service exported from {@code k} with two ready endpoints and one not ready. */
    static void exported(KubernetesClient k, String name, String... ready) {
        service(k, name, 80, Map.of());
        endpoints(k, name, List.of(ready), List.of("10.9.9.9"));
        export(k, name);
    }

    static Optional<Service> follower(KubernetesClient k, String name) {
        return Optional.ofNullable(
                k.services().inNamespace("shop").withName(name).get());
    }

    static List<String> followerAddresses(KubernetesClient k, String name) {
        return k
                .discovery()
                .v1()
                .endpointSlices()
                .inNamespace("shop")
                .withLabel(MirrorLabels.SERVICE_NAME, name)
                .withLabel(MirrorLabels.MANAGED_BY, MirrorLabels.MANAGER)
                .list()
                .getItems()
                .stream()
                .flatMap(s -> s.getEndpoints().stream())
                .flatMap(e -> e.getAddresses().stream())
                .sorted()
                .toList();
    }

    static List<EndpointSlice> followerSlices(KubernetesClient k, String name) {
        return k.discovery()
                .v1()
                .endpointSlices()
                .inNamespace("shop")
                .withLabel(MirrorLabels.SERVICE_NAME, name)
                .withLabel(MirrorLabels.MANAGED_BY, MirrorLabels.MANAGER)
                .list()
                .getItems();
    }

    /** A condition of a ServiceExport's status, as the cluster's users see it. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> exportCondition(KubernetesClient k, String name, String type) {
        GenericKubernetesResource e = k.genericKubernetesResources(EXPORTS)
                .inNamespace("shop")
                .withName(name)
                .get();
        Object status = e.getAdditionalProperties().get("status");
        if (!(status instanceof Map<?, ?> m) || !(m.get("conditions") instanceof List<?> conditions)) {
            return Map.of();
        }
        return conditions.stream()
                .map(x -> (Map<String, Object>) x)
                .filter(x -> type.equals(x.get("type")))
                .findFirst()
                .orElse(Map.of());
    }

    static Optional<Condition> condition(Service s, String type) {
        return s.getStatus() == null || s.getStatus().getConditions() == null
                ? Optional.empty()
                : s.getStatus().getConditions().stream()
                        .filter(x -> x.getType().equals(type))
                        .findFirst();
    }

    /** The recorded state of an export: imported_by, refusals and conditions as JSON text. */
    static Optional<Map<String, String>> exportState(String cluster, String name) throws SQLException {
        try (Connection conn = db.getConnection();
                PreparedStatement s = conn.prepareStatement(
                        "SELECT imported_by::text, refusals::text, conditions::text FROM mirror_exports"
                                + " WHERE cluster = ? AND namespace = 'shop' AND name = ?")) {
            s.setString(1, cluster);
            s.setString(2, name);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        Map.of("importedBy", r.getString(1), "refusals", r.getString(2), "conditions", r.getString(3)));
            }
        }
    }

    // --- behaviour ---

    @Test
    void anExportGivesEveryOtherClusterAFollowerWithTheExportersReadyEndpoints() throws SQLException {
        exported(a, "web", "10.1.0.5", "10.1.0.6");

        await().atMost(SOON).untilAsserted(() -> {
            for (KubernetesClient k : List.of(b, c)) {
                Service f = follower(k, "web").orElseThrow(() -> new AssertionError("not there (yet)"));
                assertThat(f.getMetadata().getLabels())
                        .containsEntry(MirrorLabels.FOLLOWER, "true")
                        .containsEntry(MirrorLabels.SET, SET)
                        .containsEntry(MirrorLabels.ORIGIN, "demo-001");
                assertThat(f.getSpec().getSelector()).isNullOrEmpty();
                assertThat(f.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort())
                        .isEqualTo(80));
                assertThat(followerAddresses(k, "web")).containsExactly("10.1.0.5", "10.1.0.6");
                EndpointSlice slice = followerSlices(k, "web").getFirst();
                assertThat(slice.getMetadata().getLabels()).containsEntry(MirrorLabels.SOURCE_CLUSTER, "demo-001");
                assertThat(slice.getPorts()).singleElement().satisfies(p -> assertThat(p.getPort())
                        .isEqualTo(8080));
            }
        });
        assertThat(follower(a, "web")
                        .orElseThrow(() -> new AssertionError("not there (yet)"))
                        .getMetadata()
                        .getLabels())
                .doesNotContainKey(MirrorLabels.FOLLOWER);
        await().atMost(SOON)
                .untilAsserted(() -> assertThat(exportState("demo-001", "web")).hasValueSatisfying(state -> {
                    assertThat(state.get("importedBy")).isEqualTo("[\"demo-002\", \"demo-003\"]");
                    assertThat(state.get("conditions")).contains("\"reason\": \"NoConflicts\"");
                }));
        String conditions = exportState("demo-001", "web")
                .orElseThrow(() -> new AssertionError("not there (yet)"))
                .get("conditions");
        assertThat(conditions).contains("lastTransitionTime");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> exportState("demo-001", "web")
                .orElseThrow(() -> new AssertionError("not there (yet)"))
                .get("conditions")
                .equals(conditions));
    }

    @Test
    void anEndpointChangeInTheExportingClusterReachesTheFollowersWithinSeconds() {
        exported(a, "cart", "10.1.1.1");
        await().atMost(SOON).until(() -> followerAddresses(b, "cart").equals(List.of("10.1.1.1")));

        endpoints(a, "cart", List.of("10.1.1.1", "10.1.1.2"), List.of());

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(followerAddresses(b, "cart")).containsExactly("10.1.1.1", "10.1.1.2");
            assertThat(followerAddresses(c, "cart")).containsExactly("10.1.1.1", "10.1.1.2");
        });

        endpoints(a, "cart", List.of("10.1.1.2"), List.of("10.1.1.1"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(followerAddresses(b, "cart")).containsExactly("10.1.1.2");
            assertThat(followerAddresses(c, "cart")).containsExactly("10.1.1.2");
        });
    }

    @Test
    void unexportingOrDeletingTheServiceRemovesItsFollowers() throws SQLException {
        exported(a, "search", "10.1.2.1");
        exported(b, "ledger", "10.2.2.1");
        await().atMost(SOON)
                .until(() -> follower(c, "search").isPresent()
                        && follower(c, "ledger").isPresent());

        unexport(a, "search");
        b.services().inNamespace("shop").withName("ledger").delete();

        await().atMost(SOON).untilAsserted(() -> {
            assertThat(follower(b, "search")).isEmpty();
            assertThat(follower(c, "search")).isEmpty();
            assertThat(followerSlices(c, "search")).isEmpty();
            assertThat(follower(a, "ledger")).isEmpty();
            assertThat(follower(c, "ledger")).isEmpty();
            assertThat(followerSlices(a, "ledger")).isEmpty();
        });
        assertThat(follower(a, "search")).as("the exporter's own Service stays").isPresent();
        await().atMost(SOON).until(() -> exportState("demo-001", "search").isEmpty());
    }

    @Test
    void aDeletionTheWatchesMissedIsRepairedByTheOrphanSweep() throws SQLException {
        exported(a, "orders", "10.1.3.1");
        await().atMost(SOON)
                .until(() -> follower(b, "orders").isPresent()
                        && follower(c, "orders").isPresent());

        // Cut demo-001's watches, delete the export behind them, let them resume: the simulator's resumed watches
        // send what exists, never the deletion (a real API server would when the gap is short, and not after
        // compaction).
        sim.faults().apiReachable("demo-001", false);
        await().atMost(SOON).until(() -> !mirrors.watching("demo-001"));
        unexport(a, "orders");
        sim.faults().apiReachable("demo-001", true);
        await().atMost(SOON).until(() -> mirrors.watching("demo-001"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> follower(b, "orders")
                .isPresent());

        new MirrorStore(db).requestSweep(Instant.now());

        await().atMost(SOON).untilAsserted(() -> {
            assertThat(follower(b, "orders")).isEmpty();
            assertThat(follower(c, "orders")).isEmpty();
            assertThat(followerSlices(b, "orders")).isEmpty();
        });
    }

    @Test
    void aNameTakenByAnotherServiceIsNeverWrittenOverAndTheConflictIsReported() throws SQLException {
        service(c, "billing", 9000, Map.of("owner", "team-c"));
        exported(a, "billing", "10.1.4.1");

        await().atMost(SOON).until(() -> follower(b, "billing").isPresent());
        await().atMost(SOON).untilAsserted(() -> assertThat(exportState("demo-001", "billing"))
                .hasValueSatisfying(state -> {
                    assertThat(state.get("importedBy")).isEqualTo("[\"demo-002\"]");
                    assertThat(state.get("refusals")).contains("demo-003").contains("ServiceConflict");
                    assertThat(state.get("conditions"))
                            .contains("\"type\": \"Conflict\", \"reason\": \"ServiceConflict\"");
                }));
        await().atMost(SOON).untilAsserted(() -> assertThat(exportCondition(a, "billing", "Conflict"))
                .containsEntry("status", "True")
                .containsEntry("reason", "ServiceConflict"));
        Service theirs = follower(c, "billing").orElseThrow(() -> new AssertionError("not there (yet)"));
        assertThat(theirs.getMetadata().getLabels())
                .containsEntry("owner", "team-c")
                .doesNotContainKey(MirrorLabels.SET);
        assertThat(theirs.getSpec().getSelector()).containsEntry("app", "billing");
        assertThat(theirs.getSpec().getPorts().getFirst().getPort()).isEqualTo(9000);
        assertThat(followerSlices(c, "billing")).isEmpty();
    }

    @Test
    void anUnreachableExportersEndpointsAreWithdrawnAfterTheLeaseAndComeBackWithIt() {
        exported(a, "stock", "10.1.5.1");
        await().atMost(SOON).until(() -> followerAddresses(b, "stock").equals(List.of("10.1.5.1")));

        sim.faults().apiReachable("demo-001", false);
        Instant cut = Instant.now();

        await().atMost(SOON).untilAsserted(() -> {
            assertThat(followerAddresses(b, "stock")).isEmpty();
            assertThat(followerAddresses(c, "stock")).isEmpty();
        });
        assertThat(Duration.between(cut, Instant.now())).isGreaterThanOrEqualTo(WITHDRAW_AFTER.minusMillis(500));
        Service stays = follower(b, "stock").orElseThrow(() -> new AssertionError("not there (yet)"));
        assertThat(condition(stays, "EndpointsWithdrawn")).hasValueSatisfying(x -> {
            assertThat(x.getStatus()).isEqualTo("True");
            assertThat(x.getMessage()).contains("demo-001");
        });

        sim.faults().apiReachable("demo-001", true);

        await().atMost(SOON).untilAsserted(() -> {
            assertThat(followerAddresses(b, "stock")).containsExactly("10.1.5.1");
            assertThat(followerAddresses(c, "stock")).containsExactly("10.1.5.1");
            assertThat(condition(
                            follower(b, "stock").orElseThrow(() -> new AssertionError("not there (yet)")),
                            "EndpointsWithdrawn"))
                    .hasValueSatisfying(x -> assertThat(x.getStatus()).isEqualTo("False"));
        });
    }

    @Test
    void oneUnreachableClusterDoesNotHoldUpTheOthers() {
        exported(a, "pricing", "10.1.6.1");
        await().atMost(SOON)
                .until(() -> followerAddresses(b, "pricing").equals(List.of("10.1.6.1"))
                        && followerAddresses(c, "pricing").equals(List.of("10.1.6.1")));

        sim.faults().apiReachable("demo-003", false);
        await().atMost(SOON).until(() -> !mirrors.watching("demo-003"));
        endpoints(a, "pricing", List.of("10.1.6.1", "10.1.6.2"), List.of());
        exported(b, "quotes", "10.2.6.1");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(followerAddresses(b, "pricing")).containsExactly("10.1.6.1", "10.1.6.2");
            assertThat(followerAddresses(a, "quotes")).containsExactly("10.2.6.1");
        });

        sim.faults().apiReachable("demo-003", true);
        await().atMost(SOON).untilAsserted(() -> {
            assertThat(followerAddresses(c, "pricing")).containsExactly("10.1.6.1", "10.1.6.2");
            assertThat(followerAddresses(c, "quotes")).containsExactly("10.2.6.1");
        });
    }

    @Test
    void theSameServiceExportedFromTwoClustersMergesTheirEndpointsAndTheLabelExportsToo() {
        // Both Services exist before either is exported (else the first export's follower takes the name).
        service(a, "catalog", 80, Map.of());
        endpoints(a, "catalog", List.of("10.1.7.1"), List.of());
        service(b, "catalog", 80, Map.of());
        endpoints(b, "catalog", List.of("10.2.7.1"), List.of());
        a.services().inNamespace("shop").withName("catalog").edit(s -> {
            s.getMetadata().getLabels().put(MirrorLabels.EXPORT, "true");
            return s;
        });
        export(b, "catalog");

        await().atMost(SOON).untilAsserted(() -> {
            assertThat(followerAddresses(c, "catalog")).containsExactly("10.1.7.1", "10.2.7.1");
            assertThat(followerSlices(c, "catalog"))
                    .extracting(s -> s.getMetadata().getLabels().get(MirrorLabels.SOURCE_CLUSTER))
                    .containsExactlyInAnyOrder("demo-001", "demo-002");
            assertThat(follower(c, "catalog")
                            .orElseThrow(() -> new AssertionError("not there (yet)"))
                            .getMetadata()
                            .getAnnotations())
                    .containsEntry(MirrorLabels.SOURCE_CLUSTERS, "demo-001,demo-002");
        });
        assertThat(followerSlices(a, "catalog"))
                .as("an exporter keeps its own endpoints")
                .isEmpty();
        assertThat(followerSlices(b, "catalog")).isEmpty();
    }

    @Test
    void aClusterLeavingTheSetLosesTheSetsFollowersAndItsRowGoesAfterwards() throws SQLException {
        exported(a, "reviews", "10.1.8.1");
        await().atMost(SOON).until(() -> follower(c, "reviews").isPresent());
        try {
            members("UPDATE mirror_set_members SET left_at = now() WHERE cluster_id = (SELECT id FROM"
                    + " managed_clusters WHERE name = 'demo-003')");

            await().atMost(SOON).untilAsserted(() -> {
                assertThat(follower(c, "reviews")).isEmpty();
                assertThat(followerSlices(c, "reviews")).isEmpty();
                assertThat(memberRows("demo-003")).isZero();
            });
            assertThat(follower(b, "reviews")).isPresent();
        } finally {
            members("INSERT INTO mirror_set_members (set_id, cluster_id) SELECT s.id, c.id FROM mirror_sets s,"
                    + " managed_clusters c WHERE c.name = 'demo-003' ON CONFLICT (set_id, cluster_id)"
                    + " DO UPDATE SET left_at = NULL");
        }
        await().atMost(SOON).until(() -> follower(c, "reviews").isPresent());
    }

    @Test
    void afterARestartAnExporterThatDoesNotAnswerKeepsItsFollowersUntilItsLeaseEnds() throws SQLException {
        exported(a, "payments", "10.1.9.1");
        await().atMost(SOON).until(() -> followerAddresses(b, "payments").equals(List.of("10.1.9.1")));
        await().atMost(SOON).until(() -> exportState("demo-001", "payments").isPresent());

        mirrors.close();
        sim.faults().apiReachable("demo-001", false);
        mirrors = new SetMirrors(
                new SetMirrors.Settings(
                        Duration.ofMillis(300), Duration.ofSeconds(20), WITHDRAW_AFTER, Duration.ofMillis(50)),
                clients,
                db,
                Clock.systemUTC(),
                new SimpleMeterRegistry(),
                "it-restarted");
        mirrors.start();
        await().atMost(SOON).until(() -> mirrors.watching("demo-002") && mirrors.watching("demo-003"));

        // Its recorded export stands in for it: the followers stay, then its endpoints go when the lease ends.
        assertThat(follower(b, "payments")).isPresent();
        await().atMost(SOON).until(() -> followerAddresses(b, "payments").isEmpty());
        assertThat(follower(b, "payments")).isPresent();
        assertThat(follower(c, "payments")).isPresent();

        sim.faults().apiReachable("demo-001", true);
        await().atMost(SOON).until(() -> followerAddresses(b, "payments").equals(List.of("10.1.9.1")));
    }

    @Test
    void aFollowersMissingNamespaceIsCreatedWhenTheSetAllowsIt() {
        a.resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withNamespace("blog")
                        .withName("posts")
                        .addToLabels(MirrorLabels.EXPORT, "true")
                        .endMetadata()
                        .withNewSpec()
                        .addNewPort()
                        .withPort(80)
                        .endPort()
                        .endSpec()
                        .build())
                .create();

        await().atMost(SOON).untilAsserted(() -> {
            for (KubernetesClient k : List.of(b, c)) {
                assertThat(k.namespaces().withName("blog").get())
                        .isNotNull()
                        .satisfies(n -> assertThat(n.getMetadata().getLabels()).containsEntry(MirrorLabels.SET, SET));
                assertThat(k.services().inNamespace("blog").withName("posts").get())
                        .isNotNull()
                        .satisfies(f ->
                                assertThat(f.getMetadata().getLabels()).containsEntry(MirrorLabels.FOLLOWER, "true"));
            }
        });
    }

    static void members(String sql) throws SQLException {
        try (Connection conn = db.getConnection();
                Statement s = conn.createStatement()) {
            s.execute(sql);
        }
    }

    static int memberRows(String cluster) throws SQLException {
        try (Connection conn = db.getConnection();
                PreparedStatement s = conn.prepareStatement("SELECT count(*) FROM mirror_set_members m JOIN"
                        + " managed_clusters c ON c.id = m.cluster_id WHERE c.name = ?")) {
            s.setString(1, cluster);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}
