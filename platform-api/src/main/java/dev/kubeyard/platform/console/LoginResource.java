package dev.kubeyard.platform.console;

import dev.kubeyard.platform.access.AccessService;
import dev.kubeyard.platform.access.LoginThrottle;
import dev.kubeyard.platform.access.TokenAuthenticationMechanism;
import dev.kubeyard.platform.access.TokenSecrets;
import dev.kubeyard.platform.audit.AuditLog;
import dev.kubeyard.platform.request.RequestContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's sign-in: a form that takes an API token, checks it like any request (the same throttle, the same audit
 * of failures), and keeps it in an HttpOnly, SameSite=Strict cookie. {@code POST /logout} forgets it.
 */
@Path("/")
public class LoginResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String error);
    }

    @Inject
    AccessService access;

    @Inject
    LoginThrottle throttle;

    @Inject
    RequestContext request;

    @jakarta.ws.rs.core.Context
    jakarta.ws.rs.core.UriInfo uriInfo;

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public TemplateInstance form() {
        return Templates.login(null);
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response login(@FormParam("token") String token) {
        String source = request.sourceAddress() == null ? "unknown" : request.sourceAddress();
        Optional<Duration> blocked = throttle.blockedFor(source);
        if (blocked.isPresent()) {
            return page(
                    429,
                    "Too many failed attempts from this address; try again in "
                            + Math.max(1, blocked.get().toSeconds()) + " s.");
        }
        String given = token == null ? "" : token.trim();
        boolean ok;
        boolean guess = true;
        if (TokenSecrets.looksLikeOurs(given)) {
            AccessService.Authentication outcome = access.authenticate(given, source, request.correlationId());
            ok = outcome instanceof AccessService.Authentication.Success;
            guess = outcome instanceof AccessService.Authentication.Refused refused && refused.isGuess();
        } else {
            access.recordFailedLogin(
                    AuditLog.ANONYMOUS_ACTOR, "not a Kubeyard token", null, source, request.correlationId());
            ok = false;
        }
        if (!ok) {
            if (guess) {
                throttle.failed(source);
            }
            return page(401, "That token is not valid (unknown, expired or revoked).");
        }
        NewCookie cookie = new NewCookie.Builder(TokenAuthenticationMechanism.COOKIE)
                .value(given)
                .path("/")
                .secure("https".equals(uriInfo.getBaseUri().getScheme()))
                .httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT)
                .build();
        return Response.seeOther(URI.create("/")).cookie(cookie).build();
    }

    @POST
    @Path("logout")
    @Operation(hidden = true)
    public Response logout() {
        NewCookie gone = new NewCookie.Builder(TokenAuthenticationMechanism.COOKIE)
                .value("")
                .path("/")
                .httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT)
                .maxAge(0)
                .build();
        return Response.seeOther(URI.create("/login")).cookie(gone).build();
    }

    private static Response page(int status, String error) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML)
                .entity(Templates.login(error))
                .build();
    }
}
