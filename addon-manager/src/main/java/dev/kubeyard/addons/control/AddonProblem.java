package dev.kubeyard.addons.control;

import java.util.List;

/** A request the addon manager refuses, with the fields at fault; the application maps it to problem+json. */
public final class AddonProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        NOT_FOUND,
        INVALID,
        CONFLICT
    }

    /** @param field dotted, as in the request body ({@code values.output.port}) */
    public record Field(String field, String message) {}

    private final Kind kind;
    private final transient List<Field> fields;

    public AddonProblem(Kind kind, String message, List<Field> fields) {
        super(message);
        this.kind = kind;
        this.fields = List.copyOf(fields);
    }

    public static AddonProblem notFound(String field, String message) {
        return new AddonProblem(Kind.NOT_FOUND, message, List.of(new Field(field, message)));
    }

    public static AddonProblem invalid(String field, String message) {
        return new AddonProblem(Kind.INVALID, field + ": " + message, List.of(new Field(field, message)));
    }

    public static AddonProblem conflict(String message) {
        return new AddonProblem(Kind.CONFLICT, message, List.of());
    }

    public Kind kind() {
        return kind;
    }

    public List<Field> fields() {
        return fields;
    }
}
