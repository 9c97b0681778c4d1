package dev.kubeyard.platform.addons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.platform.testing.PackagedApplications;
import dev.kubeyard.platform.testing.Specs;
import dev.kubeyard.rancher.sim.SimTiming;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged application renders an addon with Helm (whose Go runtime takes SIGTERM after its first call) and still
 * stops on SIGTERM, as a deployment's rolling update needs; then a new process takes the cluster over and finishes an
 * upgrade asked for while none ran.
 */
class PackagedAddonsIT {

    static final String TOKEN = "token-addons:addons-packaged-secret";

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

    static JsonNode condition(JsonNode installation, String type) {
        for (JsonNode c : installation.at("/status/conditions")) {
            if (c.path("type").asText().equals(type)) {
                return c;
            }
        }
        return null;
    }

    @Test
    void afterRenderingWithHelmTheApplicationStillStopsOnSigtermAndTheNextOneCarriesOn() throws Exception {
        int port = PackagedApplications.freePort();
        Map<String, String> settings = Map.of("kubeyard.addons.tick", "300ms", "kubeyard.addons.resync", "2s");
        Process first = apps.start(port, "addons-first", settings);
        String name = "packaged-" + Long.toHexString(System.nanoTime());
        assertThat(apps.put(port, "/api/v1/clusters/" + name, Specs.small("payments", 1))
                        .statusCode())
                .isEqualTo(202);
        await().atMost(Duration.ofSeconds(90)).until(() -> apps.get(port, "/api/v1/clusters/" + name)
                .at("/status/phase")
                .asText()
                .equals("Ready"));
        HttpResponse<String> installed =
                apps.put(port, "/api/v1/clusters/" + name + "/addons/metrics-server", Map.of("version", "0.7.2"));
        assertThat(installed.statusCode()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode applied =
                    condition(apps.get(port, "/api/v1/clusters/" + name + "/addons/metrics-server"), "Applied");
            return applied != null && applied.path("status").asText().equals("True");
        });

        first.destroy(); // SIGTERM
        assertThat(first.waitFor(30, TimeUnit.SECONDS))
                .as("stopped on SIGTERM after Helm ran")
                .isTrue();

        // Asked for while no replica ran; the next one's controller takes the cluster (the lease was given back).
        Process second = apps.start(port, "addons-second", settings);
        assertThat(apps.put(port, "/api/v1/clusters/" + name + "/addons/metrics-server", Map.of("version", "0.8.0"))
                        .statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> apps.get(port, "/api/v1/clusters/" + name + "/addons/metrics-server")
                        .at("/status/appliedVersion")
                        .asText()
                        .equals("0.8.0"));
        second.destroy();
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
