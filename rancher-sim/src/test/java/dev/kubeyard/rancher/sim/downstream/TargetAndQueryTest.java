package dev.kubeyard.rancher.sim.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing of external API server URLs and of the query parameters the proxy looks at. */
class TargetAndQueryTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "https://10.0.0.1:6443, 10.0.0.1, 6443, true, '', /api/v1/nodes",
        "https://api.example.test, api.example.test, 443, true, '', /api/v1/nodes",
        "http://127.0.0.1:8080/, 127.0.0.1, 8080, false, '', /api/v1/nodes",
        "https://rancher.test/k8s/clusters/c-abc12/, rancher.test, 443, true, /k8s/clusters/c-abc12, "
                + "/k8s/clusters/c-abc12/api/v1/nodes",
    })
    void externalUrlGivesHostPortSchemeAndBasePath(
            String url, String host, int port, boolean ssl, String basePath, String nodesUri) {
        Target target = Target.external(url, "t");

        assertThat(target.host()).isEqualTo(host);
        assertThat(target.port()).isEqualTo(port);
        assertThat(target.ssl()).isEqualTo(ssl);
        assertThat(target.basePath()).isEqualTo(basePath);
        assertThat(target.uri("/api/v1/nodes", null)).isEqualTo(nodesUri);
        assertThat(target.toString()).doesNotContain("t@").doesNotContain("Bearer");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ftp://host/", "not a url", "https:///nohost"})
    void externalUrlMustBeHttpWithAHost(String url) {
        assertThatThrownBy(() -> Target.external(url, "t")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "watch=true, true",
        "watch=1, true",
        "labelSelector=a%3Db&watch=true&timeoutSeconds=30, true",
        "watch=false, false",
        "watch=0, false",
        "resourceVersion=0, false",
        "'', false",
    })
    void watchIsRecognisedInEitherSpelling(String query, boolean watch) {
        assertThat(Forwarder.isWatch(query)).isEqualTo(watch);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "watch=1, watch=true",
        "allowWatchBookmarks=true&watch=1&resourceVersion=5, allowWatchBookmarks=true&watch=true&resourceVersion=5",
        "watch=true, watch=true",
    })
    void watchIsSpelledTheWayTheMockRecognises(String query, String normalized) {
        assertThat(Forwarder.normalizeWatch(query)).isEqualTo(normalized);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"labelSelector=app%3Dweb, labelSelector, app=web", "a=1&b=2, b, 2", "flag, flag, ''", "a=1, b, "})
    void queryParametersAreDecoded(String query, String name, String value) {
        assertThat(Forwarder.queryParameter(query, name)).isEqualTo(value);
    }
}
