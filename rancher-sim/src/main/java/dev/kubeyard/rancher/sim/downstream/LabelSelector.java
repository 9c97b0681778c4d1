package dev.kubeyard.rancher.sim.downstream;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector as the {@code labelSelector} parameter of a LIST carries it: equality-based
 * ({@code k=v}, {@code k==v}, {@code k!=v}) and set-based ({@code k in (a,b)}, {@code k notin (a,b)}, {@code k},
 * {@code !k}) requirements, all of which must hold. {@code !=} and {@code notin} match objects without the label, as
 * in kube-apiserver. fabric8's CRUD mock splits the parameter at every comma and ignores {@code in} and
 * {@code notin}, so lists are filtered with this instead.
 */
record LabelSelector(List<Requirement> requirements) {

    enum Operator {
        EQUALS,
        NOT_EQUALS,
        IN,
        NOT_IN,
        EXISTS,
        DOES_NOT_EXIST
    }

    record Requirement(String key, Operator operator, Set<String> values) {

        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
            };
        }
    }

    private static final String KEY = "([A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?)";
    private static final String VALUE = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
    private static final Pattern EXISTENCE = Pattern.compile("(!?)\\s*" + KEY);
    private static final Pattern EQUALITY = Pattern.compile(KEY + "\\s*(==|=|!=)\\s*(" + VALUE + ")");
    private static final Pattern SET = Pattern.compile(KEY + "\\s+(in|notin)\\s*\\((.*)\\)");
    private static final Pattern SET_VALUE = Pattern.compile(VALUE);

    LabelSelector {
        requirements = List.copyOf(requirements);
    }

    /**
     * Parses a selector; blank selects everything.
     *
     * @throws IllegalArgumentException with kube-apiserver's "unable to parse requirement" wording
     */
    static LabelSelector parse(String selector) {
        List<Requirement> requirements = new ArrayList<>();
        if (selector == null || selector.isBlank()) {
            return new LabelSelector(requirements);
        }
        for (String part : splitAtTopLevelCommas(selector)) {
            requirements.add(requirement(part.strip()));
        }
        return new LabelSelector(requirements);
    }

    boolean matches(Map<String, String> labels) {
        Map<String, String> present = labels == null ? Map.of() : labels;
        return requirements.stream().allMatch(r -> r.matches(present));
    }

    private static Requirement requirement(String text) {
        Matcher set = SET.matcher(text);
        if (set.matches()) {
            Set<String> values = new LinkedHashSet<>();
            for (String value : set.group(4).split(",", -1)) {
                String v = value.strip();
                if (!SET_VALUE.matcher(v).matches()) {
                    throw unparsable(text, "invalid label value \"" + v + "\"");
                }
                values.add(v);
            }
            if (values.size() == 1 && values.contains("") && set.group(4).isBlank()) {
                throw unparsable(text, "for 'in', 'notin' operators, values set can't be empty");
            }
            Operator operator = set.group(3).equals("in") ? Operator.IN : Operator.NOT_IN;
            return new Requirement(set.group(1), operator, Set.copyOf(values));
        }
        Matcher equality = EQUALITY.matcher(text);
        if (equality.matches()) {
            Operator operator = equality.group(3).equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS;
            return new Requirement(equality.group(1), operator, Set.of(equality.group(4)));
        }
        Matcher existence = EXISTENCE.matcher(text);
        if (existence.matches()) {
            Operator operator = existence.group(1).isEmpty() ? Operator.EXISTS : Operator.DOES_NOT_EXIST;
            return new Requirement(existence.group(2), operator, Set.of());
        }
        throw unparsable(text, "expected a label key, an operator (=, ==, !=, in, notin) and values");
    }

    private static List<String> splitAtTopLevelCommas(String selector) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(selector.substring(start));
        return parts;
    }

    private static IllegalArgumentException unparsable(String requirement, String why) {
        return new IllegalArgumentException("unable to parse requirement: \"" + requirement + "\": " + why);
    }
}
