package dev.kubeyard.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}). {@code errors} is our extension member: one
 * entry per field at fault, named as in the request ({@code limit}, {@code nodePools[0].quantity}). {@code quota} is
 * set on a refusal over a team quota: which quota, its limit, what is used, what was asked and by how much it is over.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        List<FieldError> errors,
        QuotaExceeded quota) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {
        this(type, title, status, detail, instance, errors, null);
    }

    public record FieldError(String field, String detail) {}

    /** The quota a request would exceed. */
    public record QuotaExceeded(String team, String name, int limit, int used, int requested, int excess) {}
}
