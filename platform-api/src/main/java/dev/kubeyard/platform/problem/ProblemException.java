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
