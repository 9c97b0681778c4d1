package dev.kubeyard.rancher.sim.downstream;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the simulator's facade does in front of {@link DownstreamApis}: a Vert.x web server that routes
 * {@code /k8s/clusters/:id/*} to {@link DownstreamApis#proxy}, and fabric8 clients pointed at that prefix the way a
 * Rancher kubeconfig points them.
 */
final class ProxyHarness implements AutoCloseable {

    static final String RANCHER_TOKEN = "token-abcde:rancher-secret-never-forwarded";

    final Vertx vertx;
    final DownstreamApis apis;
    private final HttpServer server;
    private final List<KubernetesClient> clients = new ArrayList<>();

    private ProxyHarness(Vertx vertx, DownstreamApis apis, HttpServer server) {
        this.vertx = vertx;
        this.apis = apis;
        this.server = server;
    }

    static ProxyHarness start() {
        return start(Clock.systemUTC());
    }

    /** @param clock the downstream APIs' time (workload rollouts, simulated API server traffic) */
    static ProxyHarness start(Clock clock) {
        Vertx vertx = Vertx.vertx();
        DownstreamApis apis = new DownstreamApis(vertx, clock);
        Router router = Router.router(vertx);
        router.route("/k8s/clusters/:id/*").handler(ctx -> {
            String id = ctx.pathParam("id");
            String rest = ctx.request().path().substring(("/k8s/clusters/" + id).length());
            apis.proxy(id, rest, ctx);
        });
        HttpServer server =
                await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
        return new ProxyHarness(vertx, apis, server);
    }

    int port() {
        return server.actualPort();
    }

    String url(String clusterId) {
        return "http://127.0.0.1:" + port() + "/k8s/clusters/" + clusterId;
    }

    /** A fabric8 client through the proxy, as built from a Rancher-generated kubeconfig. */
    KubernetesClient client(String clusterId) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(url(clusterId))
                .withOauthToken(RANCHER_TOKEN)
                .withNamespace("default")
                .withRequestTimeout(10_000)
                .build();
        KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build();
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    static SimNode node(String name, boolean ready, String reason, String... roles) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        labels.put("rke.cattle.io/cluster-name", "demo");
        for (String role : roles) {
            labels.put("rke.cattle.io/" + role + "-role", "true");
        }
        return new SimNode(
                name,
                labels,
                List.of(),
                ready,
                reason,
                "v1.33.4+rke2r1",
                "10.0.0." + (Math.abs(name.hashCode()) % 250 + 1),
                Instant.parse("2026-01-01T00:00:00Z"));
    }

    /**
     * Runs a Vert.x client interaction on an event loop and waits for its result. Chained from the test thread,
     * a response handler can be set after the body already arrived, and the body is then lost.
     */
    <T> T call(Supplier<Future<T>> interaction) {
        Promise<T> result = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> interaction.get().onComplete(result));
        return await(result.future());
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        synchronized (clients) {
            clients.forEach(KubernetesClient::close);
        }
        apis.close();
        await(server.close());
        await(vertx.close());
    }
}
