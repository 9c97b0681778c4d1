package dev.kubeyard.platform.access;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Turns one of our API tokens into a security identity: the token's user, with the roles its grants give now, as the
 * principal ({@link #PRINCIPAL_ATTRIBUTE}) and the platform roles as Quarkus roles. A refusal counts against the
 * source address in the {@link LoginThrottle} when it was a guess (a secret no token has; a revoked or expired token
 * is a real one, shown by its holder); a success does not clear it (else any valid token would reset the
 * count of someone guessing from the same address).
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** The attribute of the security identity that holds the {@link Principal}. */
    public static final String PRINCIPAL_ATTRIBUTE = "kubeyard.principal";

    @Inject
    AccessService access;

    @Inject
    LoginThrottle throttle;

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            AccessService.Authentication outcome =
                    access.authenticate(request.secret(), request.sourceAddress(), request.correlationId());
            if (outcome instanceof AccessService.Authentication.Success success) {
                return identityOf(success.principal());
            }
            if (outcome instanceof AccessService.Authentication.Refused refused && refused.isGuess()) {
                throttle.failed(request.sourceAddress());
            }
            throw new AuthenticationFailedException("The token is not valid");
        });
    }

    static SecurityIdentity identityOf(Principal principal) {
        QuarkusSecurityIdentity.Builder identity =
                QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(principal.name()));
        principal.platformRoles().forEach(role -> identity.addRole(role.wireName()));
        identity.addAttribute(PRINCIPAL_ATTRIBUTE, principal);
        return identity.build();
    }
}
