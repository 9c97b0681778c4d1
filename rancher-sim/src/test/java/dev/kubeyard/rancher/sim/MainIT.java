package dev.kubeyard.rancher.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The stand-alone jar as a user runs it: starts, prints its URL, answers, and stops cleanly on SIGTERM. */
class MainIT {

    @Test
    void standaloneJarStartsAnswersAndStopsOnSigterm() throws Exception {
        Path jar = standaloneJar();
        String java = ProcessHandle.current().info().command().orElse("java");
        Process process = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-jar",
                        jar.toString(),
                        "--port",
                        "0",
                        "--clusters",
                        "2",
                        "--token",
                        "token-main:secret")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> out = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> readLines(process, out));
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> out.stream().anyMatch(l -> l.startsWith("rancher-sim listening on ")));
            String line = out.stream()
                    .filter(l -> l.startsWith("rancher-sim listening on "))
                    .findFirst()
                    .orElseThrow();
            String url = line.substring("rancher-sim listening on ".length()).split(" ")[0];
            assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+");

            SimHttp http = new SimHttp(url, "Bearer token-main:secret");
            assertThat(http.get("/ping").body()).isEqualTo("pong");
            assertThat(http.get("/v1/provisioning.cattle.io.clusters")
                            .json()
                            .path("count")
                            .asInt())
                    .isEqualTo(2);
            assertThat(http.ready("demo-002")).isTrue();
            assertThat(new SimHttp(url, "Bearer other:token")
                            .get("/v3/clusters")
                            .code())
                    .isEqualTo(401);

            // SIGTERM through the handle: Process.destroy() would also close our end of the output stream.
            assertThat(process.toHandle().destroy()).isTrue();

            assertThat(process.waitFor(20, TimeUnit.SECONDS))
                    .as("stopped after SIGTERM")
                    .isTrue();
            reader.join(Duration.ofSeconds(5));
            assertThat(out).contains("rancher-sim stopped");
            assertThat(process.exitValue()).isIn(0, 143);
        } finally {
            process.destroyForcibly();
        }
    }

    private static void readLines(Process process, List<String> out) {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.add(line);
            }
        } catch (IOException e) {
            out.add("read failed: " + e);
        }
    }

    private static Path standaloneJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().endsWith("-standalone.jar"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no *-standalone.jar in target: run the package phase"));
        }
    }
}
