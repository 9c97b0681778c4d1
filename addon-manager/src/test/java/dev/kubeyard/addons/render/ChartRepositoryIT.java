package dev.kubeyard.addons.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.sun.net.httpserver.HttpServer;
import dev.kubeyard.addons.TestCatalogs;
import dev.kubeyard.addons.catalog.AddonVersion;
import dev.kubeyard.addons.catalog.Catalog;
import dev.kubeyard.addons.catalog.CatalogLoader;
import dev.kubeyard.addons.catalog.Values;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A catalog version whose chart lives in a Helm chart repository, served over real HTTP from a temp directory. */
class ChartRepositoryIT {

    @TempDir
    Path work;

    HttpServer server;
    final AtomicInteger archiveFetches = new AtomicInteger();
    String url;

    @BeforeEach
    void repository() throws Exception {
        Path charts = Files.createDirectories(work.resolve("repo"));
        new Helm(TestCatalogs.root().resolve("demo-web/charts/1.0.0"))
                .packageIt()
                .withDestination(charts)
                .call();
        Path archive = charts.resolve("demo-web-1.0.0.tgz");
        String digest =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(archive)));
        writeIndex(charts, digest);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/charts/", exchange -> {
            Path file = charts.resolve(exchange.getRequestURI().getPath().substring("/charts/".length()));
            if (!Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            if (file.toString().endsWith(".tgz")) {
                archiveFetches.incrementAndGet();
            }
            byte[] body = Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/charts";
    }

    static void writeIndex(Path charts, String digest) throws IOException {
        Files.writeString(charts.resolve("index.yaml"), """
                apiVersion: v1
                entries:
                  demo-web:
                    - name: demo-web
                      version: 1.0.0
                      urls: [demo-web-1.0.0.tgz]
                      digest: %s
                """.formatted(digest));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    AddonVersion version(Path root) throws IOException {
        Path addon = Files.createDirectories(root.resolve("remote-web"));
        Files.writeString(addon.resolve("addon.yaml"), """
                name: remote-web
                category: other
                namespace: web
                versions:
                  - version: 1.0.0
                    repository: {url: "%s", chart: demo-web, version: 1.0.0}
                """.formatted(url));
        Catalog catalog = new Catalog(new CatalogLoader(work.resolve("load")).loadRoot(root));
        return catalog.version("remote-web", "1.0.0").orElseThrow();
    }

    @Test
    void aRepositoryChartIsFetchedOnceCheckedAgainstTheIndexAndRendered() throws Exception {
        AddonVersion v = version(Files.createDirectories(work.resolve("catalog")));
        AddonRenderer renderer = new AddonRenderer(work.resolve("render"));
        RenderedAddon rendered = renderer.render(v, "web", "v1.33.5", Values.of(Map.of("replicas", 3)));
        assertThat(rendered.objects())
                .extracting(o -> o.path("kind").asText())
                .contains("Deployment", "Service", "ConfigMap", "PodDisruptionBudget");
        renderer.render(v, "web", "v1.33.5", Values.of(Map.of("replicas", 4)));
        // A second renderer (a restart) on the same work directory finds the archive cached.
        new AddonRenderer(work.resolve("render")).render(v, "web", "v1.33.5", Values.of(Map.of("replicas", 5)));
        assertThat(archiveFetches).hasValue(1);
    }

    @Test
    void anArchiveThatDoesNotMatchTheIndexIsRefused() throws Exception {
        writeIndex(work.resolve("repo"), "0".repeat(64));
        AddonVersion v = version(Files.createDirectories(work.resolve("catalog2")));
        assertThatThrownBy(() ->
                        new AddonRenderer(work.resolve("render2")).render(v, "web", "v1.33.5", Values.of(Map.of())))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("does not match the index's digest");
    }

    @Test
    void valuesThatBreakTheChartsOwnSchemaAreRefusedByHelm() throws Exception {
        AddonVersion v = version(Files.createDirectories(work.resolve("catalog3")));
        assertThatThrownBy(() -> new AddonRenderer(work.resolve("render3"))
                        .render(v, "web", "v1.33.5", Values.of(Map.of("replicas", 99))))
                .isInstanceOf(RenderException.class)
                .hasMessageContaining("replicas");
    }
}
