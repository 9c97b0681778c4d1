package dev.kubeyard.serviceboard.record;

import dev.kubeyard.serviceboard.board.ServiceStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A search of the board: filters, order and page. Built from what a caller typed; every bad value is a {@link
 * BadQuery} naming its parameter.
 *
 * @param teams the teams whose clusters the caller sees; empty: every team (a caller who reads everything)
 * @param clusters only these clusters; empty: all the caller sees
 * @param statuses only these statuses; empty: all
 * @param text free text: a part of the namespace/name, an image or an ingress host
 * @param name a part of the service's name
 * @param namespaces only these namespaces; empty: all
 * @param labels a label selector's requirements, all of which must hold
 * @param image a part of an image of the service's pods ({@code nginx}, {@code :1.27})
 * @param after the page continues after this position (from the previous page's cursor)
 */
public record BoardQuery(
        Optional<Set<String>> teams,
        Set<String> clusters,
        Set<ServiceStatus> statuses,
        Optional<String> text,
        Optional<String> name,
        Set<String> namespaces,
        List<LabelRequirement> labels,
        Optional<String> image,
        Sort sort,
        boolean descending,
        int limit,
        Optional<Position> after) {

    public static final int MAX_LIMIT = 500;
    public static final int DEFAULT_LIMIT = 50;

    public BoardQuery {
        teams = teams.map(Set::copyOf);
        clusters = Set.copyOf(clusters);
        statuses = Set.copyOf(statuses);
        namespaces = Set.copyOf(namespaces);
        labels = List.copyOf(labels);
        Objects.requireNonNull(sort, "sort");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadQuery("limit", "must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        if (after.isPresent() && (after.get().sort() != sort || after.get().descending() != descending)) {
            throw new BadQuery("cursor", "belongs to another order: ask again without it");
        }
    }

    /** Everything the caller sees, worst first, one default page. */
    public static BoardQuery all(Optional<Set<String>> teams) {
        return new BoardQuery(
                teams,
                Set.of(),
                Set.of(),
                Optional.empty(),
                Optional.empty(),
                Set.of(),
                List.of(),
                Optional.empty(),
                Sort.STATUS,
                false,
                DEFAULT_LIMIT,
                Optional.empty());
    }

    /** This query with another order and page. */
    public BoardQuery page(Sort sort, boolean descending, int limit, Optional<Position> after) {
        return new BoardQuery(
                teams, clusters, statuses, text, name, namespaces, labels, image, sort, descending, limit, after);
    }

    /** The orders the board offers; each ends on the row's key, so that an order is total and a page stable. */
    public enum Sort {
        STATUS("status", "b.status_rank", "b.name", "b.cluster_name", "b.namespace"),
        NAME("name", "b.name", "b.cluster_name", "b.namespace"),
        CLUSTER("cluster", "b.cluster_name", "b.namespace", "b.name"),
        UPDATED_AT("updatedAt", "b.updated_at", "b.cluster_name", "b.namespace", "b.name");

        private final String wireName;
        private final List<String> columns;

        Sort(String wireName, String... columns) {
            this.wireName = wireName;
            this.columns = List.of(columns);
        }

        public String wireName() {
            return wireName;
        }

        List<String> columns() {
            return columns;
        }

        public static Sort fromWireName(String name) {
            for (Sort s : values()) {
                if (s.wireName.equalsIgnoreCase(name)) {
                    return s;
                }
            }
            throw new BadQuery("sort", "must be one of status, name, cluster, updatedAt; was '" + name + "'");
        }
    }

    /** One requirement of a label selector: {@code key=value}, {@code key!=value}, {@code key} or {@code !key}. */
    public record LabelRequirement(String key, Optional<String> value, boolean negated) {

        // A qualified label key (an optional DNS prefix and a name) and a label value, as Kubernetes has them.
        private static final Pattern KEY = Pattern.compile(
                "([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
        private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

        /** Parses {@code app=web,tier!=cache,canary,!legacy}. */
        public static List<LabelRequirement> parse(String selector) {
            List<LabelRequirement> out = new ArrayList<>();
            if (selector == null || selector.isBlank()) {
                return out;
            }
            for (String part : selector.split(",")) {
                String p = part.trim();
                LabelRequirement r;
                int ne = p.indexOf("!=");
                int eq = p.indexOf('=');
                if (ne > 0) {
                    r = new LabelRequirement(
                            p.substring(0, ne).trim(),
                            Optional.of(p.substring(ne + 2).trim()),
                            true);
                } else if (eq > 0) {
                    int from = p.startsWith("==", eq) ? eq + 2 : eq + 1;
                    r = new LabelRequirement(
                            p.substring(0, eq).trim(),
                            Optional.of(p.substring(from).trim()),
                            false);
                } else if (p.startsWith("!")) {
                    r = new LabelRequirement(p.substring(1).trim(), Optional.empty(), true);
                } else {
                    r = new LabelRequirement(p, Optional.empty(), false);
                }
                if (!KEY.matcher(r.key()).matches()) {
                    throw new BadQuery("label", "'" + p + "' does not start with a label key");
                }
                if (r.value().isPresent() && !VALUE.matcher(r.value().get()).matches()) {
                    throw new BadQuery("label", "'" + p + "' has a value that is not a label value");
                }
                out.add(r);
            }
            return out;
        }
    }

    /**
     * Where a page ends: the sort values of its last row. The cursor is opaque to callers (versioned, base64url), so
     * that its content can change without breaking a caller who passes it back untouched.
     */
    public record Position(Sort sort, boolean descending, List<String> values) {

        private static final String PREFIX = "v1";

        public Position {
            values = List.copyOf(values);
        }

        public String cursor() {
            StringBuilder b = new StringBuilder(PREFIX)
                    .append('\u0000')
                    .append(sort.wireName())
                    .append('\u0000')
                    .append(descending ? "desc" : "asc");
            for (String v : values) {
                b.append('\u0000').append(v);
            }
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(b.toString().getBytes(StandardCharsets.UTF_8));
        }

        public static Position ofCursor(String cursor) {
            String text;
            try {
                text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadQuery("cursor", "is not a cursor this API returned");
            }
            String[] parts = text.split("\u0000", -1);
            if (parts.length < 4 || !PREFIX.equals(parts[0])) {
                throw new BadQuery("cursor", "is not a cursor this API returned");
            }
            Sort sort;
            try {
                sort = Sort.fromWireName(parts[1]);
            } catch (BadQuery e) {
                throw new BadQuery("cursor", "is not a cursor this API returned");
            }
            List<String> values = List.of(parts).subList(3, parts.length);
            if (values.size() != sort.columns().size()) {
                throw new BadQuery("cursor", "is not a cursor this API returned");
            }
            return new Position(sort, "desc".equals(parts[2]), values);
        }
    }

    /** Lower case, for the searches that ignore case. */
    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** A query parameter that cannot be used: its name and what is wrong with it. */
    public static final class BadQuery extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String field;

        public BadQuery(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
