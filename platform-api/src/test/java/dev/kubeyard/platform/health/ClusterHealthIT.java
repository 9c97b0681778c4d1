package dev.kubeyard.platform.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.health.control.HealthService;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cluster health through the API against rancher-sim's clusters and fault injection. The scheduled sweep waits an
 * hour in tests: each test sweeps its own clusters (as the scheduled sweep would, every 500 ms here) so that clusters
 * of other tests cost nothing. Test rule durations: 3 s to open, 2 s to resolve (application.properties).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class ClusterHealthIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration SWEEP = Duration.ofMillis(500);
    static String healthy;

    @Inject
    HealthService health;

    @BeforeEach
    void cluster() {
        if (healthy != null) {
            return;
        }
        healthy = newCluster("health-ok");
    }

    static String newCluster(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Specs.put(name, Specs.small("health-team", 1), 202);
        Specs.awaitPhase(name, "Ready", Duration.ofSeconds(90));
        return name;
    }

    void sweep(String... clusters) {
        List<String> names = List.of(clusters);
        health.sweep(names::contains);
    }

    static JsonPath clusterHealth(String name) {
        return given().when()
                .get("/api/v1/clusters/" + name + "/health")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static String check(JsonPath health, String check) {
        return health.getString("checks.find { it.check == '" + check + "' }.status");
    }

    static List<Map<String, Object>> firing(String cluster, String rule) {
        return given().queryParam("cluster", cluster)
                .queryParam("rule", rule)
                .when()
                .get("/api/v1/alerts")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    @Test
    void aReadyClustersSimpleChecksPassAndTheFleetViewListsIt() {
        sweep(healthy);
        JsonPath h = clusterHealth(healthy);
        assertThat(check(h, "api-reachable")).isEqualTo("Pass");
        assertThat(check(h, "rancher-agent")).isEqualTo("Pass");
        assertThat(check(h, "node-conditions")).isEqualTo("Pass");
        assertThat(check(h, "provisioning")).isEqualTo("Pass");
        assertThat(check(h, "certificates")).isEqualTo("Pass");
        assertThat(h.getString("checks.find { it.check == 'api-reachable' }.message"))
                .contains("answered");
        JsonPath fleet = given().when()
                .get("/api/v1/health")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(fleet.getList("items.cluster", String.class)).contains(healthy);
    }

    @Test
    void aClusterWhoseApiStopsAnsweringIsReportedAndItsAlertOpensAfterItsDurationAndResolvesAfterRecovery() {
        String name = newCluster("health-down");
        sweep(name);
        assertThat(check(clusterHealth(name), "api-reachable")).isEqualTo("Pass");
        RancherSimResource.sim().faults().apiReachable(name, false);
        try {
            long start = System.nanoTime();
            await().atMost(WAIT).pollInterval(SWEEP).until(() -> {
                sweep(name);
                return "Fail".equals(check(clusterHealth(name), "api-reachable"));
            });
            JsonPath down = clusterHealth(name);
            assertThat(check(down, "node-conditions")).isEqualTo("Unknown");
            assertThat(down.getString("checks.find { it.check == 'node-conditions' }.message"))
                    .contains("the API did not answer");
            assertThat(firing(name, "ClusterUnreachable")).isEmpty();
            JsonPath fleet = given().queryParam("status", "Fail")
                    .when()
                    .get("/api/v1/health")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            assertThat(fleet.getList("items.find { it.cluster == '" + name + "' }.failing", String.class))
                    .contains("api-reachable");
            assertThat(fleet.getList("items.find { it.cluster == '" + name + "' }.unknown", String.class))
                    .contains("node-conditions");
            await().atMost(WAIT).pollInterval(SWEEP).until(() -> {
                sweep(name);
                return !firing(name, "ClusterUnreachable").isEmpty();
            });
            // not before its 3 s, and within a few sweeps after
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(3))
                    .isLessThan(Duration.ofSeconds(10));
        } finally {
            RancherSimResource.sim().faults().apiReachable(name, true);
        }
        await().atMost(WAIT).pollInterval(SWEEP).until(() -> {
            sweep(name);
            return firing(name, "ClusterUnreachable").isEmpty();
        });
        JsonPath resolved = given().queryParam("cluster", name)
                .queryParam("state", "Resolved")
                .when()
                .get("/api/v1/alerts")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(resolved.getList("items.rule", String.class)).contains("ClusterUnreachable");
    }

    static List<String> machines(String cluster, String pool) {
        return RancherSimResource.client().machines().list(cluster, pool).stream()
                .map(m -> m.name())
                .toList();
    }

    void sweepUntil(String name, java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(WAIT).pollInterval(SWEEP).until(() -> {
            sweep(name);
            return condition.call();
        });
    }

    @Test
    void aCheckThatFailsOnceOpensNoAlertAndItsHistoryShowsTheFailureAndTheRecovery() {
        String name = newCluster("health-blip");
        sweep(name);
        RancherSimResource.sim().faults().apiReachable(name, false);
        try {
            sweep(name);
            assertThat(check(clusterHealth(name), "api-reachable")).isEqualTo("Fail");
        } finally {
            RancherSimResource.sim().faults().apiReachable(name, true);
        }
        sweep(name);
        assertThat(check(clusterHealth(name), "api-reachable")).isEqualTo("Pass");
        // well past the rule's 3 s, with a sweep every 500 ms: nothing opens
        await().during(Duration.ofSeconds(4))
                .atMost(Duration.ofSeconds(10))
                .pollInterval(SWEEP)
                .until(() -> {
                    sweep(name);
                    return firing(name, "ClusterUnreachable").isEmpty();
                });
        JsonPath history = given().queryParam("check", "api-reachable")
                .when()
                .get("/api/v1/clusters/" + name + "/health/history")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<String> to = history.getList("items.findAll { it.subject == null }.to", String.class);
        assertThat(to).startsWith("Pass", "Fail", "Pass");
        List<String> reasons = history.getList("items.findAll { it.subject == null }.reason", String.class);
        assertThat(reasons.get(1)).isEqualTo("Unreachable");
    }

    @Test
    void aDisconnectedAgentIsNamedAsTheReasonTheApiCannotBeReached() {
        String name = newCluster("health-agent");
        RancherSimResource.sim().faults().agentConnected(name, false);
        try {
            sweepUntil(name, () -> "Fail".equals(check(clusterHealth(name), "rancher-agent")));
            JsonPath h = clusterHealth(name);
            assertThat(check(h, "api-reachable")).isEqualTo("Fail");
            assertThat(h.getString("checks.find { it.check == 'api-reachable' }.reason"))
                    .isEqualTo("AgentDisconnected");
            assertThat(h.getString("checks.find { it.check == 'rancher-agent' }.message"))
                    .contains("disconnected");
            sweepUntil(name, () -> !firing(name, "ClusterConditionUnhealthy").isEmpty());
            assertThat((String)
                            firing(name, "ClusterConditionUnhealthy").getFirst().get("subject"))
                    .isEqualTo("condition/Connected");
        } finally {
            RancherSimResource.sim().faults().agentConnected(name, true);
        }
        sweepUntil(name, () -> "Pass".equals(check(clusterHealth(name), "rancher-agent")));
        sweepUntil(name, () -> firing(name, "ClusterConditionUnhealthy").isEmpty());
    }

    @Test
    void aNodeThatStopsReportingOpensNodeConditionUnhealthyForThatNodeAndItResolvesOnceItIsBack() {
        String name = newCluster("health-node");
        String machine = machines(name, "workers").getFirst();
        RancherSimResource.sim().faults().failMachine(machine, "notready");
        try {
            sweepUntil(name, () -> !firing(name, "NodeConditionUnhealthy").isEmpty());
            Map<String, Object> alert = firing(name, "NodeConditionUnhealthy").getFirst();
            assertThat((String) alert.get("subject")).isEqualTo("node/" + machine + "/Ready");
            assertThat((String) alert.get("severity")).isEqualTo("warning");
            assertThat(check(clusterHealth(name), "node-conditions")).isEqualTo("Fail");
        } finally {
            RancherSimResource.sim().faults().recoverMachine(machine);
        }
        sweepUntil(name, () -> firing(name, "NodeConditionUnhealthy").isEmpty());
    }

    @Test
    void aProvisioningThatMakesNoProgressIsReportedAsThePlatformsFailureAfterItsLimit() {
        String name = "health-slow-" + UUID.randomUUID().toString().substring(0, 8);
        Specs.put(name, Specs.small("health-team", 1), 202);
        await().atMost(WAIT)
                .until(() -> "Provisioning".equals(Specs.cluster(name).getString("status.phase")));
        RancherSimResource.sim().faults().stall(name);
        try {
            long start = System.nanoTime();
            sweepUntil(name, () -> !firing(name, "ClusterProvisioningTooLong").isEmpty());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
            Map<String, Object> alert =
                    firing(name, "ClusterProvisioningTooLong").getFirst();
            @SuppressWarnings("unchecked")
            Map<String, String> labels = (Map<String, String>) alert.get("labels");
            assertThat(labels).containsEntry("errorClass", "Platform");
            assertThat((String) alert.get("description"))
                    .contains("Provisioning has taken")
                    .contains("platform");
        } finally {
            RancherSimResource.sim().faults().unstall(name);
        }
        // once it is provisioned, the alert resolves
        sweepUntil(name, () -> firing(name, "ClusterProvisioningTooLong").isEmpty());
    }

    @Test
    void anUnknownStatusFilterOrCheckNameIsRefusedNamingTheField() {
        given().queryParam("status", "Sick")
                .when()
                .get("/api/v1/health")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("status"));
        given().queryParam("check", "no-such-check")
                .when()
                .get("/api/v1/clusters/" + healthy + "/health/history")
                .then()
                .statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("check"));
        given().queryParam("severity", "loud")
                .when()
                .get("/api/v1/alerts")
                .then()
                .statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("severity"));
    }

    @Test
    void checkNowAnswersWithTheAdvancedChecksIncluded() {
        JsonPath h = given().when()
                .post("/api/v1/clusters/" + healthy + "/health/checks")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(h.getList("checks.check", String.class))
                .contains("api-reachable", "node-resources", "etcd", "api-server");
        assertThat(h.getString("checkedAt")).isNotNull();
    }

    @Test
    void anUnhealthySchedulerOpensComponentUnhealthyAndRecoveryResolvesIt() {
        String name = newCluster("health-comp");
        RancherSimResource.sim().faults().componentHealthy(name, "scheduler", false, null);
        try {
            sweepUntil(name, () -> !firing(name, "ComponentUnhealthy").isEmpty());
            Map<String, Object> alert = firing(name, "ComponentUnhealthy").getFirst();
            assertThat((String) alert.get("subject")).isEqualTo("component/scheduler");
            assertThat((String) alert.get("severity")).isEqualTo("critical");
            assertThat(clusterHealth(name).getString("checks.find { it.check == 'components' }.message"))
                    .contains("scheduler");
        } finally {
            RancherSimResource.sim().faults().componentHealthy(name, "scheduler", true, null);
        }
        sweepUntil(name, () -> firing(name, "ComponentUnhealthy").isEmpty());
    }

    @Test
    void unhealthyEtcdFailsTheEtcdCheckAndAFullDatabaseIsNamedWithItsSize() {
        String name = newCluster("health-etcd");
        RancherSimResource.sim().faults().etcd(name, true, 2_000L * 1024 * 1024);
        sweepUntil(name, () -> "Fail".equals(check(clusterHealth(name), "etcd")));
        assertThat(clusterHealth(name).getString("checks.find { it.check == 'etcd' }.message"))
                .contains("2000 MiB")
                .contains("quota");
        RancherSimResource.sim().faults().etcd(name, false, 0);
        try {
            sweepUntil(name, () -> !firing(name, "ComponentUnhealthy").isEmpty());
            JsonPath h = clusterHealth(name);
            assertThat(h.getList("checks.find { it.check == 'etcd' }.findings.subject", String.class))
                    .contains("component/etcd");
            assertThat(check(h, "api-ready")).isEqualTo("Fail");
        } finally {
            RancherSimResource.sim().faults().etcd(name, true, 0);
        }
        sweepUntil(name, () -> "Pass".equals(check(clusterHealth(name), "etcd")));
    }

    @Test
    void certificatesExpiringWithinTheWarningTimeOpenCertificateExpiringSoon() {
        String name = newCluster("health-cert");
        RancherSimResource.sim()
                .faults()
                .certificatesExpireAt(name, java.time.Instant.now().plus(Duration.ofDays(12)));
        try {
            sweepUntil(name, () -> !firing(name, "CertificateExpiringSoon").isEmpty());
            JsonPath h = clusterHealth(name);
            assertThat(check(h, "certificates")).isEqualTo("Warn");
            assertThat(h.getString("checks.find { it.check == 'certificates' }.message"))
                    .contains("expire in 11 days");
        } finally {
            RancherSimResource.sim().faults().certificatesExpireAt(name, null);
        }
        sweepUntil(name, () -> firing(name, "CertificateExpiringSoon").isEmpty());
    }

    @Test
    void aMachineThatFailsOnTheQuotaIsTheRequestsMistakeAndOneTheCloudCannotPlaceIsThePlatforms() {
        String name = newCluster("health-quota");
        RancherSimResource.sim().faults().newMachineFault(name, "workers", "quota");
        given().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("quantity", 2))
                .when()
                .patch("/api/v1/clusters/" + name + "/node-pools/workers")
                .then()
                .statusCode(202);
        sweepUntil(name, () -> !firing(name, "NodeProvisioningTooLong").isEmpty());
        Map<String, Object> quota = firing(name, "NodeProvisioningTooLong").getFirst();
        @SuppressWarnings("unchecked")
        Map<String, String> labels = (Map<String, String>) quota.get("labels");
        assertThat(labels).containsEntry("errorClass", "User").containsEntry("errorReason", "QuotaExceeded");
        assertThat((String) quota.get("description")).contains("Quota exceeded").contains("request's mistake");

        RancherSimResource.sim().faults().newMachineFault(name, "workers", "infrastructure");
        given().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("quantity", 3))
                .when()
                .patch("/api/v1/clusters/" + name + "/node-pools/workers")
                .then()
                .statusCode(202);
        sweepUntil(name, () -> firing(name, "NodeProvisioningTooLong").stream().anyMatch(a -> {
            @SuppressWarnings("unchecked")
            Map<String, String> l = (Map<String, String>) a.get("labels");
            return "Platform".equals(l.get("errorClass")) && "NoCapacity".equals(l.get("errorReason"));
        }));
        RancherSimResource.sim().faults().newMachineFault(name, "workers", "none");
        // the failed machines go with the scale-down: their alerts resolve
        given().contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("quantity", 1))
                .when()
                .patch("/api/v1/clusters/" + name + "/node-pools/workers")
                .then()
                .statusCode(202);
        sweepUntil(name, () -> firing(name, "NodeProvisioningTooLong").isEmpty());
    }

    @Test
    void aNodeNearlyOutOfCpuOpensNodeResourcesHighAfterItsDuration() {
        String name = newCluster("health-cpu");
        String machine = machines(name, "workers").getFirst();
        RancherSimResource.sim().faults().nodeUsage(machine, 3_900, 4L * 1024 * 1024 * 1024);
        try {
            sweepUntil(name, () -> !firing(name, "NodeResourcesHigh").isEmpty());
            Map<String, Object> alert = firing(name, "NodeResourcesHigh").getFirst();
            assertThat((String) alert.get("subject")).isEqualTo("node/" + machine + "/cpu");
            assertThat((String) alert.get("description")).contains("97.5%");
        } finally {
            RancherSimResource.sim().faults().nodeUsage(machine, 400, 4L * 1024 * 1024 * 1024);
        }
        sweepUntil(name, () -> firing(name, "NodeResourcesHigh").isEmpty());
    }

    @Test
    void aClusterWithoutTheMetricsApiReportsNodeResourcesUnknownAndSaysWhy() {
        String name = newCluster("health-nometrics");
        RancherSimResource.sim().faults().metricsApi(name, false);
        try {
            sweepUntil(name, () -> "Unknown".equals(check(clusterHealth(name), "node-resources")));
            JsonPath h = clusterHealth(name);
            assertThat(h.getString("checks.find { it.check == 'node-resources' }.reason"))
                    .isEqualTo("NotServed");
            assertThat(h.getString("checks.find { it.check == 'node-resources' }.message"))
                    .contains("metrics-server");
            // an advanced check that cannot run does not make the whole cluster Unknown
            assertThat(h.getString("status")).isNotEqualTo("Unknown");
        } finally {
            RancherSimResource.sim().faults().metricsApi(name, true);
        }
        sweepUntil(name, () -> "Pass".equals(check(clusterHealth(name), "node-resources")));
    }

    @Test
    void anApiServerAnsweringErrorsOpensApiServerDegradedWithTheRateMeasuredBetweenScrapes() {
        String name = newCluster("health-apierr");
        sweep(name);
        RancherSimResource.sim().faults().apiServerTraffic(name, 0.2, 0);
        try {
            sweepUntil(name, () -> !firing(name, "ApiServerDegraded").isEmpty());
            String message = clusterHealth(name).getString("checks.find { it.check == 'api-server' }.message");
            assertThat(message).contains("5xx");
        } finally {
            RancherSimResource.sim().faults().apiServerTraffic(name, 0, 0);
        }
        sweepUntil(name, () -> firing(name, "ApiServerDegraded").isEmpty());
    }
}
