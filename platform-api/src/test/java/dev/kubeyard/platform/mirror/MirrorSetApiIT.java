package dev.kubeyard.platform.mirror;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.Identities;
import dev.kubeyard.platform.testing.MirrorExports;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The mirror-sets API over real PostgreSQL: sets of a team's clusters made, read, changed and deleted as a team admin
 * would, refused with the field at fault, scoped to the caller's teams, audited. The mirror's own records (the export
 * states, last sightings) are written by the test, as the mirror would after a pass. The clusters are made through the
 * cluster API (their provisioning plays no part here).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class MirrorSetApiIT {

    static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    static final String TEAM = "mirror-api-" + TAG;
    static final String OTHER_TEAM = "mirror-api-other-" + TAG;

    /** Nine clusters of the team (each test has its own, so that none is a member of another test's set); one of the
     * other team. */
    static List<String> clusters;

    static String othersCluster;

    @Inject
    MirrorExports mirror;

    @BeforeEach
    void clusters() {
        if (clusters != null) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String name = "mset-" + i + "-" + TAG;
            Specs.put(name, Specs.small(TEAM, 1), 202);
            names.add(name);
        }
        othersCluster = "mset-other-" + TAG;
        Specs.put(othersCluster, Specs.small(OTHER_TEAM, 1), 202);
        clusters = names;
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    static Map<String, Object> body(String name, String team, List<String> members) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("name", name);
        b.put("team", team);
        b.put("clusters", members);
        return b;
    }

    static JsonPath create(Map<String, Object> body, int status) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1/mirror-sets")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    static JsonPath get(String name, int status) {
        return given().get("/api/v1/mirror-sets/" + name)
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    static JsonPath put(String name, Map<String, Object> body, int status) {
        return given().contentType(ContentType.JSON)
                .body(body)
                .put("/api/v1/mirror-sets/" + name)
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    static Map<String, Object> replace(List<String> members) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("clusters", members);
        return b;
    }

    static List<String> listed() {
        return given().get("/api/v1/mirror-sets")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.name", String.class);
    }

    /** The state of each member, by cluster. */
    static Map<String, String> memberStates(JsonPath set) {
        Map<String, String> out = new HashMap<>();
        List<Map<String, Object>> members = set.getList("members");
        for (Map<String, Object> m : members) {
            out.put((String) m.get("cluster"), (String) m.get("state"));
        }
        return out;
    }

    @Test
    void aTeamAdminCreatesASetOfTheTeamsClustersAndReadsItBackInTheListAndTheDetail() {
        Identities.User admin = Identities.user("mirror-team-admin");
        Identities.grant(TEAM, admin, "team-admin");
        String name = unique("payments");
        Map<String, Object> b = body(name, TEAM, List.of(clusters.get(0), clusters.get(1)));
        b.put("description", "payments across regions");
        JsonPath created = given().auth()
                .oauth2(admin.token())
                .contentType(ContentType.JSON)
                .body(b)
                .post("/api/v1/mirror-sets")
                .then()
                .statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/mirror-sets/" + name))
                .extract()
                .jsonPath();
        assertThat(created.getString("name")).isEqualTo(name);
        assertThat(created.getString("team")).isEqualTo(TEAM);
        assertThat(created.getString("description")).isEqualTo("payments across regions");
        assertThat(created.getBoolean("createNamespaces")).as("the default").isFalse();
        assertThat(created.getString("state")).isEqualTo("Active");
        assertThat(created.getString("createdAt")).isNotNull();
        assertThat(created.getString("plannedAt"))
                .as("the mirror has not planned it yet")
                .isNull();
        assertThat(created.getList("members.cluster", String.class)).containsExactly(clusters.get(0), clusters.get(1));
        assertThat(created.getList("members.state", String.class)).containsOnly("Member");
        assertThat(created.getString("members[0].joinedAt")).isNotNull();
        assertThat(created.getString("members[0].leftAt")).isNull();
        assertThat(created.getList("exports")).isEmpty();

        JsonPath read = given().auth()
                .oauth2(admin.token())
                .get("/api/v1/mirror-sets/" + name)
                .then()
                .statusCode(200)
                .header("ETag", "W/\"" + created.getLong("version") + "\"")
                .extract()
                .jsonPath();
        assertThat(read.getList("members.cluster", String.class)).containsExactly(clusters.get(0), clusters.get(1));
        JsonPath list = given().auth()
                .oauth2(admin.token())
                .get("/api/v1/mirror-sets")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(list.getList("items.name", String.class)).contains(name);
        assertThat(list.getInt("items.find { it.name == '" + name + "' }.exports"))
                .isZero();
        assertThat(list.getList("items.find { it.name == '" + name + "' }.members.cluster", String.class))
                .containsExactly(clusters.get(0), clusters.get(1));
        given().auth()
                .oauth2(admin.token())
                .delete("/api/v1/mirror-sets/" + name)
                .then()
                .statusCode(202);
    }

    static Stream<Arguments> invalidCreates() {
        return Stream.of(
                row("a name with capitals", "name", b -> b.put("name", "Payments")),
                row("a name longer than 63", "name", b -> b.put("name", "a".repeat(64))),
                row("no name", "name", b -> b.remove("name")),
                row("a name ending in a dash", "name", b -> b.put("name", "pay-")),
                row("no clusters", "clusters", b -> b.remove("clusters")),
                row("an unknown cluster", "clusters[1]", b -> b.put("clusters", List.of(c(2), "no-such-" + TAG))),
                row("another team's cluster", "clusters[1]", b -> b.put("clusters", List.of(c(2), othersCluster))),
                row("a cluster twice", "clusters[1]", b -> b.put("clusters", List.of(c(2), c(2)))),
                row("an empty cluster name", "clusters[0]", b -> b.put("clusters", List.of("", c(2)))),
                row("a description over 1000 characters", "description", b -> b.put("description", "x".repeat(1001))),
                row("a team that does not exist", "team", b -> b.put("team", "no-such-team-" + TAG)),
                row("no team", "team", b -> b.remove("team")));
    }

    static String c(int i) {
        return clusters.get(i);
    }

    static Arguments row(String name, String field, Consumer<Map<String, Object>> change) {
        return Arguments.of(Named.of(name, change), field);
    }

    @ParameterizedTest
    @MethodSource("invalidCreates")
    void anInvalidCreateIsRefusedNamingTheFieldAndCreatesNothing(Consumer<Map<String, Object>> change, String field) {
        String name = unique("invalid");
        Map<String, Object> b = body(name, TEAM, List.of(c(2)));
        change.accept(b);
        List<String> before = listed();
        given().contentType(ContentType.JSON)
                .body(b)
                .post("/api/v1/mirror-sets")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo(field))
                .body("detail", org.hamcrest.Matchers.containsString(field + ": "));
        assertThat(listed()).isEqualTo(before);
        get(name, 404);
        assertThat(mirror.rows("mirror_sets", name)).isZero();
    }

    @Test
    void anUnknownFieldIsRefusedNamingIt() {
        Map<String, Object> b = body(unique("unknown"), TEAM, List.of(c(2)));
        b.put("namespaces", true);
        assertThat(create(b, 400).getString("errors[0].field")).isEqualTo("namespaces");
    }

    @Test
    void aTakenNameIsAConflict() {
        String name = unique("taken");
        create(body(name, TEAM, List.of()), 201);
        JsonPath refused = create(body(name, TEAM, List.of(c(3))), 409);
        assertThat(refused.getString("errors[0].field")).isEqualTo("name");
        assertThat(memberStates(get(name, 200))).as("the first set unchanged").isEmpty();
    }

    @Test
    void aClusterThatIsAMemberOfAnotherSetIsAConflictNamingTheClusterAndTheSet() {
        String first = unique("first");
        create(body(first, TEAM, List.of(c(3))), 201);
        String second = unique("second");
        JsonPath refused = create(body(second, TEAM, List.of(c(4), c(3))), 409);
        assertThat(refused.getString("errors[0].field")).isEqualTo("clusters[1]");
        assertThat(refused.getString("errors[0].detail")).contains(c(3)).contains(first);
        get(second, 404);

        // The same through a PUT of a set that exists: nothing changes.
        create(body(second, TEAM, List.of(c(4))), 201);
        JsonPath again = put(second, replace(List.of(c(3), c(4))), 409);
        assertThat(again.getString("errors[0].field")).isEqualTo("clusters[0]");
        assertThat(again.getString("errors[0].detail")).contains(c(3)).contains(first);
        assertThat(memberStates(get(second, 200))).containsExactly(Map.entry(c(4), "Member"));

        // Once it has left the first set (even while its row stays, Leaving), it may join another.
        put(first, replace(List.of()), 200);
        assertThat(memberStates(get(first, 200))).containsExactly(Map.entry(c(3), "Leaving"));
        JsonPath joined = put(second, replace(List.of(c(3), c(4))), 200);
        assertThat(memberStates(joined)).containsOnly(Map.entry(c(3), "Member"), Map.entry(c(4), "Member"));
        put(second, replace(List.of()), 200);
    }

    @Test
    void anUpdateReplacesTheMembersARemovedOneShowsLeavingAndAReaddedOneIsAMemberAgain() {
        String name = unique("update");
        JsonPath created = create(body(name, TEAM, List.of(c(5))), 201);
        long version = created.getLong("version");

        Map<String, Object> b = replace(List.of());
        b.put("createNamespaces", true);
        b.put("description", "now empty");
        b.put("version", version);
        JsonPath emptied = put(name, b, 200);
        assertThat(emptied.getLong("version")).isGreaterThan(version);
        assertThat(emptied.getBoolean("createNamespaces")).isTrue();
        assertThat(emptied.getString("description")).isEqualTo("now empty");
        assertThat(emptied.getList("members.cluster", String.class))
                .as("the row stays until the mirror removes the followers")
                .containsExactly(c(5));
        assertThat(emptied.getString("members[0].state")).isEqualTo("Leaving");
        assertThat(emptied.getString("members[0].leftAt")).isNotNull();

        // An update sent with the version it read before is refused: someone changed the set since.
        Map<String, Object> stale = replace(List.of(c(5)));
        stale.put("version", version);
        JsonPath refused = put(name, stale, 409);
        assertThat(refused.getString("errors[0].field")).isEqualTo("version");
        assertThat(get(name, 200).getString("members[0].state")).isEqualTo("Leaving");

        JsonPath back = put(name, replace(List.of(c(5))), 200);
        assertThat(back.getString("members[0].state")).isEqualTo("Member");
        assertThat(back.getString("members[0].leftAt")).isNull();
        assertThat(back.getBoolean("createNamespaces"))
                .as("left out: the default again")
                .isFalse();
        assertThat(back.getString("description")).isNull();
        put(name, replace(List.of()), 200);
    }

    @Test
    void anInvalidUpdateIsRefusedNamingTheFieldAndChangesNothing() {
        String name = unique("keep");
        create(body(name, TEAM, List.of()), 201);
        JsonPath before = get(name, 200);
        assertThat(put(name, replace(List.of(othersCluster)), 400).getString("errors[0].field"))
                .isEqualTo("clusters[0]");
        assertThat(put(name, new LinkedHashMap<>(), 400).getString("errors[0].field"))
                .isEqualTo("clusters");
        Map<String, Object> longText = replace(List.of());
        longText.put("description", "y".repeat(1001));
        assertThat(put(name, longText, 400).getString("errors[0].field")).isEqualTo("description");
        assertThat(get(name, 200).getLong("version")).isEqualTo(before.getLong("version"));
        put("no-such-set-" + TAG, replace(List.of()), 404);
    }

    @Test
    void deletingASetAnswers202DeletingEveryMemberLeavesAndTheRowStaysForTheMirror() {
        String name = unique("gone");
        create(body(name, TEAM, List.of(c(6))), 201);
        mirror.put(name, c(6), "shop", "cart", "Label", "[]", "[]", MirrorExports.VALID);
        JsonPath deleted = given().delete("/api/v1/mirror-sets/" + name)
                .then()
                .statusCode(202)
                .extract()
                .jsonPath();
        assertThat(deleted.getString("state")).isEqualTo("Deleting");
        assertThat(deleted.getString("deletingSince")).isNotNull();
        assertThat(deleted.getList("members.state", String.class)).containsOnly("Leaving");
        assertThat(get(name, 200).getString("state")).isEqualTo("Deleting");
        assertThat(mirror.rows("mirror_sets", name)).isEqualTo(1);

        put(name, replace(List.of(c(6))), 409);
        given().delete("/api/v1/mirror-sets/" + name).then().statusCode(202).body("state", equalTo("Deleting"));
        given().delete("/api/v1/mirror-sets/no-such-set-" + TAG).then().statusCode(404);
    }

    @Test
    void anotherTeamsSetIsNotFoundAndNotListedAndAMemberMayReadButNotChange() {
        String name = unique("private");
        create(body(name, TEAM, List.of()), 201);

        Identities.User outsider = Identities.user("mirror-outsider");
        Identities.grant(OTHER_TEAM, outsider, "team-admin");
        String missing = given().auth()
                .oauth2(outsider.token())
                .get("/api/v1/mirror-sets/no-such-set-" + TAG)
                .then()
                .statusCode(404)
                .extract()
                .path("detail");
        String hidden = given().auth()
                .oauth2(outsider.token())
                .get("/api/v1/mirror-sets/" + name)
                .then()
                .statusCode(404)
                .extract()
                .path("detail");
        assertThat(hidden).isEqualTo(missing.replace("no-such-set-" + TAG, name));
        given().auth()
                .oauth2(outsider.token())
                .get("/api/v1/mirror-sets/" + name + "/exports")
                .then()
                .statusCode(404);
        assertThat(given().auth()
                        .oauth2(outsider.token())
                        .get("/api/v1/mirror-sets")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("items.name", String.class))
                .doesNotContain(name);
        given().auth()
                .oauth2(outsider.token())
                .contentType(ContentType.JSON)
                .body(replace(List.of()))
                .put("/api/v1/mirror-sets/" + name)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(outsider.token())
                .delete("/api/v1/mirror-sets/" + name)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(outsider.token())
                .contentType(ContentType.JSON)
                .body(body(unique("intruder"), TEAM, List.of()))
                .post("/api/v1/mirror-sets")
                .then()
                .statusCode(403)
                .body("errors[0].field", equalTo("team"));

        Identities.User member = Identities.user("mirror-member");
        Identities.grant(TEAM, member, "team-member");
        given().auth()
                .oauth2(member.token())
                .get("/api/v1/mirror-sets/" + name)
                .then()
                .statusCode(200);
        assertThat(given().auth()
                        .oauth2(member.token())
                        .get("/api/v1/mirror-sets")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("items.name", String.class))
                .contains(name);
        given().auth()
                .oauth2(member.token())
                .contentType(ContentType.JSON)
                .body(replace(List.of(c(0))))
                .put("/api/v1/mirror-sets/" + name)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(member.token())
                .delete("/api/v1/mirror-sets/" + name)
                .then()
                .statusCode(403);
        given().auth().none().get("/api/v1/mirror-sets").then().statusCode(401);
        assertThat(get(name, 200).getString("state")).isEqualTo("Active");
    }

    @Test
    void createUpdateAndDeleteAreAuditedWithWhoAndWhat() {
        String name = unique("audited");
        create(body(name, TEAM, List.of()), 201);
        put(name, replace(List.of(c(2))), 200);
        put(name, replace(List.of()), 200);
        given().delete("/api/v1/mirror-sets/" + name).then().statusCode(202);
        JsonPath events = given().queryParam("targetKind", "mirror-set")
                .queryParam("target", name)
                .get("/api/v1/audit-events")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(events.getList("items.action", String.class))
                .as("newest first")
                .containsExactly("mirrorSet.delete", "mirrorSet.update", "mirrorSet.update", "mirrorSet.create");
        assertThat(events.getList("items.actor", String.class)).containsOnly("admin");
        assertThat(events.getList("items.outcome", String.class)).containsOnly("success");
        assertThat(events.getList("items[2].details.added", String.class)).containsExactly(c(2));
        assertThat(events.getList("items[1].details.removed", String.class)).containsExactly(c(2));
        assertThat(events.getString("items[3].details.team")).isEqualTo(TEAM);
    }

    @Test
    void theDetailShowsEachExportWithWhoImportedItRefusalsAndConditionsAndTheListCountsConflicts() {
        String name = unique("exports");
        create(body(name, TEAM, List.of(c(7), c(8))), 201);
        java.time.Instant seen = java.time.Instant.parse("2026-12-01T10:00:00Z");
        mirror.seen(name, c(7), seen);
        mirror.put(
                name,
                c(7),
                "shop",
                "checkout",
                "ServiceExport",
                "[\"" + c(8) + "\"]",
                "[]",
                MirrorExports.conflict("port http is 80/TCP in " + c(7) + " and 8080/TCP in " + c(8)));
        mirror.put(
                name,
                c(8),
                "shop",
                "cart",
                "Label",
                "[]",
                "[{\"cluster\": \"" + c(7) + "\", \"reason\": \"ServiceConflict\", \"message\": \"shop/cart exists in "
                        + c(7) + " and is not a follower of this set\"}]",
                MirrorExports.VALID);

        JsonPath set = get(name, 200);
        assertThat(set.getString("members.find { it.cluster == '" + c(7) + "' }.lastSeen"))
                .isEqualTo("2026-12-01T10:00:00Z");
        assertThat(set.getList("exports.name", String.class)).containsExactly("checkout", "cart");
        assertThat(set.getString("exports[0].via")).isEqualTo("ServiceExport");
        assertThat(set.getList("exports[0].importedBy", String.class)).containsExactly(c(8));
        assertThat(set.getString("exports[0].exportedAt")).isEqualTo("2026-12-01T09:59:00Z");
        assertThat(set.getString("exports[0].conditions.find { it.type == 'Conflict' }.status"))
                .isEqualTo("True");
        assertThat(set.getString("exports[0].conditions.find { it.type == 'Conflict' }.reason"))
                .isEqualTo("PortConflict");
        assertThat(set.getString("exports[0].conditions.find { it.type == 'Conflict' }.lastTransitionTime"))
                .isEqualTo("2026-12-01T10:00:05Z");
        assertThat(set.getString("exports[1].refusals[0].cluster")).isEqualTo(c(7));
        assertThat(set.getString("exports[1].refusals[0].reason")).isEqualTo("ServiceConflict");

        JsonPath exports = given().get("/api/v1/mirror-sets/" + name + "/exports")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(exports.getList("items.name", String.class)).containsExactly("checkout", "cart");

        JsonPath list = given().get("/api/v1/mirror-sets")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(list.getInt("items.find { it.name == '" + name + "' }.exports"))
                .isEqualTo(2);
        assertThat(list.getInt("items.find { it.name == '" + name + "' }.conflicts"))
                .isEqualTo(1);
        given().delete("/api/v1/mirror-sets/" + name).then().statusCode(202);
    }
}
