package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.sim.SimHttp.Resp;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bearer-token authentication on the Rancher APIs and the unauthenticated endpoints. */
class AuthIT {

    @RegisterExtension
    static RancherSimExtension open = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(1).timing(SimTiming.fast()));

    @RegisterExtension
    static RancherSimExtension locked = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(1).timing(SimTiming.fast()).token("token-admin:s3cret"));

    private static final String UNAUTHORIZED =
            "{\"type\":\"error\",\"status\":\"401\",\"message\":\"Unauthorized 401: must authenticate\"}";

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/v1/provisioning.cattle.io.clusters",
                "/v3/clusters",
                "/k8s/clusters/c-m-abc/version",
                "/apis/provisioning.cattle.io/v1/clusters"
            })
    void requestWithoutTokenGetsTheAuthErrorWithAStringStatus(String path) {
        Resp r = new SimHttp(open.url(), null).get(path);

        assertThat(r.code()).isEqualTo(401);
        assertThat(r.body()).isEqualTo(UNAUTHORIZED);
        assertThat(r.contentType()).startsWith("application/json");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Bearer no-colon", "Bearer :secret", "Bearer name:", "Token a:b", "Bearer"})
    void malformedAuthorizationIsUnauthorized(String header) {
        Resp r = new SimHttp(open.url(), header).get("/v1/provisioning.cattle.io.clusters");

        assertThat(r.code()).isEqualTo(401);
        assertThat(r.body()).isEqualTo(UNAUTHORIZED);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Bearer token-abcde:anything", "Bearer ext/token-abcde:anything"})
    void anyWellFormedTokenIsAcceptedByDefault(String header) {
        assertThat(new SimHttp(open.url(), header)
                        .get("/v1/provisioning.cattle.io.clusters")
                        .code())
                .isEqualTo(200);
    }

    @Test
    void basicAuthWithBase64UrlIsAccepted() {
        String basic = Base64.getUrlEncoder().encodeToString("token-x:y".getBytes(StandardCharsets.UTF_8));

        assertThat(new SimHttp(open.url(), "Basic " + basic).get("/v3/clusters").code())
                .isEqualTo(200);
    }

    @Test
    void pingReleasesAndAdminNeedNoToken() {
        SimHttp anonymous = new SimHttp(open.url(), null);

        Resp ping = anonymous.get("/ping");
        assertThat(ping.code()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("pong");
        JsonNode releases = anonymous.get("/v1-rke2-release/releases").json();
        assertThat(releases.path("data").size()).isGreaterThanOrEqualTo(3);
        assertThat(releases.at("/data/0/version").asText()).matches("v1\\.\\d+\\.\\d+\\+rke2r\\d+");
        assertThat(anonymous.get("/_sim/state").code()).isEqualTo(200);
    }

    @Test
    void fixedTokenAcceptsOnlyItselfAndTheTokensTheSimulatorMinted() {
        SimHttp admin = new SimHttp(locked.url(), "Bearer token-admin:s3cret");
        assertThat(admin.get("/v1/provisioning.cattle.io.clusters").code()).isEqualTo(200);
        assertThat(new SimHttp(locked.url(), "Bearer token-admin:wrong")
                        .get("/v1/provisioning.cattle.io.clusters")
                        .code())
                .isEqualTo(401);

        String v3 = admin.post("/v3/tokens", SimHttp.object().put("type", "token"))
                .json()
                .path("token")
                .asText();
        assertThat(new SimHttp(locked.url(), "Bearer " + v3).get("/v3/clusters").code())
                .isEqualTo(200);

        String ext = admin.post("/v1/ext.cattle.io.tokens", SimHttp.object().put("type", "ext.cattle.io.token"))
                .json()
                .at("/status/bearerToken")
                .asText();
        assertThat(ext).startsWith("ext/token-");
        assertThat(new SimHttp(locked.url(), "Bearer " + ext)
                        .get("/v1/provisioning.cattle.io.clusters")
                        .code())
                .isEqualTo(200);

        String mgmtId = locked.sim().managementId("demo-001");
        String config = admin.post("/v3/clusters/" + mgmtId + "?action=generateKubeconfig", "{}")
                .json()
                .path("config")
                .asText();
        Matcher m = Pattern.compile("token: \"([^\"]+)\"").matcher(config);
        assertThat(m.find()).isTrue();
        assertThat(new SimHttp(locked.url(), "Bearer " + m.group(1))
                        .get("/v3/clusters")
                        .code())
                .isEqualTo(200);

        String id = v3.substring(0, v3.indexOf(':'));
        assertThat(admin.delete("/v3/tokens/" + id).code()).isEqualTo(200);
        assertThat(new SimHttp(locked.url(), "Bearer " + v3).get("/v3/clusters").code())
                .as("a deleted token no longer authenticates")
                .isEqualTo(401);
    }
}
