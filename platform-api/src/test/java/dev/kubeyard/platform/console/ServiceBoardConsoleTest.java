package dev.kubeyard.platform.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.platform.board.BoardViews;
import dev.kubeyard.platform.board.BoardViews.Pods;
import dev.kubeyard.platform.console.ServiceBoardConsole.Chosen;
import dev.kubeyard.platform.console.ServiceBoardConsole.Filter;
import dev.kubeyard.platform.console.ServiceBoardConsole.SortLink;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceBoardConsoleTest {

    static Stream<Arguments> ports() {
        return Stream.of(
                Arguments.of(
                        "a target like the port is left out",
                        new BoardViews.Port("http", "TCP", 80, "80", null),
                        "80/TCP"),
                Arguments.of(
                        "another target follows an arrow",
                        new BoardViews.Port("http", "TCP", 80, "8080", null),
                        "80→8080/TCP"),
                Arguments.of(
                        "a named target", new BoardViews.Port("https", "TCP", 443, "https", null), "443→https/TCP"),
                Arguments.of(
                        "a node port after a colon, as kubectl",
                        new BoardViews.Port("dns", "UDP", 53, "5353", 30053),
                        "53:30053→5353/UDP"),
                Arguments.of("no target at all", new BoardViews.Port(null, "SCTP", 9000, null, null), "9000/SCTP"),
                Arguments.of("no protocol is TCP", new BoardViews.Port(null, null, 8443, "", null), "8443/TCP"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ports")
    void writesAPortAsKubectlDoesWithItsTarget(String row, BoardViews.Port port, String text) {
        assertThat(ServiceBoardText.port(port)).isEqualTo(text);
    }

    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of(
                        "a registry and path are left out",
                        "registry.example.com/shop/checkout:2.4.1",
                        "checkout:2.4.1"),
                Arguments.of("a registry's port is not a tag", "localhost:5000/cart:1.0", "cart:1.0"),
                Arguments.of("a bare name stays", "nginx", "nginx"),
                Arguments.of(
                        "a digest is cut to 12 digits",
                        "ghcr.io/acme/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                        "api@sha256:0123456789ab"),
                Arguments.of("a short digest stays", "api@sha256:0123", "api@sha256:0123"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void showsAnImageByItsNameAndTag(String row, String image, String text) {
        assertThat(ServiceBoardText.image(image)).isEqualTo(text);
    }

    @Test
    void countsPodsReadyOfAllAndNamesOnlyThePhasesThatHavePods() {
        Pods pods = new Pods(4, 2, 1, 0, 1, 0, 2);
        assertThat(ServiceBoardText.pods(pods)).isEqualTo("2/4 ready");
        assertThat(ServiceBoardText.phases(pods)).isEqualTo("2 Running, 1 Pending, 1 Failed");
        Pods none = new Pods(0, 0, 0, 0, 0, 0, 0);
        assertThat(ServiceBoardText.pods(none)).isEqualTo("no pods");
        assertThat(ServiceBoardText.phases(none)).isEqualTo("no pods");
    }

    @Test
    void listsLabelsInKeyOrder() {
        assertThat(ServiceBoardText.labels(Map.of("tier", "web", "app", "checkout")))
                .containsExactly("app=checkout", "tier=web");
        assertThat(ServiceBoardText.labels(null)).isEmpty();
    }

    static Filter filter(String clusters, String status, String cursor) {
        Chosen c = new Chosen();
        c.cluster = clusters == null ? null : List.of(clusters);
        c.status = status;
        c.q = "  shop ";
        c.cursor = cursor;
        return Filter.of(c);
    }

    @Test
    void aLinkKeepsTheFiltersCommaSeparatedAndTrimmedAndLeavesOutWhatIsNotSet() {
        Filter f = filter("prod-1, prod-2,prod-1", "Down", "abc");
        assertThat(f.clusters()).containsExactly("prod-1", "prod-2");
        assertThat(f.query()).isEqualTo("?cluster=prod-1%2Cprod-2&cursor=abc&q=shop&status=Down");
        assertThat(filter(null, null, null).query()).isEqualTo("?q=shop");
    }

    @Test
    void aStatusChipTogglesItsStatusAndStartsAtTheFirstPage() {
        Filter f = filter(null, "Down", "abc");
        assertThat(f.toggled("Degraded").statuses()).containsExactly("Down", "Degraded");
        assertThat(f.toggled("Down").statuses()).isEmpty();
        assertThat(f.toggled("Degraded").cursor()).isEmpty();
    }

    static BoardViews.Page page(String sort, String order) {
        return new BoardViews.Page(List.of(), 3, Map.of(), null, sort, order);
    }

    @Test
    void theSortedColumnsHeaderReversesTheOrderAndAnotherStartsItsOwnWay() {
        Filter f = filter(null, null, "abc");
        SortLink current = ServiceBoardConsole.sortLink("/console/services", f, page("name", "asc"), "name");
        assertThat(current.href()).isEqualTo("/console/services?order=desc&q=shop&sort=name");
        assertThat(current.ariaSort()).isEqualTo("ascending");

        SortLink updated = ServiceBoardConsole.sortLink("/console/services", f, page("name", "asc"), "updatedAt");
        assertThat(updated.href()).as("newest first").isEqualTo("/console/services?order=desc&q=shop&sort=updatedAt");
        assertThat(updated.ariaSort()).isEqualTo("none");
        assertThat(updated.arrow()).isEmpty();
    }

    @Test
    void theSummarySaysHowManyAndInWhichOrder() {
        assertThat(ServiceBoardConsole.summary(page("status", "asc"))).isEqualTo("3 services, worst first");
        assertThat(ServiceBoardConsole.summary(page("cluster", "desc")))
                .isEqualTo("3 services, by cluster, descending");
        assertThat(ServiceBoardConsole.summary(page("updatedAt", "desc")))
                .isEqualTo("3 services, by update, newest first");
    }
}
