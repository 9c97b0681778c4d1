package dev.kubeyard.rancher.sim.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.parsetools.RecordParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Kubernetes API of a simulated cluster as fabric8 and raw HTTP clients see it through the Rancher proxy. */
class DownstreamProxyIT {

    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private static ProxyHarness harness;

    @BeforeAll
    static void start() {
        harness = ProxyHarness.start();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void createsGetsListsAndDeletesNamespacesAndConfigMaps() {
        KubernetesClient client = harness.client("c-m-test0001");

        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("apps")
                        .endMetadata()
                        .build())
                .create();
        client.configMaps()
                .inNamespace("apps")
                .resource(configMap("apps", "settings", Map.of("color", "blue")))
                .create();

        assertThat(client.namespaces().withName("apps").get()).isNotNull();
        assertThat(client.configMaps()
                        .inNamespace("apps")
                        .withName("settings")
                        .get()
                        .getData())
                .containsEntry("color", "blue");
        assertThat(client.configMaps().inNamespace("apps").list().getItems())
                .extracting(cm -> cm.getMetadata().getName())
                .containsExactly("settings");

        client.configMaps().inNamespace("apps").withName("settings").delete();
        client.namespaces().withName("apps").delete();

        assertThat(client.configMaps().inNamespace("apps").withName("settings").get())
                .isNull();
        assertThat(client.namespaces().withName("apps").get()).isNull();
    }

    @Test
    void informerSeesAddUpdateAndDelete() {
        KubernetesClient client = harness.client("c-m-test0001");
        List<String> events = new CopyOnWriteArrayList<>();
        SharedIndexInformer<ConfigMap> informer = client.configMaps()
                .inNamespace("watched")
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(ConfigMap obj) {
                        events.add("add " + obj.getMetadata().getName());
                    }

                    @Override
                    public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                        if (!newObj.getMetadata()
                                .getResourceVersion()
                                .equals(oldObj.getMetadata().getResourceVersion())) {
                            events.add("update " + newObj.getData().get("k"));
                        }
                    }

