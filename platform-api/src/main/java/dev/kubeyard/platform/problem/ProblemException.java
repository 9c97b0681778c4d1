package dev.kubeyard.platform.problem;

import java.util.List;

/** An error the API answers as a problem: thrown by resources, turned into a response by {@link ProblemMapper}. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final String type;
    private final Problem.QuotaExceeded quota;

    public ProblemException(int status, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.type = "about:blank";
        this.quota = null;
    }

    private ProblemException(String detail, String field, Problem.QuotaExceeded quota) {
        super(detail);
        this.status = 403;
        this.title = "Quota exceeded";
        this.errors = List.of(new Problem.FieldError(field, detail));
        this.type = QUOTA_TYPE;
        this.quota = quota;
    }

    /** The problem type of a refusal over a team quota. */
    public static final String QUOTA_TYPE = "https://kubeyard.dev/problems/quota-exceeded";

    /** A 403 over a team quota, naming the field that asks for too much and the quota's numbers. */
    public static ProblemException quotaExceeded(String field, Problem.QuotaExceeded quota) {
        String detail = "Team " + quota.team() + " may have " + quota.limit() + " " + quota.name() + "; it has "
                + quota.used() + " and this request asks for " + quota.requested() + ", " + quota.excess()
                + " over the quota";
        return new ProblemException(detail, field, quota);
    }

    /** The addon manager's refusal, with its fields: 404, 400 or 409. */
    public static ProblemException of(dev.kubeyard.addons.control.AddonProblem problem) {
        List<Problem.FieldError> errors = problem.fields().stream()
                .map(f -> new Problem.FieldError(f.field(), f.message()))
                .toList();
        return switch (problem.kind()) {
            case NOT_FOUND -> new ProblemException(404, "Not Found", problem.getMessage(), errors);
            case INVALID -> new ProblemException(400, "Invalid request", problem.getMessage(), errors);
            case CONFLICT -> new ProblemException(409, "Conflict", problem.getMessage(), errors);
        };
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

    /** A 403: the caller is known but may not do this. */
    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail, List.of());
    }

    /** A 403 about one field of the request (for example the team a cluster is asked for in). */
    public static ProblemException forbidden(String field, String detail) {
        return new ProblemException(
                403, "Forbidden", field + ": " + detail, List.of(new Problem.FieldError(field, detail)));
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

    public String type() {
        return type;
    }

    public Problem.QuotaExceeded quota() {
        return quota;
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
