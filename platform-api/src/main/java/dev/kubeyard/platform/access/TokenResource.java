package dev.kubeyard.platform.access;

import dev.kubeyard.inventory.access.ApiToken;
import dev.kubeyard.inventory.access.ApiTokenRepository;
import dev.kubeyard.inventory.access.PlatformUser;
import dev.kubeyard.inventory.access.PlatformUserRepository;
import dev.kubeyard.platform.audit.AuditLog;
import dev.kubeyard.platform.config.PlatformConfig;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.RequestContext;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Who am I, and my own API tokens: create (the secret is in that one answer), list, revoke. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Access")
public class TokenResource {

    @Inject
    RequestContext request;

    @Inject
    PlatformUserRepository users;

    @Inject
    ApiTokenRepository tokens;

    @Inject
    AccessService access;

    @Inject
    PlatformConfig config;

    @Inject
    Clock clock;

    /** Body of a token request; both fields optional. */
    public record TokenRequest(String name, Long lifetimeSeconds) {}

    @GET
    @Path("/me")
    @Operation(summary = "Who the caller is: name, platform roles, and the role held in each team")
    public AccessViews.Me me() {
        return AccessViews.Me.of(request.principal());
    }

    @POST
    @Path("/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(
            summary = "Create an API token of your own",
            description = "201 with the token's secret: the only time it is shown. lifetimeSeconds defaults to the"
                    + " configured default and may not exceed the configured maximum.")
    public Response create(TokenRequest body) {
        PlatformUser user = self();
        return created(issue(user, body, access, config, request, request.actor()));
    }

    @GET
    @Path("/tokens")
    @Transactional
    @Operation(summary = "Your API tokens (never their secrets)")
    public List<AccessViews.TokenView> list() {
        return tokens.listByUser(self()).stream()
                .map(t -> AccessViews.TokenView.of(t, clock.instant()))
                .toList();
    }

    @DELETE
    @Path("/tokens/{id}")
    @Transactional
    @Operation(summary = "Revoke one of your API tokens (204; it stops working at once)")
    public Response revoke(@PathParam("id") String id) {
        PlatformUser user = self();
        ApiToken token = findToken(tokens, id)
                .filter(t -> t.getUser().getId().equals(user.getId()))
                .orElseThrow(() -> ProblemException.notFound("Token " + id + " does not exist"));
        access.revoke(
                token, request.actor(), AuditLog.REASON_USER_REQUEST, request.sourceAddress(), request.correlationId());
        return Response.noContent().build();
    }

    private PlatformUser self() {
        return users.findByName(request.actor())
                .orElseThrow(() -> ProblemException.notFound("User " + request.actor() + " does not exist"));
    }

    static java.util.Optional<ApiToken> findToken(ApiTokenRepository tokens, String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("id", "is not a token id (a UUID): " + id);
        }
        return tokens.findByIdOptional(uuid);
    }

    /** Validates a token request and issues the token (shared with the admin's token endpoint of a user). */
    static AccessService.IssuedToken issue(
            PlatformUser user,
            TokenRequest body,
            AccessService access,
            PlatformConfig config,
            RequestContext request,
            String createdBy) {
        String name = body == null || body.name() == null || body.name().isBlank()
                ? "token"
                : body.name().trim();
        if (name.length() > 100) {
            throw ProblemException.invalidField("name", "must be at most 100 characters");
        }
        Duration lifetime = null;
        if (body != null && body.lifetimeSeconds() != null) {
            Duration max = config.access().tokenMaxLifetime();
            if (body.lifetimeSeconds() < 60 || body.lifetimeSeconds() > max.toSeconds()) {
                throw ProblemException.invalidField(
                        "lifetimeSeconds", "must be from 60 to " + max.toSeconds() + ", was " + body.lifetimeSeconds());
            }
            lifetime = Duration.ofSeconds(body.lifetimeSeconds());
        }
        return access.issue(user, name, lifetime, createdBy, request.sourceAddress(), request.correlationId());
    }

    static Response created(AccessService.IssuedToken issued) {
        return Response.created(URI.create("/api/v1/tokens/" + issued.token().getId()))
                .entity(AccessViews.CreatedTokenView.of(issued))
                .header("Cache-Control", "no-store")
                .build();
    }
}
