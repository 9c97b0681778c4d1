package dev.kubeyard.platform.access;

import dev.kubeyard.inventory.audit.AuditEvent;
import dev.kubeyard.platform.access.directory.DirectoryException;
import dev.kubeyard.platform.access.directory.DirectoryUser;
import dev.kubeyard.platform.access.directory.LdapDirectory;
import dev.kubeyard.platform.audit.AuditLog;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;

/**
 * A directory login: user name and password, checked by binding to the directory as that person. Accepted only on
 * {@code POST /api/v1/tokens} (see {@link TokenAuthenticationMechanism}), which turns the login into an API token, so
 * that no other request ever carries a password. The login re-reads the person's groups first: rights are those of
 * this moment. Logins and failed logins are audited and count against the source address in the throttle.
 */
@ApplicationScoped
public class DirectoryIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    @Inject
    DirectoryConnection connection;

    @Inject
    DirectorySync sync;

    @Inject
    AccessService access;

    @Inject
    LoginThrottle throttle;

    @Inject
    AuditLog audit;

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(
            UsernamePasswordAuthenticationRequest request, AuthenticationRequestContext context) {
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        String source = routing == null ? "unknown" : TokenAuthenticationMechanism.sourceOf(routing);
        String correlationId = routing == null ? "login" : TokenAuthenticationMechanism.correlationOf(routing);
        return context.runBlocking(() -> {
            Optional<LdapDirectory> directory = connection.directory();
            String username = request.getUsername();
            if (directory.isEmpty()) {
                refuse(username, "no directory is configured", source, correlationId);
            }
            Optional<DirectoryUser> person;
            try {
                person = directory
                        .get()
                        .authenticate(username, request.getPassword().getPassword());
            } catch (DirectoryException e) {
                throw new AuthenticationFailedException("The directory cannot be reached", e);
            }
            if (person.isEmpty()) {
                refuse(username, "wrong user name or password", source, correlationId);
            }
            DirectoryGrants.Applied applied;
            try {
                applied = sync.apply(directory.get(), person.get(), correlationId);
            } catch (DirectoryGrants.NameTaken e) {
                refuse(person.get().username(), "the name belongs to another kind of account", source, correlationId);
                throw e;
            }
            if (applied.disabled()) {
                refuse(person.get().username(), "user disabled", source, correlationId);
            }
            audit.recordNow(
                    person.get().username(),
                    "auth.login",
                    "user",
                    person.get().username(),
                    AuditLog.REASON_SECURITY,
                    correlationId,
                    Map.of("via", "directory"),
                    AuditEvent.SUCCESS,
                    source);
            return TokenIdentityProvider.identityOf(applied.principal());
        });
    }

    private void refuse(String username, String why, String source, String correlationId) {
        throttle.failed(source);
        // Only a name that is an account goes into the trail: a password typed into the name field must not.
        String actor = username != null && access.isUser(username) ? username : AuditLog.ANONYMOUS_ACTOR;
        access.recordFailedLogin(actor, why, null, source, correlationId);
        throw new AuthenticationFailedException("Login refused");
    }
}
