package dev.kubeyard.rancher.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Steve's list parameters (rancher-api.md §2.3): {@code filter} (repeated means AND, a comma means OR),
 * {@code sort}, {@code limit}+{@code continue} and {@code pagesize}+{@code page}.
 */
public final class ListQuery {

    /** One filter term: {@code path op value}; a term without operator tests that the field exists. */
    public record Term(List<String> path, String op, List<String> values, boolean negated) {

        boolean matches(JsonNode obj) {
            JsonNode field = resolve(obj, path);
            boolean present = !field.isMissingNode() && !field.isNull();
            if (op == null) {
                return negated != present;
            }
            String text = present ? (field.isValueNode() ? field.asText() : field.toString()) : null;
            return switch (op) {
                case "=", "==" -> text != null && text.equals(values.get(0));
                case "!=" -> text == null || !text.equals(values.get(0));
                case "~" -> text != null && text.contains(values.get(0));
                case "!~" -> text == null || !text.contains(values.get(0));
                case "in" -> text != null && values.contains(text);
                case "notin" -> text == null || !values.contains(text);
                case "<" -> text != null && compareValues(text, values.get(0)) < 0;
                case ">" -> text != null && compareValues(text, values.get(0)) > 0;
                default -> false;
            };
        }
    }

    /** Sort key: a field path and a direction. */
    public record SortKey(List<String> path, boolean descending) {}

    private static final Pattern TERM =
            Pattern.compile("^(!?)([^=!~<>\\s\\[]+(?:\\[[^\\]]*\\])?(?:\\.[^=!~<>\\s\\[]+(?:\\[[^\\]]*\\])?)*)\\s*"
                    + "(?:(==|!=|!~|=|~|<|>)(.*)|\\s+(in|notin)\\s*\\((.*)\\)\\s*)?$");

    /** AND of groups; each group is an OR of terms. */
    private final List<List<Term>> filters;

    private final List<SortKey> sort;
    private final int pageSize;
    private final int offset;
    private final boolean pageMode;

    private ListQuery(List<List<Term>> filters, List<SortKey> sort, int pageSize, int offset, boolean pageMode) {
        this.filters = filters;
        this.sort = sort;
        this.pageSize = pageSize;
        this.offset = offset;
        this.pageMode = pageMode;
    }

    /** Parses the query parameters of a list request. */
    public static ListQuery parse(Map<String, List<String>> params) {
        List<List<Term>> filters = new ArrayList<>();
        for (String filter : params.getOrDefault("filter", List.of())) {
            List<Term> group = new ArrayList<>();
            for (String part : splitOutsideParentheses(filter)) {
                if (!part.isBlank()) {
                    group.add(term(part.trim()));
                }
            }
            if (!group.isEmpty()) {
                filters.add(group);
            }
        }
        List<SortKey> sort = new ArrayList<>();
        for (String s : params.getOrDefault("sort", List.of())) {
            for (String key : s.split(",")) {
                String k = key.trim();
                if (k.isEmpty()) {
                    continue;
                }
                boolean desc = k.startsWith("-");
                sort.add(new SortKey(path(desc ? k.substring(1) : k), desc));
            }
        }
        int pageSize = intParam(params, "pagesize", 0);
        boolean pageMode = pageSize > 0;
        if (!pageMode) {
            int limit = intParam(params, "limit", -1);
            pageSize = limit > 0 ? limit : 0;
        }
        int offset = 0;
        String cont = first(params, "continue");
        if (cont != null && !cont.isEmpty()) {
            offset = decodeContinue(cont);
        } else if (pageMode) {
            offset = (Math.max(1, intParam(params, "page", 1)) - 1) * pageSize;
        }
        return new ListQuery(filters, sort, pageSize, offset, pageMode);
    }

    /** Exact-match value of a filter on {@code path}, when the query has exactly such a term (index hint). */
    public String equalityOn(String path) {
        List<String> wanted = path(path);
        for (List<Term> group : filters) {
            if (group.size() == 1) {
                Term t = group.get(0);
                if (!t.negated()
                        && ("=".equals(t.op()) || "==".equals(t.op()))
                        && t.path().equals(wanted)) {
                    return t.values().get(0);
                }
            }
        }
        return null;
    }

