package dev.kubeyard.rancher.sim;

import dev.kubeyard.rancher.sim.downstream.DownstreamApis;
import dev.kubeyard.rancher.sim.faults.SimFaults;
import dev.kubeyard.rancher.sim.store.ApiToken;
import dev.kubeyard.rancher.sim.store.ClusterObject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Clock;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Rancher API simulator: Steve {@code /v1}, Norman {@code /v3}, the {@code /k8s/clusters} proxy and an admin
 * API under {@code /_sim}, all in memory on one Vert.x instance owned by the simulator.
 *
 * <pre>{@code
 * try (RancherSim sim = RancherSim.start(SimOptions.defaults().demoClusters(3).timing(SimTiming.fast()))) {
 *     String url = sim.url();
 * }
 * }</pre>
 */
public final class RancherSim implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RancherSim.class.getName());

    private final Vertx vertx;
    private final HttpServer server;
    private final SimCore core;
    private final DownstreamApis downstream;
    private final String url;
    private volatile boolean closed;

    private RancherSim(Vertx vertx, HttpServer server, SimCore core, DownstreamApis downstream, String url) {
        this.vertx = vertx;
        this.server = server;
        this.core = core;
        this.downstream = downstream;
        this.url = url;
    }

    /** Starts a simulator and returns once it answers; demo clusters are Ready at once. */
    public static RancherSim start(SimOptions options) {
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .setWorkerPoolSize(4));
        DownstreamApis downstream = null;
        try {
            downstream = new DownstreamApis(vertx);
            SimCore core = new SimCore(options, vertx, downstream, Clock.systemUTC());
            core.locked(core::createDemoClusters);
            String[] url = new String[1];
            HttpServer server = vertx.createHttpServer(
                    new HttpServerOptions().setHost(options.host()).setPort(options.port()));
            server.requestHandler(SimRouter.build(vertx, core, downstream, () -> url[0]));
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            url[0] = "http://" + urlHost(options.host()) + ":" + server.actualPort();
            core.startTimer();
            LOG.info(() -> "rancher-sim listening on " + url[0] + " with " + options.demoClusters() + " demo clusters");
            return new RancherSim(vertx, server, core, downstream, url[0]);
        } catch (Exception e) {
            if (downstream != null) {
                downstream.close();
            }
            vertx.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("rancher-sim failed to start: " + e.getMessage(), e);
        }
    }

    private static String urlHost(String host) {
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return "127.0.0.1";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** {@code http://127.0.0.1:<port>}: plain HTTP. */
    public String url() {
        return url;
    }

    public int port() {
        return server.actualPort();
    }

    public SimFaults faults() {
        return core;
    }

    public SimOptions options() {
        return core.options();
    }

    public int clusterCount() {
        return core.locked(() -> core.store().clusters.size());
    }

    public int machineCount() {
        return core.locked(() -> core.store().machines.size());
    }

    /**
     * The management id ({@code c-m-xxxxxxxx}) of a provisioning cluster in {@code fleet-default}.
     *
     * @throws NoSuchElementException when there is no such cluster
     */
    public String managementId(String clusterName) {
        return core.locked(() -> {
            ClusterObject c = core.cluster(clusterName);
            return c.managementId;
        });
    }

    /** Names of the tokens the user owns now (ext, v3, session and kubeconfig tokens alike). */
    public List<String> tokensOfUser(String userId) {
        return core.locked(
                () -> core.store().tokensOf(userId).stream().map(ApiToken::name).toList());
    }

    /** Ids ({@code <mgmtId>/<name>}) of the ClusterRoleTemplateBindings naming the user. */
    public List<String> clusterRoleTemplateBindingsOfUser(String userId) {
        return core.locked(() -> core.store().clusterRoleTemplateBindingsOf(userId).stream()
                .map(b -> b.meta().id())
                .toList());
    }

    /** An in-process client to the cluster's in-memory Kubernetes API, for seeding objects in tests. */
    public KubernetesClient kubernetesClient(String clusterName) {
        return downstream.client(managementId(clusterName));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        core.stopTimer();
        try {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.FINE, "HTTP server close", e);
        }
        try {
            downstream.close();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Closing the downstream APIs failed", e);
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.log(Level.FINE, "Vert.x close", e);
        }
    }
}
