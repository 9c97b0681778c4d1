package dev.kubeyard.platform.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;

import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.Identities;
import dev.kubeyard.platform.testing.RancherSimResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.response.Response;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Repeated failed authentication from one address is slowed down, without slowing anyone else. The test profile trusts
 * X-Forwarded-For from loopback, so each test poses as its own client address (from 198.18.0.0/15, the benchmarking
 * range: only a header value, no traffic goes there).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class BruteForceIT {

    static String someAddress() {
        return "198.18." + ThreadLocalRandom.current().nextInt(256) + "."
                + ThreadLocalRandom.current().nextInt(1, 255);
    }

    static Response guess(String from) {
        String wrong = "kyd_" + UUID.randomUUID().toString().replace("-", "");
        return given().auth().oauth2(wrong).header("X-Forwarded-For", from).get("/api/v1/me");
    }

    @Test
    void guessingFromOneAddressIsRefusedWithRetryAfterOnceItFailedTooOften() {
        String attacker = someAddress();
        for (int i = 0; i < 5; i++) {
            guess(attacker).then().statusCode(401);
        }
        Response throttled = guess(attacker);
        throttled
                .then()
                .statusCode(429)
                .contentType(startsWith("application/problem+json"))
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
        assertThat(Integer.parseInt(throttled.header("Retry-After"))).isBetween(1, 300);

        // Even a valid token waits: the address is not listened to until its time is up.
        given().auth()
                .oauth2(Identities.ADMIN_TOKEN)
                .header("X-Forwarded-For", attacker)
                .get("/api/v1/me")
                .then()
                .statusCode(429);
    }

    @Test
    void aValidTokenFromTheSameAddressDoesNotResetAGuessersCount() {
        String office = someAddress();
        for (int i = 0; i < 4; i++) {
            guess(office).then().statusCode(401);
        }
        given().auth()
                .oauth2(Identities.ADMIN_TOKEN)
                .header("X-Forwarded-For", office)
                .get("/api/v1/me")
                .then()
                .statusCode(200);
        guess(office).then().statusCode(401);
        guess(office).then().statusCode(429);
    }

    @Test
    void anotherAddressIsNotSlowedDown() {
        String attacker = someAddress();
        for (int i = 0; i < 7; i++) {
            guess(attacker);
        }
        String bystander = someAddress();
        given().auth()
                .oauth2(Identities.ADMIN_TOKEN)
                .header("X-Forwarded-For", bystander)
                .get("/api/v1/me")
                .then()
                .statusCode(200);
        guess(bystander).then().statusCode(401);
    }

    @Test
    void theConsoleLoginFormIsThrottledToo() {
        String attacker = someAddress();
        for (int i = 0; i < 5; i++) {
            given().auth()
                    .none()
                    .header("X-Forwarded-For", attacker)
                    .formParam("token", "kyd_WrongWrongWrongWrongWrongWrong0" + i)
                    .post("/login")
                    .then()
                    .statusCode(401);
        }
        given().auth()
                .none()
                .header("X-Forwarded-For", attacker)
                .formParam("token", Identities.ADMIN_TOKEN)
                .post("/login")
                .then()
                .statusCode(429);
    }
}
