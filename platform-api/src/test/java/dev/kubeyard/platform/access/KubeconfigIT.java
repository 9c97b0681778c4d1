package dev.kubeyard.platform.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.Identities;
import dev.kubeyard.platform.testing.Identities.User;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import dev.kubeyard.rancher.client.identity.ClusterRoleTemplateBinding;
import dev.kubeyard.rancher.client.identity.RancherUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Kubeconfigs are issued through Rancher with the rights of the caller's role: their own Rancher identity, bound to the
 * cluster with the role template of their team role, a token valid on that cluster only and for at most 24 hours; and
 * when the role goes, the binding and the token go within a sync period. rancher-sim stands in for Rancher and checks
 * the tokens as Rancher does.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class KubeconfigIT {

    static final Duration SYNC = Duration.ofSeconds(20);
    static final Pattern TOKEN = Pattern.compile("token: \"?([^\"\\s]+)\"?");
    static final Pattern SERVER = Pattern.compile("server: \"?([^\"\\s]+)\"?");

    final String suffix = UUID.randomUUID().toString().substring(0, 6);
    final HttpClient http = HttpClient.newHttpClient();

    String readyCluster(String team) {
        String name = team + "-" + UUID.randomUUID().toString().substring(0, 4);
        Specs.put(name, Specs.small(team, 1), 202);
        Specs.awaitPhase(name, "Ready", Duration.ofSeconds(60));
        return name;
    }

    static Response kubeconfig(String token, String cluster) {
        return given().auth().oauth2(token).get("/api/v1/clusters/" + cluster + "/kubeconfig");
    }

    static String group(Pattern pattern, String yaml) {
        Matcher m = pattern.matcher(yaml);
        assertThat(m.find()).as("kubeconfig has %s", pattern).isTrue();
        return m.group(1);
    }

    /** Lists the nodes through Rancher's proxy with the kubeconfig's server and token, as kubectl would. */
    int listNodes(String server, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server + "/api/v1/nodes"))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void aMembersKubeconfigCarriesATokenOfTheirOwnThatWorksOnThatClusterOnly() throws Exception {
        String team = "kc-" + suffix;
        String cluster = readyCluster(team);
        String other = readyCluster("kc-other-" + suffix);
        User member = Identities.user("kc-member");
        Identities.grant(team, member, "team-member");

        Response answer = kubeconfig(member.token(), cluster);
        answer.then()
                .statusCode(200)
                .header("Cache-Control", "no-store")
                .header("X-Kubeyard-Role-Template", "cluster-member");
        String yaml = answer.asString();
        String server = group(SERVER, yaml);
        String token = group(TOKEN, yaml);
        String managementId = RancherSimResource.sim().managementId(cluster);
        assertThat(server).endsWith("/k8s/clusters/" + managementId);
        assertThat(token).doesNotContain(member.token());

        assertThat(listNodes(server, token)).as("on its cluster").isEqualTo(200);
        String otherServer =
                server.replace(managementId, RancherSimResource.sim().managementId(other));
        assertThat(listNodes(otherServer, token)).as("on another cluster").isEqualTo(401);

        String rancherUser = RancherUser.nameFor(member.name());
        assertThat(RancherSimResource.sim().clusterRoleTemplateBindingsOfUser(rancherUser))
                .containsExactly(managementId + "/ky-" + rancherUser + "-cluster-member");
        Instant expires = Instant.parse(answer.header("X-Kubeyard-Expires-At"));
        assertThat(expires).isBefore(Instant.now().plus(Duration.ofHours(24).plusMinutes(1)));
    }

    @Test
    void aTeamAdminIsBoundAsOwnerAndAnAuditorGetsNoKubeconfig() {
        String team = "kc2-" + suffix;
        String cluster = readyCluster(team);
        User admin = Identities.user("kc-admin");
        Identities.grant(team, admin, "team-admin");
        kubeconfig(admin.token(), cluster).then().statusCode(200).header("X-Kubeyard-Role-Template", "cluster-owner");

        User auditor = Identities.user("kc-auditor-" + suffix, "auditor");
        kubeconfig(auditor.token(), cluster).then().statusCode(403);
        assertThat(RancherSimResource.sim().tokensOfUser(RancherUser.nameFor(auditor.name())))
                .isEmpty();
    }

    @Test
    void aLifetimeOverADayIsRefusedNamingTheParameter() {
        String team = "kc3-" + suffix;
        String cluster = readyCluster(team);
        given().get("/api/v1/clusters/" + cluster + "/kubeconfig?lifetimeSeconds=90000")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("lifetimeSeconds"));
    }

    @Test
    void takingARoleBackRemovesTheRancherBindingAndTokenWithinASyncPeriod() throws Exception {
        String team = "kc4-" + suffix;
        String cluster = readyCluster(team);
        User member = Identities.user("kc-leaver");
        Identities.grant(team, member, "team-member");
        String yaml = kubeconfig(member.token(), cluster)
                .then()
                .statusCode(200)
                .extract()
                .asString();
        String rancherUser = RancherUser.nameFor(member.name());
        assertThat(RancherSimResource.sim().tokensOfUser(rancherUser)).hasSize(1);

        // Someone bound the same identity by hand in Rancher: not Kubeyard's to judge, so the sweep leaves it.
        String managementId = RancherSimResource.sim().managementId(cluster);
        RancherSimResource.client()
                .clusterRoleBindings()
                .create(ClusterRoleTemplateBinding.forUser(managementId, rancherUser, "cluster-owner", Map.of()));
        String foreign = managementId + "/" + ClusterRoleTemplateBinding.nameFor(rancherUser, "cluster-owner");

        given().delete("/api/v1/teams/" + team + "/members/" + member.name())
                .then()
                .statusCode(204);

        await().atMost(SYNC).until(() -> RancherSimResource.sim()
                .clusterRoleTemplateBindingsOfUser(rancherUser)
                .equals(List.of(foreign)));
        await().atMost(SYNC)
                .until(() -> RancherSimResource.sim().tokensOfUser(rancherUser).isEmpty());
        assertThat(listNodes(group(SERVER, yaml), group(TOKEN, yaml))).isEqualTo(401);
    }

    @Test
    void leavingADirectoryGroupRemovesTheRancherBindingAndToken() throws Exception {
        String team = "kc5-" + suffix;
        String cluster = readyCluster(team);
        String group = "kc-devs-" + suffix;
        DirectoryResource.addGroup(group);
        given().contentType(ContentType.JSON)
                .body(Map.of("group", group, "team", team, "role", "team-member"))
                .post("/api/v1/group-bindings")
                .then()
                .statusCode(201);
        String uid = "gus-" + suffix;
        DirectoryResource.addPerson(uid, "gus-Pa55");
        DirectoryResource.addMember(group, uid);
        String token = given().auth()
                .preemptive()
                .basic(uid, "gus-Pa55")
                .contentType(ContentType.JSON)
                .body(Map.of())
                .post("/api/v1/tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
        String yaml =
                kubeconfig(token, cluster).then().statusCode(200).extract().asString();
        String rancherUser = RancherUser.nameFor(uid);
        assertThat(listNodes(group(SERVER, yaml), group(TOKEN, yaml))).isEqualTo(200);

        DirectoryResource.removeMember(group, uid);

        await().atMost(SYNC).until(() -> RancherSimResource.sim()
                .clusterRoleTemplateBindingsOfUser(rancherUser)
                .isEmpty());
        await().atMost(SYNC).until(() -> listNodes(group(SERVER, yaml), group(TOKEN, yaml)) == 401);
        assertThat(RancherSimResource.sim().tokensOfUser(rancherUser)).isEmpty();
        List<String> trail = given().get("/api/v1/audit-events?target=" + uid + "&action=rancher.*")
                .then()
                .extract()
                .jsonPath()
                .getList("items.action");
        assertThat(trail).contains("rancher.deleteBinding");
    }
}
