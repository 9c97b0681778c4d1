package dev.kubeyard.rancher.sim.downstream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.sim.faults.WorkloadFault;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One cluster's in-memory Kubernetes API: a fabric8 mock server in CRUD mode on a loopback port. */
final class InMemoryApiServer implements AutoCloseable {

    /**
     * MockWebServer logs every request at INFO; a simulator serving many clusters would drown its log. Quietened to
     * WARNING unless a level was configured; held here because java.util.logging keeps loggers weakly.
     */
    private static final Logger MOCK_LOG = Logger.getLogger(MockWebServer.class.getName());

    static {
        if (MOCK_LOG.getLevel() == null) {
            MOCK_LOG.setLevel(Level.WARNING);
        }
    }

    private final KubernetesMockServer server;
    private final SimCrudDispatcher dispatcher;
    private final NodeManifests.Memo memo = new NodeManifests.Memo();
    private final Target target;

    private InMemoryApiServer(KubernetesMockServer server, SimCrudDispatcher dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.target = Target.inMemory(InetAddress.getLoopbackAddress().getHostAddress(), server.getPort());
    }

    /** Starts a server without workload faults whose rollouts nobody is told about (for tests). */
    static InMemoryApiServer start() {
        return start(Clock.systemUTC(), List::of, () -> {});
    }

    /**
     * Starts a server; blocks until it listens (tens of milliseconds, about a second for the first in a JVM).
     *
     * @param faults the cluster's workload faults, read whenever a workload status is computed
     * @param rolloutStarted called when a workload rollout is added, so that {@link #advanceWorkloads} gets called
     */
    static InMemoryApiServer start(Clock clock, Supplier<List<WorkloadFault>> faults, Runnable rolloutStarted) {
        SimCrudDispatcher dispatcher = new SimCrudDispatcher(clock, faults, rolloutStarted);
        // MockWebServer creates its own Vert.x instance; fabric8 7.5 offers no way to pass a shared one.
        KubernetesMockServer server =
                new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
        try {
            server.init(InetAddress.getLoopbackAddress(), 0);
        } catch (RuntimeException e) {
            server.destroy();
            throw e;
        }
        return new InMemoryApiServer(server, dispatcher);
    }

    Target target() {
        return target;
    }

    /** Applies the latest node set; reads it inside the write lock so that the last call always wins. */
    void reconcileNodes(Supplier<List<SimNode>> latest) {
        dispatcher.reconcileNodes(latest, memo);
    }

    /** Writes the workload statuses that are due; true while rollouts remain in flight. */
    boolean advanceWorkloads(Instant now, long readyMillis) {
        return dispatcher.advanceWorkloads(now, readyMillis);
    }

    /** The workload faults changed: every workload's status is computed again after the delay. */
    void recheckWorkloads() {
        dispatcher.recheckWorkloads();
    }

    /** Creates the objects as POSTs would, without HTTP ({@link SimCrudDispatcher#createAll}). */
    int createAll(List<JsonNode> objects) {
        return dispatcher.createAll(objects);
    }

    NamespacedKubernetesClient createClient(HttpClient.Factory factory) {
        return factory == null ? server.createClient() : server.createClient(factory);
    }

    @Override
    public void close() {
        server.destroy();
    }
}
