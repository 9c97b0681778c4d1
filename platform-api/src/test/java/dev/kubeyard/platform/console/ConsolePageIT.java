package dev.kubeyard.platform.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.cluster.ManagedClusterRepository;
import dev.kubeyard.inventory.team.Team;
import dev.kubeyard.inventory.team.TeamRepository;
import dev.kubeyard.platform.access.TokenAuthenticationMechanism;
import dev.kubeyard.platform.rancher.RancherConnection;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.HeadlessChromium;
import dev.kubeyard.platform.testing.Identities;
import dev.kubeyard.platform.testing.Inventory;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console page in a real browser: Debian's chromium, headless, driven by Playwright. The cluster reconciler may
 * move the clusters inserted here through phases while a test runs, so phases are compared with what the API says at
 * the same moment, never with a value fixed here.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
class ConsolePageIT {

    private static HeadlessChromium chromium;
    private static Browser browser;

    @TestHTTPResource("/")
    URL root;

    @Inject
    Inventory inventory;

    @Inject
    TeamRepository teams;

    @Inject
    ManagedClusterRepository clusters;

    @Inject
    RancherConnection rancher;

    private BrowserContext context;
    private Page page;
    private final List<String> failedRequests = new ArrayList<>();

    @BeforeAll
    static void startBrowser() {
        chromium = new HeadlessChromium();
        browser = chromium.browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void emptyInventoryAndOpenAPage() {
        inventory.clear();
        // Signed in as the admin, as the login form leaves a browser (signingIn... tests the form itself).
        context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests);
        page = chromium.page(context);
    }

    @AfterEach
    void closePage() {
        context.close();
    }

    @Test
    void signingInWithATokenShowsTheClustersAndAWrongTokenIsRefused() {
        insert("payments", "behind-login", "v1.33.5+rke2r1", null, Instant.now());
        try (BrowserContext fresh = browser.newContext()) {
            Page anonymous = fresh.newPage();
            anonymous.navigate(root.toString());
            assertThat(anonymous.url())
                    .as("an anonymous visit lands on the login page")
                    .endsWith("/login");
            assertThat(anonymous.locator("tr[data-cluster]").count()).isZero();

            anonymous.fill("#token", "kyd_ThisTokenWasNeverIssuedToAnybody00");
            anonymous.click("button[type=submit]");
            assertThat(anonymous.locator("#login-error").textContent()).contains("not valid");

            anonymous.fill("#token", Identities.ADMIN_TOKEN);
            anonymous.click("button[type=submit]");
            anonymous.waitForURL(root.toString());
            assertThat(anonymous.locator("tr[data-cluster='behind-login']").count())
                    .isEqualTo(1);
            assertThat(fresh.cookies().stream()
                            .filter(c -> c.name.equals(TokenAuthenticationMechanism.COOKIE))
                            .allMatch(c -> c.httpOnly))
                    .as("the session cookie is out of reach of scripts")
                    .isTrue();
            assertThat(anonymous.locator("#signed-in-as").textContent()).contains("admin");

            anonymous.click(".session button[type=submit]");
            anonymous.waitForURL("**/login");
            anonymous.navigate(root.toString());
            assertThat(anonymous.url()).as("signed out, the console asks again").endsWith("/login");
        }
    }

    @Test
    void listsEveryClusterByNameWithTeamVersionAndThePhaseTheApiReports() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        insert("payments", "prod-eu-1", "v1.33.5+rke2r1", null, now);
        insert("search", "ci-temp-7", "v1.34.2+rke2r1", Duration.ofHours(3), now);