                    @Override
                    public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                        events.add("delete " + obj.getMetadata().getName());
                    }
                });
        try {
            await().atMost(DEADLINE).until(informer::hasSynced);
            client.configMaps()
                    .inNamespace("watched")
                    .resource(configMap("watched", "one", Map.of("k", "v1")))
                    .create();
            await().atMost(DEADLINE).until(() -> events.contains("add one"));

            client.configMaps().inNamespace("watched").withName("one").edit(cm -> new ConfigMapBuilder(cm)
                    .addToData("k", "v2")
                    .build());
            await().atMost(DEADLINE).until(() -> events.contains("update v2"));

            client.configMaps().inNamespace("watched").withName("one").delete();
            await().atMost(DEADLINE).until(() -> events.contains("delete one"));
        } finally {
            informer.close();
        }
    }

    @Test
    void chunkedWatchStreamsEventsAsTheyHappen() {
        KubernetesClient client = harness.client("c-m-test0001");
        HttpClient http = harness.vertx.createHttpClient();
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClientResponse response = harness.call(() -> http.request(new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setHost("127.0.0.1")
                        .setPort(harness.port())
                        .setURI("/k8s/clusters/c-m-test0001/api/v1/namespaces/stream/configmaps?watch=1")
                        .putHeader("Authorization", "Bearer " + ProxyHarness.RANCHER_TOKEN))
                .compose(request -> request.send())
                .onSuccess(r -> r.handler(RecordParser.newDelimited("\n", line -> lines.add(line.toString())))));
        try {
            // the head arrives before any event: clients such as client-go wait for it
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");

            client.configMaps()
                    .inNamespace("stream")
                    .resource(configMap("stream", "first", Map.of("k", "1")))
                    .create();
            await().atMost(DEADLINE).until(() -> lines.size() == 1);
            assertThat(lines.get(0)).contains("\"type\":\"ADDED\"").contains("\"name\":\"first\"");

            client.configMaps().inNamespace("stream").withName("first").edit(cm -> new ConfigMapBuilder(cm)
                    .addToData("k", "2")
                    .build());
            await().atMost(DEADLINE).until(() -> lines.size() == 2);
            assertThat(lines.get(1)).contains("\"type\":\"MODIFIED\"");
        } finally {
            response.request().reset();
            http.close();
        }
    }

    @Test
    void webSocketWatchIsForwarded() {
        KubernetesClient client = harness.client("c-m-test0001");
        client.configMaps()
                .inNamespace("sockets")
                .resource(configMap("sockets", "existing", Map.of()))
                .create();
        WebSocketClient sockets = harness.vertx.createWebSocketClient();
        List<String> messages = new CopyOnWriteArrayList<>();
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(harness.port())
                .setURI("/k8s/clusters/c-m-test0001/api/v1/namespaces/sockets/configmaps?watch=true");
        options.addHeader("Authorization", "Bearer " + ProxyHarness.RANCHER_TOKEN);
        WebSocket socket = harness.call(
                () -> sockets.connect(options).onSuccess(connected -> connected.textMessageHandler(messages::add)));
        try {
            await().atMost(DEADLINE).until(() -> messages.stream().anyMatch(m -> m.contains("\"existing\"")));

            client.configMaps()
                    .inNamespace("sockets")
                    .resource(configMap("sockets", "later", Map.of()))
                    .create();
            await().atMost(DEADLINE)
                    .until(() -> messages.stream().anyMatch(m -> m.contains("ADDED") && m.contains("\"later\"")));
        } finally {
            ProxyHarness.await(socket.close());
            sockets.close();
        }
    }

    @Test
    void serverSideApplyCreatesThenMergesIntoTheExistingObject() {
        KubernetesClient client = harness.client("c-m-test0001");
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("ssa")
                        .endMetadata()
                        .build())
                .serverSideApply();

        ConfigMap created = client.configMaps()
                .inNamespace("ssa")
                .resource(configMap("ssa", "applied", Map.of("a", "1")))
                .fieldManager("kubeyard")
                .forceConflicts()
                .serverSideApply();
        assertThat(created.getData()).containsExactly(Map.entry("a", "1"));
        assertThat(created.getMetadata().getUid()).isNotBlank();

        ConfigMap merged = client.configMaps()
                .inNamespace("ssa")
                .resource(configMap("ssa", "applied", Map.of("b", "2")))
                .fieldManager("another-manager")
                .serverSideApply();

        // no field ownership: "a" was applied by another manager and stays
        assertThat(merged.getData()).containsEntry("a", "1").containsEntry("b", "2");
        assertThat(merged.getMetadata().getUid())
                .isEqualTo(created.getMetadata().getUid());
        assertThat(client.namespaces().withName("ssa").get()).isNotNull();
    }

    @Test
    void serverSideApplyAcceptsYamlAndAnswersCreatedThenOk() {
        HttpClient http = harness.vertx.createHttpClient();
        try {
            String path = "/k8s/clusters/c-m-test0001/api/v1/namespaces/yaml/configmaps/from-yaml?fieldManager=kubectl";
            String yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  x: \"1\"\n";
            Response first = send(http, HttpMethod.PATCH, path, "application/apply-patch+yaml", yaml);
            Response second = send(
                    http, HttpMethod.PATCH, path, "application/apply-patch+yaml", yaml.replace("x: \"1\"", "y: \"2\""));

            assertThat(first.status()).isEqualTo(201);
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.body()).contains("\"x\":\"1\"").contains("\"y\":\"2\"");
        } finally {
            http.close();
        }
    }

    @Test
    void strategicMergePatchIsAppliedAsMergePatch() {
        KubernetesClient client = harness.client("c-m-test0001");
        client.configMaps()
                .inNamespace("smp")
                .resource(configMap("smp", "patched", Map.of("keep", "1", "drop", "2")))
                .create();
        HttpClient http = harness.vertx.createHttpClient();
        try {
            Response response = send(
                    http,
                    HttpMethod.PATCH,
                    "/k8s/clusters/c-m-test0001/api/v1/namespaces/smp/configmaps/patched",
                    "application/strategic-merge-patch+json",
                    "{\"data\":{\"drop\":null,\"new\":\"3\"}}");

            assertThat(response.status()).isEqualTo(200);
            assertThat(client.configMaps()
                            .inNamespace("smp")
                            .withName("patched")
                            .get()
                            .getData())
                    .containsOnly(Map.entry("keep", "1"), Map.entry("new", "3"));
        } finally {
            http.close();
        }
    }

    @Test
    void versionComesFromTheFirstNodesKubelet() {
        harness.apis.syncNodes(
                "c-m-version1",
                List.of(new SimNode(
                        "v-cp-1",
                        Map.of(),
                        List.of(),
                        true,
                        null,
                        "v1.32.7+rke2r1",
                        "10.1.0.1",
                        java.time.Instant.now())));

        VersionInfo version = harness.client("c-m-version1").getKubernetesVersion();

        assertThat(version.getGitVersion()).isEqualTo("v1.32.7+rke2r1");
        assertThat(version.getMajor()).isEqualTo("1");
        assertThat(version.getMinor()).isEqualTo("32");
        // answered locally: no API server was started for it
        assertThat(harness.apis.runningClusterIds()).doesNotContain("c-m-version1");
    }

    @Test
    void healthEndpointsAnswerOk() {
        HttpClient http = harness.vertx.createHttpClient();
        try {
            for (String endpoint : List.of("/readyz", "/livez", "/healthz")) {
                Response response = send(http, HttpMethod.GET, "/k8s/clusters/c-m-health1" + endpoint, null, null);
                assertThat(response.status()).as(endpoint).isEqualTo(200);
                assertThat(response.body()).as(endpoint).isEqualTo("ok");
            }
        } finally {
            http.close();
        }
    }

    @Test
    void twoClustersDoNotShareObjects() {
        KubernetesClient first = harness.client("c-m-iso00001");
        KubernetesClient second = harness.client("c-m-iso00002");

        first.configMaps()
                .inNamespace("default")
                .resource(configMap("default", "only-in-first", Map.of()))
                .create();

        assertThat(first.configMaps()
                        .inNamespace("default")
                        .withName("only-in-first")
                        .get())
                .isNotNull();
        assertThat(second.configMaps()
                        .inNamespace("default")
                        .withName("only-in-first")
                        .get())
                .isNull();
        assertThat(harness.apis
                        .client("c-m-iso00002")
                        .configMaps()
                        .inAnyNamespace()
                        .list()
                        .getItems())
                .isEmpty();
    }

    @Test
    void objectsSeededThroughTheInProcessClientAreServedByTheProxy() {
        harness.apis
                .client("c-m-seeded01")
                .configMaps()
                .inNamespace("kube-system")
                .resource(configMap("kube-system", "seeded", Map.of("by", "test")))
                .create();

        ConfigMap seen = harness.client("c-m-seeded01")
                .configMaps()
                .inNamespace("kube-system")
                .withName("seeded")
                .get();

        assertThat(seen.getData()).containsEntry("by", "test");
    }

    static ConfigMap configMap(String namespace, String name, Map<String, String> data) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .withData(data)
                .build();
    }

    record Response(int status, String contentType, String body) {}

    static Response send(HttpClient http, HttpMethod method, String uri, String contentType, String body) {
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setHost("127.0.0.1")
                .setPort(harness.port())
                .setURI(uri)
                .putHeader("Authorization", "Bearer " + ProxyHarness.RANCHER_TOKEN);
        if (contentType != null) {
            options.putHeader("Content-Type", contentType);
        }
        return harness.call(() -> http.request(options)
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body)))
                .compose(response -> response.body()
                        .map(buffer -> new Response(
                                response.statusCode(), response.getHeader("Content-Type"), buffer.toString()))));
    }
}
