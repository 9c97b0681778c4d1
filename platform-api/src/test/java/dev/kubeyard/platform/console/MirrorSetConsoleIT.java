package dev.kubeyard.platform.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import dev.kubeyard.mirror.plan.MirrorLabels;
import dev.kubeyard.platform.testing.BoardObjects;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.HeadlessChromium;
import dev.kubeyard.platform.testing.Identities;
import dev.kubeyard.platform.testing.MirrorExports;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's mirror sets and the service board's cross-cluster marks in a real browser (chromium, headless): two
 * collected rancher-sim clusters in one set with a third that has left it, an exported service in the first and its
 * follower (as the mirror writes it) in the second, and the mirror's record of the export, in conflict, seeded in
 * {@code mirror_exports} (the mirror's runtime is not in the application yet).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class MirrorSetConsoleIT {

    static final Duration SOON = Duration.ofSeconds(15);
    static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    static final String TEAM = "console-mirror-" + TAG;
    static final String NS = "mirror-" + TAG;
    static final String SET = "console-set-" + TAG;
    static final String CHECKOUT = "checkout";
    static final String PLAIN = "plain";
    static final String CONFLICT = "port http is 80/TCP in one cluster and 8080/TCP in another";
    static final Instant SEEN = Instant.parse("2026-12-01T10:00:00Z");

    static String exporter;
    static String importer;
    static String leaver;

    private static HeadlessChromium chromium;

    @TestHTTPResource("/")
    URL root;

    @Inject
    MirrorExports mirror;

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

    @AfterEach
    void noRequestFailed() {
        assertThat(failedRequests).as("requests the pages made that failed").isEmpty();
    }

    @BeforeEach
    void aSetWithAConflict() {
        if (exporter != null) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (String prefix : List.of("mc-a-", "mc-b-")) {
            String name = prefix + TAG;
            Map<String, Object> spec = Specs.small(TEAM, 1);
            spec.put("labels", Map.of("env", "test", "board", "on"));
            Specs.put(name, spec, 202);
            names.add(name);
        }
        String c = "mc-c-" + TAG;
        Specs.put(c, Specs.small(TEAM, 1), 202);
        for (String name : names) {
            Specs.awaitPhase(name, "Ready", Duration.ofSeconds(90));
        }
        String a = names.get(0);
        String b = names.get(1);
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "name", SET, "team", TEAM, "clusters", List.of(a, b, c), "description", "shop across regions"))
                .post("/api/v1/mirror-sets")
                .then()
                .statusCode(201);
        given().contentType(ContentType.JSON)
                .body(Map.of("clusters", List.of(a, b), "description", "shop across regions"))
                .put("/api/v1/mirror-sets/" + SET)
                .then()
                .statusCode(200);
        mirror.seen(SET, a, SEEN);
        kube(a).resource(new ServiceBuilder(BoardObjects.service(NS, CHECKOUT, CHECKOUT))
                        .editMetadata()
                        .addToLabels(MirrorLabels.EXPORT, "true")
                        .endMetadata()
                        .build())
                .create();
        kube(a).resource(BoardObjects.service(NS, PLAIN, PLAIN)).create();
        Service follower = new ServiceBuilder(BoardObjects.service(NS, CHECKOUT, CHECKOUT))
                .editMetadata()
                .withLabels(Map.of(MirrorLabels.FOLLOWER, "true", MirrorLabels.SET, SET, MirrorLabels.ORIGIN, a))
                .endMetadata()
                .build();
        follower.getSpec().setSelector(null);
        kube(b).resource(follower).create();
        mirror.put(
                SET,
                a,
                NS,
                CHECKOUT,
                "ServiceExport",
                "[\"" + b + "\"]",
                "[{\"cluster\": \"" + b + "\", \"reason\": \"ServiceConflict\", \"message\": \"a Service of the same"
                        + " name is not a follower of this set\"}]",
                MirrorExports.conflict(CONFLICT));
        await().atMost(SOON)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> given().queryParam("namespace", NS)
                                .get("/api/v1/services")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getInt("total")
                        == 3);
        leaver = c;
        importer = b;
        exporter = a;
    }

    static KubernetesClient kube(String cluster) {
        return RancherSimResource.sim().kubernetesClient(cluster);
    }

    static String setRow() {
        return "#mirror-sets tr[data-set='" + SET + "']";
    }

    @Test
    void theNavigationLeadsToTheSetsOfTheCallersTeamsWithTheirMembersAndConflicts() {
        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root.toString());
            page.click("nav.pages a:text-is('Mirror sets')");
            page.waitForURL("**/console/mirror-sets");
            assertThat(page.locator("nav.pages a[aria-current=page]").textContent())
                    .isEqualTo("Mirror sets");
            assertThat(page.locator(setRow() + " td.team").textContent()).isEqualTo(TEAM);
            assertThat(page.locator(setRow() + " td.state").textContent()).isEqualTo("Active");
            assertThat(page.locator(setRow() + " td.members .member").allTextContents())
                    .containsExactly(exporter, importer, leaver);
            assertThat(page.locator(setRow() + " td.members .member.leaving").textContent())
                    .isEqualTo(leaver);
            assertThat(page.locator(setRow() + " td.exports").textContent()).isEqualTo("1 1 in conflict");
            assertThat(page.locator(setRow() + " td.name .why").textContent()).isEqualTo("shop across regions");

            page.click(setRow() + " td.name a");
            page.waitForURL("**/console/mirror-sets/" + SET);
            assertThat(page.locator("#set-state").textContent()).isEqualTo("Active");
        }
    }

    @Test
    void aSetsPageShowsEachMemberWithLastSeenAndStateAndTheExportsConflictProminently() {
        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root + "console/mirror-sets/" + SET);
            assertThat(page.locator("#set-summary").textContent())
                    .isEqualTo("team " + TEAM + ", 3 members, 1 exports, 1 in conflict");
            assertThat(page.locator("#set-conflicts .problem-title").textContent())
                    .isEqualTo("Conflict");
            assertThat(page.locator("#fact-create-namespaces").textContent()).startsWith("no");

            String a = "#members tr[data-cluster='" + exporter + "']";
            assertThat(page.locator(a + " td.state").textContent()).isEqualTo("Member");
            assertThat(page.locator(a + " td.seen time").getAttribute("datetime"))
                    .isEqualTo("2026-12-01T10:00:00Z");
            String b = "#members tr[data-cluster='" + importer + "']";
            assertThat(page.locator(b + " td.seen").textContent()).isEqualTo("never");
            String c = "#members tr[data-cluster='" + leaver + "']";
            assertThat(page.locator(c).getAttribute("data-state")).isEqualTo("Leaving");
            assertThat(page.locator(c + " td.state .why").textContent())
                    .isEqualTo("the mirror removes the set's followers from it");

            String export = "#exports tr[data-service='" + CHECKOUT + "']";
            assertThat(page.locator(export).getAttribute("data-conflict")).isEqualTo("true");
            assertThat(page.locator(export + " .conflict-message").textContent())
                    .isEqualTo("conflict " + CONFLICT);
            assertThat(page.locator(export + " td.cluster").textContent()).startsWith(exporter);
            assertThat(page.locator(export + " td.via").textContent()).isEqualTo("ServiceExport");
            assertThat(page.locator(export + " td.imported .importer").allTextContents())
                    .containsExactly(importer);
            assertThat(page.locator(export + " td.refusals .refusal").textContent())
                    .startsWith(importer + ": ServiceConflict");
            assertThat(page.locator(export + " .condition[data-type='Conflict']")
                            .getAttribute("data-status"))
                    .isEqualTo("True");

            page.click(export + " td.name a");
            page.waitForURL("**/console/services/" + exporter + "/" + NS + "/" + CHECKOUT);
        }
    }

    @Test
    void theServiceBoardMarksExportedFollowerAndConflictAndTheServicePageHasACrossClusterSection() {
        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root + "console/services?namespace=" + NS);
            String exported = "#services tr[data-cluster='" + exporter + "'][data-service='" + CHECKOUT + "']";
            String followed = "#services tr[data-cluster='" + importer + "'][data-service='" + CHECKOUT + "']";
            String plain = "#services tr[data-service='" + PLAIN + "']";
            assertThat(page.locator(exported + " td.name .mirror-exported").textContent())
                    .isEqualTo("exported · 1");
            assertThat(page.locator(exported + " td.name .mirror-conflict").textContent())
                    .isEqualTo("conflict");
            assertThat(page.locator(followed + " td.name .mirror-follower").textContent())
                    .isEqualTo("follower");
            assertThat(page.locator(followed + " td.name .mirror-follower").getAttribute("title"))
                    .contains(SET)
                    .contains(exporter);
            assertThat(page.locator(plain + " td.name .marker").count()).isZero();

            page.click(exported + " td.name a");
            page.waitForURL("**/console/services/" + exporter + "/" + NS + "/" + CHECKOUT);
            assertThat(page.locator("#cross-cluster").getAttribute("data-role")).isEqualTo("Exported");
            assertThat(page.locator("#cross-cluster .mirror-conflict-problem .problem-detail")
                            .textContent())
                    .isEqualTo(CONFLICT);
            assertThat(page.locator("#cross-cluster .export-imported").textContent())
                    .isEqualTo(importer);
            assertThat(page.locator("#cross-cluster .export-refusals").textContent())
                    .contains("ServiceConflict");

            page.navigate(root + "console/services/" + importer + "/" + NS + "/" + CHECKOUT);
            assertThat(page.locator("#cross-cluster").getAttribute("data-role")).isEqualTo("Follower");
            assertThat(page.locator("#follower-origin").textContent()).isEqualTo(exporter);
            page.click("#follower-set");
            page.waitForURL("**/console/mirror-sets/" + SET);

            page.navigate(root + "console/services/" + exporter + "/" + NS + "/" + PLAIN);
            assertThat(page.locator("#mirror-none").count()).isEqualTo(1);
        }
    }

    @Test
    void aTeamAdminMakesChangesAndDeletesASetWithTheFormsAndARefusalShowsAtTheFieldAtFault() {
        Identities.User admin = Identities.user("mirror-console-admin");
        Identities.grant(TEAM, admin, "team-admin");
        String name = "formed-" + TAG;
        List<String> refused = new ArrayList<>();
        try (BrowserContext context = chromium.signedIn(root, admin.token(), refused)) {
            Page page = chromium.page(context);
            page.navigate(root + "console/mirror-sets");
            assertThat(page.inputValue("#set-team"))
                    .as("the one team the caller may change")
                    .isEqualTo(TEAM);
            page.fill("#set-name", name);
            page.fill("#set-clusters", leaver + "\nno-such-" + TAG);
            page.fill("#set-description", "made in the console");
            page.click("#set-submit");
            page.waitForSelector("#set-problem:not([hidden])");
            assertThat(page.locator("#set-problem .problem-title").textContent())
                    .isEqualTo("Refused (400 Invalid request):");
            assertThat(page.locator("label[data-field='clusters']").getAttribute("class"))
                    .contains("invalid");
            assertThat(page.locator("label[data-field='clusters'] .field-error").textContent())
                    .startsWith("clusters[1] team " + TEAM + " has no cluster no-such-");
            assertThat(page.locator("#set-problem li[data-error-field='clusters[1]']")
                            .count())
                    .isEqualTo(1);

            // The leaver has left the other set: it may join this one.
            page.fill("#set-clusters", leaver);
            page.click("#set-submit");
            page.waitForURL("**/console/mirror-sets/" + name);
            assertThat(page.locator("#members tr[data-cluster='" + leaver + "']")
                            .getAttribute("data-state"))
                    .isEqualTo("Member");
            assertThat(page.locator("#fact-description").textContent()).isEqualTo("made in the console");
            assertThat(page.inputValue("#change-clusters")).isEqualTo(leaver);

            page.fill("#change-clusters", "");
            page.check("#change-create-namespaces");
            page.click("#change-submit");
            page.waitForSelector(
                    "#members tr[data-cluster='" + leaver + "'][data-state='Leaving']",
                    new Page.WaitForSelectorOptions().setTimeout(SOON.toMillis()));
            assertThat(page.locator("#change-done").textContent()).startsWith("Changed (version ");
            assertThat(page.locator("#fact-create-namespaces").textContent()).isEqualTo("yes");

            page.onDialog(dialog -> dialog.accept());
            page.click("#delete-set");
            page.waitForSelector(
                    "#mirror-set[data-state='Deleting']",
                    new Page.WaitForSelectorOptions().setTimeout(SOON.toMillis()));
            assertThat(page.locator("#set-state").textContent()).isEqualTo("Deleting");
        }
        assertThat(refused).singleElement().satisfies(f -> assertThat(f).startsWith("400 "));
        assertThat(given().get("/api/v1/mirror-sets/" + name)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getString("state"))
                .isEqualTo("Deleting");
    }

    @Test
    void aTeamMemberReadsTheSetsButIsOfferedNoForm() {
        Identities.User member = Identities.user("mirror-console-member");
        Identities.grant(TEAM, member, "team-member");
        try (BrowserContext context = chromium.signedIn(root, member.token(), failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root + "console/mirror-sets");
            assertThat(page.locator(setRow()).count()).isEqualTo(1);
            assertThat(page.locator("#set-form").count()).isZero();
            page.navigate(root + "console/mirror-sets/" + SET);
            assertThat(page.locator("#set-state").textContent()).isEqualTo("Active");
            assertThat(page.locator("#change-form").count()).isZero();
        }
    }

    @Test
    void anotherTeamsSetIsNotListedAndItsPageIsA404() {
        Identities.User outsider = Identities.user("mirror-console-outsider");
        Identities.grant("mirror-console-other-" + TAG, outsider, "team-member");
        List<String> refused = new ArrayList<>();
        try (BrowserContext context = chromium.signedIn(root, outsider.token(), refused)) {
            Page page = chromium.page(context);
            page.navigate(root + "console/mirror-sets");
            assertThat(page.locator(setRow()).count()).isZero();
            assertThat(page.locator("#no-sets").count()).isEqualTo(1);
            Response answer = page.navigate(root + "console/mirror-sets/" + SET);
            assertThat(answer.status()).isEqualTo(404);
            assertThat(page.locator("#not-found .problem-detail").textContent())
                    .contains(SET)
                    .doesNotContain(TEAM);
        }
        assertThat(refused).singleElement().satisfies(f -> assertThat(f).startsWith("404 "));
    }
}
