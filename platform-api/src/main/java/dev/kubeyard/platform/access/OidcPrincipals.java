package dev.kubeyard.platform.access;

import dev.kubeyard.inventory.access.PlatformUser;
import dev.kubeyard.platform.access.directory.DirectoryUser;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Gives an identity that an OIDC issuer vouched for (a bearer JWT, checked by quarkus-oidc) the platform's roles: the
 * user is recorded on first sight (source {@code oidc}), and the groups in the token's {@code groups} claim are
 * applied through the same group bindings as directory groups, at every request, so the roles are always those the
 * token carries. Identities from our own API tokens already carry their roles and pass unchanged.
 */
@ApplicationScoped
public class OidcPrincipals implements SecurityIdentityAugmentor {

    @Inject
    DirectoryGrants grants;

    @ConfigProperty(name = "kubeyard.platform.access.oidc.username-claim", defaultValue = "preferred_username")
    String usernameClaim;

    @ConfigProperty(name = "kubeyard.platform.access.oidc.groups-claim", defaultValue = "groups")
    String groupsClaim;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()
                || identity.getAttribute(TokenIdentityProvider.PRINCIPAL_ATTRIBUTE) != null
                || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        return context.runBlocking(() -> withRoles(identity, jwt));
    }

    private SecurityIdentity withRoles(SecurityIdentity identity, JsonWebToken jwt) {
        String username = Optional.ofNullable(jwt.<Object>getClaim(usernameClaim))
                .map(Object::toString)
                .map(n -> n.toLowerCase(Locale.ROOT))
                .orElse("");
        if (!PlatformUser.NAME.matcher(username).matches()) {
            throw new AuthenticationFailedException("The token's " + usernameClaim + " is not a user name");
        }
        Set<String> groups = new LinkedHashSet<>();
        Object claim = jwt.getClaim(groupsClaim);
        if (claim instanceof Iterable<?> values) {
            values.forEach(v -> groups.add(String.valueOf(v).replace("\"", "")));
        }
        String name = Optional.ofNullable(jwt.<Object>getClaim("name"))
                .map(Object::toString)
                .orElse(username);
        Optional<String> email =
                Optional.ofNullable(jwt.<Object>getClaim("email")).map(Object::toString);
        DirectoryUser person =
                new DirectoryUser("oidc:" + jwt.getIssuer() + ":" + jwt.getSubject(), username, name, email);
        DirectoryGrants.Applied applied;
        try {
            applied = grants.apply(person, groups, PlatformUser.SOURCE_OIDC, "oidc-" + UUID.randomUUID());
        } catch (DirectoryGrants.NameTaken e) {
            throw new AuthenticationFailedException(e.getMessage());
        }
        if (applied.disabled()) {
            throw new AuthenticationFailedException("User " + username + " is disabled");
        }
        return QuarkusSecurityIdentity.builder(identity)
                .setPrincipal(new io.quarkus.security.runtime.QuarkusPrincipal(username))
                .addAttribute(TokenIdentityProvider.PRINCIPAL_ATTRIBUTE, applied.principal())
                .build();
    }
}
