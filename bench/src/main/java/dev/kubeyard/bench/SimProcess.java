package dev.kubeyard.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The simulator's stand-alone jar in a JVM of its own, so that its heap is measured alone. */
final class SimProcess implements AutoCloseable {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private final Process process;
    private final String url;
    private final HttpClient adminHttp =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private SimProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** The jar {@code -Dkubeyard.sim.jar} names, else the build's copy (run from the repository's root). */
    static Path defaultJar() {
        return Path.of(System.getProperty("kubeyard.sim.jar", "bench/target/sim/rancher-sim-standalone.jar"));
    }

    static SimProcess start(Path jar, String maxHeap, List<String> extraArgs) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "no simulator jar at " + jar + ": run ./mvnw -pl rancher-sim -am package -DskipTests");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(
                javaBin("java"),
                "-Xmx" + maxHeap,
                "-XX:+UseG1GC",
                "-jar",
                jar.toString(),
                "--port",
                Integer.toString(port),
                "--clusters",
                "0"));
        cmd.addAll(extraArgs);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        drain(p);
        String url = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the simulator exited with " + p.exitValue());
            }
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create(url + "/ping")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return new SimProcess(p, url);
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(100);
        }
        p.destroy();
        throw new IllegalStateException("the simulator did not answer /ping within 60 s");
    }

    private static void drain(Process p) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            if (Boolean.getBoolean("kubeyard.bench.simlog")) {
                                System.err.println("[sim] " + line);
                            }
                        }
                    } catch (IOException e) {
                        // The process ended.
                    }
                },
                "sim-output");
        t.setDaemon(true);
        t.start();
    }

    private static String javaBin(String tool) {
        return Path.of(System.getProperty("java.home"), "bin", tool).toString();
    }

    String url() {
        return url;
    }

    /**
     * One call to the admin API ({@code /_sim/...}, no authentication): {@code json} is the body of a POST, null for a
     * GET. Returns the answer's body; an answer other than 2xx fails.
     */
    String admin(String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        request = json == null ? request.GET() : request.POST(HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = adminHttp.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** CPU time the simulator's JVM has used so far, all its threads (zero where the OS does not tell). */
    Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Live threads of the simulator's JVM (Linux's {@code /proc/<pid>/status}; 0 elsewhere). */
    int threads() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.substring("Threads:".length()).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /** Heap in use after a full collection, from the JDK's own jcmd. */
    long heapUsedAfterGcBytes() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher m = USED.matcher(info);
        if (!m.find()) {
            throw new IllegalStateException("cannot read the heap from jcmd: " + info);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    /**
     * Starts a flight recording in the simulator's JVM (JFR's {@code profile} settings: a CPU sample every 10 ms), to
     * be written to {@code file} by {@link #stopRecording}.
     */
    void startRecording(Path file) throws IOException, InterruptedException {
        jcmd("JFR.start", "name=bench", "settings=profile", "filename=" + file.toAbsolutePath());
    }

    void stopRecording() throws IOException, InterruptedException {
        jcmd("JFR.stop", "name=bench");
    }

    private String jcmd(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(javaBin("jcmd"), Long.toString(process.pid())));
        cmd.addAll(List.of(command));
        Process j = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!j.waitFor(60, TimeUnit.SECONDS) || j.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() {
        adminHttp.close();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
