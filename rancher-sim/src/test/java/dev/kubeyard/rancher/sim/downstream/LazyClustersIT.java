package dev.kubeyard.rancher.sim.downstream;

import static dev.kubeyard.rancher.sim.downstream.ProxyHarness.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A thousand clusters cost only their node lists until their API is used; a used one costs one fabric8 mock server.
 * Prints the measured costs (lines starting with "[downstream-cost]").
 */
class LazyClustersIT {

    private static final int UNTOUCHED = 1_000;
    private static final int MATERIALISED = 10;

    private ProxyHarness harness;

    @BeforeEach
    void start() {
        harness = ProxyHarness.start();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void syncingNodesOfAThousandClustersStartsNoServerAndNoThread() {
        List<List<SimNode>> nodeSets = new ArrayList<>();
        for (int i = 0; i < UNTOUCHED; i++) {
            nodeSets.add(List.of(
                    node("lazy" + i + "-cp-1", true, null, "etcd", "control-plane"),
                    node("lazy" + i + "-w-1", true, null, "worker"),
                    node("lazy" + i + "-w-2", true, null, "worker")));
        }
        long heapBefore = usedHeapAfterGc();
        Set<Long> threadsBefore = threadIds();

        long started = System.nanoTime();
        for (int i = 0; i < UNTOUCHED; i++) {
            harness.apis.syncNodes(clusterId("lazy", i), nodeSets.get(i));
            harness.apis.syncNodes(clusterId("lazy", i), nodeSets.get(i));
        }
        long elapsedMicros = (System.nanoTime() - started) / 1_000;
        long heapAfter = usedHeapAfterGc();

        assertThat(harness.apis.knownCount()).isEqualTo(UNTOUCHED);
        assertThat(harness.apis.runningClusterIds()).isEmpty();
        assertThat(newThreadNames(threadsBefore)).isEmpty();
        System.out.printf(
                "[downstream-cost] untouched cluster: about %d bytes of heap each (3 nodes, node objects shared with"
                        + " the caller), %d new threads, %.1f us per syncNodes call%n",
                Math.max(0, (heapAfter - heapBefore) / UNTOUCHED), 0, elapsedMicros / (2.0 * UNTOUCHED));
    }

    @Test
    void materialisedClusterCostsOneMockServerAndForgetReleasesIt() {
        HttpClient http = harness.vertx.createHttpClient();
        try {
            // the first server of a JVM pays class loading: keep it out of the measurement
            get(http, clusterId("warm", 0));
            long heapBefore = usedHeapAfterGc();
            Set<Long> threadsBefore = threadIds();

            long started = System.nanoTime();
            for (int i = 0; i < MATERIALISED; i++) {
                harness.apis.syncNodes(
                        clusterId("used", i),
                        List.of(node("used" + i + "-cp", true, null, "etcd", "control-plane", "worker")));
                assertThat(get(http, clusterId("used", i))).isEqualTo(200);
            }
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
            long heapAfter = usedHeapAfterGc();
            List<String> added = newThreadNames(threadsBefore);

            assertThat(harness.apis.runningClusterIds()).hasSize(MATERIALISED + 1);
            assertThat(added.size()).isLessThanOrEqualTo(4 * MATERIALISED);
            System.out.printf(
                    "[downstream-cost] materialised cluster: about %d KiB of heap, %.1f threads, first request %d ms"
                            + " (new threads by name: %s)%n",
                    Math.max(0, (heapAfter - heapBefore) / MATERIALISED / 1024),
                    added.size() / (double) MATERIALISED,
                    elapsedMillis / MATERIALISED,
                    countByName(added));

            for (int i = 0; i < MATERIALISED; i++) {
                harness.apis.forget(clusterId("used", i));
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(newThreadNames(threadsBefore))
                    .hasSizeLessThanOrEqualTo(1));
            assertThat(harness.apis.runningClusterIds()).containsExactly(clusterId("warm", 0));
        } finally {
            http.close();
        }
    }

    private int get(HttpClient http, String clusterId) {
        return harness.call(() -> http.request(
                                HttpMethod.GET,
                                harness.port(),
                                "127.0.0.1",
                                "/k8s/clusters/" + clusterId + "/api/v1/nodes")
                        .compose(request -> request.send())
                        .compose(response -> response.body().map(body -> response)))
                .statusCode();
    }

    private static String clusterId(String prefix, int i) {
        return "c-m-" + prefix + String.format("%04d", i);
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Set<Long> threadIds() {
        Set<Long> ids = new HashSet<>();
        Thread.getAllStackTraces().keySet().forEach(thread -> ids.add(thread.threadId()));
        return ids;
    }

    /** Live platform threads that did not exist before, ignoring JVM and test-framework helpers. */
    private static List<String> newThreadNames(Set<Long> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !before.contains(thread.threadId()))
                .filter(thread -> !thread.isVirtual())
                .map(Thread::getName)
                .filter(name -> !name.startsWith("awaitility") && !name.startsWith("ForkJoinPool"))
                .sorted()
                .collect(Collectors.toList());
    }

    private static Map<String, Long> countByName(List<String> names) {
        return names.stream()
                .collect(Collectors.groupingBy(
                        name -> name.replaceAll("-\\d+$", ""), TreeMap::new, Collectors.counting()));
    }
}
