package dev.kubeyard.platform.request;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Takes the caller's {@code X-Correlation-Id} (or makes one), puts it in the log context, and echoes it back. */
public class CorrelationFilter {

    public static final String HEADER = "X-Correlation-Id";

    /** What we accept from a caller: short, printable, no spaces (it lands in logs and the audit trail). */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Inject
    RequestContext context;

    @ServerRequestFilter
    public void correlate(ContainerRequestContext request) {
        String given = request.getHeaderString(HEADER);
        if (given != null && SANE.matcher(given).matches()) {
            context.useCorrelationId(given);
        }
        if (request.getSecurityContext() != null) {
            context.usePrincipal(request.getSecurityContext().getUserPrincipal());
        }
        MDC.put("correlationId", context.correlationId());
    }

    @ServerResponseFilter
    public void echo(ContainerResponseContext response) {
        response.getHeaders().putSingle(HEADER, context.correlationId());
        MDC.remove("correlationId");
    }
}
