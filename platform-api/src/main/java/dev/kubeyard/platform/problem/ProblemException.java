package dev.kubeyard.platform.problem;

import java.util.List;

/** An error the API answers as a problem: thrown by resources, turned into a response by {@link ProblemMapper}. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Problem.FieldError> errors;

    public ProblemException(int status, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    /** A 400 naming the one field at fault. */
    public static ProblemException invalidField(String field, String detail) {
        return new ProblemException(
                400, "Invalid request", field + ": " + detail, List.of(new Problem.FieldError(field, detail)));
    }

    /** A 400 naming every field at fault. */
    public static ProblemException invalidFields(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(400, "Invalid request", detail, errors);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not Found", detail, List.of());
    }

    /** A 409: the request is well-formed but clashes with the resource's current state. */
    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail, List.of());
    }

    /** A 409 about one field. */
    public static ProblemException conflict(String field, String detail) {
        return new ProblemException(
                409, "Conflict", field + ": " + detail, List.of(new Problem.FieldError(field, detail)));
    }

    /** A 422 about one field: well-formed, but it cannot be done. */
    public static ProblemException unprocessable(String field, String detail) {
        return new ProblemException(
                422, "Unprocessable Content", field + ": " + detail, List.of(new Problem.FieldError(field, detail)));
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
