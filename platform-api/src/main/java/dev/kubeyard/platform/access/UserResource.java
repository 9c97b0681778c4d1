package dev.kubeyard.platform.access;

import dev.kubeyard.inventory.access.ApiToken;
import dev.kubeyard.inventory.access.ApiTokenRepository;
import dev.kubeyard.inventory.access.PlatformUser;
import dev.kubeyard.inventory.access.PlatformUserRepository;
import dev.kubeyard.inventory.access.Role;
import dev.kubeyard.inventory.access.RoleGrant;
import dev.kubeyard.inventory.access.RoleGrantRepository;
import dev.kubeyard.inventory.audit.AuditEvent;
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
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Users, for platform admins (auditors may read): local users such as robots, a platform role given by hand, disabling,
 * and the tokens of any user. Directory users appear here once they have logged in or been synced.
 */
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Access")
public class UserResource {

    @Inject
    RequestContext request;

    @Inject
    Authorizer authorizer;

    @Inject
    PlatformUserRepository users;

    @Inject
    RoleGrantRepository grants;

    @Inject
    ApiTokenRepository tokens;

    @Inject
    AccessService access;

    @Inject
    AuditLog audit;

    @Inject
    PlatformConfig config;

    @Inject
    Clock clock;

    /** Body of PUT: every field optional; platformRole null removes a role given by hand. */
    public record UserRequest(String displayName, String email, String platformRole, Boolean disabled) {}

    @GET
    @Transactional
    @Operation(summary = "Every user with the roles they hold (platform admins and auditors)")
    public List<AccessViews.UserView> list() {
        requireRead();
        return users.listByName().stream()
                .map(u -> AccessViews.UserView.of(u, access.principalOf(u)))
                .toList();
    }

    @GET
    @Path("/{name}")
    @Transactional
    @Operation(summary = "One user with the roles they hold")
    public AccessViews.UserView get(@PathParam("name") String name) {
        requireRead();
        PlatformUser user = find(name);
        return AccessViews.UserView.of(user, access.principalOf(user));
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(
            summary = "Create a local user or change one",
            description = "platformRole: platform-admin, auditor, or null (none given by hand; directory grants stay)."
                    + " disabled: true stops every token of the user at once.")
    public Response put(@PathParam("name") String name, UserRequest body) {
        authorizer.require(request.subject(), Permission.MANAGE_USERS, null, "user", name, "");
        if (!PlatformUser.NAME.matcher(name).matches()) {
            throw ProblemException.invalidField(
                    "name", "must be 1 to 128 lower-case letters, digits, '-', '.', '_' or '@', was " + name);
        }
        UserRequest req = body == null ? new UserRequest(null, null, null, null) : body;
        Role platformRole = parsePlatformRole(req.platformRole());
        boolean created = false;
        PlatformUser user = users.findByName(name).orElse(null);
        if (user == null) {
            user = new PlatformUser(
                    name, req.displayName() == null ? name : req.displayName(), PlatformUser.SOURCE_LOCAL);
            users.persist(user);
            created = true;
        } else if (req.displayName() != null) {
            user.setDisplayName(req.displayName());
        }
        if (req.email() != null) {
            user.setEmail(req.email().isBlank() ? null : req.email());
        }
        if (Boolean.TRUE.equals(req.disabled())) {
            user.disable(clock.instant());
        } else if (Boolean.FALSE.equals(req.disabled())) {
            user.enable();
        }
        setManualPlatformRole(user, platformRole);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("platformRole", platformRole == null ? "none" : platformRole.wireName());
        details.put("disabled", user.isDisabled());
        audit.record(
                request.actor(),
                created ? "user.create" : "user.update",
                "user",
                name,
                AuditLog.REASON_USER_REQUEST,
                request.correlationId(),
                details,
                AuditEvent.SUCCESS,
                request.sourceAddress());
        AccessViews.UserView view = AccessViews.UserView.of(user, access.principalOf(user));
        return (created ? Response.status(201) : Response.ok()).entity(view).build();
    }

    @POST
    @Path("/{name}/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Create an API token for a user (a robot, say): 201 with the secret, shown this once")
    public Response createToken(@PathParam("name") String name, TokenResource.TokenRequest body) {
        authorizer.require(request.subject(), Permission.MANAGE_USERS, null, "user", name, "");
        return TokenResource.created(TokenResource.issue(find(name), body, access, config, request, request.actor()));
    }

    @GET
    @Path("/{name}/tokens")
    @Transactional
    @Operation(summary = "A user's API tokens (never their secrets)")
    public List<AccessViews.TokenView> tokens(@PathParam("name") String name) {
        requireRead();
        return tokens.listByUser(find(name)).stream()
                .map(t -> AccessViews.TokenView.of(t, clock.instant()))
                .toList();
    }

    @DELETE
    @Path("/{name}/tokens/{id}")
    @Transactional
    @Operation(summary = "Revoke a user's API token (204)")
    public Response revokeToken(@PathParam("name") String name, @PathParam("id") String id) {
        authorizer.require(request.subject(), Permission.MANAGE_USERS, null, "user", name, "");
        PlatformUser user = find(name);
        ApiToken token = TokenResource.findToken(tokens, id)
                .filter(t -> t.getUser().getId().equals(user.getId()))
                .orElseThrow(() -> ProblemException.notFound("User " + name + " has no token " + id));
        access.revoke(
                token, request.actor(), AuditLog.REASON_USER_REQUEST, request.sourceAddress(), request.correlationId());
        return Response.noContent().build();
    }

    private void requireRead() {
        if (!authorizer.allows(request.subject(), Permission.MANAGE_USERS, null)) {
            authorizer.require(request.subject(), Permission.READ_AUDIT, null, "user", "*", "");
        }
    }

    private PlatformUser find(String name) {
        return users.findByName(name).orElseThrow(() -> ProblemException.notFound("User " + name + " does not exist"));
    }

    private void setManualPlatformRole(PlatformUser user, Role role) {
        List<RoleGrant> manual = grants.listByUser(user).stream()
                .filter(g -> g.getTeam().isEmpty() && g.getSource().equals(RoleGrant.SOURCE_MANUAL))
                .toList();
        if (role == null) {
            manual.forEach(grants::delete);
        } else if (manual.isEmpty()) {
            grants.persist(new RoleGrant(user, null, role, RoleGrant.SOURCE_MANUAL));
        } else {
            manual.getFirst().setRole(role);
        }
    }

    private static Role parsePlatformRole(String wire) {
        if (wire == null || wire.isBlank()) {
            return null;
        }
        Role role;
        try {
            role = Role.fromWireName(wire);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("platformRole", "must be platform-admin or auditor, was " + wire);
        }
        if (role.teamScoped()) {
            throw ProblemException.invalidField(
                    "platformRole", wire + " is held in a team: PUT /api/v1/teams/{team}/members/{user} grants it");
        }
        return role;
    }
}
