package dev.kubeyard.rancher.sim.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.sim.faults.WorkloadFault;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Each simulated cluster's Kubernetes API behind Rancher's {@code /k8s/clusters/<mgmtId>} proxy: an in-memory
 * fabric8 mock server in CRUD mode (started on first use) or an external kube-apiserver. See DESIGN.md in this
 * package.
 */
public final class DownstreamApis implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DownstreamApis.class.getName());
    private static final Pattern MAJOR_MINOR = Pattern.compile("^v?(\\d+)\\.(\\d+)");

    private static final Executor STARTER =
            task -> Thread.ofVirtual().name("rancher-sim-downstream-start").start(task);

    private final Vertx vertx;
    private final Clock clock;
    private final Forwarder forwarder;
    private final ConcurrentHashMap<String, ClusterApi> clusters = new ConcurrentHashMap<>();
    /** Clusters with a workload rollout in flight: the only ones {@link #advanceWorkloads} looks at. */
    private final Set<ClusterApi> rollingOut = ConcurrentHashMap.newKeySet();

    private final Set<CompletableFuture<Void>> closing = ConcurrentHashMap.newKeySet();

    private volatile boolean closed;

    // guarded by this
    private Vertx clientVertx;
    /** The connections that carry a watch of each cluster (closed when the cluster becomes unreachable). */
    private final Map<String, Set<HttpConnection>> streams = new ConcurrentHashMap<>();

    private HttpClient.Factory clientFactory;

    public DownstreamApis(Vertx vertx) {
        this(vertx, Clock.systemUTC());
    }

    /** @param clock the time of workload rollouts and of the simulated API server traffic ({@code /metrics}) */
    public DownstreamApis(Vertx vertx, Clock clock) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.forwarder = new Forwarder(vertx);
    }

    /**
     * Proxies one request whose path is /k8s/clusters/{mgmtId}{rest}; rest starts with "/" and excludes the query
     * (take the query from ctx.request()). Called only when the cluster is known, connected and reachable. Writes the
     * response itself, including watch streams and websocket upgrades.
     *
     * <p>Call it from the request's event loop before the request body has been read (no BodyHandler on this route
     * is needed; one that already ran is fine except for WebSocket upgrades). A caller that does asynchronous work
     * before calling this must {@code ctx.request().pause()} first.
     */
    public void proxy(String mgmtId, String rest, RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!ctx.body().available() && !request.isEnded()) {
            request.pause();
        }
        if (Forwarder.isWebSocketUpgrade(request) || Forwarder.isWatch(request.query())) {
            holdsStream(mgmtId, request.connection());
        }
        String path = rest == null || rest.isEmpty() ? "/" : rest;
        ClusterApi api = cluster(mgmtId);
        Target external = api.external();
        if (external != null) {
            forwarder.forward(external, path, ctx);
            return;
        }
        if (answerLocally(api, path, ctx)) {
            return;
        }
        InMemoryApiServer running = api.runningMemory();
        if (running != null) {
            forwarder.forward(running.target(), path, ctx);
            return;
        }
        // Started on a virtual thread, not a Vert.x worker: MockWebServer creates its own Vert.x instance, which
        // Vert.x warns about on one of its own threads. The answer continues on the request's context.
        Context context = vertx.getOrCreateContext();
        CompletableFuture.supplyAsync(api::memory, STARTER)
                .whenComplete((started, error) -> context.runOnContext(v -> {
                    if (error == null) {
                        forwarder.forward(started.target(), path, ctx);
                    } else {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause()
                                : error;
                        LOG.log(System.Logger.Level.WARNING, "cannot start the API server of cluster " + mgmtId, cause);
                        Forwarder.badGateway(ctx, cause);
                    }
                }));
    }

    /**
     * The desired node set of a cluster: called whenever its machines change (create, phase or health change,
     * delete). Must be cheap when the cluster's API was never used: the API server is created lazily on first
     * proxy()/client() call, and then seeded from the last node set.
     */
    public void syncNodes(String mgmtId, List<SimNode> nodes) {
        cluster(mgmtId).syncNodes(nodes);
    }

    /**
     * The simulated workload controllers' step, called from the simulator's timer (off the event loop): writes every
     * Deployment, StatefulSet and DaemonSet status that is due. Visits only clusters with a rollout in flight, so
     * idle clusters cost nothing.
     *
     * @param readyMillis how long after a spec change (or a fault change) a workload settles
     */
    public void advanceWorkloads(long readyMillis) {
        if (rollingOut.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        for (ClusterApi api : List.copyOf(rollingOut)) {
            // removed first: a rollout started while this one is advanced adds the cluster back
            rollingOut.remove(api);
            if (api.advanceWorkloads(now, readyMillis)) {
                rollingOut.add(api);
            }
        }
    }

    /**
     * The cluster's workloads that match one of these faults never become ready (the first matching fault gives the
     * reason and message); an empty list heals them. Existing workloads are looked at again after the delay. Kept
     * while the cluster's API is untouched; no effect on a cluster whose API is external.
     */
    public void workloadFaults(String mgmtId, List<WorkloadFault> faults) {
        cluster(mgmtId).workloadFaults(faults);
    }

    /**
     * The injected health of the cluster's API server, as {@code /readyz}, {@code /livez}, {@code /healthz},
     * {@code /metrics}, {@code componentstatuses} and {@code metrics.k8s.io} answer it (in-memory APIs only; an
     * external API server answers for itself). Kept while the cluster's API is untouched.
     */
    public void apiHealth(String mgmtId, ApiHealth health) {
        cluster(mgmtId).health(Objects.requireNonNull(health, "health"));
    }

    /**
     * Forward this cluster's API to an external kube-apiserver instead of the in-memory one (bearer token sent as
     * Authorization). The server's TLS certificate is not verified. A running in-memory server is closed.
     */
    public void useExternal(String mgmtId, String apiServerUrl, String bearerToken) {
        Target target = Target.external(apiServerUrl, bearerToken);
        AutoCloseable replaced = cluster(mgmtId).useExternal(target);
        closeInBackground("replace-" + mgmtId, replaced);
    }

    /**
     * Closes the connections that carry the cluster's watches (WebSocket or chunked), as a cluster that becomes
     * unreachable breaks them: its clients see the stream end and their reconnects get the proxy's error answer.
     *
     * @return the connections closed
     */
    public int cutStreams(String mgmtId) {
        Set<HttpConnection> open = streams.remove(mgmtId);
        if (open == null) {
            return 0;
        }
        open.forEach(HttpConnection::close);
        return open.size();
    }

    private void holdsStream(String mgmtId, HttpConnection connection) {
        Set<HttpConnection> open = streams.computeIfAbsent(mgmtId, id -> ConcurrentHashMap.newKeySet());
        if (open.add(connection)) {
            // One handler per connection (a later request on it sets the same): forgets it wherever it was kept.
            connection.closeHandler(v -> streams.values().forEach(set -> set.remove(connection)));
        }
    }

    /** Cluster deleted: close and drop its API server. */
    public void forget(String mgmtId) {
        cutStreams(mgmtId);
        ClusterApi api = clusters.remove(mgmtId);
        if (api != null) {
            closeInBackground("forget-" + mgmtId, api::close);
        }
    }

    /**
     * Creates objects in the cluster's in-memory API as POSTs to their collections would, without HTTP (seeding a
     * benchmark's clusters); starts the server if needed, so it blocks (call it off the event loop).
     *
     * @return the objects created
     * @throws IllegalArgumentException for a cluster on an external API server, or an object refused (see
     *     {@link SimCrudDispatcher#createAll})
     */
    public int createObjects(String mgmtId, List<JsonNode> objects) {
        ClusterApi api = cluster(mgmtId);
        if (api.external() != null) {
            throw new IllegalArgumentException(
                    "cluster " + mgmtId + " uses an external API server: create its objects there");
        }
        return api.memory().createAll(objects);
    }

    /**
     * An in-process fabric8 client to the cluster's in-memory API (created on demand), for tests to seed objects.
     * For a cluster switched to an external server, a client to that server. The client is cached per cluster and
     * closed by {@link #forget} and {@link #close}: do not close it yourself. Blocks while the server starts.
     */
    public KubernetesClient client(String mgmtId) {
        return cluster(mgmtId).client(this::clientFactory);
    }

    @Override
    public void close() {
        Vertx ownClientVertx;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            ownClientVertx = clientVertx;
        }
        List<ClusterApi> all = new ArrayList<>(clusters.values());
        clusters.clear();
        for (ClusterApi api : all) {
            closeInBackground("close-" + api.id, api::close);
        }
        awaitQuietly(CompletableFuture.allOf(closing.toArray(CompletableFuture<?>[]::new)), 30);
        forwarder.close();
        if (ownClientVertx != null) {
            awaitQuietly(ownClientVertx.close().toCompletionStage().toCompletableFuture(), 10);
        }
    }

    private static void awaitQuietly(CompletableFuture<?> future, long seconds) {
        try {
            future.get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "closing downstream APIs did not finish cleanly", e);
        }
    }

    /** The clusters whose in-memory API server runs. */
    Set<String> runningClusterIds() {
        return clusters.values().stream()
                .filter(ClusterApi::materialised)
                .map(api -> api.id)
                .collect(Collectors.toUnmodifiableSet());
    }

    /** How many clusters have a workload rollout in flight. */
    int rollingOutCount() {
        return rollingOut.size();
    }

    /** How many clusters are known (untouched ones included). */
    int knownCount() {
        return clusters.size();
    }

    private ClusterApi cluster(String mgmtId) {
        Objects.requireNonNull(mgmtId, "mgmtId");
        if (closed) {
            throw new IllegalStateException("DownstreamApis is closed");
        }
        return clusters.computeIfAbsent(mgmtId, id -> new ClusterApi(id, clock, rollingOut::add));
    }

    private boolean answerLocally(ClusterApi api, String path, RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            return false;
        }
        String normalized = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        LocalAnswers.Answer answer =
                LocalAnswers.answer(api, normalized, ctx.request().query(), clock.instant());
        if (answer == null) {
            return false;
        }
        Forwarder.afterRequestEnded(ctx, () -> {
            ctx.response().setStatusCode(answer.status()).putHeader(HttpHeaders.CONTENT_TYPE, answer.contentType());
            answer.headers().forEach((name, value) -> ctx.response().putHeader(name, value));
            ctx.response().end(answer.body());
        });
        return true;
    }

    /** The version object of a kube-apiserver whose version is the kubelet version of the first node. */
    static String versionJson(List<SimNode> nodes) {
        String gitVersion = NodeManifests.kubeletVersion(nodes.isEmpty() ? null : nodes.get(0));
        Matcher matcher = MAJOR_MINOR.matcher(gitVersion);
        boolean found = matcher.find();
        String major = found ? matcher.group(1) : "1";
        String minor = found ? matcher.group(2) : "33";
        return new JsonObject()
                .put("major", major)
                .put("minor", minor)
                .put("gitVersion", gitVersion)
                .put("gitCommit", fakeCommit(gitVersion))
                .put("gitTreeState", "clean")
                .put("buildDate", "2025-08-13T18:04:02Z")
                .put("goVersion", "go1.24.5 X:boringcrypto")
                .put("compiler", "gc")
                .put("platform", "linux/amd64")
                .encodePrettily();
    }

    private static String fakeCommit(String version) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(version.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is always available", e);
        }
    }

    /** One Vert.x instance for all fabric8 clients handed out by {@link #client}, created on first use. */
    private synchronized HttpClient.Factory clientFactory() {
        if (clientFactory == null) {
            try {
                Class<?> type = Class.forName("io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory");
                Vertx shared = Vertx.vertx(new VertxOptions()
                        .setEventLoopPoolSize(2)
                        .setWorkerPoolSize(4)
                        .setUseDaemonThread(true));
                clientFactory =
                        (HttpClient.Factory) type.getConstructor(Vertx.class).newInstance(shared);
                clientVertx = shared;
            } catch (ReflectiveOperationException | ClassCastException e) {
                // fabric8's Vert.x HTTP client is a runtime dependency; without it each client brings its own
                LOG.log(System.Logger.Level.DEBUG, "no shared fabric8 Vert.x client factory", e);
                return null;
            }
        }
        return clientFactory;
    }

    private void closeInBackground(String name, AutoCloseable resource) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        closing.add(done);
        done.whenComplete((ignored, error) -> closing.remove(done));
        Thread.ofVirtual().name("rancher-sim-downstream-" + name).start(() -> {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + name + " failed", e);
            } finally {
                done.complete(null);
            }
        });
    }
}
