package dev.kubeyard.platform.console;

import dev.kubeyard.inventory.team.Team;
import dev.kubeyard.inventory.team.TeamRepository;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.access.Principal;
import dev.kubeyard.platform.mirror.MirrorSetResource;
import dev.kubeyard.platform.mirror.MirrorSetViews;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.RequestContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's mirror sets (cross-cluster service discovery): the sets of the caller's teams with their members and
 * how many exports are in conflict, and one set's page with each member's last sighting and state (Member, Leaving)
 * and each export with the clusters that imported it, those that refused it and why, and its conditions (a Conflict
 * first, as an alert). Those who may change a team's clusters get a form that makes a set of them (the list) and one
 * that changes or deletes a set (its page), as the addon pages have; the forms call {@code /api/v1/mirror-sets}
 * ({@code mirror-sets.js}), which checks again. Reads through {@link MirrorSetResource}: the same visibility (another
 * team's set is a 404 page); both refresh every 5 s.
 */
@Path("/console/mirror-sets")
@Produces(MediaType.TEXT_HTML)
public class MirrorSetConsole {

    /** One member as the page shows it. */
    public record MemberRow(MirrorSetViews.Member member, Ago joined, Ago left, Ago seen) {}

    /** One export as the page shows it: its conflict's message (null when none) comes first. */
    public record ExportRow(MirrorSetViews.Export export, String conflict, Ago exported, Ago updated) {}

    /** A set as a row of the list. */
    public record SetRow(MirrorSetViews.Summary set, String href, Ago updated, Ago planned) {}

    /** The refreshed part of the list. */
    public record SetList(String base, List<SetRow> rows, String asOf, String asOfText) {}

    /** The refreshed part of a set's page. */
    public record SetDetail(
            String base,
            MirrorSetViews.MirrorSet set,
            List<MemberRow> members,
            List<ExportRow> exports,
            long conflicts,
            Ago planned,
            Ago swept,
            Ago deleting,
            String refresh,
            String asOf,
            String asOfText) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance sets(ConsoleHeader page, SetList list, List<String> teams);

        static native TemplateInstance sets$list(SetList list);

        static native TemplateInstance set(ConsoleHeader page, SetDetail detail, boolean canChange, String clusters);

        static native TemplateInstance set$state(SetDetail detail);

        static native TemplateInstance missing(ConsoleHeader page, String name);
    }

    @Inject
    MirrorSetResource sets;

    @Inject
    ConsoleCaller caller;

    @Inject
    RequestContext request;

    @Inject
    TeamRepository teams;

    @Inject
    Clock clock;

    @GET
    @Operation(hidden = true)
    @Transactional
    public TemplateInstance page() {
        return Templates.sets(caller.header(), list(), changeableTeams());
    }

    /** The teams whose clusters the caller may change: where the create form may make a set. */
    private List<String> changeableTeams() {
        Principal principal = request.principal();
        List<String> candidates = principal.isPlatformAdmin()
                ? teams.listByName().stream().map(Team::getName).toList()
                : List.copyOf(principal.teamRoles().keySet());
        return candidates.stream()
                .filter(t -> caller.allows(Permission.CHANGE_CLUSTERS, t))
                .toList();
    }

    @GET
    @Path("/list")
    @Operation(hidden = true)
    public TemplateInstance listFragment() {
        return Templates.sets$list(list());
    }

    @GET
    @Path("/{name}")
    @Operation(hidden = true)
    public Response detail(@PathParam("name") String name) {
        return detailOf(name)
                .map(d -> Response.ok(Templates.set(
                        caller.header(),
                        d,
                        MirrorSetViews.ACTIVE.equals(d.set().state())
                                && caller.allows(
                                        Permission.CHANGE_CLUSTERS, d.set().team()),
                        String.join(
                                "\n",
                                d.set().members().stream()
                                        .filter(m -> m.leftAt() == null)
                                        .map(MirrorSetViews.Member::cluster)
                                        .toList()))))
                .orElseGet(() ->
                        Response.status(Response.Status.NOT_FOUND).entity(Templates.missing(caller.header(), name)))
                .build();
    }

    @GET
    @Path("/{name}/state")
    @Operation(hidden = true)
    public TemplateInstance detailFragment(@PathParam("name") String name) {
        return Templates.set$state(
                detailOf(name).orElseThrow(() -> ProblemException.notFound("Mirror set " + name + " does not exist")));
    }

    private SetList list() {
        Instant now = clock.instant();
        String base = caller.base();
        List<SetRow> rows = sets.list().items().stream()
                .map(s -> new SetRow(
                        s,
                        base + "console/mirror-sets/" + s.name(),
                        Ago.of(s.updatedAt(), now),
                        Ago.of(s.plannedAt(), now)))
                .toList();
        return new SetList(base, rows, ConsolePages.iso(now), ConsolePages.clock(now));
    }

    private Optional<SetDetail> detailOf(String name) {
        MirrorSetViews.MirrorSet set;
        try {
            set = sets.find(name);
        } catch (ProblemException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
        Instant now = clock.instant();
        String base = caller.base();
        List<MemberRow> members = set.members().stream()
                .map(m ->
                        new MemberRow(m, Ago.of(m.joinedAt(), now), Ago.of(m.leftAt(), now), Ago.of(m.lastSeen(), now)))
                .toList();
        // Conflicts first: they need people (the mirror never renames).
        List<ExportRow> exports = set.exports().stream()
                .sorted((a, b) -> Boolean.compare(b.conflict(), a.conflict()))
                .map(e ->
                        new ExportRow(e, e.conflictMessage(), Ago.of(e.exportedAt(), now), Ago.of(e.updatedAt(), now)))
                .toList();
        return Optional.of(new SetDetail(
                base,
                set,
                members,
                exports,
                set.exports().stream().filter(MirrorSetViews.Export::conflict).count(),
                Ago.of(set.plannedAt(), now),
                Ago.of(set.sweptAt(), now),
                Ago.of(set.deletingSince(), now),
                base + "console/mirror-sets/" + set.name() + "/state",
                ConsolePages.iso(now),
                ConsolePages.clock(now)));
    }
}
