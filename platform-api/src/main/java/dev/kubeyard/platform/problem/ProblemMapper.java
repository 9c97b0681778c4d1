package dev.kubeyard.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.rancher.client.RancherException;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import org.hibernate.StaleObjectStateException;
import org.jboss.logging.Logger;

/**
 * The one exception mapper of the API: every error leaves as RFC 9457 {@code application/problem+json}. Client errors
 * are not logged (the caller gets the whole story); a server error is logged here once, with its stack, and the caller
 * gets a generic detail.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @Inject
    ObjectMapper objectMapper;

    @Context
    UriInfo uriInfo;

    /**
     * What the answer is about: a problem or an optimistic-locking conflict wrapped by the transaction's commit (an
     * interceptor wraps it once or twice) counts as itself.
     */
    private static Exception rootProblem(Exception thrown) {
        for (Throwable t = thrown; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof dev.kubeyard.addons.control.AddonProblem addon) {
                return ProblemException.of(addon);
            }
            if (t instanceof ProblemException
                    || t instanceof OptimisticLockException
                    || t instanceof StaleObjectStateException) {
                return (Exception) t;
            }
        }
        return thrown;
    }

    @Override
    public Response toResponse(Exception exception) {
        Problem problem = toProblem(exception);
        if (rootProblem(exception) instanceof RancherException) {
            LOG.warnf("Request %s failed: Rancher answered %s", problem.instance(), exception.getMessage());
        } else if (problem.status() >= 500) {
            LOG.errorf(exception, "Request %s failed: %s", problem.instance(), exception.getMessage());
        }
        try {
            return Response.status(problem.status())
                    .type(Problem.MEDIA_TYPE)
                    .entity(objectMapper.writeValueAsString(problem))
                    .build();
        } catch (JsonProcessingException e) {
            LOG.error("Could not write a problem body", e);
            return Response.status(problem.status()).build();
        }
    }

    private Problem toProblem(Exception thrown) {
        Exception exception = rootProblem(thrown);
        String instance = uriInfo == null ? null : uriInfo.getRequestUri().getRawPath();
        if (exception instanceof ProblemException pe) {
            return new Problem(pe.type(), pe.title(), pe.status(), pe.getMessage(), instance, pe.errors(), pe.quota());
        }
        if (exception instanceof RancherException re) {
            // Rancher's own words are safe to pass on (the client never puts the token in a message).
            return new Problem(
                    "about:blank",
                    "Bad Gateway",
                    502,
                    "Rancher did not answer as expected: " + re.getMessage(),
                    instance,
                    List.of());
        }
        if (exception instanceof OptimisticLockException || exception instanceof StaleObjectStateException) {
            return new Problem(
                    "about:blank",
                    "Conflict",
                    409,
                    "Someone else changed the resource at the same time; read it again and retry",
                    instance,
                    List.of());
        }
        if (exception instanceof WebApplicationException wae) {
            Response.StatusType status = wae.getResponse().getStatusInfo();
            return new Problem(
                    "about:blank",
                    status.getReasonPhrase(),
                    status.getStatusCode(),
                    wae.getMessage(),
                    instance,
                    List.of());
        }
        return new Problem(
                "about:blank",
                "Internal Server Error",
                500,
                "The server failed to answer; the error is in its log.",
                instance,
                List.of());
    }
}
