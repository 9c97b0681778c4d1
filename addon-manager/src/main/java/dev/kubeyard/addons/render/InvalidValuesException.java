package dev.kubeyard.addons.render;

import dev.kubeyard.addons.catalog.AddonVersion;
import java.util.List;
import java.util.stream.Collectors;

/** The values break the addon version's schema: each problem names the value. */
public final class InvalidValuesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<ValueProblem> problems;

    public InvalidValuesException(AddonVersion version, List<ValueProblem> problems) {
        super("the values do not fit " + version.ref() + "'s schema: "
                + problems.stream().map(ValueProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<ValueProblem> problems() {
        return problems;
    }
}
