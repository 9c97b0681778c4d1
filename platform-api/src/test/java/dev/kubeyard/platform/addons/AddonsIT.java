package dev.kubeyard.platform.addons;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shipped catalog's addons installed, upgraded, repaired and refused through the API, against rancher-sim's
 * cluster APIs (the controllers run in the test application: passes every 300 ms, drift resync every 2 s).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class AddonsIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static String cluster;
    static String newer;

    /** Made on first use: RestAssured points at the test application only once a test runs (not in BeforeAll). */
    @BeforeEach
    void clusters() {
        if (cluster != null) {
            return;
        }
        cluster = "addons-" + UUID.randomUUID().toString().substring(0, 8);
        newer = "addons-new-" + UUID.randomUUID().toString().substring(0, 8);
        Specs.put(cluster, Specs.small("addon-team", 1), 202);
        Map<String, Object> next = Specs.small("addon-team", 1);
        next.put("kubernetesVersion", Specs.NEXT_VERSION);
        Specs.put(newer, next, 202);
        Specs.awaitPhase(cluster, "Ready", Duration.ofSeconds(90));
        Specs.awaitPhase(newer, "Ready", Duration.ofSeconds(90));
    }

    static JsonPath put(String name, String addon, Map<String, Object> body, int status) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .put("/api/v1/clusters/" + name + "/addons/" + addon)
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    static JsonPath installation(String name, String addon) {
        return given().when()
                .get("/api/v1/clusters/" + name + "/addons/" + addon)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static String condition(JsonPath installation, String type) {
        return installation.getString("status.conditions.find { it.type == '" + type + "' }.status");
    }

    static KubernetesClient kube(String name) {
        return RancherSimResource.sim().kubernetesClient(name);
    }

    @Test
    void anInstalledAddonIsAppliedAndAnUpgradePrunesWhatItsNewVersionDropped() {
        JsonPath created = put(cluster, "metrics-server", Map.of("version", "0.7.2"), 201);
        assertThat(created.getString("version")).isEqualTo("0.7.2");
        assertThat(created.getString("namespace")).isEqualTo("kube-system");
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath i = installation(cluster, "metrics-server");
            assertThat(condition(i, "Applied")).isEqualTo("True");
            assertThat(i.getString("status.appliedVersion")).isEqualTo("0.7.2");
        });
        assertThat(kube(cluster)
                        .apps()
                        .deployments()
                        .inNamespace("kube-system")
                        .withName("metrics-server")
                        .get())
                .isNotNull();
        assertThat(kube(cluster)
                        .policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace("kube-system")
                        .withName("metrics-server")
                        .get())
                .isNotNull();

        put(cluster, "metrics-server", Map.of("version", "0.8.0"), 200);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath i = installation(cluster, "metrics-server");
            assertThat(i.getString("status.appliedVersion")).isEqualTo("0.8.0");
            assertThat(condition(i, "Applied")).isEqualTo("True");
        });
        assertThat(kube(cluster)
                        .policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace("kube-system")
                        .withName("metrics-server")
                        .get())
                .isNull();
        assertThat(kube(cluster)
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
                .endsWith(":v0.8.0");
        assertThat(installation(cluster, "metrics-server").getList("status.lastActions", String.class))
                .anySatisfy(
                        a -> assertThat(a).startsWith("pruned PodDisruptionBudget.policy kube-system/metrics-server"));
        // Pruning destroys something: the audit trail says what, and why.
        List<Map<String, Object>> audit = given().queryParam("cluster", cluster)
                .queryParam("action", "addon.prune")
                .when()
                .get("/api/v1/audit-events")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.get("actor")).isEqualTo("system:kubeyard");
            assertThat(e.get("reason")).isEqualTo("addon-controller");
            assertThat(e.toString()).contains("PodDisruptionBudget.policy kube-system/metrics-server");
        });
    }

    @Test
    void anObjectDeletedByHandAndOneEditedByHandAreRepaired() {
        put(cluster, "fluent-bit", Map.of("version", "3.2.10"), 201);
        await().atMost(WAIT).untilAsserted(() -> assertThat(kube(cluster)
                        .configMaps()
                        .inNamespace("logging")
                        .withName("fluent-bit-config")
                        .get())
                .isNotNull());
        await().atMost(WAIT).until(() -> installation(cluster, "fluent-bit").getLong("status.observedGeneration") == 1);
        kube(cluster)
                .configMaps()
                .inNamespace("logging")
                .withName("fluent-bit-config")
                .delete();
        kube(cluster).services().inNamespace("logging").withName("fluent-bit").edit(s -> {
            s.getSpec().getPorts().getFirst().setPort(9999);
            return s;
        });
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(kube(cluster)
                            .configMaps()
                            .inNamespace("logging")
                            .withName("fluent-bit-config")
                            .get())
                    .isNotNull();
            assertThat(kube(cluster)
                            .services()
                            .inNamespace("logging")
                            .withName("fluent-bit")
                            .get()
                            .getSpec()
                            .getPorts()
                            .getFirst()
                            .getPort())
                    .isNotEqualTo(9999);
        });
        JsonPath i = installation(cluster, "fluent-bit");
        assertThat(i.getLong("status.driftRepairs")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void valuesThatBreakTheSchemaAreRefusedNamingTheValueAndNothingIsInstalled() {
        JsonPath problem = put(
                cluster,
                "local-path-provisioner",
                Map.of("values", Map.of("storageClass", Map.of("reclaimPolicy", "Sometimes"))),
                400);
        assertThat(problem.getList("errors.field")).contains("values.storageClass.reclaimPolicy");
        assertThat(problem.getString("detail")).contains("values.storageClass.reclaimPolicy");
        given().when()
                .get("/api/v1/clusters/" + cluster + "/addons/local-path-provisioner")
                .then()
                .statusCode(404);
    }

    @Test
    void aVersionThatDoesNotSupportTheClustersKubernetesIsRefused() {
        JsonPath problem = put(newer, "etcd-backup", Map.of("version", "3.5.16"), 400);
        assertThat(problem.getList("errors.field")).containsExactly("version");
        assertThat(problem.getString("detail"))
                .contains("3.5.16")
                .contains("<1.34.0")
                .contains(Specs.NEXT_VERSION);
        put(newer, "etcd-backup", Map.of("version", "3.6.4"), 201);
    }

    @Test
    void aKubernetesUpgradeIsRefusedWhileAnInstalledAddonDoesNotSupportTheTarget() {
        String name = "addons-gate-" + UUID.randomUUID().toString().substring(0, 8);
        Specs.put(name, Specs.small("addon-team", 1), 202);
        Specs.awaitPhase(name, "Ready", Duration.ofSeconds(90));
        put(name, "etcd-backup", Map.of("version", "3.5.16"), 201);
        JsonPath problem = given().contentType(ContentType.JSON)
                .body(Map.of("kubernetesVersion", Specs.NEXT_VERSION))
                .when()
                .post("/api/v1/clusters/" + name + "/upgrade")
                .then()
                .statusCode(422)
                .extract()
                .jsonPath();
        assertThat(problem.getList("errors.field")).containsExactly("kubernetesVersion");
        assertThat(problem.getString("detail")).contains("etcd-backup@3.5.16");
        put(name, "etcd-backup", Map.of("version", "3.6.4"), 200);
        // Until 3.6.4 runs, 3.5.16 still does, and still holds the upgrade back.
        await().atMost(WAIT)
                .until(() -> "3.6.4".equals(installation(name, "etcd-backup").getString("status.appliedVersion")));
        given().contentType(ContentType.JSON)
                .body(Map.of("kubernetesVersion", Specs.NEXT_VERSION))
                .when()
                .post("/api/v1/clusters/" + name + "/upgrade")
                .then()
                .statusCode(202);
    }

    @Test
    void aClusterWhoseApiIsSlowDelaysNoOtherCluster() {
        String slow = "addons-slow-" + UUID.randomUUID().toString().substring(0, 8);
        Specs.put(slow, Specs.small("addon-team", 1), 202);
        Specs.awaitPhase(slow, "Ready", Duration.ofSeconds(90));
        String proxy = "/k8s/clusters/" + RancherSimResource.sim().managementId(slow);
        RancherSimResource.sim().faults().latency(3_000, proxy);
        try {
            put(slow, "metrics-server", Map.of("version", "0.8.0"), 201);
            // the slow cluster's pass is under way (each of its calls waits 3 s) when the other one's addon comes
            java.time.Instant asked = java.time.Instant.now();
            put(newer, "metrics-server", Map.of("version", "0.8.0"), 201);
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(condition(installation(newer, "metrics-server"), "Applied"))
                            .isEqualTo("True"));
            assertThat(Duration.between(asked, java.time.Instant.now())).isLessThan(Duration.ofSeconds(5));
            assertThat(installation(slow, "metrics-server").getString("status.appliedVersion"))
                    .isNull();
        } finally {
            RancherSimResource.sim().faults().latency(0, proxy);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                        installation(slow, "metrics-server").getString("status.appliedVersion"))
                .isEqualTo("0.8.0"));
    }

    @Test
    void addonsNamedInTheSpecComeWithTheClusterAndGoWhenTheSpecNoLongerNamesThem() {
        String name = "addons-spec-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> spec = Specs.small("addon-team", 1);
        spec.put(
                "addons",
                List.of(
                        Map.of("name", "metrics-server"),
                        Map.of("name", "etcd-backup", "version", "3.6.4", "values", Map.of("retention", 12))));
        Specs.put(name, spec, 202);
        JsonPath installed = given().when()
                .get("/api/v1/clusters/" + name + "/addons")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(installed.getList("items.addon")).containsExactly("etcd-backup", "metrics-server");
        assertThat(installed.getString("items.find { it.addon == 'metrics-server' }.version"))
                .isEqualTo("0.8.0");
        Specs.awaitPhase(name, "Ready", Duration.ofSeconds(90));
        await().atMost(WAIT).untilAsserted(() -> assertThat(condition(installation(name, "etcd-backup"), "Applied"))
                .isEqualTo("True"));
        assertThat(kube(name)
                        .batch()
                        .v1()
                        .cronjobs()
                        .inNamespace("kube-system")
                        .withName("etcd-backup")
                        .get())
                .isNotNull();

        // The same spec again changes nothing; without etcd-backup, it goes (metrics-server stays).
        Specs.put(name, spec, 200);
        spec.put("addons", List.of(Map.of("name", "metrics-server")));
        Specs.put(name, spec, 200);
        await().atMost(WAIT).untilAsserted(() -> given().when()
                .get("/api/v1/clusters/" + name + "/addons/etcd-backup")
                .then()
                .statusCode(404));
        assertThat(kube(name)
                        .batch()
                        .v1()
                        .cronjobs()
                        .inNamespace("kube-system")
                        .withName("etcd-backup")
                        .get())
                .isNull();
        assertThat(installation(name, "metrics-server").getString("version")).isEqualTo("0.8.0");
    }

    @Test
    void aSpecWhoseAddonBreaksItsSchemaIsRefusedNamingTheEntryAndCreatesNothing() {
        String name = "addons-bad-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> spec = Specs.small("addon-team", 1);
        spec.put(
                "addons",
                List.of(
                        Map.of("name", "metrics-server"),
                        Map.of("name", "fluent-bit", "values", Map.of("output", Map.of("type", "loki", "port", 0)))));
        JsonPath problem = Specs.put(name, spec, 400);
        assertThat(problem.getList("errors.field")).contains("addons[1].values.output.port");
        given().when().get("/api/v1/clusters/" + name).then().statusCode(404);
    }

    @Test
    void aNewClusterGetsItsTeamsDefaultAddonsAndOnesThatDoNotFitItsKubernetesAreLeftOut() {
        String team = "defaults-" + UUID.randomUUID().toString().substring(0, 6);
        String set = "set-" + team;
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "team", team,
                        "selector", Map.of("env", "prod"),
                        "addons",
                                List.of(
                                        Map.of("addon", "metrics-server"),
                                        Map.of(
                                                "addon",
                                                "etcd-backup",
                                                "version",
                                                "3.5.16",
                                                "values",
                                                Map.of("retention", 7)))))
                .when()
                .put("/api/v1/addon-default-sets/" + set)
                .then()
                .statusCode(200);
        try {
            String fits = "addons-def-" + UUID.randomUUID().toString().substring(0, 6);
            Map<String, Object> spec = Specs.small(team, 1);
            spec.put("labels", Map.of("env", "prod"));
            Specs.put(fits, spec, 202);
            // etcd-backup 3.5.16 supports Kubernetes below 1.34 only: this one is created all the same, without it.
            String newer = "addons-def-new-" + UUID.randomUUID().toString().substring(0, 6);
            Map<String, Object> next = Specs.small(team, 1);
            next.put("labels", Map.of("env", "prod"));
            next.put("kubernetesVersion", Specs.NEXT_VERSION);
            Specs.put(newer, next, 202);
            String other = "addons-def-dev-" + UUID.randomUUID().toString().substring(0, 6);
            Map<String, Object> dev = Specs.small(team, 1);
            dev.put("labels", Map.of("env", "dev"));
            Specs.put(other, dev, 202);

            assertThat(addonsOf(fits)).containsExactly("etcd-backup", "metrics-server");
            assertThat(installation(fits, "etcd-backup").getString("source")).isEqualTo("default-set:" + set);
            assertThat(installation(fits, "etcd-backup").getInt("values.retention"))
                    .isEqualTo(7);
            assertThat(addonsOf(newer)).containsExactly("metrics-server");
            assertThat(addonsOf(other)).isEmpty();
        } finally {
            given().when().delete("/api/v1/addon-default-sets/" + set).then().statusCode(204);
        }
    }

    static List<String> addonsOf(String name) {
        return given().when()
                .get("/api/v1/clusters/" + name + "/addons")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.addon", String.class);
    }
}
