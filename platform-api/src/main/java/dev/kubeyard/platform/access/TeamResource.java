package dev.kubeyard.platform.access;

import dev.kubeyard.inventory.access.PlatformUser;
import dev.kubeyard.inventory.access.PlatformUserRepository;
import dev.kubeyard.inventory.access.Role;
import dev.kubeyard.inventory.access.RoleGrant;
import dev.kubeyard.inventory.access.RoleGrantRepository;
import dev.kubeyard.inventory.audit.AuditEvent;
import dev.kubeyard.inventory.team.Team;
import dev.kubeyard.inventory.team.TeamRepository;
import dev.kubeyard.platform.audit.AuditLog;
import dev.kubeyard.platform.config.PlatformConfig;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.RequestContext;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Teams: their quotas and usage, and their members. Platform admins create teams and set quotas; a team's admins grant
 * its roles by hand (directory grants come from group bindings and are not changed here); everyone in a team sees it.
 */
@Path("/api/v1/teams")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Access")
public class TeamResource {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    @Inject
    RequestContext request;

    @Inject
    Authorizer authorizer;

    @Inject
    TeamRepository teams;

    @Inject
    PlatformUserRepository users;

    @Inject
    RoleGrantRepository grants;

    @Inject
    AuditLog audit;

    @Inject
    PlatformConfig config;

    /** Body of PUT on a team; quotas null means the platform's default. */
    public record TeamRequest(String displayName, AccessViews.Quotas quotas) {}

    /** Body of PUT on a member. */
    public record MemberRequest(String role) {}

    @GET
    @Transactional
    @Operation(summary = "The teams the caller may see, with quotas and usage")
    public List<AccessViews.TeamView> list() {
        Principal principal = request.principal();
        return teams.listByName().stream()
                .filter(t -> principal.readsEverything()
                        || principal.roleIn(t.getName()).isPresent())
                .map(this::view)
                .toList();
    }

    @GET
    @Path("/{team}")
    @Transactional
    @Operation(summary = "One team with its quotas and usage")
    public AccessViews.TeamView get(@PathParam("team") String name) {
        return view(find(name, Permission.READ_TEAM));
    }

    @PUT
    @Path("/{team}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Create a team or change its display name and quotas (platform admins)")
    public Response put(@PathParam("team") String name, TeamRequest body) {
        authorizer.require(request.subject(), Permission.MANAGE_TEAMS, null, "team", name, "");
        if (!DNS_LABEL.matcher(name).matches()) {
            throw ProblemException.invalidField("name", "must be a DNS-1123 label (a-z, 0-9, '-'), was " + name);
        }
        TeamRequest req = body == null ? new TeamRequest(null, null) : body;
        AccessViews.Quotas quotas = req.quotas() == null ? new AccessViews.Quotas(null, null) : req.quotas();
        if (quotas.maxClusters() != null && quotas.maxClusters() < 0) {
            throw ProblemException.invalidField("quotas.maxClusters", "must be 0 or more, was " + quotas.maxClusters());
        }
        if (quotas.maxNodes() != null && quotas.maxNodes() < 0) {
            throw ProblemException.invalidField("quotas.maxNodes", "must be 0 or more, was " + quotas.maxNodes());
        }
        Team team = teams.findByNameForUpdate(name).orElse(null);
        boolean created = team == null;
        if (created) {
            team = new Team(name, req.displayName() == null ? name : req.displayName());
            teams.persist(team);
        } else if (req.displayName() != null) {
            team.setDisplayName(req.displayName());
        }
        team.setQuotas(quotas.maxClusters(), quotas.maxNodes());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("maxClusters", quotas.maxClusters() == null ? "default" : quotas.maxClusters());
        details.put("maxNodes", quotas.maxNodes() == null ? "default" : quotas.maxNodes());
        record(created ? "team.create" : "team.update", "team", name, details);
        return (created ? Response.status(201) : Response.ok())
                .entity(view(team))
                .build();
    }

