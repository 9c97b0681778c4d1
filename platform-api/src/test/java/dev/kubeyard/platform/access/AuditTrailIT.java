package dev.kubeyard.platform.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.Identities;
import dev.kubeyard.platform.testing.Identities.User;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The audit trail records security events with who, what, when, from where and the outcome, and keeps them. */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class AuditTrailIT {

    @Inject
    EntityManager entityManager;

    static JsonPath events(String query) {
        return given().get("/api/v1/audit-events?" + query)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void aDeniedRequestIsRecordedWithWhoWhatFromWhereAndTheOutcome() {
        String team = "aud-" + UUID.randomUUID().toString().substring(0, 6);
        String cluster = team + "-c";
        Specs.put(cluster, Specs.small(team, 1), 202);
        User outsider = Identities.user("outsider");

        given().auth()
                .oauth2(outsider.token())
                .header("X-Forwarded-For", "198.51.100.23")
                .delete("/api/v1/clusters/" + cluster)
                .then()
                .statusCode(404);

        JsonPath denied = events("actor=" + outsider.name() + "&outcome=denied");
        assertThat(denied.getList("items.action")).containsExactly("access.denied");
        assertThat(denied.getString("items[0].targetKind")).isEqualTo("cluster");
        assertThat(denied.getString("items[0].targetName")).isEqualTo(cluster);
        assertThat(denied.getString("items[0].sourceAddress")).isEqualTo("198.51.100.23");
        assertThat(denied.getString("items[0].occurredAt")).isNotBlank();
        given().get("/api/v1/clusters/" + cluster).then().statusCode(200);
    }

    @Test
    void failedLoginsAndTokenCreationAndRevocationAreRecorded() {
        User frank = Identities.user("frank");
        String id = given().auth()
                .oauth2(frank.token())
                .get("/api/v1/tokens")
                .then()
                .extract()
                .path("[0].id");
        given().auth()
                .oauth2(frank.token())
                .delete("/api/v1/tokens/" + id)
                .then()
                .statusCode(204);
        // Using the revoked token is a failed login of frank's.
        given().auth().oauth2(frank.token()).get("/api/v1/me").then().statusCode(401);

        List<String> actions =
                events("target=" + frank.name() + "&targetKind=user").getList("items.action");
        assertThat(actions).contains("token.create", "token.revoke", "auth.failed", "user.create");
        JsonPath failed = events("action=auth.*&target=" + frank.name());
        assertThat(failed.getString("items[0].outcome")).isEqualTo("failed");
        assertThat(failed.getString("items[0].details.why")).isEqualTo("token revoked");
        assertThat(failed.prettify()).doesNotContain(frank.token());
    }

    @Test
    void aClusterChangeIsRecordedUnderTheCallersNameAndAddress() {
        User owner = Identities.user("owner");
        String team = "aud2-" + UUID.randomUUID().toString().substring(0, 6);
        Identities.grant(team, owner, "team-admin");
        String cluster = team + "-c";
        given().auth()
                .oauth2(owner.token())
                .contentType(ContentType.JSON)
                .body(Specs.small(team, 1))
                .put("/api/v1/clusters/" + cluster)
                .then()
                .statusCode(202);
        JsonPath created = events("cluster=" + cluster + "&action=cluster.create");
        assertThat(created.getString("items[0].actor")).isEqualTo(owner.name());
        assertThat(created.getString("items[0].outcome")).isEqualTo("success");
        assertThat(created.getString("items[0].sourceAddress")).isEqualTo("127.0.0.1");
    }

    @Test
    void pagesThroughTheTrailNewestFirstWithoutRepeats() {
        String team = "aud3-" + UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("quotas", Map.of("maxClusters", i)))
                    .put("/api/v1/teams/" + team)
                    .then()
                    .statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        }
        JsonPath first = events("target=" + team + "&limit=3");
        assertThat(first.getList("items")).hasSize(3);
        JsonPath second = events("target=" + team + "&limit=3&cursor=" + first.getString("nextCursor"));
        assertThat(second.getList("items")).hasSize(2);
        assertThat(second.getString("nextCursor")).isNull();
        assertThat(first.getList("items.action")).startsWith("team.update");
        assertThat(second.getList("items.action")).endsWith("team.create");
    }

    @Test
    void theTrailCannotBeRewritten() {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !events("limit=1").getList("items").isEmpty());
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> entityManager
                        .createNativeQuery("UPDATE audit_events SET actor = 'nobody'")
                        .executeUpdate()))
                .hasStackTraceContaining("append-only");
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> entityManager
                        .createNativeQuery("DELETE FROM audit_events")
                        .executeUpdate()))
                .hasStackTraceContaining("append-only");
    }

    @Test
    void aBadFilterIsABadRequestNamingTheParameter() {
        given().get("/api/v1/audit-events?outcome=maybe")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("outcome"));
        given().get("/api/v1/audit-events?since=yesterday")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("since"));
    }
}
