package dev.kubeyard.platform.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.HeadlessChromium;
import dev.kubeyard.platform.testing.Identities;
import dev.kubeyard.platform.testing.Identities.User;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
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
 * The console's addon pages in a real browser (chromium, headless) against rancher-sim's cluster APIs, with the addon
 * controllers of the test application (passes every 300 ms) and its rollout runner (every second): the catalog, a
 * cluster's addons installed, refused, changed and removed through the page's form, what a team member without change
 * rights and another team's admin see, and a rollout's progress per cluster with its Pause, Resume and Abort buttons.
 * The same resources as the other API tests, so the suite starts no second application for it.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class AddonConsoleIT {

    static final Duration WAIT = Duration.ofSeconds(45);

    /** Waits in the browser: the pages refresh every 3 s, the controllers act within a second. */
    static final Page.WaitForSelectorOptions LONG = new Page.WaitForSelectorOptions().setTimeout(WAIT.toMillis());

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

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Ready clusters at {@link Specs#VERSION} (Kubernetes v1.33.5), created together. */
    static List<String> readyClusters(String team, int count) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = unique("console-addons");
            Specs.put(name, Specs.small(team, 1), 202);
            names.add(name);
        }
        names.forEach(name -> Specs.awaitPhase(name, "Ready", Duration.ofSeconds(90)));
        return names;
    }

    static JsonPath install(String cluster, String addon, String version) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("version", version))
                .when()
                .put("/api/v1/clusters/" + cluster + "/addons/" + addon)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    static int installationStatus(String cluster, String addon) {
        return given().when()
                .get("/api/v1/clusters/" + cluster + "/addons/" + addon)
                .then()
                .extract()
                .statusCode();
    }

    static JsonPath installation(String cluster, String addon) {
        return given().when()
                .get("/api/v1/clusters/" + cluster + "/addons/" + addon)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static void awaitState(String cluster, String addon, String state) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> installation(cluster, addon).getString("state"), state::equals);
    }

    static JsonPath rollout(String id) {
        return given().when()
                .get("/api/v1/addon-rollouts/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void anAdminInstallsAnAddonFromTheClusterPageSeesItReachAppliedAndRemovesIt() {
        String cluster = readyClusters("console-addon-admins", 1).getFirst();
        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root.toString());
            page.click("tr[data-cluster='" + cluster + "'] a.addons-link");
            page.waitForURL("**/console/clusters/" + cluster + "/addons");
            assertThat(page.locator("#cluster-facts").textContent()).contains("v1.33.5");
            assertThat(page.locator("#no-addons").isVisible()).isTrue();
            // Survives only as long as the document does: the table must update without a reload.
            page.evaluate("() => { window.loadedOnce = true; }");

            page.selectOption("#install-addon", "metrics-server");
            assertThat(page.locator("#install-namespace").getAttribute("placeholder"))
                    .isEqualTo("kube-system");
            page.selectOption("#install-version", "0.7.2");
            page.click("#install-submit");
            page.waitForSelector("#install-form .done:has-text('Installed metrics-server 0.7.2 in kube-system')");

            String row = "#installations tr[data-addon='metrics-server']";
            page.waitForSelector(row + " td.cond-Applied[data-status='True']", LONG);
            assertThat(page.locator(row + " td.version").textContent()).isEqualTo("0.7.2");
            assertThat(page.locator(row + " td.applied-version").textContent()).startsWith("0.7.2");
            assertThat(page.locator(row + " td.namespace").textContent()).isEqualTo("kube-system");
            assertThat(page.locator(row + " td.cond-Applied .reason").textContent())
                    .isNotBlank();
            assertThat(Integer.parseInt(
                            page.locator(row + " td.objects").textContent().trim()))
                    .as("objects applied")
                    .isPositive();
            assertThat(page.locator(row + " td.last-actions li").allTextContents())
                    .as("what the first pass did")
                    .isNotEmpty();
            assertThat(page.locator(row + " td.when time").getAttribute("datetime"))
                    .isNotBlank();
            page.waitForSelector(row + " td.state .badge:text-is('Healthy')", LONG);
            assertThat(installation(cluster, "metrics-server").getString("status.appliedVersion"))
                    .isEqualTo("0.7.2");
            assertThat(page.evaluate("() => window.loadedOnce === true")).isEqualTo(true);

            page.click(row + " button.change-addon");
            assertThat(page.inputValue("#install-addon")).isEqualTo("metrics-server");
            assertThat(page.inputValue("#install-version"))
                    .as("a change starts from what is installed")
                    .isEqualTo("0.7.2");
            assertThat(page.inputValue("#install-namespace")).isEqualTo("kube-system");
            assertThat(page.locator("#install-submit").textContent()).isEqualTo("Change metrics-server");
            page.selectOption("#install-version", "0.8.0");
            page.fill("#install-values", "replicas: 2\n");
            page.click("#install-submit");
            page.waitForSelector("#install-form .done:has-text('Saved metrics-server 0.8.0 in kube-system')");
            page.waitForSelector(row + " td.applied-version:has-text('0.8.0')", LONG);
            page.waitForSelector(row + " td.cond-Applied[data-status='True']", LONG);
            assertThat(page.locator(row + " td.version").textContent()).isEqualTo("0.8.0");
            assertThat(installation(cluster, "metrics-server").getInt("values.replicas"))
                    .isEqualTo(2);

            List<String> questions = new ArrayList<>();
            page.onceDialog(dialog -> {
                questions.add(dialog.message());
                dialog.accept();
            });
            page.click(row + " button.remove-addon");
            page.waitForSelector("#no-addons", LONG);
            assertThat(questions)
                    .singleElement()
                    .satisfies(q -> assertThat(q).contains("metrics-server").contains(cluster));
            assertThat(installationStatus(cluster, "metrics-server")).isEqualTo(404);
        }
        assertThat(failedRequests).as("requests the page made that failed").isEmpty();
    }

    @Test
    void valuesThatBreakTheSchemaAreShownNextToTheFormNamingTheFieldAndNothingIsInstalled() {
        String cluster = readyClusters("console-addon-admins", 1).getFirst();
        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root + "console/clusters/" + cluster + "/addons");

            page.selectOption("#install-addon", "local-path-provisioner");
            page.fill("#install-values", "storageClass:\n  reclaimPolicy: Sometimes\n");
            page.click("#install-submit");
            page.waitForSelector("#install-problem:not([hidden])");
            assertThat(page.locator("#install-problem .problem-detail").textContent())
                    .contains("values.storageClass.reclaimPolicy");
            assertThat(page.locator("#install-problem li[data-error-field='values.storageClass.reclaimPolicy']")
                            .count())
                    .isEqualTo(1);
            assertThat(page.locator("label[data-field='values'] .field-error").textContent())
                    .contains("values.storageClass.reclaimPolicy");
            assertThat(page.locator("#install-values").getAttribute("aria-invalid"))
                    .isEqualTo("true");
            assertThat(installationStatus(cluster, "local-path-provisioner"))
                    .as("a refused install stores nothing")
                    .isEqualTo(404);

            page.fill("#install-values", "storageClass: [Delete\n");
            page.click("#install-submit");
            page.waitForSelector("#install-problem .problem-detail:has-text('line')");
            assertThat(page.locator("#install-problem li[data-error-field='values']")
                            .count())
                    .as("text that is neither YAML nor JSON")
                    .isEqualTo(1);

            page.fill("#install-values", "{\"storageClass\": {\"reclaimPolicy\": \"Retain\"}}");
            page.click("#install-submit");
            page.waitForSelector("#install-form .done:has-text('Installed local-path-provisioner 0.0.31')");
            assertThat(page.locator("#install-problem").isHidden()).isTrue();
            assertThat(page.locator("#install-values").getAttribute("aria-invalid"))
                    .isNull();
            page.waitForSelector("#installations tr[data-addon='local-path-provisioner']", LONG);
            assertThat(installation(cluster, "local-path-provisioner").getString("values.storageClass.reclaimPolicy"))
                    .isEqualTo("Retain");
        }
        assertThat(failedRequests)
                .as("the refused install, then the values that were not YAML")
                .hasSize(2)
                .satisfiesExactly(
                        f -> assertThat(f)
                                .startsWith("400 ")
                                .endsWith("/api/v1/clusters/" + cluster + "/addons/local-path-provisioner"),
                        f -> assertThat(f).startsWith("400 ").endsWith("/console/addon-values"));
    }

    @Test
    void aTeamMemberSeesTheClustersAddonsButNoFormOrButtonsAndAnotherTeamSeesNothing() {
        String team = unique("console-addon-readers");
        String cluster = readyClusters(team, 1).getFirst();
        install(cluster, "metrics-server", "0.7.2");
        User member = Identities.user(unique("console-addon-member"), null);
        Identities.grant(team, member, "team-member");
        User stranger = Identities.user(unique("console-addon-stranger"), null);
        Identities.grant(unique("console-addon-others"), stranger, "team-admin");

        try (BrowserContext context = chromium.signedIn(root, member.token(), failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root.toString());
            page.click("tr[data-cluster='" + cluster + "'] a.addons-link");
            page.waitForURL("**/console/clusters/" + cluster + "/addons");
            page.waitForSelector("#installations tr[data-addon='metrics-server']");
            assertThat(page.locator("#installations tr[data-addon] td.version").allTextContents())
                    .containsExactly("0.7.2");
            assertThat(page.locator("#read-only").isVisible()).isTrue();
            assertThat(page.locator("#install-form").count()).isZero();
            assertThat(page.locator("button.remove-addon").count()).isZero();
            assertThat(page.locator("button.change-addon").count()).isZero();
            assertThat(page.locator("nav.pages a").allTextContents())
                    .as(
                            "no fleet-wide pages for a team member; health, alerts and services show the team's own clusters")
                    .containsExactly("Clusters", "Addon catalog", "Health", "Alerts", "Services", "Mirror sets");

            // The table refreshes for a reader too, and still without buttons.
            String asOf = page.locator("#installations").getAttribute("data-as-of");
            page.waitForFunction(
                    "asOf => document.querySelector('#installations').dataset.asOf !== asOf",
                    asOf,
                    new Page.WaitForFunctionOptions().setTimeout(WAIT.toMillis()));
            page.waitForSelector(
                    "#installations tr[data-addon='metrics-server'] td.cond-Applied[data-status='True']", LONG);
            assertThat(page.locator("button.remove-addon").count()).isZero();

            Response rollouts = page.navigate(root + "console/addon-rollouts");
            assertThat(rollouts.status()).as("rollouts need READ_FLEET").isEqualTo(403);
        }
        try (BrowserContext context = chromium.signedIn(root, stranger.token(), failedRequests)) {
            Page page = chromium.page(context);
            Response answer = page.navigate(root + "console/clusters/" + cluster + "/addons");
            assertThat(answer.status())
                    .as("another team's cluster does not exist for them")
                    .isEqualTo(404);
            assertThat(page.content()).doesNotContain("metrics-server");
        }
        assertThat(failedRequests)
                .satisfiesExactly(
                        f -> assertThat(f).startsWith("403 ").endsWith("/console/addon-rollouts"),
                        f -> assertThat(f).startsWith("404 ").endsWith("/console/clusters/" + cluster + "/addons"));
    }

    @Test
    void theRolloutPageShowsEachClustersProgressAndAnAdminPausesResumesAndAbortsIt() {
        List<String> clusters = readyClusters("console-rollouts", 2);
        String canary = clusters.get(0);
        String second = clusters.get(1);
        clusters.forEach(c -> install(c, "local-path-provisioner", "0.0.30"));
        clusters.forEach(c -> awaitState(c, "local-path-provisioner", "Healthy"));
        // A long soak holds the canary in wave 0, so that the second cluster stays Pending while the test looks.
        String id = given().contentType(ContentType.JSON)
                .body(Map.of(
                        "addon", "local-path-provisioner",
                        "version", "0.0.31",
                        "clusters", clusters,
                        "canaries", 1,
                        "maxConcurrent", 1,
                        "soakSeconds", 3600,
                        "progressDeadlineSeconds", 120))
                .when()
                .post("/api/v1/addon-rollouts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        User auditor = Identities.user(unique("console-auditor"), "auditor");

        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root.toString());
            page.click("nav.pages a:text-is('Addon rollouts')");
            page.waitForURL("**/console/addon-rollouts");
            page.click("tr[data-rollout='" + id + "'] td.name a");
            page.waitForURL("**/console/addon-rollouts/" + id);

            String first = "#rollout tr[data-cluster='" + canary + "']";
            String next = "#rollout tr[data-cluster='" + second + "']";
            page.waitForSelector(first + "[data-phase='Soaking']", LONG);
            assertThat(page.locator(first + " td.wave").textContent()).isEqualTo("0");
            assertThat(page.locator(first + " td.previous").textContent()).isEqualTo("0.0.30");
            assertThat(page.locator(first + " td.started").textContent()).endsWith("UTC");
            assertThat(page.locator(first + " td.healthy").textContent()).endsWith("UTC");
            assertThat(page.locator(first + " td.message").textContent()).contains("soaking");
            assertThat(page.locator(next + " td.wave").textContent()).isEqualTo("1");
            assertThat(page.locator(next + "[data-phase='Pending']").count()).isEqualTo(1);
            assertThat(page.locator("#rollout-progress").textContent())
                    .contains("2 clusters")
                    .contains("1 Soaking")
                    .contains("1 Pending");
            assertThat(page.locator("#rollout-settings td[data-setting='soakSeconds']")
                            .textContent())
                    .isEqualTo("3600");
            assertThat(page.locator("#rollout-settings td[data-setting='healthGate']")
                            .textContent())
                    .isEqualTo("true");
            assertThat(page.locator("#rollout-message").textContent()).contains("wave 0");

            page.click("#pause");
            page.waitForSelector("#rollout[data-phase='Paused']");
            assertThat(rollout(id).getString("phase")).isEqualTo("Paused");
            assertThat(page.locator("#rollout-message").textContent()).contains("paused by admin");
            page.click("#resume");
            page.waitForSelector("#rollout[data-phase='Running']");

            page.onceDialog(dialog -> dialog.accept());
            page.click("#abort");
            page.waitForSelector("#rollout[data-phase='RolledBack']", LONG);
            assertThat(page.locator(first + "[data-phase='RolledBack']").count())
                    .isEqualTo(1);
            assertThat(page.locator(first + " td.message").textContent()).contains("0.0.30");
            assertThat(page.locator(next + "[data-phase='Pending']").count())
                    .as("a cluster the rollout did not reach is left alone")
                    .isEqualTo(1);
            assertThat(page.locator("#rollout").getAttribute("data-active")).isEqualTo("false");
            assertThat(page.locator("#rollout-commands").count()).isZero();
            assertThat(installation(canary, "local-path-provisioner").getString("version"))
                    .isEqualTo("0.0.30");
        }
        try (BrowserContext context = chromium.signedIn(root, auditor.token(), failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root + "console/addon-rollouts");
            assertThat(page.locator("tr[data-rollout='" + id + "'] .badge").textContent())
                    .isEqualTo("RolledBack");
            assertThat(page.locator("#rollout-form").count())
                    .as("auditors read, never start")
                    .isZero();
            page.navigate(root + "console/addon-rollouts/" + id);
            assertThat(page.locator("#rollout tr[data-cluster]").count()).isEqualTo(2);
            assertThat(page.locator("button.rollout-command").count()).isZero();
        }
        assertThat(failedRequests).as("requests the pages made that failed").isEmpty();
    }

    @Test
    void aRolloutStartedFromTheFormOpensItsPageAndARefusalNamesTheSetting() {
        String cluster = readyClusters("console-rollout-starters", 1).getFirst();
        install(cluster, "etcd-backup", "3.5.16");
        awaitState(cluster, "etcd-backup", "Healthy");

        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root + "console/addon-rollouts");
            page.selectOption("#rollout-addon", "etcd-backup");
            page.selectOption("#rollout-version", "3.6.4");
            page.fill("#rollout-clusters", cluster);
            assertThat(page.locator("#rollout-healthGate").isChecked())
                    .as("the health gate is on unless turned off")
                    .isTrue();
            page.fill("#rollout-maxConcurrent", "0");
            page.fill("#rollout-soakSeconds", "0");
            page.click("#rollout-submit");
            page.waitForSelector("#rollout-problem:not([hidden])");
            assertThat(page.locator("label[data-field='maxConcurrent'] .field-error")
                            .textContent())
                    .contains("at least 1");
            assertThat(page.locator("#rollout-problem li[data-error-field='maxConcurrent']")
                            .count())
                    .isEqualTo(1);

            page.fill("#rollout-maxConcurrent", "1");
            page.click("#rollout-submit");
            page.waitForURL(url -> url.contains("/console/addon-rollouts/"));
            page.waitForSelector("#rollout[data-phase='Succeeded']", LONG);
            Locator row = page.locator("#rollout tr[data-cluster='" + cluster + "']");
            assertThat(row.getAttribute("data-phase")).isEqualTo("Succeeded");
            assertThat(row.locator("td.previous").textContent()).isEqualTo("3.5.16");
            assertThat(page.locator("#rollout-settings td[data-setting='soakSeconds']")
                            .textContent())
                    .isEqualTo("0");
        }
        assertThat(installation(cluster, "etcd-backup").getString("version")).isEqualTo("3.6.4");
        assertThat(failedRequests)
                .as("only the refused rollout failed")
                .singleElement()
                .satisfies(f -> assertThat(f).startsWith("400 ").endsWith("/api/v1/addon-rollouts"));
    }

    @Test
    void theCatalogShowsEveryAddonsVersionsAndAVersionsDefaultsAndSchemaEscaped() {
        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root.toString());
            page.click("nav.pages a:text-is('Addon catalog')");
            page.waitForURL("**/console/addons");
            assertThat(page.locator("section.addon .addon-name").allTextContents())
                    .contains("metrics-server", "local-path-provisioner", "fluent-bit", "etcd-backup");
            String version = "#addon-metrics-server tr[data-version='0.7.2']";
            assertThat(page.locator(version + " td.kubernetes").textContent()).isEqualTo(">=1.30.0 <1.35.0");
            assertThat(page.locator(version + " td.source").textContent()).isEqualTo("chart");
            assertThat(page.locator(version + " td.health").textContent()).contains("Deployment metrics-server");
            assertThat(page.locator(version + " td.notes").textContent()).contains("PodDisruptionBudget");
            assertThat(page.locator("#addon-metrics-server .category").textContent())
                    .isEqualTo("monitoring");
            page.click(version + " td.name a");
            page.waitForURL("**/console/addons/metrics-server/versions/0.7.2");
            assertThat(page.locator("#defaults pre").textContent()).contains("\"replicas\": 1");
            assertThat(page.locator("#schema pre").textContent())
                    .contains("\"maximum\": 5")
                    .contains("\"pattern\": \"^[1-9][0-9]+s$\"");
        }
        String html = given().accept("text/html")
                .when()
                .get("/console/addons/metrics-server/versions/0.7.2")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertThat(html)
                .as("the documents are text in the page, escaped")
                .contains("&quot;replicas&quot;: 1")
                .contains("&gt;=1.30.0 &lt;1.35.0")
                .doesNotContain("<1.35.0");
        assertThat(failedRequests).isEmpty();
    }
}
