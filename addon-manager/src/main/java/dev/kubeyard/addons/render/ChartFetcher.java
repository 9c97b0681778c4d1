package dev.kubeyard.addons.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kubeyard.addons.catalog.AddonSource.ChartRepository;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Fetches a chart of a Helm chart repository: reads the repository's index.yaml, takes the chart version's archive,
 * checks it against the index's sha256 digest, and keeps it in the cache directory (an archive, once fetched, is
 * never fetched again: a chart version is immutable). Helm then renders the archive like any packaged chart.
 */
public final class ChartFetcher {

    private static final YAMLMapper YAML = new YAMLMapper();

    private final Path cache;
    private final HttpClient http;

    public ChartFetcher(Path cache) {
        this.cache = cache;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** The archive of the chart version, fetched when not cached yet. */
    public Path fetch(ChartRepository source) {
        Path archive = cache.resolve(safe(source.url())).resolve(source.chart() + "-" + source.chartVersion() + ".tgz");
        if (Files.isRegularFile(archive)) {
            return archive;
        }
        try {
            URI base = URI.create(source.url().endsWith("/") ? source.url() : source.url() + "/");
            JsonNode index = YAML.readTree(get(base.resolve("index.yaml")));
            JsonNode entry = null;
            for (JsonNode candidate : index.path("entries").path(source.chart())) {
                if (source.chartVersion().equals(candidate.path("version").asText())) {
                    entry = candidate;
                }
            }
            if (entry == null || entry.path("urls").isEmpty()) {
                throw new RenderException(
                        "chart repository " + source.url() + " has no " + source.chart() + " " + source.chartVersion());
            }
            byte[] bytes = get(base.resolve(entry.path("urls").get(0).asText()));
            String expected = entry.path("digest").asText("");
            if (!expected.isEmpty()) {
                String actual = HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                if (!actual.equalsIgnoreCase(expected)) {
                    throw new RenderException("chart " + source.chart() + " " + source.chartVersion() + " from "
                            + source.url() + " does not match the index's digest");
                }
            }
            Files.createDirectories(archive.getParent());
            Path partial = Files.createTempFile(archive.getParent(), "fetch", ".part");
            Files.write(partial, bytes);
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return archive;
        } catch (IOException e) {
            throw new RenderException(
                    "cannot fetch chart " + source.chart() + " " + source.chartVersion() + " from " + source.url()
                            + ": " + e.getMessage(),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenderException("interrupted while fetching a chart", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] get(URI uri) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered " + response.statusCode());
        }
        return response.body();
    }

    private static String safe(String url) {
        return url.replaceAll("[^A-Za-z0-9.-]", "_");
    }
}
