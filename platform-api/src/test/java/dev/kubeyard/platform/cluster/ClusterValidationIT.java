package dev.kubeyard.platform.cluster;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import dev.kubeyard.inventory.audit.AuditEventRepository;
import dev.kubeyard.inventory.operation.OperationRepository;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every validation rule over HTTP: the answer is problem+json naming the field at fault, and nothing is stored, no
 * operation opened, no audit event written. (The rules' edge cases are in ClusterSpecValidatorTest.)
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class ClusterValidationIT {

    @Inject
    OperationRepository operations;

    @Inject
    AuditEventRepository auditEvents;

    @SuppressWarnings("unchecked")
    static Map<String, Object> pool(Map<String, Object> spec, int index) {
        return (Map<String, Object>) ((List<Object>) spec.get("nodePools")).get(index);
    }

    static Arguments row(String name, String field, Consumer<Map<String, Object>> breakIt) {
        return Arguments.argumentSet(name, field, breakIt);
    }

    static Stream<Arguments> invalidSpecs() {
        return Stream.of(
                row("missingTeam", "team", s -> s.remove("team")),
                row("teamNotDns1123", "team", s -> s.put("team", "Payments_Team")),
                row("unsupportedVersion", "kubernetesVersion", s -> s.put("kubernetesVersion", "v1.20.0+rke2r1")),
                row("missingVersion", "kubernetesVersion", s -> s.remove("kubernetesVersion")),
                row("noPools", "nodePools", s -> s.put("nodePools", List.of())),
                row("evenEtcdCount", "nodePools", s -> pool(s, 0).put("quantity", 2)),
                row("noControlPlane", "nodePools", s -> pool(s, 0).put("roles", List.of("etcd"))),
                row("noWorkers", "nodePools", s -> pool(s, 1).put("quantity", 0)),
                row("unknownRole", "nodePools[1].roles[0]", s -> pool(s, 1).put("roles", List.of("master"))),
                row("quantityAboveBound", "nodePools[1].quantity", s -> pool(s, 1)
                        .put("quantity", 1000)),
                row("negativeQuantity", "nodePools[1].quantity", s -> pool(s, 1).put("quantity", -1)),
                row("poolNameNotDns1123", "nodePools[1].name", s -> pool(s, 1).put("name", "Workers!")),
                row("duplicatePoolName", "nodePools[1].name", s -> pool(s, 1).put("name", "control-plane")),
                row("missingImage", "nodePools[1].nodeSpec.image", s -> pool(s, 1)
                        .put("nodeSpec", Map.of("flavor", "m1", "network", "n"))),
                row("badTaintEffect", "nodePools[1].taints[0].effect", s -> pool(s, 1)
                        .put("taints", List.of(Map.of("key", "gpu", "value", "yes", "effect", "Never")))),
                row("badLabelKey", "labels[\"bad key\"]", s -> s.put("labels", Map.of("bad key", "x"))),
                row("timeToLiveTooShort", "timeToLiveSeconds", s -> s.put("timeToLiveSeconds", 5)));
    }

    @ParameterizedTest
    @MethodSource("invalidSpecs")
    void invalidSpecIsRefusedNamingTheFieldAndChangesNothing(String field, Consumer<Map<String, Object>> breakIt) {
        String name = "invalid-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> spec = deepCopy(Specs.small("payments", 1));
        breakIt.accept(spec);

        given().contentType(ContentType.JSON)
                .body(spec)
                .when()
                .put("/api/v1/clusters/" + name)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem(field));

        given().when().get("/api/v1/clusters/" + name).then().statusCode(404);
        assertNothingRecordedFor(name);
    }

    @Test
    void invalidClusterNameIsRefused() {
        given().contentType(ContentType.JSON)
                .body(Specs.small("payments", 1))
                .when()
                .put("/api/v1/clusters/Not_A_Name")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("name"));
        assertNothingRecordedFor("Not_A_Name");
    }

    @Test
    void severalErrorsComeBackTogether() {
        Map<String, Object> spec = deepCopy(Specs.small("Bad Team", 1));
        spec.put("kubernetesVersion", "v9.9.9");
        given().contentType(ContentType.JSON)
                .body(spec)
                .when()
                .put("/api/v1/clusters/several")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("team"))
                .body("errors.field", hasItem("kubernetesVersion"));
    }

    @Test
    void unknownFieldIsAnErrorNotSilentlyIgnored() {
        Map<String, Object> spec = deepCopy(Specs.small("payments", 1));
        spec.put("kubernetesVerison", Specs.VERSION);
        given().contentType(ContentType.JSON)
                .body(spec)
                .when()
                .put("/api/v1/clusters/typo")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("kubernetesVerison"));
        assertNothingRecordedFor("typo");
    }

    @Test
    void malformedJsonIsAProblem() {
        given().contentType(ContentType.JSON)
                .body("{\"team\": ")
                .when()
                .put("/api/v1/clusters/broken")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void quantityOfTheWrongTypeNamesTheField() {
        Map<String, Object> spec = deepCopy(Specs.small("payments", 1));
        pool(spec, 1).put("quantity", "three");
        given().contentType(ContentType.JSON)
                .body(spec)
                .when()
                .put("/api/v1/clusters/wrongtype")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("nodePools[1].quantity"));
    }

    static Stream<Arguments> invalidUpgrades() {
        return Stream.of(
                Arguments.argumentSet("downgrade", Specs.OLD_VERSION, "downgrade"),
                Arguments.argumentSet("skipsAMinor", "v1.35.0+rke2r1", "supported"),
                Arguments.argumentSet("sameVersion", Specs.VERSION, "already"),
                Arguments.argumentSet("unknownVersion", "v1.34.99+rke2r1", "supported"));
    }

    @ParameterizedTest
    @MethodSource("invalidUpgrades")
    void invalidUpgradeIsRefusedAndTheSpecStays(String target, String detail) {
        String name = "upgrade-" + UUID.randomUUID().toString().substring(0, 8);
        Specs.put(name, Specs.small("payments", 1), 202);
        long generation = Specs.cluster(name).getLong("generation");

        given().contentType(ContentType.JSON)
                .body(Map.of("kubernetesVersion", target))
                .when()
                .post("/api/v1/clusters/" + name + "/upgrade")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("kubernetesVersion"))
                .body("errors[0].detail", containsString(detail));

        assertThat(Specs.cluster(name).getLong("generation")).isEqualTo(generation);
        assertThat(Specs.cluster(name).getString("spec.kubernetesVersion")).isEqualTo(Specs.VERSION);
        given().when().get("/api/v1/clusters/" + name + "/operations").then().body("kind", hasSize(1));
    }

    @Test
    void changingARoleOfAnExistingPoolIsRefused() {
        String name = "roles-" + UUID.randomUUID().toString().substring(0, 8);
        Specs.put(name, Specs.small("payments", 1), 202);
        Map<String, Object> spec = deepCopy(Specs.small("payments", 1));
        pool(spec, 1).put("roles", List.of("worker", "etcd"));
        pool(spec, 0).put("quantity", 1);

        given().contentType(ContentType.JSON)
                .body(spec)
                .when()
                .put("/api/v1/clusters/" + name)
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("nodePools[1].roles"));
    }

    @Test
    void scalingAPoolOutOfBoundsNamesTheQuantity() {
        String name = "bounds-" + UUID.randomUUID().toString().substring(0, 8);
        Specs.put(name, Specs.small("payments", 1), 202);
        given().contentType(ContentType.JSON)
                .body(Map.of("quantity", 1000))
                .when()
                .patch("/api/v1/clusters/" + name + "/node-pools/workers")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("quantity"));
    }

    @Test
    void movingAClusterToAnotherTeamIsAConflict() {
        String name = "team-" + UUID.randomUUID().toString().substring(0, 8);
        Specs.put(name, Specs.small("payments", 1), 202);
        given().contentType(ContentType.JSON)
                .body(Specs.small("search", 1))
                .when()
                .put("/api/v1/clusters/" + name)
                .then()
                .statusCode(409)
                .body("errors[0].field", equalTo("team"));
    }

    private void assertNothingRecordedFor(String name) {
        long ops = QuarkusTransaction.requiringNew().call(() -> operations.count("clusterName", name));
        long events = QuarkusTransaction.requiringNew().call(() -> auditEvents.count("targetName", name));
        assertThat(ops).isZero();
        assertThat(events).isZero();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> spec) {
        Map<String, Object> copy = new LinkedHashMap<>(spec);
        List<Object> pools = new ArrayList<>();
        for (Object p : (List<Object>) spec.get("nodePools")) {
            pools.add(new LinkedHashMap<>((Map<String, Object>) p));
        }
        copy.put("nodePools", pools);
        return copy;
    }
}
