package dev.kubeyard.platform.request;

import dev.kubeyard.platform.access.TokenAuthenticationMechanism;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Takes the caller's {@code X-Correlation-Id} (or makes one), the caller's identity and address, puts the id in the log
 * context, and echoes it back.
 */
public class CorrelationFilter {

    public static final String HEADER = "X-Correlation-Id";

    /** What we accept from a caller: short, printable, no spaces (it lands in logs and the audit trail). */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Inject
    RequestContext context;

    public static boolean isSane(String correlationId) {
        return SANE.matcher(correlationId).matches();
    }

    @ServerRequestFilter(preMatching = true)
    public void correlate(ContainerRequestContext request, RoutingContext routing) {
        String known = routing == null ? null : routing.get(TokenAuthenticationMechanism.CORRELATION);
        String given = known != null ? known : request.getHeaderString(HEADER);
        if (given != null && isSane(given)) {
            context.useCorrelationId(given);
        }
        if (routing != null && routing.request().remoteAddress() != null) {
            context.useSourceAddress(routing.request().remoteAddress().hostAddress());
        }
        MDC.put("correlationId", context.correlationId());
    }

    @ServerRequestFilter
    public void identify(ContainerRequestContext request) {
        if (request.getSecurityContext() != null) {
            context.usePrincipal(request.getSecurityContext().getUserPrincipal());
        }
    }

    @ServerResponseFilter
    public void echo(ContainerResponseContext response) {
        response.getHeaders().putSingle(HEADER, context.correlationId());
        MDC.remove("correlationId");
    }
}
