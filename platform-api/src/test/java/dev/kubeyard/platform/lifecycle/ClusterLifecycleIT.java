package dev.kubeyard.platform.lifecycle;

import static dev.kubeyard.platform.testing.Specs.awaitOperation;
import static dev.kubeyard.platform.testing.Specs.awaitPhase;
import static dev.kubeyard.platform.testing.Specs.cluster;
import static dev.kubeyard.platform.testing.Specs.put;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.kubeyard.inventory.audit.AuditEvent;
import dev.kubeyard.inventory.audit.AuditEventRepository;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The whole lifecycle over HTTP: the API, the reconciler on Quartz, rancher-sim as Rancher, real PostgreSQL. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class ClusterLifecycleIT {

    static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    AuditEventRepository auditEvents;

    @Inject
    EntityManager entityManager;

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static ProvisioningCluster inRancher(String name) {
        return RancherSimResource.client().clusters().get(name);
    }

    @Test
    void createdClusterBecomesReadyWithTheNodesItAskedFor() {
        String name = unique("create");
        String correlationId = "corr-" + UUID.randomUUID();
        Response created = given().contentType(ContentType.JSON)
                .header("X-Correlation-Id", correlationId)
                .body(Specs.small("payments", 2))
                .when()
                .put("/api/v1/clusters/" + name);
        created.then()
                .statusCode(202)
                .header("Location", containsString("/api/v1/operations/"))
                .header("X-Correlation-Id", correlationId)
                .body("kind", equalTo("Create"))
                .body("cluster", equalTo(name));

        JsonPath ready = awaitPhase(name, "Ready", PATIENCE);
        assertThat(ready.getInt("status.nodesReady")).isEqualTo(3);
        assertThat(ready.getInt("status.nodesDesired")).isEqualTo(3);
        assertThat(ready.getString("status.rancherClusterId")).startsWith("c-m-");
        assertThat(ready.getString("status.kubernetesVersion")).isEqualTo(Specs.VERSION);
        assertThat(ready.getLong("status.observedGeneration")).isEqualTo(ready.getLong("generation"));
        assertThat(ready.getList("status.conditions.type")).contains("Ready", "Synced");

        JsonPath op = awaitOperation(created.jsonPath().getString("id"), PATIENCE);
        assertThat(op.getString("state")).isEqualTo("Succeeded");

        ProvisioningCluster rancher = inRancher(name);
        assertThat(rancher.machinePools()).extracting(p -> p.name()).containsExactly("control-plane", "workers");
        assertThat(rancher.pool("workers").orElseThrow().quantity()).isEqualTo(2);
        assertThat(rancher.metadata().labels()).containsEntry("env", "test");

        // The request and every Rancher write it caused share the correlation id.
        List<AuditEvent> trail =
                QuarkusTransaction.requiringNew().call(() -> auditEvents.listByCorrelationId(correlationId));
        assertThat(trail)
                .extracting(AuditEvent::getAction)
                .contains("cluster.create", "rancher.createMachineConfig", "rancher.createCluster");
        assertThat(trail.getFirst().getActor())
                .as("the request is recorded under the caller's name")
                .isEqualTo("admin");
        assertThat(trail)
                .filteredOn(e -> e.getAction().startsWith("rancher."))
                .allSatisfy(e -> assertThat(e.getReason()).isEqualTo("user-request"));
    }

    @Test
    void applyingTheSameSpecAgainChangesNothing() {
        String name = unique("same");
        put(name, Specs.small("payments", 1), 202);
        long generation = cluster(name).getLong("generation");

        JsonPath again = put(name, Specs.small("payments", 1), 200);

        assertThat(again.getString("name")).isEqualTo(name);
        assertThat(again.getLong("generation")).isEqualTo(generation);
        given().when().get("/api/v1/clusters/" + name + "/operations").then().body("", hasSize(1));
    }

    @Test
    void scalingAPoolReachesRancherAndTheNodeCounts() {
        String name = unique("scale");
        put(name, Specs.small("payments", 1), 202);
        awaitPhase(name, "Ready", PATIENCE);

        String opId = given().contentType(ContentType.JSON)
                .body(Map.of("quantity", 3))
                .when()
                .patch("/api/v1/clusters/" + name + "/node-pools/workers")
                .then()
                .statusCode(202)
                .body("kind", equalTo("Update"))
                .extract()
                .path("id");

        assertThat(awaitOperation(opId, PATIENCE).getString("state")).isEqualTo("Succeeded");
        JsonPath scaled = awaitPhase(name, "Ready", PATIENCE);
        assertThat(scaled.getInt("status.nodesReady")).isEqualTo(4);
        assertThat(scaled.getList("spec.nodePools.quantity")).containsExactly(1, 3);
        assertThat(inRancher(name).pool("workers").orElseThrow().quantity()).isEqualTo(3);
        given().when()
                .get("/api/v1/clusters/" + name + "/nodes")
                .then()
                .statusCode(200)
                .body("findAll { it.pool == 'workers' }", hasSize(3))
                .body("findAll { it.ready }", hasSize(4));
    }

    @Test
    void patchingAPoolThatDoesNotExistIsNotFound() {
        String name = unique("nopool");
        put(name, Specs.small("payments", 1), 202);
        given().contentType(ContentType.JSON)
                .body(Map.of("quantity", 3))
                .when()
                .patch("/api/v1/clusters/" + name + "/node-pools/gpu")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void deletedClusterLeavesRancherAndTheInventory() {
        String name = unique("delete");
        put(name, Specs.small("payments", 1), 202);
        awaitPhase(name, "Ready", PATIENCE);

        String opId = given().when()
                .delete("/api/v1/clusters/" + name)
                .then()
                .statusCode(202)
                .body("kind", equalTo("Delete"))
                .extract()
                .path("id");
        // Asking twice returns the same deletion.
        given().when().delete("/api/v1/clusters/" + name).then().statusCode(202).body("id", equalTo(opId));

        assertThat(awaitOperation(opId, PATIENCE).getString("state")).isEqualTo("Succeeded");
        given().when().get("/api/v1/clusters/" + name).then().statusCode(404);
        assertThat(RancherSimResource.client().clusters().find(name)).isEmpty();
        // History outlives the cluster.
        given().when().get("/api/v1/operations/" + opId).then().statusCode(200).body("cluster", equalTo(name));
    }

    @Test
    void listFiltersByTeamAndLabel() {
        String team = unique("team");
        String a = unique("list-a");
        String b = unique("list-b");
        Map<String, Object> specA = Specs.small(team, 1);
        specA.put("labels", Map.of("env", "prod", "tier", "gold"));
        put(a, specA, 202);
        put(b, Specs.small(team, 1), 202);
        put(unique("other"), Specs.small("someone-else", 1), 202);

        given().queryParam("team", team).when().get("/api/v1/clusters").then().body("items.name", hasSize(2));
        given().queryParam("team", team)
                .queryParam("label", "env=prod")
                .when()
                .get("/api/v1/clusters")
                .then()
                .body("items.name", equalTo(List.of(a)));
        given().queryParam("label", "env=prod")
                .queryParam("label", "tier=silver")
                .when()
                .get("/api/v1/clusters")
                .then()
                .body("items", hasSize(0));
        given().queryParam("label", "nonsense")
                .when()
                .get("/api/v1/clusters")
                .then()
                .statusCode(400);
    }

    @Test
    void upgradeMovesEveryNodeToTheNewVersion() {
        String name = unique("upgrade");
        put(name, Specs.small("payments", 1), 202);
        awaitPhase(name, "Ready", PATIENCE);

        String opId = given().contentType(ContentType.JSON)
                .body(Map.of("kubernetesVersion", Specs.NEXT_VERSION))
                .when()
                .post("/api/v1/clusters/" + name + "/upgrade")
                .then()
                .statusCode(202)
                .body("kind", equalTo("Upgrade"))
                .body("parameters.from", equalTo(Specs.VERSION))
                .extract()
                .path("id");

        assertThat(awaitOperation(opId, PATIENCE).getString("state")).isEqualTo("Succeeded");
        JsonPath upgraded = awaitPhase(name, "Ready", PATIENCE);
        assertThat(upgraded.getString("status.kubernetesVersion")).isEqualTo(Specs.NEXT_VERSION);
        assertThat(upgraded.getString("spec.kubernetesVersion")).isEqualTo(Specs.NEXT_VERSION);
        given().when()
                .get("/api/v1/clusters/" + name + "/nodes")
                .then()
                .body("kubeletVersion", org.hamcrest.Matchers.everyItem(equalTo(Specs.NEXT_VERSION)));
    }

    @Test
    void certificateRotationSnapshotAndRestoreRunAsOperations() {
        String name = unique("daytwo");
        put(name, Specs.small("payments", 1), 202);
        awaitPhase(name, "Ready", PATIENCE);

        String rotation = post(name, "/rotate-certificates", "rotate-" + name);
        assertThat(awaitOperation(rotation, PATIENCE).getString("state")).isEqualTo("Succeeded");
        assertThat(inRancher(name).spec().rkeConfig().rotateCertificates().value())
                .isEqualTo(1);

        String snapshot = post(name, "/etcd-snapshots", "snap-" + name);
        assertThat(awaitOperation(snapshot, PATIENCE).getString("state")).isEqualTo("Succeeded");
        List<String> snapshots = await().atMost(PATIENCE)
                .until(
                        () -> given().when()
                                .get("/api/v1/clusters/" + name + "/etcd-snapshots")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getList("name", String.class),
                        list -> !list.isEmpty());

        String restore = given().contentType(ContentType.JSON)
                .body(Map.of("restoreMode", "none"))
                .when()
                .post("/api/v1/clusters/" + name + "/etcd-snapshots/" + snapshots.getFirst() + "/restore")
                .then()
                .statusCode(202)
                .body("parameters.snapshot", equalTo(snapshots.getFirst()))
                .extract()
                .path("id");
        assertThat(awaitOperation(restore, PATIENCE).getString("state")).isEqualTo("Succeeded");
        assertThat(inRancher(name).spec().rkeConfig().etcdSnapshotRestore().name())
                .isEqualTo(snapshots.getFirst());
        awaitPhase(name, "Ready", PATIENCE);

        given().contentType(ContentType.JSON)
                .body("{}")
                .when()
                .post("/api/v1/clusters/" + name + "/etcd-snapshots/no-such-snapshot/restore")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void replacedNodeIsDeletedAndItsSuccessorJoins() {
        String name = unique("replace");
        put(name, Specs.small("payments", 2), 202);
        awaitPhase(name, "Ready", PATIENCE);
        List<String> workers = given().when()
                .get("/api/v1/clusters/" + name + "/nodes")
                .then()
                .extract()
                .jsonPath()
                .getList("findAll { it.pool == 'workers' }.name", String.class);
        String victim = workers.getFirst();

        String opId = post(name, "/nodes/" + victim + "/replace", null);

        assertThat(awaitOperation(opId, PATIENCE).getString("state")).isEqualTo("Succeeded");
        JsonPath after = awaitPhase(name, "Ready", PATIENCE);
        assertThat(after.getInt("status.nodesReady")).isEqualTo(3);
        given().when()
                .get("/api/v1/clusters/" + name + "/nodes")
                .then()
                .body("name", not(org.hamcrest.Matchers.hasItem(victim)))
                .body("findAll { it.pool == 'workers' }", hasSize(2));
    }

    @Test
    void replacingTheOnlyEtcdNodeIsHeldBack() {
        String name = unique("quorum");
        put(name, Specs.small("payments", 1), 202);
        awaitPhase(name, "Ready", PATIENCE);
        String etcd = given().when()
                .get("/api/v1/clusters/" + name + "/nodes")
                .then()
                .extract()
                .jsonPath()
                .getString("find { it.pool == 'control-plane' }.name");

        String opId = post(name, "/nodes/" + etcd + "/replace", null);

        JsonPath op = awaitOperation(opId, PATIENCE);
        assertThat(op.getString("state")).isEqualTo("Failed");
        assertThat(op.getString("error")).contains("quorum");
        assertThat(RancherSimResource.client().machines().list(name))
                .extracting(m -> m.name())
                .contains(etcd);
    }

    @Test
    void sameIdempotencyKeyReturnsTheSameOperationAndADifferentRequestIsRefused() {
        String name = unique("idem");
        put(name, Specs.small("payments", 1), 202);
        String key = UUID.randomUUID().toString();

        String first = post(name, "/etcd-snapshots", key);
        String second = post(name, "/etcd-snapshots", key);
        assertThat(second).isEqualTo(first);

        given().header("Idempotency-Key", key)
                .when()
                .post("/api/v1/clusters/" + name + "/rotate-certificates")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @Test
    void kubeconfigAndRegistrationCommandAreHandedOutAndAudited() {
        String name = unique("access");
        put(name, Specs.small("payments", 1), 202);
        awaitPhase(name, "Ready", PATIENCE);
        String correlationId = "access-" + UUID.randomUUID();

        String kubeconfig = given().header("X-Correlation-Id", correlationId)
                .when()
                .get("/api/v1/clusters/" + name + "/kubeconfig")
                .then()
                .statusCode(200)
                .contentType("application/yaml")
                .header("Cache-Control", "no-store")
                .extract()
                .asString();
        assertThat(kubeconfig).contains("kind: Config").contains("/k8s/clusters/");

        String command = await().atMost(PATIENCE)
                .until(
                        () -> given().header("X-Correlation-Id", correlationId)
                                .queryParam("nodeName", "my-server")
                                .queryParam("label", "owner=me")
                                .when()
                                .get("/api/v1/clusters/" + name + "/registration-command"),
                        r -> r.statusCode() == 200)
                .jsonPath()
                .getString("command");
        assertThat(command)
                .contains("--worker")
                .contains("--node-name my-server")
                .contains("--label owner=me");
        assertThat(command).doesNotContain("--etcd").doesNotContain("--controlplane");

        List<AuditEvent> trail =
                QuarkusTransaction.requiringNew().call(() -> auditEvents.listByCorrelationId(correlationId));
        assertThat(trail)
                .extracting(AuditEvent::getAction)
                .contains("cluster.kubeconfig", "cluster.registrationCommand");
    }

    @Test
    void temporaryClusterIsDeletedWhenItsTimeIsUp() {
        String name = unique("ttl");
        Map<String, Object> spec = Specs.small("payments", 1);
        spec.put("timeToLiveSeconds", 3600);
        put(name, spec, 202);
        JsonPath created = cluster(name);
        assertThat(created.getString("status.expiresAt")).isNotNull();
        awaitPhase(name, "Ready", PATIENCE);

        // Let the hour pass: move the expiry into the past rather than wait.
        QuarkusTransaction.requiringNew().run(() -> entityManager
                .createNativeQuery(
                        "UPDATE managed_clusters SET expires_at = now() - interval '1 second' WHERE name = ?1")
                .setParameter(1, name)
                .executeUpdate());

        await().atMost(PATIENCE)
                .until(() -> given().when().get("/api/v1/clusters/" + name).statusCode() == 404);
        assertThat(RancherSimResource.client().clusters().find(name)).isEmpty();
        given().when().get("/api/v1/clusters").then().body("items.name", not(org.hamcrest.Matchers.hasItem(name)));
        assertThat(QuarkusTransaction.requiringNew().call(() -> entityManager
                        .createNativeQuery(
                                "SELECT count(*) FROM audit_events WHERE target_name = ?1 AND reason = 'time-to-live-expired'")
                        .setParameter(1, name)
                        .getSingleResult()))
                .isNotNull()
                .hasToString("1");
    }

    private static String post(String name, String path, String idempotencyKey) {
        var request = given();
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.when()
                .post("/api/v1/clusters/" + name + path)
                .then()
                .statusCode(202)
                .body("id", notNullValue())
                .extract()
                .path("id");
    }
}
