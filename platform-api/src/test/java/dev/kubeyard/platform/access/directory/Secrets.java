package dev.kubeyard.platform.access.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Assertions that no password of the fixture appears in an exception or a log line. */
final class Secrets {

    private Secrets() {}

    /** Neither the exception nor any of its causes or suppressed exceptions names a secret. */
    static void assertNoSecretIn(Throwable thrown) {
        for (String text : texts(thrown)) {
            for (String secret : TestDirectory.SECRETS) {
                assertThat(text).as("exception text").doesNotContain(secret);
            }
        }
    }

    static void assertNoSecretIn(CapturedLog log) {
        for (String line : log.lines()) {
            for (String secret : TestDirectory.SECRETS) {
                assertThat(line).as("log line").doesNotContain(secret);
            }
        }
    }

    private static List<String> texts(Throwable thrown) {
        List<String> texts = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> todo = new ArrayList<>(List.of(thrown));
        while (!todo.isEmpty()) {
            Throwable t = todo.remove(todo.size() - 1);
            if (t == null || !seen.add(t)) {
                continue;
            }
            texts.add(String.valueOf(t));
            texts.add(String.valueOf(t.getMessage()));
            todo.add(t.getCause());
            todo.addAll(List.of(t.getSuppressed()));
        }
        return texts;
    }
}
