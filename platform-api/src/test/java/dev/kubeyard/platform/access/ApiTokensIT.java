package dev.kubeyard.platform.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.kubeyard.inventory.access.ApiTokenRepository;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.Identities;
import dev.kubeyard.platform.testing.Identities.User;
import dev.kubeyard.platform.testing.RancherSimResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Personal API tokens: made, shown once, stored hashed, listed without their secret, revoked, expired. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class ApiTokensIT {

    @Inject
    ApiTokenRepository tokens;

    @Inject
    EntityManager entityManager;

    @Test
    void aNewTokenIsShownOnceWorksAndIsListedWithoutItsSecret() {
        User alice = Identities.user("alice");
        JsonPath created = given().auth()
                .oauth2(alice.token())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "laptop", "lifetimeSeconds", 3600))
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .header("Cache-Control", "no-store")
                .body("token", startsWith("kyd_"))
                .body("user", equalTo(alice.name()))
                .extract()
                .jsonPath();
        String secret = created.getString("token");

        given().auth().oauth2(secret).get("/api/v1/me").then().statusCode(200).body("name", equalTo(alice.name()));

        String listed = given().auth()
                .oauth2(alice.token())
                .get("/api/v1/tokens")
                .then()
                .statusCode(200)
                .body("name", hasItem("laptop"))
                .extract()
                .asString();
        assertThat(listed).doesNotContain(secret.substring(4)).contains(created.getString("hint"));

        String stored = QuarkusTransaction.requiringNew()
                .call(() -> tokens.findById(UUID.fromString(created.getString("id")))
                        .getSecretHash());
        assertThat(stored).as("only a hash is kept").hasSize(64).doesNotContain(secret.substring(4));
    }

    @Test
    void aRevokedTokenStopsWorkingAtOnceAndTheOthersGoOn() {
        User bob = Identities.user("bob");
        String second = given().auth()
                .oauth2(bob.token())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "ci"))
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        String id = given().auth()
                .oauth2(bob.token())
                .get("/api/v1/tokens")
                .then()
                .extract()
                .jsonPath()
                .getString("find { it.name == 'ci' }.id");

        given().auth().oauth2(bob.token()).delete("/api/v1/tokens/" + id).then().statusCode(204);

        given().auth().oauth2(second).get("/api/v1/me").then().statusCode(401);
        given().auth().oauth2(bob.token()).get("/api/v1/me").then().statusCode(200);
        given().auth()
                .oauth2(bob.token())
                .get("/api/v1/tokens")
                .then()
                .body("find { it.id == '" + id + "' }.valid", equalTo(false));
    }

    @Test
    void manyRequestsWithOneTokenAtOnceAllGetThrough() throws Exception {
        User gil = Identities.user("gil");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var answers = pool.invokeAll(java.util.Collections.nCopies(
                    32,
                    () -> given().auth().oauth2(gil.token()).get("/api/v1/me").statusCode()));
            for (var answer : answers) {
                assertThat(answer.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExpiredTokenIsRefused() {
        User carol = Identities.user("carol");
        // Age the token as the clock would: its expiry is now in the past.
        QuarkusTransaction.requiringNew().run(() -> entityManager
                .createNativeQuery("UPDATE api_tokens SET expires_at = now() - interval '1 second'"
                        + " WHERE user_id = (SELECT id FROM users WHERE name = ?1)")
                .setParameter(1, carol.name())
                .executeUpdate());
        given().auth()
                .oauth2(carol.token())
                .get("/api/v1/me")
                .then()
                .statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void aDisabledUsersTokensAreRefused() {
        User dave = Identities.user("dave");
        given().contentType(ContentType.JSON)
                .body(Map.of("disabled", true))
                .put("/api/v1/users/" + dave.name())
                .then()
                .statusCode(200)
                .body("disabled", equalTo(true));
        given().auth().oauth2(dave.token()).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void aTokenLifetimeOverTheMaximumIsRefusedNamingTheField() {
        User erin = Identities.user("erin");
        given().auth()
                .oauth2(erin.token())
                .contentType(ContentType.JSON)
                .body(Map.of("lifetimeSeconds", 400L * 24 * 3600))
                .post("/api/v1/tokens")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("lifetimeSeconds"));
        given().auth()
                .oauth2(erin.token())
                .get("/api/v1/tokens")
                .then()
                .body("name", not(hasItem("token")))
                .body("size()", equalTo(1));
    }

    @Test
    void anAdminIssuesARobotsTokenAndRevokesIt() {
        String robot = "robot-" + UUID.randomUUID().toString().substring(0, 6);
        given().contentType(ContentType.JSON)
                .body(Map.of())
                .put("/api/v1/users/" + robot)
                .then()
                .statusCode(201);
        JsonPath issued = given().contentType(ContentType.JSON)
                .body(Map.of("name", "deployer"))
                .post("/api/v1/users/" + robot + "/tokens")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        given().auth()
                .oauth2(issued.getString("token"))
                .get("/api/v1/me")
                .then()
                .body("name", equalTo(robot));
        given().delete("/api/v1/users/" + robot + "/tokens/" + issued.getString("id"))
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(issued.getString("token"))
                .get("/api/v1/me")
                .then()
                .statusCode(401);
    }

    @Test
    void anUnknownOrForeignBearerTokenIsRefusedAsProblemJson() {
        given().auth()
                .oauth2("kyd_NeverIssuedNeverIssuedNeverIssued00")
                .get("/api/v1/clusters")
                .then()
                .statusCode(401)
                .contentType(startsWith("application/problem+json"));
        given().auth()
                .oauth2("eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.")
                .get("/api/v1/clusters")
                .then()
                .statusCode(401);
        given().auth().none().get("/q/health/ready").then().statusCode(200);
        given().auth().none().accept("text/plain").get("/q/metrics").then().statusCode(200);
    }
}
