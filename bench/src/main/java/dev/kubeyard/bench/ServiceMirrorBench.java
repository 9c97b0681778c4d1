package dev.kubeyard.bench;

import dev.kubeyard.bench.SimFleet.Cluster;
import dev.kubeyard.inventory.kube.ClusterClients;
import dev.kubeyard.mirror.collect.KubeMirrorFacts;
import dev.kubeyard.mirror.control.SetMirrors;
import dev.kubeyard.mirror.plan.MirrorLabels;
import io.agroal.api.AgroalDataSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/**
 * Endpoint change in an exporting cluster → its followers in every other cluster of the set. The clusters (rancher-sim
 * JVMs, reached through Rancher's proxy) form sets of {@code --set-size}; every cluster exports {@code --exports}
 * services (a Service, its own EndpointSlice of two ready addresses, a ServiceExport). After every follower has
 * its endpoints, {@code --changes} endpoint changes (one address added to an exporter's slice, exporters round robin)
 * are timed from the write answered to the new address seen in the follower slices of every other member (watches on
 * those slices, opened before the change). The mirror is the real {@link SetMirrors} with production settings on an
 * embedded PostgreSQL.
 */
public final class ServiceMirrorBench {

    static final Set<String> OPTIONS =
            Set.of("--clusters", "--set-size", "--exports", "--changes", "--sim-heap", "--timeout-seconds");
    static final String USAGE = "ServiceMirrorBench [--clusters 30] [--set-size 3] [--exports 10] [--changes 200]"
            + " [--sim-heap 2g] [--timeout-seconds 300]";
    static final ResourceDefinitionContext EXPORTS = KubeMirrorFacts.SERVICE_EXPORTS;

    public record Options(int clusters, int setSize, int exports, int changes, String simHeap, Duration timeout) {}

    /** The figures of a run. */
    public record Result(
            int clusters,
            int sets,
            int followers,
            Duration settled,
            List<Duration> changes,
            int missed,
            SetMirrors.Settings settings) {
        String report() {
            List<Duration> sorted = changes.stream().sorted().toList();
            return ("service-mirror: %d clusters in %d sets, %d follower services settled in %s; %d endpoint changes"
                            + " → every follower: p50 %s, p99 %s, max %s, %d missed (tick %s, debounce %s)")
                    .formatted(
                            clusters,
                            sets,
                            followers,
                            HealingSweepBench.time(settled),
                            changes.size(),
                            HealingSweepBench.time(HealingSweepBench.percentile(sorted, 50)),
                            HealingSweepBench.time(HealingSweepBench.percentile(sorted, 99)),
                            HealingSweepBench.time(HealingSweepBench.percentile(sorted, 100)),
                            missed,
                            settings.tick(),
                            settings.debounce());
        }
    }

    private ServiceMirrorBench() {}

    public static void main(String[] args) throws Exception {
        BenchArgs a = BenchArgs.parse(args, OPTIONS, USAGE);
        Options o = new Options(
                a.integer("--clusters", 30),
                a.integer("--set-size", 3),
                a.integer("--exports", 10),
                a.integer("--changes", 200),
                a.text("--sim-heap", "2g"),
                Duration.ofSeconds(a.integer("--timeout-seconds", 300)));
        Path jar = Path.of(System.getProperty("kubeyard.sim.jar", "target/sim/rancher-sim-standalone.jar"));
        System.out.println(run(jar, o).report());
        System.exit(0);
    }

    public static Result run(Path simJar, Options o) throws Exception {
        Path dataDir = Files.createTempDirectory("mirror-bench-pg");
        SetMirrors.Settings settings = new SetMirrors.Settings(
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMillis(100));
        try (SimFleet sims = SimFleet.start(simJar, o.simHeap(), o.clusters());
                EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, true);
                AgroalDataSource dataSource = ServiceBoardBench.pool(db.jdbcUrl(), 8)) {
            List<Cluster> members = sims.clusters();
            ServiceBoardBench.inventory(dataSource, members);
            int sets = members.size() / o.setSize();
            sets(dataSource, members, o.setSize(), sets);
            Vertx vertx = Vertx.vertx();
            ClusterClients clients = new ClusterClients(sims::kubernetesConfig, vertx);
            ClusterClients users = new ClusterClients(sims::kubernetesConfig, vertx);
            List<Cluster> inSets = members.subList(0, sets * o.setSize());
            for (Cluster c : inSets) {
                seed(users.forCluster(c.managementId()), c, o.exports());
            }
            progress("seeded %d clusters with %d exports each", inSets.size(), o.exports());
            long t0 = System.nanoTime();
            SetMirrors mirrors = new SetMirrors(
                    settings, clients, dataSource, Clock.systemUTC(), new SimpleMeterRegistry(), "bench");
            mirrors.start();
            try {
                int followers = inSets.size() * o.exports() * (o.setSize() - 1);
                waitSettled(users, inSets, o, t0);
                Duration settled = SimProcess.since(t0);
                progress("every follower has its endpoints after %s", HealingSweepBench.time(settled));
                List<Duration> times = new ArrayList<>();
                int missed = 0;
                for (int i = 0; i < o.changes(); i++) {
                    int exporter = i % inSets.size();
                    Duration d = change(users, inSets, exporter, o, i);
                    if (d == null) {
                        missed++;
                    } else {
                        times.add(d);
                    }
                }
                return new Result(inSets.size(), sets, followers, settled, times, missed, settings);
            } finally {
                mirrors.close();
                clients.close();
                users.close();
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    static void progress(String format, Object... args) {
        System.out.println("[service-mirror] " + format.formatted(args));
    }

    /** Consecutive clusters form a set. */
    static void sets(DataSource ds, List<Cluster> members, int size, int sets) throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            for (int i = 0; i < sets; i++) {
                s.execute("INSERT INTO mirror_sets (name, team_id) SELECT 'set-%d', id FROM teams WHERE name = 'team-0'"
                        .formatted(i));
                for (int j = 0; j < size; j++) {
                    s.execute(("INSERT INTO mirror_set_members (set_id, cluster_id) SELECT s.id, c.id FROM"
                                    + " mirror_sets s, managed_clusters c WHERE s.name = 'set-%d' AND c.name = '%s'")
                            .formatted(i, members.get(i * size + j).name()));
                }
            }
        }
    }

