package dev.kubeyard.platform.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;

/**
 * A request body that is not JSON, or not the JSON the endpoint takes, answered as problem+json naming the field
 * ({@code nodePools[1].quantity}). Quarkus maps these exceptions itself with a plain body; mappers of the same type
 * from the application win.
 */
public final class JsonProblemMappers {

    private JsonProblemMappers() {}

    /** {@code nodePools[1].quantity} from Jackson's path. */
    static String field(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "body" : out.toString();
    }

    static ProblemException problem(MismatchedInputException e) {
        String field = field(e);
        String detail;
        if (e instanceof UnrecognizedPropertyException u) {
            detail = "is not a known field"
                    + (u.getKnownPropertyIds() == null ? "" : "; known fields: " + u.getKnownPropertyIds());
        } else if (e instanceof InvalidFormatException f) {
            detail = "cannot be " + quote(f.getValue()) + ": a "
                    + f.getTargetType().getSimpleName() + " is expected";
        } else {
            detail = "has the wrong type: a "
                    + (e.getTargetType() == null
                            ? "different value"
                            : e.getTargetType().getSimpleName()) + " is expected";
        }
        return ProblemException.invalidField(field, detail);
    }

    private static String quote(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    @Provider
    public static class Mismatched implements ExceptionMapper<MismatchedInputException> {

        @Inject
        ProblemMapper problems;

        @Override
        public Response toResponse(MismatchedInputException exception) {
            return problems.toResponse(problem(exception));
        }
    }

    @Provider
    public static class Malformed implements ExceptionMapper<JsonParseException> {

        @Inject
        ProblemMapper problems;

        @Override
        public Response toResponse(JsonParseException exception) {
            return problems.toResponse(new ProblemException(
                    400,
                    "Invalid request",
                    "The body is not valid JSON: " + exception.getOriginalMessage(),
                    List.of(new Problem.FieldError("body", "is not valid JSON"))));
        }
    }
}
