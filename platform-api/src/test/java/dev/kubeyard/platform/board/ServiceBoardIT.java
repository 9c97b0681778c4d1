package dev.kubeyard.platform.board;

import static dev.kubeyard.platform.testing.BoardObjects.ingress;
import static dev.kubeyard.platform.testing.BoardObjects.pod;
import static dev.kubeyard.platform.testing.BoardObjects.service;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.Identities;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
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
 * The service board against several rancher-sim clusters: the real collectors (informers through Rancher's proxy),
 * PostgreSQL, and the API. Only clusters labelled {@code board=on} are collected in tests (application.properties);
 * objects are written straight into each cluster's API, as its controllers and users would.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class ServiceBoardIT {

    static final Duration SOON = Duration.ofSeconds(10);
    static final String TEAM = "board-team";
    static List<String> clusters;

    @BeforeEach
    void clusters() {
        if (clusters != null) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String name = "board-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
            Map<String, Object> spec = Specs.small(TEAM, 1);
            spec.put("labels", Map.of("env", "test", "board", "on"));
            Specs.put(name, spec, 202);
            names.add(name);
        }
        for (String name : names) {
            Specs.awaitPhase(name, "Ready", Duration.ofSeconds(90));
        }
        clusters = names;
    }

    static KubernetesClient kube(String cluster) {
        return RancherSimResource.sim().kubernetesClient(cluster);
    }

    /** A service with its pods in a cluster, written into the cluster's API. */
    static void deploy(String cluster, String namespace, String name, String image, int pods) {
        KubernetesClient k = kube(cluster);
        k.resource(service(namespace, name, name)).create();
        for (int i = 0; i < pods; i++) {
            k.resource(pod(namespace, name + "-" + i, name, image, true, null)).create();
        }
    }

    static JsonPath search(Map<String, ?> params) {
        return given().queryParams(params)
                .when()
                .get("/api/v1/services")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static JsonPath detail(String cluster, String namespace, String name, int status) {
        return given().when()
                .get("/api/v1/services/" + cluster + "/" + namespace + "/" + name)
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    /** The service's status on the board, or "absent" (one request: the row may go between two). */
    static String statusOf(String cluster, String namespace, String name) {
        io.restassured.response.Response r =
                given().when().get("/api/v1/services/" + cluster + "/" + namespace + "/" + name);
        return r.statusCode() == 404
                ? "absent"
                : r.then().statusCode(200).extract().path("service.status");
    }

    static void awaitStatus(String cluster, String namespace, String name, String status) {
        await().atMost(SOON)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> status.equals(statusOf(cluster, namespace, name)));
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    @Test
    void aNewServiceAppearsWithinSecondsWithItsPortsImagesPodsAndStatus() {
        String cluster = clusters.get(0);
        String name = unique("checkout");
        long start = System.nanoTime();
        deploy(cluster, "shop", name, "registry.example.com/shop/checkout:2.4.1", 2);
        awaitStatus(cluster, "shop", name, "Healthy");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SOON);

        JsonPath d = detail(cluster, "shop", name, 200);
        assertThat(d.getString("service.team")).isEqualTo(TEAM);
        assertThat(d.getString("service.type")).isEqualTo("ClusterIP");
        assertThat(d.getString("service.clusterIP")).startsWith("10.43.0.");
        assertThat(d.getInt("service.ports[0].port")).isEqualTo(80);
        assertThat(d.getString("service.ports[0].targetPort")).isEqualTo("8080");
        assertThat(d.getList("service.images", String.class))
                .containsExactly("registry.example.com/shop/checkout:2.4.1");
        assertThat(d.getInt("service.pods.total")).isEqualTo(2);
        assertThat(d.getInt("service.pods.ready")).isEqualTo(2);
        assertThat(d.getString("service.statusReason")).isEqualTo("2 of 2 pods ready.");
        assertThat(d.getMap("service.labels")).containsEntry("tier", "web");
        assertThat(d.getString("cluster.name")).isEqualTo(cluster);
        assertThat(d.getString("cluster.syncedAt")).isNotNull();
        assertThat(d.getString("cluster.staleReason")).isNull();
    }

    @Test
    void aFailingPodMakesItsServiceDegradedAndAllFailingMakesItDown() {
        String cluster = clusters.get(1);
        String name = unique("payments");
        deploy(cluster, "shop", name, "payments:1.0.0", 2);
        awaitStatus(cluster, "shop", name, "Healthy");

        kube(cluster)
                .resource(pod("shop", name + "-0", name, "payments:1.0.0", false, "CrashLoopBackOff"))
                .update();
        awaitStatus(cluster, "shop", name, "Degraded");
        assertThat(detail(cluster, "shop", name, 200).getString("service.statusReason"))
                .isEqualTo("1 of 2 pods ready: CrashLoopBackOff in 1.");

        kube(cluster)
                .resource(pod("shop", name + "-1", name, "payments:1.0.0", false, "ImagePullBackOff"))
                .update();
        awaitStatus(cluster, "shop", name, "Down");

        kube(cluster)
                .resource(pod("shop", name + "-0", name, "payments:1.0.1", true, null))
                .update();
        kube(cluster)
                .resource(pod("shop", name + "-1", name, "payments:1.0.1", true, null))
                .update();
        awaitStatus(cluster, "shop", name, "Healthy");
        assertThat(detail(cluster, "shop", name, 200).getList("service.images", String.class))
                .containsExactly("payments:1.0.1");
    }

    @Test
    void anIngressAddsItsHostAndAddressToTheServiceItRoutesTo() {
        String cluster = clusters.get(0);
        String name = unique("storefront");
        deploy(cluster, "web", name, "storefront:3.1.0", 1);
        awaitStatus(cluster, "web", name, "Healthy");
        Ingress ingress = ingress("web", name, name + ".shop.example.com", "203.0.113.10");
        kube(cluster).resource(ingress).create();
        await().atMost(SOON).pollInterval(Duration.ofMillis(100)).until(() -> !detail(cluster, "web", name, 200)
                .getList("service.ingress.hosts")
                .isEmpty());
        JsonPath d = detail(cluster, "web", name, 200);
        assertThat(d.getList("service.ingress.hosts", String.class)).containsExactly(name + ".shop.example.com");
        assertThat(d.getList("service.ingress.addresses", String.class)).containsExactly("203.0.113.10");
        assertThat(search(Map.of("q", name + ".shop.example")).getList("items.name", String.class))
                .containsExactly(name);
    }

    @Test
    void aDeletedServiceDisappearsFromTheBoard() {
        String cluster = clusters.get(2);
        String name = unique("legacy");
        deploy(cluster, "ops", name, "legacy:0.9", 1);
        awaitStatus(cluster, "ops", name, "Healthy");
        kube(cluster).services().inNamespace("ops").withName(name).delete();
        awaitStatus(cluster, "ops", name, "absent");
        assertThat(search(Map.of("cluster", cluster, "name", name)).getInt("total"))
                .isZero();
    }

    @Test
    void anUnreachableClusterShowsUnknownWithTheReasonWithoutHoldingUpTheOthersAndResynchronisesWhenBack() {
        String away = clusters.get(2);
        String other = clusters.get(0);
        String kept = unique("kept");
        String removed = unique("removed");
        deploy(away, "apps", kept, "kept:1", 1);
        deploy(away, "apps", removed, "removed:1", 1);
        awaitStatus(away, "apps", kept, "Healthy");
        awaitStatus(away, "apps", removed, "Healthy");

        RancherSimResource.sim().faults().apiReachable(away, false);
        String added = unique("added");
        try {
            // The cluster's watches are cut: after stale-after (3 s in tests) its services show Unknown.
            awaitStatus(away, "apps", kept, "Unknown");
            await().atMost(SOON).pollInterval(Duration.ofMillis(200)).until(() -> detail(away, "apps", kept, 200)
                    .getString("service.statusReason")
                    .contains("does not answer"));
            assertThat(detail(away, "apps", kept, 200).getString("service.statusReason"))
                    .startsWith("The cluster's objects are not current: its API does not answer (HTTP 502")
                    .contains("connection refused");
            assertThat(detail(away, "apps", kept, 200).getString("cluster.staleReason"))
                    .contains("does not answer");
            // Meanwhile another cluster's change reaches the board as fast as ever.
            String fresh = unique("fresh");
            long start = System.nanoTime();
            deploy(other, "apps", fresh, "fresh:1", 1);
            awaitStatus(other, "apps", fresh, "Healthy");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            // What changes while nobody can watch: one service goes, one comes.
            kube(away).services().inNamespace("apps").withName(removed).delete();
            deploy(away, "apps", added, "added:1", 1);
        } finally {
            RancherSimResource.sim().faults().apiReachable(away, true);
        }
        awaitStatus(away, "apps", kept, "Healthy");
        awaitStatus(away, "apps", added, "Healthy");
        awaitStatus(away, "apps", removed, "absent");
        // Every service of the cluster once, none twice.
        int inCluster = kube(away).services().inAnyNamespace().list().getItems().size();
        JsonPath all = search(Map.of("cluster", away, "limit", "500"));
        assertThat(all.getInt("total")).isEqualTo(inCluster);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < all.getList("items").size(); i++) {
            keys.add(all.getString("items[" + i + "].namespace") + "/" + all.getString("items[" + i + "].name"));
        }
        assertThat(keys).doesNotHaveDuplicates();
        assertThat(detail(away, "apps", kept, 200).getString("cluster.staleReason"))
                .isNull();
    }

    @Test
    void searchFiltersByNameNamespaceLabelImageClusterAndStatusSortsAndPagesAcrossClusters() {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 3; i++) {
            String cluster = clusters.get(i);
            deploy(cluster, "search-" + tag, "api-" + tag, "search/api:" + i + ".0", 1);
            deploy(cluster, "search-" + tag, "db-" + tag, "postgres:17." + i, 1);
        }
        // One of them down: its pod is not ready.
        kube(clusters.get(1))
                .resource(pod("search-" + tag, "db-" + tag + "-0", "db-" + tag, "postgres:17.1", false, null))
                .update();
        await().atMost(SOON)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> search(Map.of("namespace", "search-" + tag)).getInt("total") == 6
                        && search(Map.of("namespace", "search-" + tag, "status", "Down"))
                                        .getInt("total")
                                == 1);

        Map<String, Object> ns = Map.of("namespace", "search-" + tag);
        assertThat(search(merge(ns, Map.of("name", "api-"))).getList("items.name", String.class))
                .containsOnly("api-" + tag)
                .hasSize(3);
        assertThat(search(merge(ns, Map.of("image", "postgres:17.2"))).getList("items.cluster", String.class))
                .containsExactly(clusters.get(2));
        assertThat(search(merge(ns, Map.of("label", "app=db-" + tag + ",tier=web")))
                        .getInt("total"))
                .isEqualTo(3);
        assertThat(search(merge(ns, Map.of("label", "app!=db-" + tag))).getInt("total"))
                .isEqualTo(3);
        assertThat(search(merge(ns, Map.of("cluster", clusters.get(0) + "," + clusters.get(2))))
                        .getInt("total"))
                .isEqualTo(4);

        JsonPath worstFirst = search(ns);
        assertThat(worstFirst.getString("items[0].status")).isEqualTo("Down");
        assertThat(worstFirst.getString("items[0].cluster")).isEqualTo(clusters.get(1));
        assertThat(worstFirst.getMap("counts")).containsEntry("Down", 1).containsEntry("Healthy", 5);
        JsonPath onlyHealthy = search(merge(ns, Map.of("status", "Healthy")));
        assertThat(onlyHealthy.getInt("total")).isEqualTo(5);
        assertThat(onlyHealthy.getMap("counts")).containsEntry("Down", 1);
        // Several statuses: repeated or comma-separated alike.
        assertThat(given().queryParams(ns)
                        .queryParam("status", "Down")
                        .queryParam("status", "Healthy")
                        .get("/api/v1/services")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getInt("total"))
                .isEqualTo(6);

        List<String> byClusterDesc =
                search(merge(ns, Map.of("sort", "cluster", "order", "desc"))).getList("items.cluster", String.class);
        assertThat(byClusterDesc).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        List<String> byName = search(merge(ns, Map.of("sort", "name"))).getList("items.name", String.class);
        assertThat(byName).isSorted();
        List<String> newest = search(merge(ns, Map.of("sort", "updatedAt"))).getList("items.updatedAt", String.class);
        assertThat(newest).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        // Pages of two: every service once, in the order of one query.
        List<String> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> p = merge(ns, Map.of("sort", "name", "limit", "2"));
            if (cursor != null) {
                p.put("cursor", cursor);
            }
            JsonPath page = search(p);
            assertThat(page.getInt("total")).isEqualTo(6);
            for (int i = 0; i < page.getList("items").size(); i++) {
                paged.add(page.getString("items[" + i + "].cluster") + "/" + page.getString("items[" + i + "].name"));
            }
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(paged).hasSize(6).doesNotHaveDuplicates();

        // A cursor of one order is refused in another.
        String byNameCursor =
                search(merge(ns, Map.of("sort", "name", "limit", "2"))).getString("nextCursor");
        given().queryParams(merge(ns, Map.of("sort", "cluster", "cursor", byNameCursor)))
                .when()
                .get("/api/v1/services")
                .then()
                .statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("cursor"));
    }

    static Map<String, Object> merge(Map<String, ?> a, Map<String, ?> b) {
        Map<String, Object> out = new LinkedHashMap<>(a);
        out.putAll(b);
        return out;
    }

    @Test
    void aCallerSeesOnlyTheServicesOfTheirTeamsClusters() {
        String cluster = clusters.get(0);
        String name = unique("private");
        deploy(cluster, "team", name, "private:1", 1);
        awaitStatus(cluster, "team", name, "Healthy");

        Identities.User outsider = Identities.user("board-outsider");
        Identities.grant("board-other-team", outsider, "team-member");
        given().auth()
                .oauth2(outsider.token())
                .when()
                .get("/api/v1/services?name=" + name)
                .then()
                .statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(0));
        given().auth()
                .oauth2(outsider.token())
                .when()
                .get("/api/v1/services/" + cluster + "/team/" + name)
                .then()
                .statusCode(404);
        assertThat(given().auth()
                        .oauth2(outsider.token())
                        .get("/api/v1/services/clusters")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("items.name", String.class))
                .doesNotContain(cluster);

        Identities.User member = Identities.user("board-member");
        Identities.grant(TEAM, member, "team-member");
        given().auth()
                .oauth2(member.token())
                .when()
                .get("/api/v1/services?name=" + name)
                .then()
                .statusCode(200)
                .body("total", org.hamcrest.Matchers.equalTo(1));
    }

    @Test
    void badSearchParametersAnswerAProblemNamingTheParameter() {
        for (Map.Entry<String, String> bad : Map.of(
                        "status", "Broken",
                        "sort", "size",
                        "order", "sideways",
                        "limit", "0",
                        "cursor", "not-a-cursor",
                        "label", "=web")
                .entrySet()) {
            given().queryParam(bad.getKey(), bad.getValue())
                    .when()
                    .get("/api/v1/services")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", org.hamcrest.Matchers.equalTo(bad.getKey()));
        }
    }
}
