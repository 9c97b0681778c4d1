package dev.kubeyard.platform.healing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.platform.testing.PackagedApplications;
import dev.kubeyard.platform.testing.Specs;
import dev.kubeyard.rancher.sim.RancherSim;
import dev.kubeyard.rancher.sim.SimTiming;
import dev.kubeyard.rancher.sim.faults.SimFaults;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two packaged application instances on one database and one Rancher, both sweeping every second (Quartz, clustered)
 * and both asked for on-demand evaluations as fast as they answer: every failed node is replaced once, never twice.
 */
class TwoReplicasHealingIT {

    static final String TOKEN = "token-replicas:replicas-test-secret";

    static final Map<String, String> HEALING = Map.ofEntries(
            Map.entry("kubeyard.healing.enabled", "true"),
            Map.entry("kubeyard.healing.interval", "1s"),
            Map.entry("kubeyard.healing.worker.not-ready-timeout", "2s"),
            Map.entry("kubeyard.healing.worker.provisioning-timeout", "10s"),
            Map.entry("kubeyard.healing.worker.deletion-timeout", "10s"),
            Map.entry("kubeyard.healing.control-plane.provisioning-timeout", "10s"),
            Map.entry("kubeyard.healing.etcd.provisioning-timeout", "10s"));

    PackagedApplications apps;
    RancherSim rancher;

    @BeforeEach
    void start() throws IOException {
        apps = PackagedApplications.withOwnDatabaseAndRancher(TOKEN, SimTiming.fast());
        rancher = apps.rancher();
    }

    @AfterEach
    void stop() {
        if (apps != null) {
            apps.close();
        }
    }

    @Test
    void twoInstancesOnOneDatabaseNeverReplaceTheSameNodeTwice() throws Exception {
        int first = PackagedApplications.freePort();
        int second = PackagedApplications.freePort();
        apps.start(first, "replica-a", HEALING);
        apps.start(second, "replica-b", HEALING);

        String name = "replicas-" + Long.toHexString(System.nanoTime());
        assertThat(apps.put(first, "/api/v1/clusters/" + name, Specs.small("payments", 5))
                        .statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> apps.get(second, "/api/v1/clusters/" + name)
                        .at("/status/phase")
                        .asText()
                        .equals("Ready"));
        List<String> workers = machines(name, "workers");
        assertThat(workers).hasSize(5);
        List<String> victims = workers.subList(0, 2);

        AtomicBoolean hammering = new AtomicBoolean(true);
        Map<Integer, Integer> answers = new ConcurrentHashMap<>();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        for (int port : List.of(first, second, first, second)) {
            callers.submit(() -> {
                while (hammering.get()) {
                    try {
                        int status = apps.post(port, "/api/v1/clusters/" + name + "/healing/evaluations")
                                .statusCode();
                        answers.merge(status, 1, Integer::sum);
                    } catch (IOException e) {
                        answers.merge(-1, 1, Integer::sum);
                    }
                }
                return null;
            });
        }
        try {
            victims.forEach(v -> rancher.faults().failMachine(v, SimFaults.MODE_ERROR));
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        List<String> now = machines(name, "workers");
                        return now.size() == 5 && now.stream().noneMatch(victims::contains);
                    });
            // a few more seconds of both replicas sweeping and being asked, with the pool whole again
            await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
        } finally {
            hammering.set(false);
            callers.shutdown();
            assertThat(callers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        for (String victim : victims) {
            assertThat(rancher.faults().machineDeletions(victim))
                    .as("DELETEs of %s by two replicas", victim)
                    .isEqualTo(1);
        }
        assertThat(answers.getOrDefault(200, 0))
                .as("evaluations answered: %s", answers)
                .isPositive();
        assertThat(answers.keySet()).as("answers: %s", answers).isSubsetOf(200, 409);
        JsonNode status = apps.get(first, "/api/v1/clusters/" + name + "/healing");
        List<String> replaced = new ArrayList<>();
        status.get("recentReplacements")
                .forEach(r -> replaced.add(r.get("machine").asText()));
        assertThat(replaced).containsExactlyInAnyOrderElementsOf(victims);
        assertThat(rancher.machineCount()).isEqualTo(6);
    }

    /** The names of the pool's machines that are not being deleted, as Rancher lists them. */
    private List<String> machines(String cluster, String pool) throws IOException {
        JsonNode list = apps.rancherGet(
                        "/v1/cluster.x-k8s.io.machines/fleet-default?filter=spec.clusterName=" + cluster)
                .orElseThrow();
        List<String> names = new ArrayList<>();
        for (JsonNode m : list.get("data")) {
            boolean inPool = pool.equals(m.at("/metadata/labels/rke.cattle.io~1rke-machine-pool-name")
                    .asText());
            boolean deleting = m.at("/metadata/deletionTimestamp").isTextual();
            if (inPool && !deleting) {
                names.add(m.at("/metadata/name").asText());
            }
        }
        return names;
    }
}
