package dev.kubeyard.platform.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The role-by-endpoint matrix: every endpoint, asked by each kind of caller, answers as the access rules say. Allowed
 * means the request got past access control (its answer may still be a 400 or a 409 about the request itself, which
 * keeps the matrix from changing the shared cluster); forbidden is 403; hidden is a 404 that reads exactly like the
 * one for a cluster or team that does not exist; unauthenticated is 401.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class AccessMatrixIT {

    enum Who {
        ADMIN,
        AUDITOR,
        TEAM_ADMIN,
        MEMBER,
        OTHER_TEAM_ADMIN,
        NO_ROLE,
        ANONYMOUS
    }

    enum Expect {
        ALLOWED,
        FORBIDDEN,
        HIDDEN,
        UNAUTHENTICATED
    }

    /** One request of the matrix and what each caller must get. */
    record Call(String method, String path, Object body, Map<Who, Expect> expected) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    String suffix = UUID.randomUUID().toString().substring(0, 6);
    String team = "mx-pay-" + suffix;
    String otherTeam = "mx-other-" + suffix;
    String cluster = "mx-c-" + suffix;
    Map<Who, String> tokens = new EnumMap<>(Who.class);

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersEachKindOfCallerAsTheRulesSay() {
        tokens.put(Who.ADMIN, Identities.ADMIN_TOKEN);
        tokens.put(
                Who.AUDITOR, Identities.user("mx-auditor-" + suffix, "auditor").token());
        User teamAdmin = Identities.user("mx-ta-" + suffix, null);
        User member = Identities.user("mx-member-" + suffix, null);
        User otherAdmin = Identities.user("mx-oa-" + suffix, null);
        Identities.grant(team, teamAdmin, "team-admin");
        Identities.grant(team, member, "team-member");
        Identities.grant(otherTeam, otherAdmin, "team-admin");
        tokens.put(Who.TEAM_ADMIN, teamAdmin.token());
        tokens.put(Who.MEMBER, member.token());
        tokens.put(Who.OTHER_TEAM_ADMIN, otherAdmin.token());
        tokens.put(Who.NO_ROLE, Identities.user("mx-none-" + suffix, null).token());

        Specs.put(cluster, Specs.small(team, 1), 202);
        Specs.awaitPhase(cluster, "Ready", Duration.ofSeconds(60));
        String operation = given().get("/api/v1/clusters/" + cluster + "/operations")
                .then()
                .statusCode(200)
                .extract()
                .path("[0].id");

        String c = "/api/v1/clusters/" + cluster;
        String t = "/api/v1/teams/" + team;
        Map<String, Object> badSpec = Specs.small(team, 1);
        badSpec.put("kubernetesVersion", "v0.0.1");
        Map<String, Object> newInTeam = Specs.small(team, 1);
        newInTeam.put("kubernetesVersion", "v0.0.1");

        List<Call> calls = new ArrayList<>();
        // clusters: reads
        calls.add(call("GET", "/api/v1/clusters", null, "AAAAAAU"));
        calls.add(call("GET", c, null, "AAAAHHU"));
        calls.add(call("GET", c + "/nodes", null, "AAAAHHU"));
        calls.add(call("GET", c + "/etcd-snapshots", null, "AAAAHHU"));
        calls.add(call("GET", c + "/operations", null, "AAAAHHU"));
        calls.add(call("GET", "/api/v1/operations/" + operation, null, "AAAAHHU"));
        // clusters: changes (each one invalid or repeated after access control, so the cluster stays as it is)
        calls.add(call("PUT", c, badSpec, "AFAFXXU"));
        calls.add(call("PUT", "/api/v1/clusters/mx-new-" + suffix, newInTeam, "AFAFFFU"));
        calls.add(call("PATCH", c + "/node-pools/workers", Map.of("quantity", -1), "AFAFHHU"));
        calls.add(call("POST", c + "/upgrade", Map.of("kubernetesVersion", "v0.0.1"), "AFAFHHU"));
        calls.add(call("POST", c + "/etcd-snapshots/no-such-snapshot/restore", Map.of(), "AFAFHHU"));
        calls.add(call("POST", c + "/nodes/no-such-node/replace", null, "AFAFHHU"));
        // node healing (the evaluation finds the cluster healthy; the pauses lack their reason)
        calls.add(call("GET", c + "/healing", null, "AAAAHHU"));
        calls.add(call("GET", c + "/healing/decisions", null, "AAAAHHU"));
        calls.add(call("POST", c + "/healing/evaluations", null, "AFAFHHU"));
        calls.add(call("PUT", c + "/healing/pause", Map.of(), "AFAFHHU"));
        calls.add(call("DELETE", c + "/healing/pause", null, "AFAFHHU"));
        calls.add(call("PUT", c + "/healing/pools/workers/pause", Map.of(), "AFAFHHU"));
        calls.add(call("DELETE", c + "/healing/pools/workers/pause", null, "AFAFHHU"));
        // addons (each change refused after access control: values off the schema, nothing installed, no such set)
        String rollout = "/api/v1/addon-rollouts/" + java.util.UUID.randomUUID();
        calls.add(call("GET", "/api/v1/addons", null, "AAAAAAU"));
        calls.add(call("GET", "/api/v1/addons/metrics-server", null, "AAAAAAU"));
        calls.add(call("GET", c + "/addons", null, "AAAAHHU"));
        calls.add(call("GET", c + "/addons/metrics-server", null, "AAAAHHU"));
        calls.add(call("PUT", c + "/addons/metrics-server", Map.of("values", Map.of("replicaz", 1)), "AFAFHHU"));
        calls.add(call("DELETE", c + "/addons/metrics-server", null, "AFAFHHU"));
        calls.add(call("GET", "/api/v1/addon-rollouts", null, "AAFFFFU"));
        calls.add(call("POST", "/api/v1/addon-rollouts", Map.of("addon", "no-such-addon"), "AFFFFFU"));
        calls.add(call("GET", rollout, null, "AAFFFFU"));
        calls.add(call("POST", rollout + "/pause", null, "AFFFFFU"));
        calls.add(call("GET", "/api/v1/addon-default-sets", null, "AAFFFFU"));
        calls.add(call("PUT", "/api/v1/addon-default-sets/mx-set", Map.of("addons", List.of()), "AFFFFFU"));
        calls.add(call("DELETE", "/api/v1/addon-default-sets/mx-none-" + suffix, null, "AFFFFFU"));
        // cluster health and alerts (reads; a check on demand is a read too)
        calls.add(call("GET", "/api/v1/health", null, "AAAAAAU"));
        calls.add(call("GET", c + "/health", null, "AAAAHHU"));
        calls.add(call("GET", c + "/health/history", null, "AAAAHHU"));
        calls.add(call("POST", c + "/health/checks", null, "AAAAHHU"));
        calls.add(call("GET", "/api/v1/alerts", null, "AAAAAAU"));
        calls.add(call("GET", "/api/v1/alert-rules", null, "AAAAAAU"));
        calls.add(call("GET", "/api/v1/alert-receivers", null, "AAFFFFU"));
        // credentials
        calls.add(call("GET", c + "/kubeconfig", null, "AFAAHHU"));
        calls.add(call("GET", c + "/registration-command", null, "AFAFHHU"));
        // teams
        calls.add(call("GET", "/api/v1/teams", null, "AAAAAAU"));
        calls.add(call("GET", t, null, "AAAAHHU"));
        calls.add(call("PUT", t, Map.of("quotas", Map.of("maxNodes", -1)), "AFFFFFU"));
        calls.add(call("GET", t + "/members", null, "AAAAHHU"));
        calls.add(call("PUT", t + "/members/" + member.name(), Map.of("role", "chief"), "AFAFHHU"));
        calls.add(call("DELETE", t + "/members/nobody-" + suffix, null, "AFAFHHU"));
        // users, tokens, group bindings, audit
        calls.add(call("GET", "/api/v1/users", null, "AAFFFFU"));
        calls.add(call("PUT", "/api/v1/users/mx-robot-" + suffix, Map.of("platformRole", "chief"), "AFFFFFU"));
        calls.add(call("GET", "/api/v1/group-bindings", null, "AFFFFFU"));
        calls.add(call("POST", "/api/v1/group-bindings", Map.of("group", "g", "role", "chief"), "AFFFFFU"));
        calls.add(call("GET", "/api/v1/audit-events", null, "AAFFFFU"));
        calls.add(call("GET", "/api/v1/me", null, "AAAAAAU"));
        calls.add(call("GET", "/api/v1/tokens", null, "AAAAAAU"));
        calls.add(call("POST", "/api/v1/tokens", Map.of("lifetimeSeconds", 1), "AAAAAAU"));
        // mirror sets (each change refused after access control: a cluster name left empty, a name with capitals)
        String mirrorSet = "mx-ms-" + suffix;
        given().contentType(ContentType.JSON)
                .body(Map.of("name", mirrorSet, "team", team, "clusters", List.of(cluster)))
                .post("/api/v1/mirror-sets")
                .then()
                .statusCode(201);
        String m = "/api/v1/mirror-sets/" + mirrorSet;
        calls.add(call("GET", "/api/v1/mirror-sets", null, "AAAAAAU"));
        calls.add(call("GET", m, null, "AAAAHHU"));
        calls.add(call("GET", m + "/exports", null, "AAAAHHU"));
        calls.add(call(
                "POST", "/api/v1/mirror-sets", Map.of("name", "Bad", "team", team, "clusters", List.of()), "AFAFFFU"));
        calls.add(call("PUT", m, Map.of("clusters", List.of("")), "AFAFHHU"));
        calls.add(call("DELETE", m, null, "-FAFHHU"));
        // last, as the deletion it is: those who may not go first; the team admin then deletes the cluster
        calls.add(call("DELETE", c, null, "-FAFHHU"));

        return calls.stream().flatMap(call -> call.expected().entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<Who, Expect> e) -> e.getValue() == Expect.ALLOWED))
                .map(e -> DynamicTest.dynamicTest(
                        call + " as " + e.getKey() + " is " + e.getValue(),
                        () -> check(call, e.getKey(), e.getValue()))));
    }

    /**
     * Builds a row from one letter per caller, in {@link Who} order: A allowed, F forbidden, H hidden, U
     * unauthenticated; X stands for "refused as taken" (409 on a PUT of another team's cluster name); - for not
     * asked (the admin's right to delete is the policy table's; here the team admin deletes the shared cluster).
     */
    Call call(String method, String path, Object body, String letters) {
        Map<Who, Expect> expected = new EnumMap<>(Who.class);
        Who[] who = Who.values();
        for (int i = 0; i < who.length; i++) {
            if (letters.charAt(i) == '-') {
                continue;
            }
            expected.put(
                    who[i],
                    switch (letters.charAt(i)) {
                        case 'A' -> Expect.ALLOWED;
                        case 'F' -> Expect.FORBIDDEN;
                        case 'H', 'X' -> Expect.HIDDEN;
                        case 'U' -> Expect.UNAUTHENTICATED;
                        default -> throw new IllegalArgumentException(letters);
                    });
        }
        return new Call(method, path, body, expected);
    }

    void check(Call call, Who who, Expect expect) {
        RequestSpecification request = given();
        request = who == Who.ANONYMOUS ? request.auth().none() : request.auth().oauth2(tokens.get(who));
        if (call.body() != null) {
            request = request.contentType(ContentType.JSON).body(call.body());
        }
        Response response = request.request(call.method(), call.path());
        int status = response.statusCode();
        String detail = status >= 400 ? response.jsonPath().getString("detail") : "";
        String described = call + " as " + who + " answered " + status + ": " + response.asString();
        boolean hiddenAnswer = status == 404
                        && detail != null
                        && detail.matches("(Cluster|Team|Operation|Mirror set) \\S+ does not exist")
                || status == 409 && detail != null && detail.contains("is not available");
        switch (expect) {
            case ALLOWED ->
                assertThat(status == 401 || status == 403 || hiddenAnswer)
                        .as(described)
                        .isFalse();
            case FORBIDDEN -> assertThat(status).as(described).isEqualTo(403);
            case HIDDEN -> assertThat(hiddenAnswer).as(described).isTrue();
            case UNAUTHENTICATED -> assertThat(status).as(described).isEqualTo(401);
        }
        if (status >= 400) {
            assertThat(response.contentType()).as(described).startsWith("application/problem+json");
        }
        if (who == Who.OTHER_TEAM_ADMIN
                && call.method().equals("GET")
                && call.path().equals("/api/v1/clusters")) {
            assertThat(response.jsonPath().getList("items.name", String.class))
                    .as("another team's clusters are not listed")
                    .doesNotContain(cluster);
        }
    }
}