    @GET
    @Path("/{team}/members")
    @Transactional
    @Operation(summary = "Who holds which role in the team, and whether by hand or through the directory")
    public List<AccessViews.MemberView> members(@PathParam("team") String name) {
        find(name, Permission.READ_TEAM);
        Map<String, Role> roles = new TreeMap<>();
        Map<String, List<String>> sources = new TreeMap<>();
        for (RoleGrant grant : grants.listByTeam(name)) {
            String user = grant.getUser().getName();
            roles.merge(user, grant.getRole(), Role::stronger);
            sources.computeIfAbsent(user, u -> new ArrayList<>()).add(grant.getSource());
        }
        return roles.entrySet().stream()
                .map(e -> new AccessViews.MemberView(
                        e.getKey(),
                        e.getValue().wireName(),
                        sources.get(e.getKey()).stream().sorted().toList()))
                .toList();
    }

    @PUT
    @Path("/{team}/members/{user}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(summary = "Give a user a role in the team by hand (team-admin or team-member)")
    public AccessViews.MemberView putMember(
            @PathParam("team") String name, @PathParam("user") String userName, MemberRequest body) {
        Team team = find(name, Permission.MANAGE_MEMBERS);
        Role role = parseTeamRole(body == null ? null : body.role());
        PlatformUser user = users.findByName(userName)
                .orElseThrow(() -> ProblemException.notFound("User " + userName + " does not exist"));
        RoleGrant grant = manualGrant(user, name);
        if (grant == null) {
            grants.persist(new RoleGrant(user, team, role, RoleGrant.SOURCE_MANUAL));
        } else {
            grant.setRole(role);
        }
        record("team.grant", "team", name, Map.of("user", userName, "role", role.wireName()));
        return new AccessViews.MemberView(userName, role.wireName(), List.of(RoleGrant.SOURCE_MANUAL));
    }

    @DELETE
    @Path("/{team}/members/{user}")
    @Transactional
    @Operation(summary = "Take a role given by hand back (204); a directory grant stays until the directory drops it")
    public Response deleteMember(@PathParam("team") String name, @PathParam("user") String userName) {
        find(name, Permission.MANAGE_MEMBERS);
        PlatformUser user = users.findByName(userName)
                .orElseThrow(() -> ProblemException.notFound("User " + userName + " does not exist"));
        RoleGrant grant = manualGrant(user, name);
        if (grant == null) {
            throw ProblemException.notFound("User " + userName + " holds no role given by hand in team " + name);
        }
        grants.delete(grant);
        record(
                "team.revoke",
                "team",
                name,
                Map.of("user", userName, "role", grant.getRole().wireName()));
        return Response.noContent().build();
    }

    private RoleGrant manualGrant(PlatformUser user, String team) {
        return grants.listByUser(user).stream()
                .filter(g -> g.getSource().equals(RoleGrant.SOURCE_MANUAL))
                .filter(g -> g.getTeam().map(t -> t.getName().equals(team)).orElse(false))
                .findFirst()
                .orElse(null);
    }

    private Team find(String name, Permission permission) {
        String notFound = "Team " + name + " does not exist";
        Team team = teams.findByName(name).orElseThrow(() -> ProblemException.notFound(notFound));
        authorizer.require(request.subject(), permission, name, "team", name, notFound);
        return team;
    }

    private AccessViews.TeamView view(Team team) {
        return AccessViews.TeamView.of(
                team,
                teams.usage(team),
                config.access().defaultMaxClusters().orElse(null),
                config.access().defaultMaxNodes().orElse(null));
    }

    private void record(String action, String kind, String name, Map<String, Object> details) {
        audit.record(
                request.actor(),
                action,
                kind,
                name,
                AuditLog.REASON_USER_REQUEST,
                request.correlationId(),
                details,
                AuditEvent.SUCCESS,
                request.sourceAddress());
    }

    static Role parseTeamRole(String wire) {
        if (wire == null || wire.isBlank()) {
            throw ProblemException.invalidField("role", "is required: team-admin or team-member");
        }
        try {
            Role role = Role.fromWireName(wire);
            if (role.teamScoped()) {
                return role;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ProblemException.invalidField("role", "must be team-admin or team-member, was " + wire);
    }
}
