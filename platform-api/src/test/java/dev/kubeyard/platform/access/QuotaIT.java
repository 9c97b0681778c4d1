package dev.kubeyard.platform.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.Identities;
import dev.kubeyard.platform.testing.Identities.User;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Team quotas: a request over one is refused saying which quota and by how much, and changes nothing. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class QuotaIT {

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aClusterOverTheTeamsClusterQuotaIsRefusedWithTheNumbers() {
        String team = unique("quota-c");
        Identities.team(team, 1, null);
        User owner = Identities.user("qa");
        Identities.grant(team, owner, "team-admin");
        given().auth()
                .oauth2(owner.token())
                .contentType(ContentType.JSON)
                .body(Specs.small(team, 1))
                .put("/api/v1/clusters/" + unique("first"))
                .then()
                .statusCode(202);

        String second = unique("second");
        given().auth()
                .oauth2(owner.token())
                .contentType(ContentType.JSON)
                .body(Specs.small(team, 1))
                .put("/api/v1/clusters/" + second)
                .then()
                .statusCode(403)
                .contentType(startsWith("application/problem+json"))
                .body("title", equalTo("Quota exceeded"))
                .body("quota.name", equalTo("clusters"))
                .body("quota.limit", equalTo(1))
                .body("quota.used", equalTo(1))
                .body("quota.excess", equalTo(1))
                .body("errors[0].field", equalTo("team"));
        given().get("/api/v1/clusters/" + second).then().statusCode(404);
        given().get("/api/v1/teams/" + team).then().body("usage.clusters", equalTo(1));
    }

    @Test
    void scalingOverTheNodeQuotaIsRefusedByHowManyNodesAndScalingDownIsNot() {
        String team = unique("quota-n");
        Identities.team(team, null, 5);
        String name = unique("nodes");
        Specs.put(name, Specs.small(team, 2), 202);

        given().contentType(ContentType.JSON)
                .body(Map.of("quantity", 6))
                .patch("/api/v1/clusters/" + name + "/node-pools/workers")
                .then()
                .statusCode(403)
                .body("quota.name", equalTo("nodes"))
                .body("quota.limit", equalTo(5))
                .body("quota.used", equalTo(3))
                .body("quota.requested", equalTo(4))
                .body("quota.excess", equalTo(2))
                .body(
                        "detail",
                        equalTo("Team " + team
                                + " may have 5 nodes; it has 3 and this request asks for 4, 2 over the quota"));
        given().get("/api/v1/clusters/" + name).then().body("spec.nodePools[1].quantity", equalTo(2));

        given().contentType(ContentType.JSON)
                .body(Map.of("quantity", 4))
                .patch("/api/v1/clusters/" + name + "/node-pools/workers")
                .then()
                .statusCode(202);
        // Lower the quota under the usage: growing is refused, shrinking still goes.
        Identities.team(team, null, 2);
        given().contentType(ContentType.JSON)
                .body(Map.of("quantity", 1))
                .patch("/api/v1/clusters/" + name + "/node-pools/workers")
                .then()
                .statusCode(202);
    }

    @Test
    void aNegativeQuotaIsABadRequestNamingTheField() {
        given().contentType(ContentType.JSON)
                .body(Map.of("quotas", Map.of("maxClusters", -3)))
                .put("/api/v1/teams/" + unique("neg"))
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("quotas.maxClusters"));
    }
}
