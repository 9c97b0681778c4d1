package dev.kubeyard.platform.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.kubeyard.health.control.HealthService;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.HeadlessChromium;
import dev.kubeyard.platform.testing.Identities;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's health and alert pages in a real browser (chromium, headless) against rancher-sim's clusters and
 * fault injection: the fleet view, a cluster's checks with their findings and history, "Check now", and an alert that
 * opens when the cluster's API stops answering. The scheduled sweep waits an hour in tests, so the test sweeps its own
 * cluster (every 500 ms, as a sweep would); rule durations are 3 s here (application.properties). The same resources
 * as the other API tests, so the suite starts no second application for it.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class HealthConsoleIT {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration SWEEP = Duration.ofMillis(500);

    private static HeadlessChromium chromium;

    @TestHTTPResource("/")
    URL root;

    @Inject
    HealthService health;

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

    static String readyCluster(String team) {
        String name = "console-health-" + UUID.randomUUID().toString().substring(0, 6);
        Specs.put(name, Specs.small(team, 1), 202);
        Specs.awaitPhase(name, "Ready", Duration.ofSeconds(90));
        return name;
    }

    /** The cluster's status as the fleet API says it at this moment. */
    static String fleetStatus(String cluster) {
        List<Map<String, Object>> rows = given().when()
                .get("/api/v1/health")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.findAll { it.cluster == '" + cluster + "' }");
        assertThat(rows).hasSize(1);
        return (String) rows.getFirst().get("status");
    }

    static List<Map<String, Object>> firing(String cluster) {
        return given().queryParam("cluster", cluster)
                .queryParam("rule", "ClusterUnreachable")
                .when()
                .get("/api/v1/alerts")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    static String check(String check) {
        return "#checks tr[data-check='" + check + "']";
    }

    @Test
    void theFleetTheClustersChecksAndItsAlertFollowAClusterWhoseApiStopsAnswering() {
        String cluster = readyCluster("console-health-team");
        health.sweep(cluster::equals);
        String status = fleetStatus(cluster);
        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root.toString());
            page.click("nav.pages a:text-is('Health')");
            page.waitForURL("**/console/health");
            String row = "#fleet tr[data-cluster='" + cluster + "']";
            assertThat(page.locator(row + " td.status .badge").textContent()).isEqualTo(status);
            assertThat(page.locator(row + " td.team").textContent()).isEqualTo("console-health-team");
            assertThat(page.locator(row + " td.phase").textContent()).isEqualTo("Ready");
            assertThat(page.locator(row + " td.when time").getAttribute("datetime"))
                    .isNotBlank();
            assertThat(Integer.parseInt(page.locator("#status-summary a[data-status='" + status + "'] .number")
                            .textContent()))
                    .isPositive();

            // The summary's segment filters the table; the team filter narrows it to the team.
            page.click("#status-summary a[data-status='" + status + "']");
            page.waitForURL("**/console/health?status=" + status);
            assertThat(page.locator("#fleet tr[data-cluster] td.status").allTextContents())
                    .containsOnly(status);
            page.selectOption("#filter-team", "console-health-team");
            page.click("#fleet-filter button");
            page.waitForURL("**/console/health?status=" + status + "&team=console-health-team");
            assertThat(page.locator("#fleet tr[data-cluster] td.team").allTextContents())
                    .containsOnly("console-health-team")
                    .isNotEmpty();

            page.click(row + " td.name a");
            page.waitForURL("**/console/clusters/" + cluster + "/health");
            assertThat(page.locator("#cluster-status").textContent()).isEqualTo(status);
            String reachable = check("api-reachable");
            assertThat(page.locator(reachable + " td.status").textContent()).isEqualTo("Pass");
            assertThat(page.locator(reachable + " td.message").textContent()).contains("answered");
            assertThat(page.locator(reachable + " td.millis").textContent()).endsWith(" ms");
            assertThat(page.locator("#no-firing").isVisible()).isTrue();
            assertThat(page.locator("#history tr.transition[data-check='api-reachable'][data-to='Pass']")
                            .count())
                    .as("the first check is history too")
                    .isEqualTo(1);
            assertThat(page.locator(reachable + " details").count())
                    .as("a passing api-reachable has no findings")
                    .isZero();

            RancherSimResource.sim().faults().apiReachable(cluster, false);
            try {
                page.click("#check-now button");
                page.waitForSelector(reachable + "[data-status='Fail']");
                page.waitForSelector("#check-now .done:text-is('checked: Fail')");
                assertThat(page.locator(reachable + " td.reason").textContent()).isNotBlank();
                assertThat(page.locator("#cluster-status").textContent()).isEqualTo("Fail");

                // A check's findings open on demand and stay open while the page refreshes.
                String findings = reachable + " details[data-findings='api-reachable']";
                assertThat(page.locator(findings + " li[data-subject]").isVisible())
                        .isFalse();
                page.click(findings + " summary");
                assertThat(page.locator(findings + " li[data-subject='cluster'] .badge")
                                .textContent())
                        .isEqualTo("Fail");
                assertThat(page.locator(findings + " li[data-subject='cluster'] .message")
                                .textContent())
                        .isNotBlank();
                String asOf = page.locator("#cluster-health").getAttribute("data-as-of");

                await().atMost(WAIT).pollInterval(SWEEP).until(() -> {
                    health.sweep(cluster::equals);
                    return !firing(cluster).isEmpty();
                });
                page.waitForFunction("asOf => document.querySelector('#cluster-health').dataset.asOf !== asOf", asOf);
                assertThat(page.locator(findings).getAttribute("open"))
                        .as("opened before the refresh, open after it")
                        .isNotNull();
                assertThat(page.locator("#firing-alerts tr[data-rule='ClusterUnreachable']")
                                .count())
                        .as("the refresh shows the alert that opened meanwhile")
                        .isEqualTo(1);

                page.click("nav.pages a:text-is('Alerts')");
                page.waitForURL("**/console/alerts");
                String alert = "#alerts tr[data-rule='ClusterUnreachable'][data-cluster='" + cluster + "']";
                page.waitForSelector(alert);
                assertThat(page.locator(alert + " .severity").textContent()).isNotBlank();
                assertThat(page.locator(alert + " .summary-text").textContent()).isNotBlank();
                assertThat(page.locator(alert + " .active-since time").getAttribute("datetime"))
                        .isNotBlank();
                assertThat(page.locator(alert + " .resolved").textContent()).isEqualTo("Firing");
                assertThat(page.locator("#rules tr[data-rule='ClusterUnreachable'] td.for")
                                .textContent())
                        .isEqualTo("3 s");
                page.selectOption("#filter-cluster", cluster);
                page.click("#alert-filter button");
                page.waitForURL("**/console/alerts?*cluster=" + cluster);
                assertThat(page.locator("#alerts tr[data-alert] td.name").allTextContents())
                        .containsOnly(cluster)
                        .isNotEmpty();

                page.click(alert + " td.name a");
                page.waitForURL("**/console/clusters/" + cluster + "/health");
                assertThat(page.locator(reachable + " td.status").textContent()).isEqualTo("Fail");
                assertThat(page.locator("#cluster-status").textContent()).isEqualTo("Fail");
                assertThat(page.locator("#firing-alerts tr[data-rule='ClusterUnreachable']")
                                .count())
                        .isEqualTo(1);
                assertThat(page.locator("#history tr.transition[data-check='api-reachable']")
                                .first()
                                .getAttribute("data-to"))
                        .as("the newest change first")
                        .isEqualTo("Fail");

                page.navigate(root + "console/health?team=console-health-team");
                assertThat(page.locator(row + " td.status").textContent()).isEqualTo("Fail");
                assertThat(page.locator(row + " td.failing").textContent()).contains("api-reachable");
                assertThat(page.locator(row + " td.firing").textContent()).isEqualTo("1");
            } finally {
                RancherSimResource.sim().faults().apiReachable(cluster, true);
            }
        }
        assertThat(failedRequests).as("requests the pages made that failed").isEmpty();
    }
}
