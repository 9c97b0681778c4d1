package dev.kubeyard.platform.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.HeadlessChromium;
import dev.kubeyard.platform.testing.Identities;
import dev.kubeyard.platform.testing.Identities.User;
import dev.kubeyard.platform.testing.Specs;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's healing page of a cluster in a real browser (chromium, headless), against the sandbox's simulated
 * Rancher: status, pause and resume of the cluster and of a pool, an evaluation on demand, the decision history, and
 * the refusals shown next to the button that caused them.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
class HealingConsoleIT {

    private static HeadlessChromium chromium;

    @TestHTTPResource("/")
    URL root;

    final List<String> failedRequests = new ArrayList<>();

    @BeforeAll
    static void startBrowser() {
        chromium = new HeadlessChromium();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    String readyCluster(String team) {
        String name = "console-heal-" + UUID.randomUUID().toString().substring(0, 6);
        Specs.put(name, Specs.small(team, 1), 202);
        Specs.awaitPhase(name, "Ready", Duration.ofSeconds(90));
        return name;
    }

    JsonPath status(String cluster) {
        return given().when()
                .get("/api/v1/clusters/" + cluster + "/healing")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void anAdminPausesAndResumesHealingEvaluatesAndReadsTheDecisions() {
        String cluster = readyCluster("console-healers");
        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root.toString());
            page.click("tr[data-cluster='" + cluster + "'] td.name a");
            page.waitForURL("**/console/clusters/" + cluster + "/healing");
            assertThat(page.locator("#never-evaluated").isVisible()).isTrue();
            assertThat(page.locator("tr[data-pool]").allTextContents())
                    .anySatisfy(t -> assertThat(t).contains("workers").contains("worker"));

            page.click("#evaluate button");
            page.waitForSelector("#last-message");
            assertThat(page.locator("#last-evaluation").textContent()).contains("AllNodesHealthy");
            assertThat(page.locator("tr.decision td.reason").allTextContents()).contains("AllNodesHealthy");

            page.fill("#pause-cluster input[name=reason]", "   ");
            page.click("#pause-cluster button");
            page.waitForSelector("#pause-cluster .error:not(:empty)");
            assertThat(page.locator("#pause-cluster .error").textContent()).contains("reason");
            assertThat(status(cluster).getString("paused"))
                    .as("a refused pause changes nothing")
                    .isNull();

            page.fill("#pause-cluster input[name=reason]", "replacing the switch in rack 4");
            page.click("#pause-cluster button");
            page.waitForSelector("#cluster-paused");
            assertThat(page.locator("#cluster-paused").textContent())
                    .contains("admin")
                    .contains("replacing the switch in rack 4");
            assertThat(status(cluster).getString("paused.reason")).isEqualTo("replacing the switch in rack 4");

            page.fill("tr[data-pool='workers'] input[name=reason]", "image under test");
            page.click("tr[data-pool='workers'] button");
            page.waitForSelector("tr[data-pool='workers'] .paused-badge");
            assertThat(status(cluster).getList("pausedPools.pool")).containsExactly("workers");

            page.click("#resume-cluster button");
            page.waitForSelector("#cluster-active");
            assertThat(status(cluster).getString("paused")).isNull();
            assertThat(status(cluster).getList("pausedPools.pool"))
                    .as("the pool's own switch stays")
                    .containsExactly("workers");

            page.click("#evaluate button");
            page.waitForSelector("tr.decision td.reason:text('NodePoolPaused')");
        }
        assertThat(failedRequests)
                .as("only the refused pause failed")
                .singleElement()
                .satisfies(f -> assertThat(f).startsWith("400 ").contains("/healing/pause"));
    }

    @Test
    void aTeamMemberSeesTheStatusAndHistoryButNoButtons() {
        String team = "console-readers-" + UUID.randomUUID().toString().substring(0, 4);
        String cluster = readyCluster(team);
        User member =
                Identities.user("console-member-" + UUID.randomUUID().toString().substring(0, 6), null);
        Identities.grant(team, member, "team-member");
        try (BrowserContext context = chromium.signedIn(root, member.token(), failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root + "console/clusters/" + cluster + "/healing");
            assertThat(page.locator("#cluster-active").isVisible()).isTrue();
            assertThat(page.locator("tr[data-pool]").count()).isEqualTo(2);
            assertThat(page.locator("form.healing-action").count()).isZero();
        }
        assertThat(failedRequests).isEmpty();
    }
}
