package dev.kubeyard.serviceboard.publish;

import dev.kubeyard.serviceboard.board.ServiceKey;
import dev.kubeyard.serviceboard.board.ServiceRow;
import dev.kubeyard.serviceboard.record.BoardChanges;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Publishes the board's rows as ServiceInfo objects in the management cluster, one pass at a time (DESIGN.md beside
 * this file). A pass either follows the changes (rows written since the last pass, re-reading an overlap window, and
 * the rows of clusters written since then that are gone) or, every {@code fullEvery} and first of all, reconciles in
 * full (every object Kubeyard manages against every row: applies what is missing or different, deletes orphans).
 *
 * <p>Not thread-safe across instances: one publisher per process, and one process at a time ({@link SessionLock}).
 * Nothing it does can fail the board: every error ends the pass with a {@link Pass#failure()} and the next pass
 * starts from what was last finished.
 */
public final class ServiceInfoPublisher {

    /**
     * @param overlap how far before the newest change seen a pass reads again: rows committed late (a writer's
     *     transaction still open, writers' clocks apart) are caught if within it
     * @param fullEvery how often a pass reconciles in full
     * @param pageSize rows read per query
     */
    public record Settings(String namespace, Duration overlap, Duration fullEvery, int pageSize) {}

    public enum Kind {
        /** Every object against every row. */
        FULL,
        /** The rows written since the last pass. */
        CHANGES
    }

    /**
     * What one pass did.
     *
     * @param unchanged rows read whose object was already current (not written)
     * @param failure why the pass stopped early (which side, and its error without credentials); empty when it ran
     *     through
     */
    public record Pass(Kind kind, int applied, int unchanged, int deleted, Optional<String> failure) {
        public boolean succeeded() {
            return failure.isEmpty();
        }
    }

    private static final Pattern BEARER = Pattern.compile("(?i)bearer\\s+\\S+");
    private static final Pattern RANCHER_TOKEN = Pattern.compile("token-[a-z0-9]+:\\S+");
    private static final int MAX_FAILURE = 300;

    private final Settings settings;
    private final BoardChanges board;
    private final ServiceInfoPort target;
    private final Clock clock;

    // What this publisher knows to be in the management cluster (cluster -> object name -> digest): rebuilt by every
    // full reconciliation, kept by the passes in between. A cache that only saves writes: the full pass corrects it.
    private final Map<String, Map<String, String>> published = new HashMap<>();
    private Instant rowsMark = Instant.EPOCH;
    private Instant clustersMark = Instant.EPOCH;
    private Instant lastFull;

    public ServiceInfoPublisher(Settings settings, BoardChanges board, ServiceInfoPort target, Clock clock) {
        this.settings = settings;
        this.board = board;
        this.target = target;
        this.clock = clock;
    }

    /** Runs one pass; never throws. */
    public synchronized Pass pass() {
        Instant now = clock.instant();
        Kind kind = lastFull == null || !now.isBefore(lastFull.plus(settings.fullEvery())) ? Kind.FULL : Kind.CHANGES;
        int[] counts = new int[3];
        try {
            if (kind == Kind.FULL) {
                reconcile(counts);
                lastFull = now;
            } else {
                followChanges(counts);
            }
            return new Pass(kind, counts[0], counts[1], counts[2], Optional.empty());
        } catch (Stopped e) {
            return new Pass(kind, counts[0], counts[1], counts[2], Optional.of(e.getMessage()));
        } catch (RuntimeException e) {
            return new Pass(kind, counts[0], counts[1], counts[2], Optional.of("unexpected error: " + describe(e)));
        }
    }

    /** The objects this publisher knows to be current (a gauge). */
    public synchronized int publishedCount() {
        return published.values().stream().mapToInt(Map::size).sum();
    }

    private void followChanges(int[] counts) {
        Instant since = rowsMark.minus(settings.overlap());
        Instant newest = rowsMark;
        Optional<ServiceRow> after = Optional.empty();
        List<ServiceRow> page;
        do {
            Optional<ServiceRow> from = after;
            page = read(() -> board.changedSince(since, from, settings.pageSize()));
            for (ServiceRow row : page) {
                publish(row, counts);
                newest = later(newest, row.updatedAt());
            }
            if (!page.isEmpty()) {
                after = Optional.of(page.getLast());
            }
        } while (page.size() == settings.pageSize());

        Map<String, Optional<Instant>> clusters = read(board::clusters);
        Instant clustersSince = clustersMark.minus(settings.overlap());
        Instant newestCluster = clustersMark;
        Set<String> check = new HashSet<>();
        for (Map.Entry<String, Optional<Instant>> c : clusters.entrySet()) {
            if (c.getValue().isPresent() && !c.getValue().get().isBefore(clustersSince)) {
                check.add(c.getKey());
                newestCluster = later(newestCluster, c.getValue().get());
            }
        }
        for (String cluster : published.keySet()) {
            if (!clusters.containsKey(cluster)) {
                check.add(cluster); // dropped from the board with all its rows
            }
        }
        if (!check.isEmpty()) {
            Map<String, Set<ServiceKey>> keys = read(() -> board.keys(check));
            for (String cluster : check) {
                deleteGone(cluster, keys.getOrDefault(cluster, Set.of()), counts);
            }
        }
        rowsMark = newest;
        clustersMark = newestCluster;
    }

    private void publish(ServiceRow row, int[] counts) {
        GenericKubernetesResource object = ServiceInfos.toObject(row, settings.namespace());
        String name = object.getMetadata().getName();
        String digest = object.getMetadata().getAnnotations().get(ServiceInfos.DIGEST);
        Map<String, String> ofCluster = published.computeIfAbsent(row.cluster(), k -> new HashMap<>());
        if (digest.equals(ofCluster.get(name))) {
            counts[1]++;
            return;
        }
        write(() -> target.apply(object));
        ofCluster.put(name, digest);
        counts[0]++;
    }

    private void deleteGone(String cluster, Set<ServiceKey> rows, int[] counts) {
        Map<String, String> ofCluster = published.get(cluster);
        if (ofCluster == null) {
            return;
        }
        Set<String> wanted = new HashSet<>();
        for (ServiceKey k : rows) {
            wanted.add(ServiceInfos.objectName(cluster, k.namespace(), k.name()));
        }
        for (String name : List.copyOf(ofCluster.keySet())) {
            if (!wanted.contains(name)) {
                write(() -> target.delete(name));
                ofCluster.remove(name);
                counts[2]++;
            }
        }
        if (ofCluster.isEmpty()) {
            published.remove(cluster);
        }
    }

    private void reconcile(int[] counts) {
        Map<String, String> listed = ask(target::list);
        Map<String, Optional<Instant>> clusters = read(board::clusters);
        Map<String, Map<String, String>> current = new HashMap<>();
        Set<String> wanted = new HashSet<>();
        Instant newest = rowsMark;
        Optional<ServiceRow> after = Optional.empty();
        List<ServiceRow> page;
        do {
            Optional<ServiceRow> from = after;
            page = read(() -> board.all(from, settings.pageSize()));
            for (ServiceRow row : page) {
                GenericKubernetesResource object = ServiceInfos.toObject(row, settings.namespace());
                String name = object.getMetadata().getName();
                String digest = object.getMetadata().getAnnotations().get(ServiceInfos.DIGEST);
                wanted.add(name);
                if (digest.equals(listed.get(name))) {
                    counts[1]++;
                } else {
                    write(() -> target.apply(object));
                    counts[0]++;
                }
                current.computeIfAbsent(row.cluster(), k -> new HashMap<>()).put(name, digest);
                newest = later(newest, row.updatedAt());
            }
            if (!page.isEmpty()) {
                after = Optional.of(page.getLast());
            }
        } while (page.size() == settings.pageSize());
        // Only objects that carry Kubeyard's label in this namespace were listed: nothing else is ever deleted.
        for (String name : listed.keySet()) {
            if (!wanted.contains(name)) {
                write(() -> target.delete(name));
                counts[2]++;
            }
        }
        published.clear();
        published.putAll(current);
        rowsMark = newest;
        Instant newestCluster = clustersMark;
        for (Optional<Instant> changed : clusters.values()) {
            if (changed.isPresent()) {
                newestCluster = later(newestCluster, changed.get());
            }
        }
        clustersMark = newestCluster;
    }

    private static Instant later(Instant a, Instant b) {
        return b.isAfter(a) ? b : a;
    }

    private static <T> T read(Supplier<T> query) {
        try {
            return query.get();
        } catch (RuntimeException e) {
            throw new Stopped("the board could not be read: " + describe(e), e);
        }
    }

    private static void write(Runnable call) {
        ask(() -> {
            call.run();
            return null;
        });
    }

    private static <T> T ask(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw new Stopped("the management cluster did not answer as expected: " + describe(e), e);
        }
    }

    /** An error as one line for a log or a metric: HTTP status, message and root cause, credentials blanked. */
    static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        if (e instanceof KubernetesClientException k && k.getCode() > 0) {
            b.append("HTTP ").append(k.getCode()).append(' ');
        }
        b.append(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && root.getMessage() != null) {
            b.append(" (").append(root.getMessage()).append(')');
        }
        String text = b.toString().replaceAll("\\s+", " ").trim();
        text = BEARER.matcher(text).replaceAll("Bearer ***");
        text = RANCHER_TOKEN.matcher(text).replaceAll("token-***");
        return text.length() <= MAX_FAILURE ? text : text.substring(0, MAX_FAILURE) + "...";
    }

    /** A pass ended early; the message says which side failed. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
