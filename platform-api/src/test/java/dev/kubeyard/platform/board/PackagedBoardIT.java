package dev.kubeyard.platform.board;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.platform.testing.BoardObjects;
import dev.kubeyard.platform.testing.PackagedApplications;
import dev.kubeyard.platform.testing.Specs;
import dev.kubeyard.rancher.sim.SimTiming;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged application's board survives a crash: the rows are in PostgreSQL, served by the next process at once,
 * and once that process takes the cluster over (after the dead one's lease lapses) what changed meanwhile is on the
 * board, with no duplicates and no ghosts.
 */
class PackagedBoardIT {

    static final String TOKEN = "token-board:board-packaged-secret";

    PackagedApplications apps;

    @BeforeEach
    void start() throws Exception {
        apps = PackagedApplications.withOwnDatabaseAndRancher(TOKEN, SimTiming.fast());
    }

    @AfterEach
    void stop() {
        if (apps != null) {
            apps.close();
        }
    }

    /** The service's status on the board, or "absent". */
    String status(int port, String cluster, String namespace, String name) throws IOException {
        HttpResponse<String> r = apps.send(HttpRequest.newBuilder(
                        PackagedApplications.uri(port, "/api/v1/services/" + cluster + "/" + namespace + "/" + name))
                .GET());
        if (r.statusCode() == 404) {
            return "absent";
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return apps.json().readTree(r.body()).at("/service/status").asText();
    }

    @Test
    void theBoardSurvivesACrashAndTheNextProcessCatchesUpWithWhatChangedWhileItWasDown() throws Exception {
        int port = PackagedApplications.freePort();
        Map<String, String> settings = Map.of(
                "kubeyard.serviceboard.tick", "500ms",
                "kubeyard.serviceboard.lease", "4s",
                "kubeyard.serviceboard.flush-interval", "100ms");
        Process first = apps.start(port, "board-first", settings);
        String cluster = "packaged-board-" + Long.toHexString(System.nanoTime());
        assertThat(apps.put(port, "/api/v1/clusters/" + cluster, Specs.small("shop", 1))
                        .statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(90)).until(() -> apps.get(port, "/api/v1/clusters/" + cluster)
                .at("/status/phase")
                .asText()
                .equals("Ready"));
        KubernetesClient kube = apps.rancher().kubernetesClient(cluster);
        for (String name : List.of("cart", "search", "legacy")) {
            kube.resource(BoardObjects.service("shop", name, name)).create();
            kube.resource(BoardObjects.pod("shop", name + "-0", name, name + ":1.0", true, null))
                    .create();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> "Healthy".equals(status(port, cluster, "shop", "legacy")));

        first.destroyForcibly(); // a crash: no lease given back
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        kube.services().inNamespace("shop").withName("legacy").delete();
        kube.resource(BoardObjects.service("shop", "checkout", "checkout")).create();
        kube.resource(BoardObjects.pod("shop", "checkout-0", "checkout", "checkout:2.0", true, null))
                .create();

        Process second = apps.start(port, "board-second", settings);
        // Served from PostgreSQL at once, before the new process has the cluster.
        assertThat(status(port, cluster, "shop", "cart")).isEqualTo("Healthy");
        await().atMost(Duration.ofSeconds(30)).until(() -> "Healthy".equals(status(port, cluster, "shop", "checkout")));
        await().atMost(Duration.ofSeconds(10)).until(() -> "absent".equals(status(port, cluster, "shop", "legacy")));
        JsonNode all = apps.get(port, "/api/v1/services?cluster=" + cluster + "&sort=name");
        List<String> names = new ArrayList<>();
        all.path("items").forEach(i -> names.add(i.path("name").asText()));
        int inCluster = kube.services().inAnyNamespace().list().getItems().size();
        assertThat(all.path("total").asInt()).isEqualTo(inCluster);
        assertThat(names)
                .contains("cart", "checkout", "search")
                .doesNotContain("legacy")
                .doesNotHaveDuplicates();
        second.destroy();
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
