package dev.kubeyard.platform.addons;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import dev.kubeyard.rancher.sim.faults.WorkloadFault;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rollouts of a new addon version over 20 simulated clusters, whose workloads become ready as with a working
 * controller (rancher-sim), through the API: waves, the health gate, the automatic rollback, and clusters left out.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class AddonRolloutIT {

    static final int CLUSTERS = 20;
    static final Duration WAIT = Duration.ofSeconds(90);
    static final List<String> clusters = new ArrayList<>();

    /** Twenty one-node clusters, made once: RestAssured points at the application only once a test runs. */
    @BeforeEach
    void fleet() {
        if (!clusters.isEmpty()) {
            return;
        }
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= CLUSTERS; i++) {
            String name = String.format("fleet-%s-%02d", run, i);
            Map<String, Object> spec = Specs.spec(
                    "fleet-team",
                    Specs.VERSION,
                    List.of(Specs.pool("all", List.of("etcd", "controlplane", "worker"), 1)));
            Specs.put(name, spec, 202);
            names.add(name);
        }
        for (String name : names) {
            Specs.awaitPhase(name, "Ready", Duration.ofSeconds(180));
        }
        clusters.addAll(names);
    }

    static void install(String cluster, String addon, String version) {
        given().contentType(ContentType.JSON)
                .body(Map.of("version", version))
                .when()
                .put("/api/v1/clusters/" + cluster + "/addons/" + addon)
                .then()
                .statusCode(201);
    }

    static JsonPath installation(String cluster, String addon) {
        return given().when()
                .get("/api/v1/clusters/" + cluster + "/addons/" + addon)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static boolean healthyAt(String cluster, String addon, String version) {
        JsonPath i = installation(cluster, addon);
        return version.equals(i.getString("status.appliedVersion")) && "Healthy".equals(i.getString("state"));
    }

    static JsonPath rollout(String id) {
        return given().when()
                .get("/api/v1/addon-rollouts/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static String start(Map<String, Object> body) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/addon-rollouts")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getString("id");
    }

    static String phaseOf(JsonPath rollout, String cluster) {
        return rollout.getString("clusters.find { it.cluster == '" + cluster + "' }.phase");
    }

    @Test
    void aRolloutStopsWhenAClusterTurnsUnhealthyAndMovesTheClustersItChangedBack() {
        for (String c : clusters) {
            install(c, "metrics-server", "0.7.2");
        }
        await().atMost(WAIT).until(() -> clusters.stream().allMatch(c -> healthyAt(c, "metrics-server", "0.7.2")));
        // Version 0.8.0's image never becomes ready in the eighth cluster (third wave: 1 canary, then 5 at a time).
        String broken = clusters.get(7);
        RancherSimResource.sim().faults().failWorkloads(broken, WorkloadFault.image("metrics-server:v0.8.0"));
        try {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("addon", "metrics-server");
            body.put("version", "0.8.0");
            body.put("clusters", clusters);
            body.put("canaries", 1);
            body.put("maxConcurrent", 5);
            body.put("soakSeconds", 1);
            body.put("failureBudget", 0);
            body.put("progressDeadlineSeconds", 6);
            String id = start(body);

            await().atMost(WAIT).until(() -> rollout(id).getString("phase").equals("RolledBack"));
            JsonPath done = rollout(id);
            assertThat(done.getString("message")).contains(broken).contains("over the budget of 0");
            List<String> changed = clusters.subList(0, 11);
            List<String> untouched = clusters.subList(11, CLUSTERS);
            for (String c : changed) {
                assertThat(phaseOf(done, c)).as(c).isEqualTo("RolledBack");
            }
            assertThat(done.getString("clusters.find { it.cluster == '" + broken + "' }.message"))
                    .contains("0.8.0");
            for (String c : untouched) {
                assertThat(phaseOf(done, c)).as(c).isEqualTo("Pending");
                JsonPath i = installation(c, "metrics-server");
                assertThat(i.getLong("generation")).as(c + " never changed").isEqualTo(1);
                assertThat(i.getString("status.appliedVersion")).isEqualTo("0.7.2");
            }
            // Every changed cluster runs the last version healthy there again.
            await().atMost(WAIT).until(() -> changed.stream().allMatch(c -> healthyAt(c, "metrics-server", "0.7.2")));
            for (String c : changed) {
                assertThat(RancherSimResource.sim()
                                .kubernetesClient(c)
                                .apps()
                                .deployments()
                                .inNamespace("kube-system")
                                .withName("metrics-server")
                                .get()
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .getFirst()
                                .getImage())
                        .as(c)
                        .endsWith(":v0.7.2");
            }
            // The canary and the second wave had succeeded before the third failed.
            assertThat(installation(clusters.getFirst(), "metrics-server").getString("source"))
                    .startsWith("rollout:");
        } finally {
            RancherSimResource.sim().faults().healWorkloads(broken);
        }
    }

    @Test
    void aClusterThatIsUnhealthyWhenItsWaveComesIsLeftOutAndTheRestSucceed() {
        List<String> three = clusters.subList(17, 20);
        for (String c : three) {
            install(c, "local-path-provisioner", "0.0.30");
        }
        await().atMost(WAIT)
                .until(() -> three.stream().allMatch(c -> healthyAt(c, "local-path-provisioner", "0.0.30")));
        String unreachable = three.get(1);
        RancherSimResource.sim().faults().apiReachable(unreachable, false);
        try {
            await().atMost(WAIT).until(() -> "Unknown"
                    .equals(installation(unreachable, "local-path-provisioner").getString("state")));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("addon", "local-path-provisioner");
            body.put("version", "0.0.31");
            body.put("clusters", three);
            body.put("canaries", 0);
            body.put("maxConcurrent", 3);
            body.put("soakSeconds", 0);
            String id = start(body);
            await().atMost(WAIT).until(() -> rollout(id).getString("phase").equals("Succeeded"));
            JsonPath done = rollout(id);
            assertThat(phaseOf(done, three.get(0))).isEqualTo("Succeeded");
            assertThat(phaseOf(done, three.get(2))).isEqualTo("Succeeded");
            assertThat(phaseOf(done, unreachable)).isEqualTo("Skipped");
            assertThat(done.getString("clusters.find { it.cluster == '" + unreachable + "' }.message"))
                    .contains("unhealthy");
            assertThat(installation(unreachable, "local-path-provisioner").getString("version"))
                    .isEqualTo("0.0.30");
            assertThat(healthyAt(three.get(0), "local-path-provisioner", "0.0.31"))
                    .isTrue();
        } finally {
            RancherSimResource.sim().faults().apiReachable(unreachable, true);
        }
    }

    @Test
    void aSecondRolloutOfTheSameAddonIsRefusedWhileOneRuns() {
        String c = clusters.get(16);
        install(c, "etcd-backup", "3.5.16");
        // Healthy first: a rollout whose only cluster is not healthy when its wave comes leaves it out and is over
        // at once, and then a second rollout is rightly accepted.
        await().atMost(WAIT).until(() -> healthyAt(c, "etcd-backup", "3.5.16"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("addon", "etcd-backup");
        body.put("version", "3.6.4");
        body.put("clusters", List.of(c));
        body.put("soakSeconds", 300);
        String id = start(body);
        given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/addon-rollouts")
                .then()
                .statusCode(409);
        // Once the rollout has moved the cluster, a hand change of its version is refused too.
        await().atMost(WAIT).until(() -> !"Pending".equals(phaseOf(rollout(id), c)));
        JsonPath refused = given().contentType(ContentType.JSON)
                .body(Map.of("version", "3.5.16"))
                .when()
                .put("/api/v1/clusters/" + c + "/addons/etcd-backup")
                .then()
                .statusCode(409)
                .extract()
                .jsonPath();
        assertThat(refused.getString("detail")).contains(id);
        given().when().post("/api/v1/addon-rollouts/" + id + "/abort").then().statusCode(200);
        await().atMost(WAIT).until(() -> rollout(id).getString("phase").equals("RolledBack"));
    }
}