    public boolean matches(JsonNode obj) {
        for (List<Term> group : filters) {
            boolean any = false;
            for (Term t : group) {
                if (t.matches(obj)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    public void sort(List<? extends JsonNode> objects) {
        if (sort.isEmpty()) {
            return;
        }
        Comparator<JsonNode> order = null;
        for (SortKey key : sort) {
            Comparator<JsonNode> c = (a, b) -> compareFields(resolve(a, key.path()), resolve(b, key.path()));
            if (key.descending()) {
                c = c.reversed();
            }
            order = order == null ? c : order.thenComparing(c);
        }
        objects.sort(order);
    }

    public int offset() {
        return offset;
    }

    /** Page size, 0 for no paging. */
    public int pageSize() {
        return pageSize;
    }

    public boolean pageMode() {
        return pageMode;
    }

    public static String encodeContinue(int offset) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("{\"o\":" + offset + "}").getBytes(StandardCharsets.UTF_8));
    }

    static int decodeContinue(String token) {
        try {
            String json = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            JsonNode node = Json.MAPPER.readTree(json);
            if (!node.path("o").canConvertToInt() || node.path("o").asInt() < 0) {
                throw new IllegalArgumentException(token);
            }
            return node.path("o").asInt();
        } catch (Exception e) {
            throw ApiError.badRequest("invalid continue token");
        }
    }

    static Term term(String text) {
        Matcher m = TERM.matcher(text);
        if (!m.matches()) {
            throw ApiError.badRequest("invalid filter: " + text);
        }
        boolean negated = !m.group(1).isEmpty();
        List<String> path = path(m.group(2));
        if (m.group(3) != null) {
            return new Term(path, m.group(3), List.of(m.group(4).trim()), negated);
        }
        if (m.group(5) != null) {
            List<String> values = new ArrayList<>();
            for (String v : m.group(6).split(",")) {
                values.add(v.trim());
            }
            return new Term(path, m.group(5), List.copyOf(values), negated);
        }
        return new Term(path, null, List.of(), negated);
    }

    /** {@code metadata.labels[rke.cattle.io/rke-machine-pool-name]} is three segments. */
    static List<String> path(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '[') {
                if (!current.isEmpty()) {
                    out.add(current.toString());
                    current.setLength(0);
                }
                int end = text.indexOf(']', i);
                if (end < 0) {
                    throw ApiError.badRequest("invalid field path: " + text);
                }
                out.add(text.substring(i + 1, end));
                i = end;
            } else if (ch == '.') {
                if (!current.isEmpty()) {
                    out.add(current.toString());
                    current.setLength(0);
                }
            } else {
                current.append(ch);
            }
        }
        if (!current.isEmpty()) {
            out.add(current.toString());
        }
        return List.copyOf(out);
    }

    static JsonNode resolve(JsonNode obj, List<String> path) {
        JsonNode node = obj;
        for (String segment : path) {
            if (node.isArray() && segment.chars().allMatch(Character::isDigit)) {
                node = node.path(Integer.parseInt(segment));
            } else {
                node = node.path(segment);
            }
        }
        return node;
    }

    private static List<String> splitOutsideParentheses(String filter) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < filter.length(); i++) {
            char ch = filter.charAt(i);
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth = Math.max(0, depth - 1);
            } else if (ch == ',' && depth == 0) {
                parts.add(filter.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(filter.substring(start));
        return parts;
    }

    private static int compareFields(JsonNode a, JsonNode b) {
        boolean aMissing = a.isMissingNode() || a.isNull();
        boolean bMissing = b.isMissingNode() || b.isNull();
        if (aMissing || bMissing) {
            return Boolean.compare(!aMissing, !bMissing);
        }
        return compareValues(a.asText(), b.asText());
    }

    static int compareValues(String a, String b) {
        BigDecimal x = number(a);
        BigDecimal y = number(b);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        return a.compareTo(b);
    }

    private static BigDecimal number(String s) {
        if (s.isEmpty() || s.length() > 40) {
            return null;
        }
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int intParam(Map<String, List<String>> params, String name, int fallback) {
        String value = first(params, name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("invalid " + name + ": " + value);
        }
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
