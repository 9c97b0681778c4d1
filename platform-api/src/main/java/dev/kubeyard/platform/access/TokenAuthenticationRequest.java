package dev.kubeyard.platform.access;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token of ours ({@code kyd_...}) presented by a request, with the address it came from. */
public final class TokenAuthenticationRequest extends BaseAuthenticationRequest {

    private final String secret;
    private final String sourceAddress;
    private final String correlationId;

    public TokenAuthenticationRequest(String secret, String sourceAddress, String correlationId) {
        this.secret = secret;
        this.sourceAddress = sourceAddress;
        this.correlationId = correlationId;
    }

    String secret() {
        return secret;
    }

    String sourceAddress() {
        return sourceAddress;
    }

    String correlationId() {
        return correlationId;
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "TokenAuthenticationRequest[from " + sourceAddress + "]";
    }
}
