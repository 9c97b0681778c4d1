package dev.kubeyard.platform.cluster;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.kubeyard.inventory.cluster.ConditionStatus;
import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.cluster.ManagedClusterRepository;
import dev.kubeyard.inventory.cluster.NodeRoles;
import dev.kubeyard.inventory.team.Team;
import dev.kubeyard.inventory.team.TeamRepository;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.Inventory;
import dev.kubeyard.platform.testing.RancherSimResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class ClusterListIT {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @Inject
    Inventory inventory;

    @Inject
    TeamRepository teams;

    @Inject
    ManagedClusterRepository clusters;

    @BeforeEach
    void emptyInventory() {
        inventory.clear();
    }

    @Test
    void answersAnEmptyListWhenThereAreNoClusters() {
        given().when()
                .get("/api/v1/clusters")
                .then()
                .statusCode(200)
                .contentType("application/json")
                .body("items", empty())
                .body("nextCursor", nullValue());
    }

    @Test
    void listsClustersInsertedThroughTheRepositoryPageByPage() {
        QuarkusTransaction.requiringNew().run(() -> {
            Team team = new Team("payments", "Payments");
            teams.persist(team);
            ManagedCluster prod = new ManagedCluster("prod-eu-1", team, "v1.31.4+rke2r1");
            prod.applySpec(Map.of("cni", "calico"), "v1.31.4+rke2r1", Map.of("env", "prod"));
            prod.addNodePool("workers", NodeRoles.WORKER, 3);
            prod.setCondition("Ready", ConditionStatus.FALSE, "Provisioning", "0 of 3 nodes ready", NOW);
            prod.setNodeCounts(3, 0);
            clusters.persist(prod);
            ManagedCluster temp = new ManagedCluster("ci-temp-7", team, "v1.32.1+rke2r1");
            temp.setTimeToLive(Duration.ofHours(2), NOW);
            clusters.persist(temp);
            clusters.persist(new ManagedCluster("dev-us-2", team, "v1.31.4+rke2r1"));
        });

        String cursor = given().queryParam("limit", 2)
                .when()
                .get("/api/v1/clusters")
                .then()
                .statusCode(200)
                .body("items.name", contains("ci-temp-7", "dev-us-2"))
                .body("items[0].team", equalTo("payments"))
                .body("items[0].expiresAt", equalTo("2026-03-01T12:00:00Z"))
                .body("items[1].status.phase", equalTo("Pending"))
                .body("nextCursor", notNullValue())
                .extract()
                .path("nextCursor");

        given().queryParam("limit", 2)
                .queryParam("cursor", cursor)
                .when()
                .get("/api/v1/clusters")
                .then()
                .statusCode(200)
                .body("items.name", contains("prod-eu-1"))
                .body("items[0].labels.env", equalTo("prod"))
                .body("items[0].status.nodesDesired", equalTo(3))
                .body("items[0].status.conditions[0].type", equalTo("Ready"))
                .body("items[0].status.conditions[0].status", equalTo("False"))
                .body("items[0].status.conditions[0].lastTransitionTime", equalTo("2026-03-01T10:00:00Z"))
                .body("nextCursor", nullValue());
    }

    @Test
    void aLimitOutOfBoundsIsAProblemNamingTheField() {
        given().queryParam("limit", 0)
                .when()
                .get("/api/v1/clusters")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("title", equalTo("Invalid request"))
                .body("instance", equalTo("/api/v1/clusters"))
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void aForgedCursorIsAProblemNamingTheField() {
        given().queryParam("cursor", "not-ours")
                .when()
                .get("/api/v1/clusters")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void anUnknownPathIsAProblemToo() {
        given().when()
                .get("/api/v1/no-such-thing")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }
}
