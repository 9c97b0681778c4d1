package dev.kubeyard.platform.request;

import jakarta.enterprise.context.RequestScoped;
import java.security.Principal;
import java.util.UUID;

/**
 * Who asks and which request this is: the actor and the correlation id that every audit event and Rancher call caused
 * by the request carries. Filled in by {@link CorrelationFilter}; the correlation id is the caller's
 * {@code X-Correlation-Id} when it sent a sane one.
 */
@RequestScoped
public class RequestContext {

    /** The actor of requests that carry no identity (until teams and access land: issue 4). */
    public static final String ANONYMOUS = "anonymous";

    private String correlationId;
    private String actor = ANONYMOUS;

    public String actor() {
        return actor;
    }

    public String correlationId() {
        if (correlationId == null) {
            correlationId = UUID.randomUUID().toString();
        }
        return correlationId;
    }

    void useCorrelationId(String id) {
        this.correlationId = id;
    }

    void usePrincipal(Principal principal) {
        if (principal != null
                && principal.getName() != null
                && !principal.getName().isBlank()) {
            this.actor = principal.getName();
        }
    }
}
