package dev.kubeyard.platform.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import dev.kubeyard.platform.testing.BoardObjects;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.HeadlessChromium;
import dev.kubeyard.platform.testing.Identities;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's service board in a real browser (chromium, headless) against two rancher-sim clusters whose Services,
 * Pods, EndpointSlices and Ingresses the test writes straight into each cluster's API, as its users would; the real
 * collectors bring them to the board. The clusters and services are made once for the class, in a namespace of their
 * own, so that the services other tests put on the board do not get in the way. The same resources as the other API
 * tests, so the suite starts no second application for it.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class ServiceBoardConsoleIT {

    static final Duration SOON = Duration.ofSeconds(15);
    static final String TEAM = "console-board-team";
    static final String TAG = UUID.randomUUID().toString().substring(0, 6);
    static final String NS = "shop-" + TAG;
    static final String CHECKOUT = "checkout-" + TAG;
    static final String CART = "cart-" + TAG;
    static final String PAYMENTS = "payments-" + TAG;
    static final String SEARCH = "search-" + TAG;

    /** The first cluster has checkout and cart, the second payments and search. */
    static String first;

    static String second;

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

    @BeforeEach
    void servicesOnTheBoard() {
        if (first != null) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (String prefix : List.of("svc-a-", "svc-b-")) {
            String name = prefix + TAG;
            Map<String, Object> spec = Specs.small(TEAM, 1);
            spec.put("labels", Map.of("env", "test", "board", "on"));
            Specs.put(name, spec, 202);
            names.add(name);
        }
        for (String name : names) {
            Specs.awaitPhase(name, "Ready", Duration.ofSeconds(90));
        }
        String a = names.get(0);
        String b = names.get(1);
        deployCheckout(a);
        deploy(a, CART, "registry.example.com/shop/cart:1.0.3");
        deploy(b, PAYMENTS, "payments:3.2.0");
        deploy(b, SEARCH, "opensearch:2.19.1");
        await().atMost(SOON).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonPath all = given().queryParam("namespace", NS)
                    .get("/api/v1/services")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            if (all.getInt("total") != 4) {
                return false;
            }
            JsonPath checkout = detail(a, CHECKOUT);
            return checkout.getList("service.ingress.hosts").size() == 1
                    && checkout.getInt("service.endpoints.notReady") == 1
                    && checkout.getInt("service.pods.total") == 3;
        });
        second = b;
        first = a;
    }

    @AfterEach
    void noRequestFailed() {
        assertThat(failedRequests).as("requests the pages made that failed").isEmpty();
    }

    static KubernetesClient kube(String cluster) {
        return RancherSimResource.sim().kubernetesClient(cluster);
    }

    /** A pod of the service's selector in the phase, ready or not. */
    static Pod pod(String service, int index, String image, String phase, boolean ready) {
        return BoardObjects.pod(NS, service + "-" + index, service, image, phase, ready, null);
    }

    static void deploy(String cluster, String name, String image) {
        kube(cluster).resource(BoardObjects.service(NS, name, name)).create();
        kube(cluster).resource(pod(name, 0, image, "Running", true)).create();
    }

    /**
     * Checkout has every field: a load balancer with its address, two ports with node ports (one UDP, one with a named
     * target), two ready pods and a pending one, an EndpointSlice with a not-ready endpoint, and an Ingress.
     */
    static void deployCheckout(String cluster) {
        KubernetesClient k = kube(cluster);
        Service s = new ServiceBuilder(BoardObjects.service(NS, CHECKOUT, CHECKOUT))
                .editSpec()
                .withType("LoadBalancer")
                .withClusterIP("10.43.7.21")
                .editFirstPort()
                .withTargetPort(new IntOrString("web"))
                .withNodePort(30080)
                .endPort()
                .addNewPort()
                .withName("dns")
                .withProtocol("UDP")
                .withPort(53)
                .withTargetPort(new IntOrString(5353))
                .withNodePort(30053)
                .endPort()
                .endSpec()
                .withNewStatus()
                .withNewLoadBalancer()
                .addNewIngress()
                .withIp("198.51.100.7")
                .endIngress()
                .endLoadBalancer()
                .endStatus()
                .build();
        k.resource(s).create();
        String image = "registry.example.com/shop/checkout:2.4.1";
        k.resource(pod(CHECKOUT, 0, image, "Running", true)).create();
        k.resource(pod(CHECKOUT, 1, image, "Running", true)).create();
        k.resource(pod(CHECKOUT, 2, image, "Pending", false)).create();
        k.resource(new EndpointSliceBuilder()
                        .withNewMetadata()
                        .withNamespace(NS)
                        .withName(CHECKOUT + "-abcde")
                        .withLabels(Map.of("kubernetes.io/service-name", CHECKOUT))
                        .endMetadata()
                        .withAddressType("IPv4")
                        .addNewEndpoint()
                        .withAddresses("10.42.0.11")
                        .withNewConditions()
                        .withReady(true)
                        .endConditions()
                        .endEndpoint()
                        .addNewEndpoint()
                        .withAddresses("10.42.0.12")
                        .withNewConditions()
                        .withReady(true)
                        .endConditions()
                        .endEndpoint()
                        .addNewEndpoint()
                        .withAddresses("10.42.0.13")
                        .withNewConditions()
                        .withReady(false)
                        .endConditions()
                        .endEndpoint()
                        .build())
                .create();
        k.resource(BoardObjects.ingress(NS, CHECKOUT, CHECKOUT + ".shop.example.com", "203.0.113.10"))
                .create();
    }

    /** What the table's name column says, row by row: "namespace/name". */
    static List<String> shown(Page page) {
        return page.locator("#services tbody tr td.name a").allTextContents();
    }

    static String row(String name) {
        return "#services tr[data-service='" + name + "']";
    }

    static List<String> inNs(String... names) {
        return java.util.Arrays.stream(names).map(n -> NS + "/" + n).toList();
    }

    Page overview(BrowserContext context) {
        Page page = chromium.page(context);
        page.navigate(root + "console/services?namespace=" + NS);
        return page;
    }

    @Test
    void theOverviewListsTheServicesOfBothClustersAndTickingOneClusterNarrowsItToThatCluster() {
        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root.toString());
            page.click("nav.pages a:text-is('Services')");
            page.waitForURL("**/console/services");
            page.click("#filter-advanced summary");
            page.fill("#filter-namespace", NS);
            page.click("#service-filter button[type=submit]");
            page.waitForURL(url -> url.contains("namespace=" + NS));

            assertThat(shown(page)).containsExactlyInAnyOrderElementsOf(inNs(CHECKOUT, CART, PAYMENTS, SEARCH));
            assertThat(page.locator("#services tbody td.cluster").allTextContents())
                    .containsOnly(first, second);
            assertThat(page.locator("#services-summary").textContent()).isEqualTo("4 services, worst first");
            assertThat(page.locator(row(CART) + " td.type").textContent()).isEqualTo("ClusterIP");
            assertThat(page.locator(row(CART) + " td.ports").textContent()).isEqualTo("80→8080/TCP");
            assertThat(page.locator(row(CART) + " td.images .image").textContent())
                    .isEqualTo("cart:1.0.3");
            assertThat(page.locator(row(CART) + " td.images .image").getAttribute("title"))
                    .isEqualTo("registry.example.com/shop/cart:1.0.3");
            assertThat(page.locator(row(CART) + " td.pods").textContent()).isEqualTo("1/1 ready");
            assertThat(page.locator(row(CART) + " td.when time").getAttribute("datetime"))
                    .isNotBlank();
            assertThat(page.locator(row(CHECKOUT) + " td.hosts").textContent())
                    .isEqualTo(CHECKOUT + ".shop.example.com");
            assertThat(page.locator(row(CHECKOUT) + " td.ports").textContent())
                    .isEqualTo("80:30080→web/TCP, 53:30053→5353/UDP");
            assertThat(page.locator(row(CHECKOUT) + " td.status .badge").textContent())
                    .isEqualTo("Degraded");
            assertThat(page.locator(row(CHECKOUT) + " td.status .why").textContent())
                    .isEqualTo("2 of 3 pods ready.");
            String firstChoice = "#filter-clusters label[data-cluster='" + first + "']";
            assertThat(page.locator(firstChoice).textContent()).contains(first).containsPattern("\\(\\d+\\)");
            assertThat(page.locator(firstChoice + " .stale-marker").count())
                    .as("a current cluster has no mark")
                    .isZero();

            page.check(firstChoice + " input");
            page.click("#service-filter button[type=submit]");
            page.waitForURL(url -> url.contains("cluster=" + first));
            assertThat(shown(page)).containsExactlyInAnyOrderElementsOf(inNs(CHECKOUT, CART));
            assertThat(page.locator("#services tbody td.cluster").allTextContents())
                    .containsOnly(first);

            // The view lives in the URL: a reload shows the same.
            page.reload();
            assertThat(shown(page)).containsExactlyInAnyOrderElementsOf(inNs(CHECKOUT, CART));
            assertThat(page.isChecked(firstChoice + " input")).isTrue();
            assertThat(page.isChecked("#filter-clusters label[data-cluster='" + second + "'] input"))
                    .isFalse();
        }
    }

    @Test
    void typingASearchNarrowsTheTableToTheServicesThatMatch() {
        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = overview(context);
            page.fill("#filter-q", CHECKOUT);
            page.press("#filter-q", "Enter");
            page.waitForURL(url -> url.contains("q=" + CHECKOUT));
            assertThat(shown(page)).containsExactlyElementsOf(inNs(CHECKOUT));
            assertThat(page.inputValue("#filter-q")).isEqualTo(CHECKOUT);

            page.fill("#filter-q", "opensearch:2.19");
            page.press("#filter-q", "Enter");
            page.waitForURL(url -> url.contains("q=opensearch"));
            assertThat(shown(page)).as("an image matches too").containsExactlyElementsOf(inNs(SEARCH));

            page.fill("#filter-q", "no-such-" + TAG);
            page.press("#filter-q", "Enter");
            page.waitForURL(url -> url.contains("q=no-such"));
            assertThat(page.locator("#no-services").textContent()).isEqualTo("No service matches the filter.");
        }
    }

    @Test
    void theDownChipShowsOnlyTheServiceWhosePodIsNotReady() {
        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = overview(context);
            assertThat(page.locator(row(PAYMENTS)).getAttribute("data-status")).isEqualTo("Healthy");

            kube(second)
                    .resource(pod(PAYMENTS, 0, "payments:3.2.0", "Running", false))
                    .update();
            // The page refreshes itself: the service turns Down without a reload.
            page.waitForSelector(
                    row(PAYMENTS) + "[data-status='Down']",
                    new Page.WaitForSelectorOptions().setTimeout(SOON.toMillis()));
            assertThat(page.locator("#status-chips a[data-status='Down'] .number")
                            .textContent())
                    .isEqualTo("1");
            assertThat(page.locator(row(PAYMENTS) + " td.status .why").textContent())
                    .isEqualTo("0 of 1 pods ready.");

            page.click("#status-chips a[data-status='Down']");
            page.waitForURL(url -> url.contains("status=Down"));
            assertThat(shown(page)).containsExactlyElementsOf(inNs(PAYMENTS));
            assertThat(page.locator("#status-chips a[data-status='Down']").getAttribute("aria-current"))
                    .isEqualTo("true");
            assertThat(page.locator("#status-chips a[data-status='Healthy'] .number")
                            .textContent())
                    .as("the chips count whatever the status filter")
                    .isEqualTo("2");

            // The chosen chip again shows every status.
            page.click("#status-chips a[data-status='Down']");
            page.waitForURL(url -> !url.contains("status="));
            assertThat(shown(page)).hasSize(4);
            assertThat(shown(page).getFirst()).as("worst first").isEqualTo(NS + "/" + PAYMENTS);
        }
    }

    @Test
    void clickingTheNameHeaderSortsTheRowsByNameAndClickingAgainReversesThem() {
        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = overview(context);
            page.click("#services th a[data-sort='name']");
            page.waitForURL(url -> url.contains("sort=name") && url.contains("order=asc"));
            assertThat(shown(page)).containsExactlyElementsOf(inNs(CART, CHECKOUT, PAYMENTS, SEARCH));
            assertThat(page.locator("#services th:has(a[data-sort='name'])").getAttribute("aria-sort"))
                    .isEqualTo("ascending");
            assertThat(page.inputValue("#service-filter input[name=sort]"))
                    .as("a search keeps the order")
                    .isEqualTo("name");

            page.click("#services th a[data-sort='name']");
            page.waitForURL(url -> url.contains("sort=name") && url.contains("order=desc"));
            assertThat(shown(page)).containsExactlyElementsOf(inNs(SEARCH, PAYMENTS, CHECKOUT, CART));
            assertThat(page.locator("#services-summary").textContent()).isEqualTo("4 services, by name, descending");
        }
    }

    @Test
    void pagesKeepTheFiltersAndTheFirstPageLinkLeadsBack() {
        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = chromium.page(context);
            page.navigate(root + "console/services?namespace=" + NS + "&sort=name&limit=3");
            assertThat(shown(page)).containsExactlyElementsOf(inNs(CART, CHECKOUT, PAYMENTS));
            assertThat(page.locator("#first-page").count()).isZero();

            page.click("#next-page");
            page.waitForURL(url -> url.contains("cursor="));
            assertThat(shown(page)).containsExactlyElementsOf(inNs(SEARCH));
            assertThat(page.locator("#services-summary").textContent()).startsWith("4 services");
            assertThat(page.locator("#next-page").count()).as("the last page").isZero();

            page.click("#first-page");
            page.waitForURL(url -> !url.contains("cursor="));
            assertThat(shown(page)).containsExactlyElementsOf(inNs(CART, CHECKOUT, PAYMENTS));
        }
    }

    @Test
    void theDetailPageShowsEveryFieldOfTheServiceAndItsClustersFreshness() {
        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
            Page page = overview(context);
            page.click(row(CHECKOUT) + " td.name a");
            page.waitForURL("**/console/services/" + first + "/" + NS + "/" + CHECKOUT);

            assertThat(page.locator("#service-status").textContent()).isEqualTo("Degraded");
            assertThat(page.locator("#status-reason").textContent()).isEqualTo("2 of 3 pods ready.");
            assertThat(page.locator("#fact-cluster").textContent()).isEqualTo(first + " (team " + TEAM + ")");
            assertThat(page.locator("#fact-type").textContent()).isEqualTo("LoadBalancer");
            assertThat(page.locator("#fact-cluster-ip").textContent()).isEqualTo("10.43.7.21");
            assertThat(page.locator("#fact-images").textContent())
                    .isEqualTo("registry.example.com/shop/checkout:2.4.1");
            assertThat(page.locator("#pods-ready").textContent()).isEqualTo("2/3 ready");
            assertThat(page.locator("#pods-phases").textContent()).isEqualTo("(2 Running, 1 Pending)");
            assertThat(page.locator("#endpoints-ready").textContent()).isEqualTo("2 ready");
            assertThat(page.locator("#endpoints-not-ready").textContent()).isEqualTo("1 not ready");
            assertThat(page.locator("#fact-ingress-hosts").textContent()).isEqualTo(CHECKOUT + ".shop.example.com");
            assertThat(page.locator("#fact-ingress-addresses").textContent()).isEqualTo("203.0.113.10");
            assertThat(page.locator("#fact-lb-addresses").textContent()).isEqualTo("198.51.100.7");
            assertThat(page.locator("#fact-labels code.label").allTextContents())
                    .containsExactly("app=" + CHECKOUT, "tier=web");
            assertThat(page.locator("#fact-updated time").getAttribute("datetime"))
                    .isNotBlank();

            assertThat(page.locator("#ports tr[data-port='80'] td").allTextContents())
                    .containsExactly("http", "80", "TCP", "web", "30080");
            assertThat(page.locator("#ports tr[data-port='53'] td").allTextContents())
                    .containsExactly("dns", "53", "UDP", "5353", "30053");

            assertThat(page.locator("#cluster-freshness").getAttribute("data-current"))
                    .isEqualTo("true");
            assertThat(page.locator("#synced-at time").getAttribute("datetime")).isNotBlank();
            assertThat(page.locator("#stale-reason").textContent()).isEqualTo("yes");

            assertThat(page.locator("#health-link").getAttribute("href"))
                    .endsWith("console/clusters/" + first + "/health");
            page.click("#overview-link");
            page.waitForURL(url -> url.endsWith("console/services?cluster=" + first));
            assertThat(page.locator("#filter-clusters label[data-cluster='" + first + "'] input")
                            .isChecked())
                    .isTrue();
            assertThat(page.locator("#services tbody td.cluster").allTextContents())
                    .containsOnly(first);
        }
    }

    /** The board's word for the cluster at this moment: why it is not current, or null when it is. */
    static String staleReason(String cluster) {
        return given().get("/api/v1/services/clusters")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("items.find { it.name == '" + cluster + "' }.staleReason");
    }

    static JsonPath detail(String cluster, String name) {
        return given().get("/api/v1/services/" + cluster + "/" + NS + "/" + name)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    static String status(String cluster, String name) {
        return detail(cluster, name).getString("service.status");
    }

    static String statusReason(String cluster, String name) {
        return detail(cluster, name).getString("service.statusReason");
    }

    /** The board first says the watches reconnect, then, once its probe has an answer, that the API does not answer. */
    @Test
    void aClusterThatStopsAnsweringIsMarkedNotCurrentWithItsReasonAndItsServicesShowUnknown() {
        RancherSimResource.sim().faults().apiReachable(second, false);
        try {
            await().atMost(SOON)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> String.valueOf(staleReason(second)).contains("does not answer")
                            && statusReason(second, SEARCH).contains("does not answer"));
            try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, failedRequests)) {
                Page page = overview(context);
                String choice = "#filter-clusters label[data-cluster='" + second + "']";
                assertThat(page.locator(choice + " .stale-marker").textContent())
                        .isEqualTo("not current");
                assertThat(page.locator(choice).getAttribute("title"))
                        .startsWith("Not current: ")
                        .contains("does not answer");
                assertThat(page.locator("#filter-clusters label[data-cluster='" + first + "'] .stale-marker")
                                .count())
                        .isZero();
                assertThat(page.locator("#status-chips a[data-status='Unknown'] .number")
                                .textContent())
                        .isEqualTo("2");

                page.click("#status-chips a[data-status='Unknown']");
                page.waitForURL(url -> url.contains("status=Unknown"));
                assertThat(shown(page)).containsExactlyInAnyOrderElementsOf(inNs(PAYMENTS, SEARCH));
                assertThat(page.locator(row(SEARCH) + " td.status .why").textContent())
                        .startsWith("The cluster's objects are not current: its API does not answer");

                page.click(row(SEARCH) + " td.name a");
                page.waitForURL("**/console/services/" + second + "/" + NS + "/" + SEARCH);
                assertThat(page.locator("#cluster-freshness").getAttribute("data-current"))
                        .isEqualTo("false");
                assertThat(page.locator("#stale-reason").textContent()).contains("does not answer");
                assertThat(page.locator("#stale-reason time").getAttribute("datetime"))
                        .isNotBlank();
            }
        } finally {
            RancherSimResource.sim().faults().apiReachable(second, true);
        }
        await().atMost(SOON)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> staleReason(second) == null && "Healthy".equals(status(second, SEARCH)));
    }

    @Test
    void aMemberOfAnotherTeamSeesNoneOfTheServicesAndNotTheirPages() {
        Identities.User outsider = Identities.user("board-console-outsider");
        Identities.grant("board-console-other-team", outsider, "team-member");
        List<String> refused = new ArrayList<>();
        try (BrowserContext context = chromium.signedIn(root, outsider.token(), refused)) {
            Page page = overview(context);
            assertThat(page.locator("#signed-in-as").textContent()).contains(outsider.name());
            assertThat(page.locator("#services tbody tr").count()).isZero();
            assertThat(page.locator("#no-services").textContent()).isEqualTo("No service matches the filter.");
            assertThat(page.locator("#filter-clusters label[data-cluster]").count())
                    .as("no cluster of another team to choose")
                    .isZero();
            assertThat(page.locator("#status-chips .number").allTextContents()).containsOnly("0");

            Response detail = page.navigate(root + "console/services/" + first + "/" + NS + "/" + CHECKOUT);
            assertThat(detail.status()).isEqualTo(404);
            assertThat(page.locator("#not-found .problem-detail").textContent())
                    .contains(NS + "/" + CHECKOUT)
                    .doesNotContain("LoadBalancer");
        }
        assertThat(refused).singleElement().satisfies(f -> assertThat(f).startsWith("404 "));
    }

    @Test
    void aBadParameterShowsTheProblemOnThePageAboveTheFilterItCameFrom() {
        List<String> refused = new ArrayList<>();
        try (BrowserContext context = chromium.signedIn(root, Identities.ADMIN_TOKEN, refused)) {
            Page page = chromium.page(context);
            Response answer = page.navigate(root + "console/services?status=Broken&q=" + CART);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(page.locator("#filter-problem .problem-title").textContent())
                    .isEqualTo("Invalid request");
            assertThat(page.locator("#filter-problem .problem-detail").textContent())
                    .isEqualTo("status: must be a comma-separated list of Healthy, Degraded, Down, Unknown;"
                            + " was 'Broken'");
            assertThat(page.inputValue("#filter-q"))
                    .as("the form keeps what was asked")
                    .isEqualTo(CART);
            assertThat(page.locator("#services[data-refresh]").count())
                    .as("a refused filter is not refreshed")
                    .isZero();

            answer = page.navigate(root + "console/services?sort=size");
            assertThat(answer.status()).isEqualTo(400);
            assertThat(page.locator("#filter-problem .problem-detail").textContent())
                    .startsWith("sort: ");
        }
        assertThat(refused).hasSize(2).allSatisfy(f -> assertThat(f).startsWith("400 "));
    }
}