        // Compare with the API read just before and just after the page: when those two agree, the page read the
        // same database state in between. A reconciler pass in between makes them differ, and the check is retried.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Map<String, String> before = phasesFromTheApi();
            page.navigate(root.toString());
            Map<String, String> shown = phasesOnThePage();
            Map<String, String> after = phasesFromTheApi();
            assertThat(after).as("the API while the page loaded").isEqualTo(before);
            assertThat(shown).isEqualTo(before);
        });

        Locator rows = page.locator("tr[data-cluster]");
        assertThat(rows.evaluateAll("rows => rows.map(r => r.dataset.cluster)"))
                .isEqualTo(List.of("ci-temp-7", "prod-eu-1"));
        assertThat(cell("prod-eu-1", "team")).isEqualTo("payments");
        assertThat(cell("ci-temp-7", "team")).isEqualTo("search");
        assertThat(cell("prod-eu-1", "version")).startsWith("v1.33.5+rke2r1");
        assertThat(cell("ci-temp-7", "version")).startsWith("v1.34.2+rke2r1");
        assertThat(page.locator("tr[data-cluster] td.phase .badge").count()).isEqualTo(2);
        assertThat(cell("prod-eu-1", "nodes")).matches("\\d+/\\d+");
        assertThat(page.locator(".summary").textContent()).isEqualTo("2 clusters");
        assertThat(page.locator("#empty-state").count()).isZero();
        assertThat(failedRequests).as("requests the page made that failed").isEmpty();
    }

    @Test
    void marksATemporaryClusterWithItsExpiry() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        insert("payments", "prod-eu-1", "v1.33.5+rke2r1", null, now);
        insert("search", "ci-temp-7", "v1.34.2+rke2r1", Duration.ofHours(3), now);

        page.navigate(root.toString());

        Locator expiry = row("ci-temp-7").locator("td.expiry time");
        assertThat(expiry.textContent()).isEqualTo("expires in 3 h");
        assertThat(expiry.getAttribute("datetime"))
                .isEqualTo(now.plus(Duration.ofHours(3)).toString());
        assertThat(row("prod-eu-1").locator("td.expiry").textContent()).isBlank();
    }

    @Test
    void tellsANewcomerHowToCreateAClusterWhenThereAreNone() {
        page.navigate(root.toString());

        Locator empty = page.locator("#empty-state");
        assertThat(empty.textContent()).contains("No clusters yet").contains("/api/v1/clusters/{name}");
        assertThat(empty.locator("pre").textContent())
                .startsWith("curl -X PUT " + root.toString().replaceAll("/$", "") + "/api/v1/clusters/")
                .contains("\"kubernetesVersion\"")
                .contains("\"nodePools\"");
        assertThat(page.locator("tr[data-cluster]").count()).isZero();
        assertThat(page.locator(".summary").textContent()).isEqualTo("0 clusters");
    }

    @Test
    void theEmptyStatesExampleCreatesAClusterThatThenAppears() {
        page.navigate(root.toString());
        String example = page.locator("#empty-state pre").textContent();

        Matcher command = Pattern.compile("curl -X PUT (\\S+) .*-d '(.*)'\\s*$", Pattern.DOTALL)
                .matcher(example);
        assertThat(command.find())
                .as("a curl PUT with a JSON body: %s", example)
                .isTrue();
        int status = given().contentType("application/json")
                .body(command.group(2))
                .when()
                .put(command.group(1))
                .then()
                .extract()
                .statusCode();
        assertThat(status).as("answer to the example").isIn(200, 201, 202);

        String name = command.group(1).substring(command.group(1).lastIndexOf('/') + 1);
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(row(name).count()).isEqualTo(1));
    }

    @Test
    void showsAClusterAddedAfterThePageLoadedWithoutAReload() {
        page.navigate(root.toString());
        assertThat(page.locator("#empty-state").isVisible()).isTrue();
        // Survives only as long as the document does: a reload or navigation would drop it.
        page.evaluate("() => { window.loadedOnce = true; }");

        insert("payments", "late-arrival", "v1.33.5+rke2r1", null, Instant.now());

        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(
                                page.locator("tr[data-cluster='late-arrival']").count())
                        .isEqualTo(1));
        assertThat(cell("late-arrival", "team")).isEqualTo("payments");
        assertThat(page.locator("#empty-state").count()).isZero();
        assertThat(page.evaluate("() => window.loadedOnce === true")).isEqualTo(true);
        assertThat(failedRequests).as("requests the page made that failed").isEmpty();
    }

    @Test
    void showsTheSandboxBannerExactlyWhenRancherIsSimulated() {
        page.navigate(root.toString());

        Locator banner = page.locator("#sandbox-banner");
        if (rancher.sandbox()) {
            assertThat(banner.textContent())
                    .startsWith("Sandbox mode: Rancher is simulated in-process; clusters here are not real.");
        } else {
            assertThat(banner.count()).isZero();
        }
    }

    private void insert(String team, String name, String version, Duration timeToLive, Instant now) {
        QuarkusTransaction.requiringNew().run(() -> {
            Team owner = teams.find("name", team).firstResultOptional().orElseGet(() -> {
                Team created = new Team(team, team);
                teams.persist(created);
                return created;
            });
            ManagedCluster cluster = new ManagedCluster(name, owner, version);
            if (timeToLive != null) {
                cluster.setTimeToLive(timeToLive, now);
            }
            clusters.persist(cluster);
        });
    }

    private static Map<String, String> phasesFromTheApi() {
        List<Map<String, Object>> items = given().queryParam("limit", 500)
                .when()
                .get("/api/v1/clusters")
                .then()
                .statusCode(200)
                .extract()
                .path("items");
        Map<String, String> phases = new LinkedHashMap<>();
        for (Map<String, Object> item : items) {
            @SuppressWarnings("unchecked") // JSON object as REST Assured parses it
            Map<String, Object> status = (Map<String, Object>) item.get("status");
            phases.put((String) item.get("name"), (String) status.get("phase"));
        }
        return phases;
    }

    /** Read in one go: the refresh may swap the list while a row at a time is read. */
    private Map<String, String> phasesOnThePage() {
        Object pairs = page.locator("tr[data-cluster]")
                .evaluateAll("rows => rows.map(r => [r.dataset.cluster, r.querySelector('td.phase .badge')"
                        + ".textContent.trim()])");
        Map<String, String> phases = new LinkedHashMap<>();
        for (Object pair : (List<?>) pairs) {
            List<?> nameAndPhase = (List<?>) pair;
            phases.put((String) nameAndPhase.get(0), (String) nameAndPhase.get(1));
        }
        return phases;
    }

    private Locator row(String name) {
        return page.locator("tr[data-cluster='" + name + "']");
    }

    private String cell(String name, String column) {
        return row(name).locator("td." + column).textContent().trim();
    }
}
