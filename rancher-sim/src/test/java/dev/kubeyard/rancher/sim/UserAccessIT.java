package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.SimHttp.Resp;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Users, their cluster role bindings, and tokens minted by a user for one cluster: the flow Kubeyard uses to hand a
 * platform user a kubeconfig issued through Rancher (docs/decisions/0005). Over real HTTP, with a fixed admin token
 * as Kubeyard runs it.
 */
class UserAccessIT {

    private static final String ADMIN = "token-admin:s3cret";
    private static final String PASSWORD = "one-time-passw0rd-for-login";

    @RegisterExtension
    static RancherSimExtension sim = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(2).timing(SimTiming.fast()).token(ADMIN));

    private static SimHttp admin;
    private static String cluster1;
    private static String cluster2;

    @BeforeAll
    static void ids() {
        admin = new SimHttp(sim.url(), "Bearer " + ADMIN);
        cluster1 = sim.sim().managementId("demo-001");
        cluster2 = sim.sim().managementId("demo-002");
    }

    private static String createUser(String name, String username) {
        ObjectNode body = SimHttp.object().put("type", "management.cattle.io.user");
        body.putObject("metadata").put("name", name).putObject("labels").put("kubeyard.dev/user", username);
        body.put("username", username).put("displayName", "User " + username);
        Resp r = admin.post("/v1/management.cattle.io.users", body);
        assertThat(r.code()).as(r.body()).isEqualTo(201);
        return r.json().at("/metadata/name").asText();
    }

    private static Resp bind(String clusterId, String name, String userId, String role) {
        ObjectNode body = SimHttp.object().put("type", "management.cattle.io.clusterroletemplatebinding");
        body.putObject("metadata").put("name", name).put("namespace", clusterId);
        body.put("clusterName", clusterId).put("roleTemplateName", role).put("userName", userId);
        return admin.post("/v1/management.cattle.io.clusterroletemplatebindings/" + clusterId, body);
    }

    /** Sets a password, logs in as the user, returns the session token. */
    private static String login(String userId, String username) {
        Resp set = admin.post(
                "/v3/users/" + userId + "?action=setpassword", SimHttp.object().put("newPassword", PASSWORD));
        assertThat(set.code()).as(set.body()).isEqualTo(200);
        Resp login = new SimHttp(sim.url(), null)
                .post(
                        "/v1-public/login",
                        SimHttp.object()
                                .put("type", "localProvider")
                                .put("username", username)
                                .put("password", PASSWORD)
                                .put("responseType", "json"));
        assertThat(login.code()).as(login.body()).isEqualTo(201);
        return login.json().path("token").asText();
    }

    private static Resp mint(String session, String clusterId, long ttlMillis) {
        ObjectNode body = SimHttp.object().put("type", "ext.cattle.io.token");
        body.putObject("metadata").putObject("labels").put("kubeyard.dev/purpose", "kubeconfig");
        body.putObject("spec").put("clusterName", clusterId).put("ttl", ttlMillis);
        return new SimHttp(sim.url(), "Bearer " + session).post("/v1/ext.cattle.io.tokens", body);
    }

    private static int versionWith(String bearer, String clusterId) {
        return new SimHttp(sim.url(), "Bearer " + bearer)
                .get("/k8s/clusters/" + clusterId + "/version")
                .code();
    }

    @Test
    void userIsServedInSteveShapeAndFoundByLabel() {
        String id = createUser("u-ky-alice", "ky-alice");

        JsonNode user = admin.get("/v1/management.cattle.io.users/" + id).json();
        assertThat(user.path("id").asText()).isEqualTo(id);
        assertThat(user.path("type").asText()).isEqualTo("management.cattle.io.user");
        assertThat(user.path("username").asText()).isEqualTo("ky-alice");
        assertThat(user.path("principalIds").get(0).asText()).isEqualTo("local://" + id);
        assertThat(user.at("/metadata/state/name").asText()).isEqualTo("active");
        JsonNode found = admin.get("/v1/management.cattle.io.users?filter=metadata.labels[kubeyard.dev/user]=ky-alice")
                .json();
        assertThat(found.path("count").asInt()).isEqualTo(1);
        assertThat(admin.post(
                                "/v1/management.cattle.io.users",
                                SimHttp.object()
                                        .put("username", "ky-alice")
                                        .set("metadata", SimHttp.object().put("generateName", "u-")))
                        .code())
                .as("a second user with the same username is refused")
                .isEqualTo(400);
        assertThat(admin.delete("/v1/management.cattle.io.users/" + id).code()).isEqualTo(200);
        assertThat(admin.get("/v1/management.cattle.io.users/" + id).code()).isEqualTo(404);
    }

    @Test
    void bindingsAreCheckedLikeRancherWebhookChecksThem() {
        String id = createUser("u-ky-bob", "ky-bob");

        assertThat(bind(cluster1, "ky-bob", id, "cluster-member").code()).isEqualTo(201);
        assertThat(bind(cluster1, "ky-bob", id, "cluster-member")
                        .json()
                        .path("code")
                        .asText())
                .isEqualTo("AlreadyExists");
        assertThat(bind(cluster1, "ky-bob-2", id, "no-such-role").code()).isEqualTo(400);
        assertThat(bind("c-m-nosuch00", "ky-bob", id, "cluster-owner").code()).isEqualTo(404);
        JsonNode list = admin.get("/v1/management.cattle.io.clusterroletemplatebindings/" + cluster1)
                .json();
        assertThat(list.path("data").findValuesAsText("userName")).contains(id);
        assertThat(list.path("data").get(0).path("id").asText()).startsWith(cluster1 + "/");
    }

    @Test
    void clusterScopedUserTokenWorksOnlyOnItsClusterAndDiesWithItsUser() {
        String id = createUser("u-ky-carol", "ky-carol");
        assertThat(bind(cluster1, "ky-carol", id, "cluster-owner").code()).isEqualTo(201);
        String session = login(id, "ky-carol");

        Resp minted = mint(session, cluster1, Duration.ofHours(24).toMillis());
        assertThat(minted.code()).as(minted.body()).isEqualTo(201);
        assertThat(minted.json().at("/spec/userID").asText()).isEqualTo(id);
        assertThat(minted.json().at("/metadata/labels/cattle.io~1user-id").asText())
                .isEqualTo(id);
        String bearer = minted.json().at("/status/bearerToken").asText();

        assertThat(versionWith(bearer, cluster1)).isEqualTo(200);
        assertThat(versionWith(bearer, cluster2)).as("another cluster").isEqualTo(401);
        assertThat(new SimHttp(sim.url(), "Bearer " + bearer)
                        .get("/v1/provisioning.cattle.io.clusters")
                        .code())
                .as("the Rancher API itself")
                .isEqualTo(401);
        assertThat(mint(session, cluster2, 60_000).code())
                .as("a cluster the user is not bound to")
                .isEqualTo(403);
        assertThat(versionWith(session, cluster2))
                .as("the user's session on an unbound cluster")
                .isEqualTo(404);
        assertThat(admin.get("/_sim/users/" + id).json().path("tokens").size()).isEqualTo(2);

        assertThat(admin.delete("/v1/management.cattle.io.users/" + id).code()).isEqualTo(200);

        assertThat(versionWith(bearer, cluster1)).isEqualTo(401);
        JsonNode left = admin.get("/_sim/users/" + id).json();
        assertThat(left.path("exists").asBoolean()).isFalse();
        assertThat(left.path("tokens")).isEmpty();
        assertThat(left.path("clusterRoleTemplateBindings")).isEmpty();
    }

    @Test
    void tokenIsRefusedOnceExpiredOrDeleted() {
        String id = createUser("u-ky-dave", "ky-dave");
        bind(cluster1, "ky-dave", id, "cluster-member");
        String session = login(id, "ky-dave");
        String shortLived =
                mint(session, cluster1, 1500).json().at("/status/bearerToken").asText();
        Resp kept = mint(session, cluster1, 3_600_000);
        String keptBearer = kept.json().at("/status/bearerToken").asText();

        assertThat(versionWith(shortLived, cluster1)).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> versionWith(shortLived, cluster1) == 401);

        String name = kept.json().at("/metadata/name").asText();
        assertThat(admin.get("/v1/ext.cattle.io.tokens?filter=metadata.labels[cattle.io/user-id]=" + id)
                        .json()
                        .path("data")
                        .findValuesAsText("name"))
                .contains(name);
        assertThat(admin.delete("/v1/ext.cattle.io.tokens/" + name).code()).isEqualTo(200);
        assertThat(versionWith(keptBearer, cluster1)).isEqualTo(401);
    }

    @Test
    void tokensAreAlwaysTheCallersOwn() {
        String id = createUser("u-ky-erin", "ky-erin");
        ObjectNode forOther = SimHttp.object().put("type", "ext.cattle.io.token");
        forOther.putObject("spec").put("userID", id);

        Resp r = admin.post("/v1/ext.cattle.io.tokens", forOther);

        assertThat(r.code()).isEqualTo(400);
        assertThat(r.json().path("message").asText()).isEqualTo("unable to create token for other user");
        String session = login(id, "ky-erin");
        SimHttp asUser = new SimHttp(sim.url(), "Bearer " + session);
        assertThat(asUser.get("/v1/provisioning.cattle.io.clusters").code())
                .as("a user sees no type it has no rights on")
                .isEqualTo(404);
        assertThat(asUser.post("/v1/ext.cattle.io.tokens", SimHttp.object().put("type", "ext.cattle.io.token"))
                        .code())
                .isEqualTo(201);
        admin.post("/v1/ext.cattle.io.tokens", SimHttp.object().put("type", "ext.cattle.io.token"));
        assertThat(asUser.get("/v1/ext.cattle.io.tokens").json().path("data").findValuesAsText("userID"))
                .containsExactly(id);
        String sessionId = session.substring(0, session.indexOf(':'));
        assertThat(asUser.delete("/v3/tokens/" + sessionId).code())
                .as("a user deletes its own session")
                .isEqualTo(200);
        assertThat(asUser.get("/v1/ext.cattle.io.tokens").code()).isEqualTo(401);
    }

    @Test
    void wrongPasswordIsRefusedInTheLoginShape() {
        createUser("u-ky-frank", "ky-frank");

        Resp r = new SimHttp(sim.url(), null)
                .post(
                        "/v1-public/login",
                        SimHttp.object()
                                .put("type", "localProvider")
                                .put("username", "ky-frank")
                                .put("password", "not-it"));

        assertThat(r.code()).isEqualTo(401);
        assertThat(r.json().path("baseType").asText()).isEqualTo("error");
        assertThat(r.json().path("status").asInt()).isEqualTo(401);
    }
}
