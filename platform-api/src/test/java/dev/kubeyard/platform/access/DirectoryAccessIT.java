package dev.kubeyard.platform.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

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
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Rights come from directory groups: a login turns a directory password into an API token with the roles of the
 * person's groups; joining or leaving a group grants or takes access within a sync period (2 s in tests); leaving the
 * company disables the user; a directory outage changes nobody's rights. The directory is a real LDAP server in memory.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class DirectoryAccessIT {

    static final Duration SYNC = Duration.ofSeconds(15);

    final String suffix = UUID.randomUUID().toString().substring(0, 6);
    final String team = "dir-" + suffix;
    final String devs = "devs-" + suffix;
    final String admins = "admins-" + suffix;

    /** The team, a cluster of it, and the groups whose members are its members and admins. */
    String setUpTeam() {
        String cluster = team + "-c";
        Specs.put(cluster, Specs.small(team, 1), 202);
        DirectoryResource.addGroup(devs);
        DirectoryResource.addGroup(admins);
        bind(devs, team, "team-member");
        bind(admins, team, "team-admin");
        return cluster;
    }

    static void bind(String group, String team, String role) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("group", group);
        body.put("team", team);
        body.put("role", role);
        given().contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/group-bindings")
                .then()
                .statusCode(201);
    }

    static String login(String uid, String password) {
        return given().auth()
                .preemptive()
                .basic(uid, password)
                .contentType(ContentType.JSON)
                .body(Map.of("name", "cli"))
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
    }

    static int status(String token, String path) {
        return given().auth().oauth2(token).get(path).statusCode();
    }

    @Test
    void aDirectoryLoginGivesATokenWithTheRolesOfThePersonsGroups() {
        setUpTeam();
        String uid = "ana-" + suffix;
        DirectoryResource.addPerson(uid, "ana-Pa55");
        DirectoryResource.addMember(admins, uid);

        String token = login(uid, "ana-Pa55");

        given().auth()
                .oauth2(token)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("name", equalTo(uid))
                .body("teams." + team, equalTo("team-admin"));
        given().get("/api/v1/teams/" + team + "/members")
                .then()
                .body("find { it.user == '" + uid + "' }.sources", equalTo(java.util.List.of("directory")));
    }

    @Test
    void aWrongPasswordIsRefusedAndAuditedWithoutWhatWasTypedAsTheName() {
        String uid = "eve-" + suffix;
        DirectoryResource.addPerson(uid, "right-Pa55");
        String correlation = "wrong-password-" + suffix;
        given().auth()
                .preemptive()
                .basic(uid, "wrong-Pa55")
                .header("X-Forwarded-For", "198.51.100.77")
                .header("X-Correlation-Id", correlation)
                .contentType(ContentType.JSON)
                .body(Map.of())
                .post("/api/v1/tokens")
                .then()
                .statusCode(401)
                .contentType(startsWith("application/problem+json"));
        // eve has no account yet: the name she typed is not recorded (it could have been a password).
        given().get("/api/v1/audit-events?action=auth.failed&correlationId=" + correlation)
                .then()
                .body("items[0].actor", equalTo("anonymous"))
                .body("items[0].details.why", equalTo("wrong user name or password"))
                .body("items[0].sourceAddress", equalTo("198.51.100.77"));
    }

    @Test
    void aDirectoryLoginCannotTakeOverALocalAccountOfTheSameName() {
        String name = "robo-" + suffix;
        Identities.User robot = Identities.user(name, "auditor");
        DirectoryResource.addPerson(name, "robo-Pa55");
        given().auth()
                .preemptive()
                .basic(name, "robo-Pa55")
                .contentType(ContentType.JSON)
                .body(Map.of())
                .post("/api/v1/tokens")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(robot.token())
                .get("/api/v1/me")
                .then()
                .body("platformRoles", equalTo(java.util.List.of("auditor")));
    }

    @Test
    void aPasswordIsTakenOnlyWhereItIsExchangedForAToken() {
        String uid = "pat-" + suffix;
        DirectoryResource.addPerson(uid, "pat-Pa55");
        given().auth()
                .preemptive()
                .basic(uid, "pat-Pa55")
                .get("/api/v1/me")
                .then()
                .statusCode(401);
    }

    @Test
    void joiningAGroupGrantsAccessAndLeavingItTakesItAwayWithinASyncPeriod() {
        String cluster = setUpTeam();
        String uid = "ben-" + suffix;
        DirectoryResource.addPerson(uid, "ben-Pa55");
        String token = login(uid, "ben-Pa55");
        assertThat(status(token, "/api/v1/clusters/" + cluster)).isEqualTo(404);

        DirectoryResource.addMember(devs, uid);
        await().atMost(SYNC).until(() -> status(token, "/api/v1/clusters/" + cluster) == 200);

        DirectoryResource.removeMember(devs, uid);
        await().atMost(SYNC).until(() -> status(token, "/api/v1/clusters/" + cluster) == 404);
        given().get("/api/v1/audit-events?action=grant.*&target=" + uid)
                .then()
                .body("items.action", equalTo(java.util.List.of("grant.remove", "grant.add")));
    }

    @Test
    void membersOfANestedGroupAreMembersToo() {
        String cluster = setUpTeam();
        String contractors = "contractors-" + suffix;
        DirectoryResource.addGroup(contractors);
        DirectoryResource.nest(contractors, devs);
        String uid = "cy-" + suffix;
        DirectoryResource.addPerson(uid, "cy-Pa55");
        DirectoryResource.addMember(contractors, uid);

        String token = login(uid, "cy-Pa55");

        assertThat(status(token, "/api/v1/clusters/" + cluster)).isEqualTo(200);
    }

    @Test
    void someoneWhoLeavesTheCompanyIsDisabled() {
        setUpTeam();
        String uid = "dee-" + suffix;
        DirectoryResource.addPerson(uid, "dee-Pa55");
        DirectoryResource.addMember(devs, uid);
        String token = login(uid, "dee-Pa55");
        assertThat(status(token, "/api/v1/me")).isEqualTo(200);

        DirectoryResource.removePerson(uid);

        await().atMost(SYNC).until(() -> status(token, "/api/v1/me") == 401);
        given().get("/api/v1/users/" + uid).then().body("disabled", equalTo(true));
    }

    @Test
    void aDirectoryOutageTakesNobodysAccessAway() {
        String cluster = setUpTeam();
        String uid = "fay-" + suffix;
        DirectoryResource.addPerson(uid, "fay-Pa55");
        DirectoryResource.addMember(devs, uid);
        String token = login(uid, "fay-Pa55");

        DirectoryResource.outage();
        try {
            await().during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(8))
                    .until(() -> status(token, "/api/v1/clusters/" + cluster) == 200);
        } finally {
            DirectoryResource.recover();
        }
    }
}
