package dev.kubeyard.platform.access;

import dev.kubeyard.inventory.access.GroupBinding;
import dev.kubeyard.inventory.access.GroupBindingRepository;
import dev.kubeyard.inventory.access.Role;
import dev.kubeyard.inventory.audit.AuditEvent;
import dev.kubeyard.inventory.team.Team;
import dev.kubeyard.inventory.team.TeamRepository;
import dev.kubeyard.platform.audit.AuditLog;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Which directory group gives which role (platform admins). The members of a bound group hold the role from the next
 * directory sync (or their next login) on, and lose it when they leave the group.
 */
@Path("/api/v1/group-bindings")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Access")
public class GroupBindingResource {

    @Inject
    RequestContext request;

    @Inject
    Authorizer authorizer;

    @Inject
    GroupBindingRepository bindings;

    @Inject
    TeamRepository teams;

    @Inject
    AuditLog audit;

    /** A group (its name as the directory has it), the role its members hold, and the team for a team role. */
    public record BindingRequest(String group, String team, String role) {}

    @GET
    @Transactional
    @Operation(summary = "Every group binding")
    public List<AccessViews.GroupBindingView> list() {
        authorizer.require(request.subject(), Permission.MANAGE_USERS, null, "group-binding", "*", "");
        return bindings.listAll().stream().map(AccessViews.GroupBindingView::of).toList();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Transactional
    @Operation(
            summary =
                    "Bind a directory group to a role: platform-admin or auditor, or team-admin or team-member of a team")
    public Response create(BindingRequest body) {
        authorizer.require(request.subject(), Permission.MANAGE_USERS, null, "group-binding", "*", "");
        if (body == null || body.group() == null || body.group().isBlank()) {
            throw ProblemException.invalidField("group", "is required: the group's name (cn) or DN");
        }
        Role role;
        try {
            role = Role.fromWireName(body.role() == null ? "" : body.role());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField(
                    "role", "must be platform-admin, auditor, team-admin or team-member, was " + body.role());
        }
        Team team = null;
        if (role.teamScoped()) {
            if (body.team() == null || body.team().isBlank()) {
                throw ProblemException.invalidField("team", "is required for " + role.wireName());
            }
            team = teams.findByName(body.team())
                    .orElseThrow(() -> ProblemException.invalidField(
                            "team", "team " + body.team() + " does not exist (PUT /api/v1/teams/" + body.team() + ")"));
        } else if (body.team() != null && !body.team().isBlank()) {
            throw ProblemException.invalidField("team", role.wireName() + " is platform-wide: leave team out");
        }
        String group = body.group().trim();
        Team scope = team;
        boolean taken = bindings.listByGroups(List.of(group)).stream()
                .anyMatch(b -> java.util.Objects.equals(
                        b.getTeam().map(Team::getId).orElse(null), scope == null ? null : scope.getId()));
        if (taken) {
            throw ProblemException.conflict(
                    "group", "group " + group + " is bound in this scope already; delete that binding first");
        }
        GroupBinding binding = new GroupBinding(group, team, role);
        bindings.persist(binding);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("role", role.wireName());
        if (team != null) {
            details.put("team", team.getName());
        }
        record("group-binding.create", group, details);
        return Response.created(URI.create("/api/v1/group-bindings/" + binding.getId()))
                .entity(AccessViews.GroupBindingView.of(binding))
                .build();
    }

    @DELETE
    @Path("/{id}")
    @Transactional
    @Operation(summary = "Remove a group binding (204); its members lose the role at the next sync")
    public Response delete(@PathParam("id") long id) {
        authorizer.require(request.subject(), Permission.MANAGE_USERS, null, "group-binding", Long.toString(id), "");
        GroupBinding binding = bindings.findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("Group binding " + id + " does not exist"));
        bindings.delete(binding);
        record(
                "group-binding.delete",
                binding.getGroupName(),
                Map.of("role", binding.getRole().wireName()));
        return Response.noContent().build();
    }

    private void record(String action, String group, Map<String, Object> details) {
        audit.record(
                request.actor(),
                action,
                "group",
                group,
                AuditLog.REASON_USER_REQUEST,
                request.correlationId(),
                details,
                AuditEvent.SUCCESS,
                request.sourceAddress());
    }
}
