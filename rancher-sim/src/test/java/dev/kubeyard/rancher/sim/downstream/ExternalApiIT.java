package dev.kubeyard.rancher.sim.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A cluster switched to an external kube-apiserver: requests go there with the cluster's own token. */
class ExternalApiIT {

    private static final String DOWNSTREAM_TOKEN = "downstream-service-account-token";

    private ProxyHarness harness;
    private final List<KubernetesMockServer> externals = new ArrayList<>();

    @BeforeEach
    void start() {
        harness = ProxyHarness.start();
    }

    @AfterEach
    void stop() {
        harness.close();
        externals.forEach(KubernetesMockServer::destroy);
    }

    @Test
    void forwardsToThePlainHttpServerWithTheClusterTokenInsteadOfTheRancherToken() throws InterruptedException {
        KubernetesMockServer external = external(false);
        try (KubernetesClient seeding = external.createClient()) {
            seeding.configMaps()
                    .inNamespace("ext")
                    .resource(DownstreamProxyIT.configMap("ext", "lives-outside", Map.of("where", "external")))
                    .create();
        }
        drain(external);
        harness.apis.useExternal("c-m-ext00001", "http://127.0.0.1:" + external.getPort() + "/", DOWNSTREAM_TOKEN);

        ConfigMap seen = harness.client("c-m-ext00001")
                .configMaps()
                .inNamespace("ext")
                .withName("lives-outside")
                .get();

        assertThat(seen.getData()).containsEntry("where", "external");
        List<RecordedRequest> received = drain(external);
        assertThat(received).isNotEmpty().allSatisfy(request -> {
            assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + DOWNSTREAM_TOKEN);
            assertThat(request.getPath()).startsWith("/api/v1/namespaces/ext/configmaps/lives-outside");
        });
        assertThat(harness.apis.runningClusterIds()).doesNotContain("c-m-ext00001");
    }

    @Test
    void forwardsToAnHttpsServerWithASelfSignedCertificateIncludingWatches() {
        KubernetesMockServer external = external(true);
        harness.apis.useExternal("c-m-ext00002", "https://localhost:" + external.getPort(), DOWNSTREAM_TOKEN);
        KubernetesClient client = harness.client("c-m-ext00002");
        List<String> events = new CopyOnWriteArrayList<>();

        Watch watch = client.configMaps().inNamespace("tls").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, ConfigMap resource) {
                events.add(action + " " + resource.getMetadata().getName());
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
        try {
            client.configMaps()
                    .inNamespace("tls")
                    .resource(DownstreamProxyIT.configMap("tls", "secured", Map.of()))
                    .create();

            await().atMost(Duration.ofSeconds(15)).until(() -> events.contains("ADDED secured"));
        } finally {
            watch.close();
        }
        try (KubernetesClient direct = external.createClient()) {
            assertThat(direct.configMaps()
                            .inNamespace("tls")
                            .withName("secured")
                            .get())
                    .isNotNull();
        }
    }

    @Test
    void switchingToExternalStopsTheInMemoryServer() {
        harness.apis.client("c-m-ext00003");
        assertThat(harness.apis.runningClusterIds()).contains("c-m-ext00003");

        harness.apis.useExternal(
                "c-m-ext00003", "http://127.0.0.1:" + external(false).getPort(), DOWNSTREAM_TOKEN);

        assertThat(harness.apis.runningClusterIds()).doesNotContain("c-m-ext00003");
    }

    @Test
    void unreachableApiServerAnswersBadGatewayWithTheCause() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        harness.apis.useExternal("c-m-ext00004", "https://127.0.0.1:" + closedPort, DOWNSTREAM_TOKEN);
        HttpClient http = harness.vertx.createHttpClient();
        try {
            DownstreamProxyIT.Response response = harness.call(() -> http.request(
                            HttpMethod.GET, harness.port(), "127.0.0.1", "/k8s/clusters/c-m-ext00004/api/v1/nodes")
                    .compose(request -> request.send())
                    .compose(r -> r.body()
                            .map(body -> new DownstreamProxyIT.Response(
                                    r.statusCode(), r.getHeader("Content-Type"), body.toString()))));

            assertThat(response.status()).isEqualTo(502);
            assertThat(response.contentType()).startsWith("text/plain");
            assertThat(response.body()).containsIgnoringCase("refused");
        } finally {
            http.close();
        }
    }

    private KubernetesMockServer external(boolean https) {
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), https);
        server.init(InetAddress.getLoopbackAddress(), 0);
        externals.add(server);
        return server;
    }

    private static List<RecordedRequest> drain(KubernetesMockServer server) throws InterruptedException {
        List<RecordedRequest> requests = new ArrayList<>();
        RecordedRequest request;
        while ((request = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            requests.add(request);
        }
        return requests;
    }
}
