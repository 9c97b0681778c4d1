package dev.kubeyard.rancher.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.client.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads the recorded bodies under src/test/resources/fixtures (see the README there). */
public final class Fixtures {

    private Fixtures() {}

    public static String text(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String path) {
        try {
            return Json.mapper().readTree(text(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T read(String path, Class<T> type) {
        return Json.mapper().convertValue(json(path), type);
    }
}
