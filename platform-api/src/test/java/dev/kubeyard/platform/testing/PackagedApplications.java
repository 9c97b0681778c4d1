package dev.kubeyard.platform.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.platform.sandbox.SandboxDatabase;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The packaged application (target/quarkus-app, built before the ITs) run as real processes against a database and a
 * simulated Rancher of the test's own: for what only separate processes show (a crash, two replicas on one database).
 * Their logs go under target/app-logs, where LogScanIT reads every log of the run for secrets.
 */
public final class PackagedApplications implements AutoCloseable {

    public static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final SandboxDatabase database;
    private final RancherSim rancher;
    private final String rancherToken;
    private final Path logs;
    private final List<Process> processes = new ArrayList<>();
    // HTTP/1.1 only (no h2c upgrade attempts), every call bounded (see call()).
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ObjectMapper json = new ObjectMapper();

    private PackagedApplications(SandboxDatabase database, RancherSim rancher, String rancherToken) throws IOException {
        this.database = database;
        this.rancher = rancher;
        this.rancherToken = rancherToken;
        this.logs = Files.createDirectories(Path.of("target", "app-logs"));
    }

    /**
     * A PostgreSQL and a simulated Rancher ({@code timing}, admin token {@code rancherToken}) of the test's own, for
     * the instances it starts; {@link #close} stops all of them.
     */
    public static PackagedApplications withOwnDatabaseAndRancher(String rancherToken, SimTiming timing)
            throws IOException {
        assertThat(JAR)
                .as("the packaged application (mvn package runs before the ITs)")
                .exists();
        SandboxDatabase database = SandboxDatabase.start();
        RancherSim rancher;
        try {
            rancher = RancherSim.start(
                    SimOptions.defaults().port(0).token(rancherToken).timing(timing));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return new PackagedApplications(database, rancher, rancherToken);
    }

    public RancherSim rancher() {
        return rancher;
    }

    /** Starts one instance on {@code port} with the given settings on top of the common ones; waits until ready. */
    public Process start(int port, String label, Map<String, String> settings) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        Map<String, String> properties = new LinkedHashMap<>(database.datasourceProperties());
        properties.put("quarkus.http.port", Integer.toString(port));
        properties.put("kubeyard.platform.rancher.url", rancher.url());
        properties.put("kubeyard.platform.rancher.token", rancherToken);
        properties.put("kubeyard.platform.reconciler.interval", "1s");
        // A killed instance's Quartz jobs move to a live one after the check-in interval.
        properties.put("quarkus.quartz.cluster-checkin-interval", "1s");
        properties.putAll(settings);
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

    public boolean healthy(int port) {
        try {
            return send(HttpRequest.newBuilder(uri(port, "/q/health/ready")).GET())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** GET as the admin; asserts 200. */
    public JsonNode get(int port, String path) throws IOException {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(uri(port, path)).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    /** PUT of a JSON body as the admin. */
    public HttpResponse<String> put(int port, String path, Object body) throws IOException {
        return send(HttpRequest.newBuilder(uri(port, path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
    }

    /** POST without a body as the admin. */
    public HttpResponse<String> post(int port, String path) throws IOException {
        return send(HttpRequest.newBuilder(uri(port, path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        return call(request.timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + Identities.ADMIN_TOKEN)
                .build());
    }

    /** Sends and waits at most 30 s for the whole answer, whatever the request's own timeout covers. */
    private HttpResponse<String> call(HttpRequest request) throws IOException {
        try {
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no answer in 30 s: " + request.method() + " " + request.uri(), e);
        }
    }

    /**
     * GET on the simulator over plain HTTP with its token: the Rancher client needs SmallRye Fault Tolerance's
     * runtime, which only the Quarkus application brings. Empty on 404.
     */
    public java.util.Optional<JsonNode> rancherGet(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(rancher.url() + path))
                .header("Authorization", "Bearer " + rancherToken)
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        HttpResponse<String> response = call(request);
        if (response.statusCode() == 404) {
            return java.util.Optional.empty();
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return java.util.Optional.of(json.readTree(response.body()));
    }

    public ObjectMapper json() {
        return json;
    }

    public static URI uri(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
        rancher.close();
        database.close();
    }
}
