package dev.kubeyard.platform.mirror;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.mirror.plan.MirrorLabels;
import dev.kubeyard.platform.testing.BoardObjects;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.MirrorExports;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service board's mirror fields: two collected rancher-sim clusters in one set, an exported service in the first
 * and its follower in the second (written into the cluster's API as the mirror would write it), the mirror's record of
 * the export seeded in {@code mirror_exports} (the mirror's runtime is not in the application yet). The real collectors
 * bring the Services to the board.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class MirrorSetBoardIT {

    static final Duration SOON = Duration.ofSeconds(15);
    static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    static final String TEAM = "mirror-board-" + TAG;
    static final String NS = "mirror-" + TAG;
    static final String SET = "board-set-" + TAG;
    static final String CHECKOUT = "checkout";
    static final String CART = "cart";
    static final String PLAIN = "plain";

    static String exporter;
    static String importer;

    @Inject
    MirrorExports mirror;

    @BeforeEach
    void exportedAndFollowed() {
        if (exporter != null) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (String prefix : List.of("mb-a-", "mb-b-")) {
            String name = prefix + TAG;
            Map<String, Object> spec = Specs.small(TEAM, 1);
            spec.put("labels", Map.of("env", "test", "board", "on"));
            Specs.put(name, spec, 202);
            names.add(name);
        }
        for (String name : names) {
            Specs.awaitPhase(name, "Ready", Duration.ofSeconds(90));
        }
        String a = names.get(0);
        String b = names.get(1);
        given().contentType(ContentType.JSON)
                .body(Map.of("name", SET, "team", TEAM, "clusters", List.of(a, b)))
                .post("/api/v1/mirror-sets")
                .then()
                .statusCode(201);
        kube(a).resource(exported(CHECKOUT)).create();
        kube(a).resource(exported(CART)).create();
        kube(a).resource(BoardObjects.service(NS, PLAIN, PLAIN)).create();
        kube(b).resource(follower(CHECKOUT, a)).create();
        mirror.put(
                SET,
                a,
                NS,
                CHECKOUT,
                "Label",
                "[\"" + b + "\"]",
                "[]",
                MirrorExports.conflict("port http is 80/TCP in " + a + " and 8080/TCP in " + b));
        mirror.put(
                SET,
                a,
                NS,
                CART,
                "Label",
                "[]",
                "[{\"cluster\": \"" + b + "\", \"reason\": \"NamespaceMissing\", \"message\": \"namespace " + NS
                        + " does not exist in " + b + " and the set may not create it\"}]",
                MirrorExports.VALID);
        await().atMost(SOON)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> given().queryParam("namespace", NS)
                                .get("/api/v1/services")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getInt("total")
                        == 4);
        importer = b;
        exporter = a;
    }

    static KubernetesClient kube(String cluster) {
        return RancherSimResource.sim().kubernetesClient(cluster);
    }

    /** A service exported by the label. */
    static Service exported(String name) {
        return new ServiceBuilder(BoardObjects.service(NS, name, name))
                .editMetadata()
                .addToLabels(MirrorLabels.EXPORT, "true")
                .endMetadata()
                .build();
    }

    /** The follower the mirror writes: no selector, the set's labels. */
    static Service follower(String name, String origin) {
        Service s = new ServiceBuilder(BoardObjects.service(NS, name, name))
                .editMetadata()
                .withLabels(Map.of(MirrorLabels.FOLLOWER, "true", MirrorLabels.SET, SET, MirrorLabels.ORIGIN, origin))
                .withAnnotations(Map.of(MirrorLabels.SOURCE_CLUSTERS, origin))
                .endMetadata()
                .build();
        s.getSpec().setSelector(null);
        return s;
    }

    static JsonPath detail(String cluster, String name) {
        return given().get("/api/v1/services/" + cluster + "/" + NS + "/" + name)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void theDetailOfAnExportedServiceHasTheMirrorsRecordOfItsExportWithItsConflict() {
        JsonPath d = detail(exporter, CHECKOUT);
        assertThat(d.getString("mirror.follower")).isNull();
        assertThat(d.getList("mirror.exports")).hasSize(1);
        assertThat(d.getString("mirror.exports[0].set")).isEqualTo(SET);
        assertThat(d.getString("mirror.exports[0].via")).isEqualTo("Label");
        assertThat(d.getList("mirror.exports[0].importedBy", String.class)).containsExactly(importer);
        assertThat(d.getString("mirror.exports[0].conditions.find { it.type == 'Conflict' }.status"))
                .isEqualTo("True");
        assertThat(d.getString("mirror.exports[0].conditions.find { it.type == 'Conflict' }.message"))
                .contains("port http");
        assertThat(d.getString("service.mirror.role")).isEqualTo("Exported");
        assertThat(d.getInt("service.mirror.importedBy")).isEqualTo(1);
        assertThat(d.getBoolean("service.mirror.conflict")).isTrue();

        JsonPath cart = detail(exporter, CART);
        assertThat(cart.getString("mirror.exports[0].refusals[0].cluster")).isEqualTo(importer);
        assertThat(cart.getString("mirror.exports[0].refusals[0].reason")).isEqualTo("NamespaceMissing");
        assertThat(cart.getInt("service.mirror.importedBy")).isZero();
        assertThat(cart.getBoolean("service.mirror.conflict")).isFalse();
    }

    @Test
    void theDetailOfAFollowerNamesItsSetAndOrigin() {
        JsonPath d = detail(importer, CHECKOUT);
        assertThat(d.getString("mirror.follower.set")).isEqualTo(SET);
        assertThat(d.getString("mirror.follower.origin")).isEqualTo(exporter);
        assertThat(d.getList("mirror.exports")).isEmpty();
        assertThat(d.getString("service.mirror.role")).isEqualTo("Follower");
        assertThat(d.getString("service.mirror.set")).isEqualTo(SET);
        assertThat(d.getString("service.mirror.origin")).isEqualTo(exporter);
        assertThat(d.getBoolean("service.mirror.conflict"))
                .as("a follower shares its origin's Conflict")
                .isTrue();
    }

    @Test
    void theListGivesEachServiceItsMirrorRoleAndNoneToAServiceThatIsNeither() {
        JsonPath page = given().queryParam("namespace", NS)
                .queryParam("sort", "name")
                .get("/api/v1/services")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String exported = "items.find { it.cluster == '" + exporter + "' && it.name == '" + CHECKOUT + "' }.mirror";
        assertThat(page.getString(exported + ".role")).isEqualTo("Exported");
        assertThat(page.getString(exported + ".set")).isEqualTo(SET);
        assertThat(page.getInt(exported + ".importedBy")).isEqualTo(1);
        assertThat(page.getBoolean(exported + ".conflict")).isTrue();
        String cart = "items.find { it.name == '" + CART + "' }.mirror";
        assertThat(page.getString(cart + ".role")).isEqualTo("Exported");
        assertThat(page.getBoolean(cart + ".conflict")).isFalse();
        String follower = "items.find { it.cluster == '" + importer + "' && it.name == '" + CHECKOUT + "' }.mirror";
        assertThat(page.getString(follower + ".role")).isEqualTo("Follower");
        assertThat(page.getString(follower + ".origin")).isEqualTo(exporter);
        assertThat(page.getMap("items.find { it.name == '" + PLAIN + "' }")).containsEntry("mirror", null);
    }

    @Test
    void anExportWhoseConflictIsResolvedLosesItsConflictOnTheBoard() {
        mirror.put(SET, exporter, NS, CHECKOUT, "Label", "[\"" + importer + "\"]", "[]", MirrorExports.VALID);
        try {
            assertThat(detail(exporter, CHECKOUT).getBoolean("service.mirror.conflict"))
                    .isFalse();
        } finally {
            mirror.put(
                    SET,
                    exporter,
                    NS,
                    CHECKOUT,
                    "Label",
                    "[\"" + importer + "\"]",
                    "[]",
                    MirrorExports.conflict("port http is 80/TCP in " + exporter + " and 8080/TCP in " + importer));
        }
    }
}
