package dev.kubeyard.platform.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.platform.sandbox.SandboxDatabase;
import dev.kubeyard.platform.testing.Identities;
import dev.kubeyard.platform.testing.Specs;
import dev.kubeyard.rancher.sim.RancherSim;
import dev.kubeyard.rancher.sim.SimOptions;
import dev.kubeyard.rancher.sim.SimTiming;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged application killed with SIGKILL in the middle of a create, then started again on the same database and
 * Rancher: the new process finishes the operation, and Rancher ends up with one cluster, not two. A real process, a
 * real kill: no in-JVM stand-in can lose what a crash loses.
 */
class RestartMidOperationIT {

    static final String TOKEN = "token-restart:restart-test-secret";
    static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();
    final List<Process> processes = new ArrayList<>();
    SandboxDatabase database;
    RancherSim rancher;
    Path logs;

    @BeforeEach
    void startDatabaseAndRancher() throws IOException {
        assertThat(JAR)
                .as("the packaged application (mvn package runs before the ITs)")
                .exists();
        database = SandboxDatabase.start();
        // Steps of 400 ms: provisioning takes a few seconds, long enough to kill the application in the middle.
        rancher = RancherSim.start(SimOptions.defaults().port(0).token(TOKEN).timing(SimTiming.uniform(400)));
        // Under target/, where LogScanIT reads every log of the run for secrets.
        logs = Files.createDirectories(Path.of("target", "app-logs"));
    }

    @AfterEach
    void stopEverything() {
        processes.forEach(Process::destroyForcibly);
        if (rancher != null) {
            rancher.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void createInterruptedByAKilledApplicationIsFinishedAfterRestart() throws Exception {
        int port = freePort();
        Process first = startApplication(port, "first");
        String name = "restart-" + Long.toHexString(System.nanoTime());

        HttpResponse<String> created = send(HttpRequest.newBuilder(uri(port, "/api/v1/clusters/" + name))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Specs.small("payments", 2)))));
        assertThat(created.statusCode()).isEqualTo(202);
        String opId = json.readTree(created.body()).get("id").asText();

        // Kill it once Rancher has the cluster and the operation runs, before the cluster is Ready.
        await().atMost(Duration.ofSeconds(60)).until(() -> rancherHas(name));
        JsonNode beforeKill = get(port, "/api/v1/clusters/" + name);
        assertThat(beforeKill.at("/status/phase").asText()).isNotEqualTo("Ready");
        first.destroyForcibly().waitFor();

        startApplication(port, "second");

        JsonNode op = await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> get(port, "/api/v1/operations/" + opId),
                        o -> o.get("state").asText().equals("Succeeded"));
        assertThat(op.get("kind").asText()).isEqualTo("Create");
        JsonNode cluster = get(port, "/api/v1/clusters/" + name);
        assertThat(cluster.at("/status/phase").asText()).isEqualTo("Ready");
        assertThat(cluster.at("/status/nodesReady").asInt()).isEqualTo(3);
        assertThat(rancher.clusterCount()).isEqualTo(1);
        assertThat(rancher.machineCount()).isEqualTo(3);
    }

    private Process startApplication(int port, String label) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        Map<String, String> properties = new java.util.LinkedHashMap<>(database.datasourceProperties());
        properties.put("quarkus.http.port", Integer.toString(port));
        properties.put("kubeyard.platform.rancher.url", rancher.url());
        properties.put("kubeyard.platform.rancher.token", TOKEN);
        properties.put("kubeyard.platform.reconciler.interval", "1s");
        // A killed instance's Quartz jobs move to a live one after the check-in interval.
        properties.put("quarkus.quartz.cluster-checkin-interval", "1s");
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(JAR.toAbsolutePath().toString());
        File log = logs.resolve(label + ".log").toFile();
        ProcessBuilder builder = new ProcessBuilder(command);
        // The admin token goes in the environment, as a deployment would set it (not on the command line).
        builder.environment().put("KUBEYARD_BOOTSTRAP_TOKEN", Identities.ADMIN_TOKEN);
        Process process = builder.redirectErrorStream(true).redirectOutput(log).start();
        processes.add(process);
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(
                                    "The application exited: " + Files.readString(log.toPath()));
                        }
                        return healthy(port);
                    });
        } catch (RuntimeException e) {
            System.out.println(Files.readString(log.toPath()));
            throw e;
        }
        return process;
    }

    private boolean healthy(int port) {
        try {
            return send(HttpRequest.newBuilder(uri(port, "/q/health/ready")).GET())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private JsonNode get(int port, String path) throws IOException {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(uri(port, path)).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.send(
                    request.timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + Identities.ADMIN_TOKEN)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /**
     * Asks the simulator over plain HTTP: the Rancher client needs SmallRye Fault Tolerance's runtime, which only the
     * Quarkus application brings.
     */
    private boolean rancherHas(String name) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(rancher.url() + "/v1/provisioning.cattle.io.clusters/fleet-default/" + name))
                .header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static URI uri(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
