package dev.kubeyard.platform.request;

import dev.kubeyard.platform.access.Principal;
import dev.kubeyard.platform.access.TokenIdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * Who asks, from where, and which request this is: the actor, the roles it holds, and the correlation id that every
 * audit event and Rancher call caused by the request carries. Filled in by {@link CorrelationFilter}; the correlation
 * id is the caller's {@code X-Correlation-Id} when it sent a sane one.
 */
@RequestScoped
public class RequestContext {

    /** The actor of requests that carry no identity. */
    public static final String ANONYMOUS = "anonymous";

    @Inject
    SecurityIdentity identity;

    private String correlationId;
    private String actor = ANONYMOUS;
    private String sourceAddress;

    public String actor() {
        return actor;
    }

    /** The caller's roles; a caller without an identity holds none. */
    public Principal principal() {
        if (identity != null && !identity.isAnonymous()) {
            Principal principal = identity.getAttribute(TokenIdentityProvider.PRINCIPAL_ATTRIBUTE);
            if (principal != null) {
                return principal;
            }
        }
        return new Principal(actor, java.util.Set.of(), java.util.Map.of());
    }

    /** The caller as the {@link dev.kubeyard.platform.access.Authorizer} sees it. */
    public dev.kubeyard.platform.access.Authorizer.Subject subject() {
        return new dev.kubeyard.platform.access.Authorizer.Subject(principal(), correlationId(), sourceAddress());
    }

    public String correlationId() {
        if (correlationId == null) {
            correlationId = UUID.randomUUID().toString();
        }
        return correlationId;
    }

    /** The client's address, when a request is being served. */
    public String sourceAddress() {
        return sourceAddress;
    }

    void useCorrelationId(String id) {
        this.correlationId = id;
    }

    void useSourceAddress(String address) {
        this.sourceAddress = address;
    }

    void usePrincipal(java.security.Principal principal) {
        if (principal != null
                && principal.getName() != null
                && !principal.getName().isBlank()) {
            this.actor = principal.getName();
        }
    }
}