    static String name(Cluster c, int n) {
        return "svc-" + c.name().replaceAll("[^a-z0-9]", "") + "-" + n;
    }

    static void seed(KubernetesClient k, Cluster c, int exports) {
        k.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName("shop")
                        .endMetadata()
                        .build())
                .createOr(x -> x.update());
        for (int n = 0; n < exports; n++) {
            String name = name(c, n);
            k.resource(new ServiceBuilder()
                            .withNewMetadata()
                            .withNamespace("shop")
                            .withName(name)
                            .endMetadata()
                            .withNewSpec()
                            .withSelector(Map.of("app", name))
                            .addNewPort()
                            .withName("http")
                            .withPort(80)
                            .endPort()
                            .endSpec()
                            .build())
                    .create();
            k.resource(slice(name, List.of("10.0." + n + ".1", "10.0." + n + ".2")))
                    .create();
            k.genericKubernetesResources(EXPORTS)
                    .inNamespace("shop")
                    .resource(new GenericKubernetesResourceBuilder()
                            .withApiVersion("multicluster.x-k8s.io/v1alpha1")
                            .withKind("ServiceExport")
                            .withNewMetadata()
                            .withNamespace("shop")
                            .withName(name)
                            .endMetadata()
                            .build())
                    .create();
        }
    }

    static EndpointSlice slice(String service, List<String> ready) {
        return new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace("shop")
                .withName(service + "-abcde")
                .addToLabels(MirrorLabels.SERVICE_NAME, service)
                .endMetadata()
                .withAddressType("IPv4")
                .withEndpoints(ready.stream()
                        .map(ip -> new EndpointBuilder()
                                .withAddresses(ip)
                                .withNewConditions()
                                .withReady(true)
                                .endConditions()
                                .build())
                        .toList())
                .addNewPort()
                .withName("http")
                .withPort(8080)
                .endPort()
                .build();
    }

    static int mirroredSlices(KubernetesClient k) {
        return k.discovery()
                .v1()
                .endpointSlices()
                .inNamespace("shop")
                .withLabel(MirrorLabels.MANAGED_BY, MirrorLabels.MANAGER)
                .list()
                .getItems()
                .size();
    }

    static void waitSettled(ClusterClients users, List<Cluster> clusters, Options o, long t0)
            throws InterruptedException {
        int expected = o.exports() * (o.setSize() - 1);
        long deadline = t0 + o.timeout().toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = true;
            for (Cluster c : clusters) {
                if (mirroredSlices(users.forCluster(c.managementId())) < expected) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the followers did not settle within " + o.timeout());
    }

    /** One endpoint change; the time until every other member's follower slice has the new address, or null. */
    static Duration change(ClusterClients users, List<Cluster> clusters, int exporter, Options o, int i)
            throws InterruptedException {
        Cluster from = clusters.get(exporter);
        int setStart = exporter / o.setSize() * o.setSize();
        List<Cluster> others = IntStream.range(setStart, setStart + o.setSize())
                .filter(j -> j != exporter)
                .mapToObj(clusters::get)
                .toList();
        String service = name(from, i % o.exports());
        String added = "10.200." + (i / 250) + "." + (i % 250 + 1);
        CountDownLatch seen = new CountDownLatch(others.size());
        Set<String> done = ConcurrentHashMap.newKeySet();
        List<io.fabric8.kubernetes.client.Watch> watches = new ArrayList<>();
        for (Cluster other : others) {
            watches.add(users.forCluster(other.managementId())
                    .discovery()
                    .v1()
                    .endpointSlices()
                    .inNamespace("shop")
                    .withLabel(MirrorLabels.SERVICE_NAME, service)
                    .watch(new Watcher<EndpointSlice>() {
                        @Override
                        public void eventReceived(Action action, EndpointSlice s) {
                            boolean has = s.getEndpoints() != null
                                    && s.getEndpoints().stream()
                                            .anyMatch(e -> e.getAddresses().contains(added));
                            if (has && done.add(other.name())) {
                                seen.countDown();
                            }
                        }

                        @Override
                        public void onClose(WatcherException cause) {}
                    }));
        }
        try {
            Thread.sleep(50);
            KubernetesClient k = users.forCluster(from.managementId());
            List<String> ready = List.of("10.0." + (i % o.exports()) + ".1", added);
            k.resource(slice(service, ready)).update();
            long written = System.nanoTime();
            if (!seen.await(30, TimeUnit.SECONDS)) {
                return null;
            }
            return Duration.ofNanos(System.nanoTime() - written);
        } finally {
            watches.forEach(io.fabric8.kubernetes.client.Watch::close);
        }
    }
}
