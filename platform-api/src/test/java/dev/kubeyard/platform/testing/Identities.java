package dev.kubeyard.platform.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The identities tests act as. Every request is sent as the bootstrap admin unless a test says otherwise ({@link
 * AuthenticatedAsAdmin} sets that default); other users, their roles and tokens are made through the API itself, as
 * an admin would.
 */
public final class Identities {

    /** The bootstrap admin token of the test profile (application.properties). */
    public static final String ADMIN_TOKEN = "kyd_TestsBootstrapAdminToken0123456789";

    private Identities() {}

    /** A new local user (a unique name from {@code prefix}) with no role, and a token of theirs. */
    public static User user(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        return user(name, null);
    }

    /** A local user with the platform role (or none), and a fresh token of theirs. */
    public static User user(String name, String platformRole) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("platformRole", platformRole);
        given().auth()
                .oauth2(ADMIN_TOKEN)
                .contentType(ContentType.JSON)
                .body(body)
                .put("/api/v1/users/" + name)
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        String token = given().auth()
                .oauth2(ADMIN_TOKEN)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "test"))
                .post("/api/v1/users/" + name + "/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        return new User(name, token);
    }

    /** Creates the team when missing (no quotas: the platform's defaults). */
    public static void team(String team) {
        team(team, null, null);
    }

    /** Creates or updates the team with the given quotas (null: the default). */
    public static void team(String team, Integer maxClusters, Integer maxNodes) {
        Map<String, Object> quotas = new LinkedHashMap<>();
        quotas.put("maxClusters", maxClusters);
        quotas.put("maxNodes", maxNodes);
        given().auth()
                .oauth2(ADMIN_TOKEN)
                .contentType(ContentType.JSON)
                .body(Map.of("quotas", quotas))
                .put("/api/v1/teams/" + team)
                .then()
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    /** Gives the user a role in the team by hand (the team is created when missing; its quotas stay). */
    public static void grant(String team, User user, String role) {
        int status =
                given().auth().oauth2(ADMIN_TOKEN).get("/api/v1/teams/" + team).statusCode();
        if (status == 404) {
            team(team);
        }
        given().auth()
                .oauth2(ADMIN_TOKEN)
                .contentType(ContentType.JSON)
                .body(Map.of("role", role))
                .put("/api/v1/teams/" + team + "/members/" + user.name())
                .then()
                .statusCode(200);
    }

    /** A user's name and one token of theirs. */
    public record User(String name, String token) {}
}
