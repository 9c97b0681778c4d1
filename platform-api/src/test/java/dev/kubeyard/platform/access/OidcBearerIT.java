package dev.kubeyard.platform.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.Identities;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * OIDC bearer tokens, from the issuer the test profile configures (a mock provider that signs JWTs in the test JVM):
 * the token's groups claim gives roles through the same group bindings as directory groups, beside our own API
 * tokens.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class OidcBearerIT {

    final String suffix = UUID.randomUUID().toString().substring(0, 6);

    @Test
    void anOidcTokensGroupsGiveTheRolesTheirBindingsSay() {
        String team = "oidc-" + suffix;
        String cluster = team + "-c";
        Specs.put(cluster, Specs.small(team, 1), 202);
        String group = "oidc-devs-" + suffix;
        given().contentType(ContentType.JSON)
                .body(Map.of("group", group, "team", team, "role", "team-member"))
                .post("/api/v1/group-bindings")
                .then()
                .statusCode(201);
        String user = "ivy-" + suffix;

        String member = OidcWiremockTestResource.generateJwtToken(user, Set.of(group));
        given().auth().oauth2(member).get("/api/v1/clusters/" + cluster).then().statusCode(200);
        given().auth()
                .oauth2(member)
                .get("/api/v1/me")
                .then()
                .body("name", equalTo(user))
                .body("teams." + team, equalTo("team-member"));
        given().auth()
                .oauth2(member)
                .delete("/api/v1/clusters/" + cluster)
                .then()
                .statusCode(403);

        String outsider = OidcWiremockTestResource.generateJwtToken("jon-" + suffix, Set.of("elsewhere"));
        given().auth()
                .oauth2(outsider)
                .get("/api/v1/clusters/" + cluster)
                .then()
                .statusCode(404);

        // The next token of the same person without the group: the role is gone with it.
        String later = OidcWiremockTestResource.generateJwtToken(user, Set.of());
        given().auth().oauth2(later).get("/api/v1/clusters/" + cluster).then().statusCode(404);
    }

    @Test
    void aDisabledUsersOidcTokenIsRefused() {
        String user = "kim-" + suffix;
        String token = OidcWiremockTestResource.generateJwtToken(user, Set.of());
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200);
        given().contentType(ContentType.JSON)
                .body(Map.of("disabled", true))
                .put("/api/v1/users/" + user)
                .then()
                .statusCode(200)
                .body("source", equalTo("oidc"));
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void anOidcTokenNamingALocalAccountCannotTakeItOver() {
        String admin = OidcWiremockTestResource.generateJwtToken("admin", Set.of());
        given().auth().oauth2(admin).get("/api/v1/me").then().statusCode(401);
        given().auth().oauth2(admin).get("/api/v1/users").then().statusCode(401);
    }

    @Test
    void aTokenTheIssuerDidNotSignIsRefusedAndOurTokensStillWork() {
        given().auth()
                .oauth2("eyJhbGciOiJub25lIn0.eyJwcmVmZXJyZWRfdXNlcm5hbWUiOiJtYWxsb3J5In0.")
                .get("/api/v1/me")
                .then()
                .statusCode(401);
        given().auth().oauth2(Identities.ADMIN_TOKEN).get("/api/v1/me").then().body("name", equalTo("admin"));
    }
}
