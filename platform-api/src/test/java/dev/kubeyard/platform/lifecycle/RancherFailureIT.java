package dev.kubeyard.platform.lifecycle;

import static dev.kubeyard.platform.testing.Specs.awaitOperation;
import static dev.kubeyard.platform.testing.Specs.awaitPhase;
import static dev.kubeyard.platform.testing.Specs.cluster;
import static dev.kubeyard.platform.testing.Specs.put;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherConflictException;
import dev.kubeyard.rancher.client.model.ObjectMeta;
import dev.kubeyard.rancher.sim.faults.SimFaults;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rancher failing while a cluster is being created or changed: each case ends with the cluster in its desired state,
 * one of everything in Rancher, and nothing lost.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class RancherFailureIT {

    static final Duration PATIENCE = Duration.ofSeconds(40);
    static final String CLUSTERS_PATH = "/v1/provisioning.cattle.io.clusters";

    SimFaults faults = RancherSimResource.sim().faults();

    @AfterEach
    void rancherHealthyAgain() {
        faults.errors(0, 500, "status", null, null);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createFinishesAfterRancherAnswered5xxBeforeTheClusterExisted() {
        String name = unique("down");
        int clustersBefore = RancherSimResource.sim().clusterCount();
        faults.errors(1.0, 503, "status", CLUSTERS_PATH, null);

        String opId = put(name, Specs.small("payments", 1), 202).getString("id");

        JsonPath waiting = await().atMost(PATIENCE)
                .until(() -> cluster(name), c -> "RancherUnavailable".equals(reason(c, "Synced")));
        assertThat(message(waiting, "Synced")).contains("503");
        assertThat(RancherSimResource.sim().clusterCount()).isEqualTo(clustersBefore);

        faults.errors(0, 500, "status", null, null);

        awaitPhase(name, "Ready", PATIENCE);
        assertThat(awaitOperation(opId, PATIENCE).getString("state")).isEqualTo("Succeeded");
        assertThat(RancherSimResource.client().clusters().list().stream()
                        .filter(c -> c.name().equals(name))
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aRancherOutageShowsOnEveryClusterWithinAPassAndClearsWhenRancherIsBack() {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            names.add(unique("outage" + i));
            put(names.getLast(), Specs.small("payments", 1), 202);
        }
        names.forEach(n -> awaitPhase(n, "Ready", PATIENCE));
        faults.errors(1.0, 500, "reset", "/v1", null);
        try {
            // however many clusters the shared test database holds by now, one pass reaches them all quickly
            await().atMost(Duration.ofSeconds(20)).until(() -> names.stream()
                    .allMatch(n -> "RancherUnavailable".equals(reason(cluster(n), "Synced"))));
        } finally {
            faults.errors(0, 500, "status", null, null);
        }
        await().atMost(PATIENCE)
                .until(() -> names.stream().allMatch(n -> "Synced".equals(reason(cluster(n), "Synced"))));
    }

    @Test
    void createFinishesAfterRancherWentUnreachableWhileProvisioning() {
        String name = unique("midway");
        String opId = put(name, Specs.small("payments", 2), 202).getString("id");
        // The cluster exists in Rancher and is on its way; then Rancher stops answering (connections reset).
        await().atMost(PATIENCE)
                .until(() -> RancherSimResource.client().clusters().find(name).isPresent());
        faults.stall(name);
        faults.errors(1.0, 500, "reset", "/v1", null);

        JsonPath cut = await().atMost(PATIENCE)
                .until(() -> cluster(name), c -> "RancherUnavailable".equals(reason(c, "Synced")));
        assertThat(cut.getString("status.phase")).isNotEqualTo("Ready");
        assertThat(given().when().get("/api/v1/operations/" + opId).jsonPath().getString("state"))
                .isIn("Pending", "Running");

        faults.errors(0, 500, "status", null, null);
        faults.unstall(name);

        JsonPath ready = awaitPhase(name, "Ready", PATIENCE);
        assertThat(ready.getInt("status.nodesReady")).isEqualTo(3);
        assertThat(reason(ready, "Synced")).isEqualTo("Synced");
        assertThat(awaitOperation(opId, PATIENCE).getString("state")).isEqualTo("Succeeded");
    }

    @Test
    void scaleEndsInTheDesiredStateWhileAnotherWriterCausesConflicts() throws Exception {
        String name = unique("conflict");
        put(name, Specs.small("payments", 1), 202);
        awaitPhase(name, "Ready", PATIENCE);

        // Someone else keeps writing the same Rancher object: our updates meet 409 Conflict and must read again,
        // and the other writer's change must survive ours.
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger otherWrites = new AtomicInteger();
        RancherClient other = RancherSimResource.client();
        Thread writer = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                try {
                    other.clusters().modify(name, c -> {
                        Map<String, String> annotations =
                                new LinkedHashMap<>(c.metadata().annotations());
                        annotations.put("example.com/touched", Integer.toString(otherWrites.incrementAndGet()));
                        ObjectMeta meta = c.metadata().withAnnotations(annotations);
                        return c.withMetadata(meta);
                    });
                } catch (RancherConflictException e) {
                    // The other writer loses sometimes too.
                }
            }
        });
        try {
            String opId = given().contentType(ContentType.JSON)
                    .body(Map.of("quantity", 3))
                    .when()
                    .patch("/api/v1/clusters/" + name + "/node-pools/workers")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            assertThat(awaitOperation(opId, PATIENCE).getString("state")).isEqualTo("Succeeded");
        } finally {
            running.set(false);
            writer.join();
        }
        var inRancher = RancherSimResource.client().clusters().get(name);
        assertThat(inRancher.pool("workers").orElseThrow().quantity()).isEqualTo(3);
        assertThat(inRancher.metadata().annotations()).containsKey("example.com/touched");
        assertThat(otherWrites.get()).isGreaterThan(1);
        awaitPhase(name, "Ready", PATIENCE);
    }

    @Test
    void kubeconfigOfAClusterRancherHasNotProvisionedIsAConflict() {
        String name = unique("notyet");
        faults.errors(1.0, 503, "status", CLUSTERS_PATH, null);
        put(name, Specs.small("payments", 1), 202);

        given().when()
                .get("/api/v1/clusters/" + name + "/kubeconfig")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
    }

    private static String reason(JsonPath cluster, String type) {
        List<Map<String, Object>> conditions = cluster.getList("status.conditions");
        return conditions.stream()
                .filter(c -> type.equals(c.get("type")))
                .map(c -> (String) c.get("reason"))
                .findFirst()
                .orElse(null);
    }

    private static String message(JsonPath cluster, String type) {
        List<Map<String, Object>> conditions = cluster.getList("status.conditions");
        return conditions.stream()
                .filter(c -> type.equals(c.get("type")))
                .map(c -> (String) c.get("message"))
                .findFirst()
                .orElse("");
    }
}
