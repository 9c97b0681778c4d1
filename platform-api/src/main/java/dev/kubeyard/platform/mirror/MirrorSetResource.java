package dev.kubeyard.platform.mirror;

import dev.kubeyard.platform.access.AccessPolicy;
import dev.kubeyard.platform.access.Authorizer;
import dev.kubeyard.platform.access.Decision;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.audit.AuditLog;
import dev.kubeyard.platform.mirror.MirrorSetStore.ClusterRef;
import dev.kubeyard.platform.mirror.MirrorSetStore.Membership;
import dev.kubeyard.platform.mirror.MirrorSetStore.SetRow;
import dev.kubeyard.platform.mirror.MirrorSetStore.StoreException;
import dev.kubeyard.platform.mirror.MirrorSetViews.ExportList;
import dev.kubeyard.platform.mirror.MirrorSetViews.Member;
import dev.kubeyard.platform.mirror.MirrorSetViews.MirrorSet;
import dev.kubeyard.platform.mirror.MirrorSetViews.SetList;
import dev.kubeyard.platform.mirror.MirrorSetViews.Summary;
import dev.kubeyard.platform.problem.Problem;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.RequestContext;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A team's mirror sets (cross-cluster service discovery, docs/decisions/0012): named sets of the team's clusters that
 * import each other's exported services. This is desired state only: who is a member, whether followers' namespaces
 * may be created. The mirror (module {@code service-mirror}) carries it out: it writes the followers, removes those of
 * clusters that left (then their member rows) and, once a set is deleted, the set's row; what it planned is in each
 * set's exports. Reading needs the team's read right, changing its right to change clusters; another team's set is a
 * 404, as if it did not exist.
 */
@Path("/api/v1/mirror-sets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Mirror sets")
public class MirrorSetResource {

    /** A set's name is a label value in the clusters ({@code mirror.kubeyard.dev/set}): a DNS-1123 label. */
    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    static final int MAX_DESCRIPTION = 1000;

    static final String KIND = "mirror-set";

    @Inject
    MirrorSetStore store;

    @Inject
    Authorizer authorizer;

    @Inject
    AuditLog audit;

    @Inject
    RequestContext request;

    @Inject
    Clock clock;

    /** What a POST carries. */
    public record CreateRequest(
            String name, String team, List<String> clusters, Boolean createNamespaces, String description) {}

    /**
     * What a PUT carries: it replaces the members, createNamespaces and the description.
     *
     * @param version the version the caller last read; when given and no longer current the PUT is refused (409)
     */
    public record UpdateRequest(List<String> clusters, Boolean createNamespaces, String description, Long version) {}

    @POST
    @Transactional
    @Operation(
            summary = "Create a mirror set of a team's clusters",
            description = "201 with the set. Refused with the field at fault: name (a DNS label of at most 63"
                    + " characters, unique: 409 when taken), team (the caller must be allowed to change its"
                    + " clusters), clusters[i] (a cluster of the team, named once; 409 when it is a member of another"
                    + " set), description (at most 1000 characters).")
    public Response create(CreateRequest body) {
        CreateRequest b = body == null ? new CreateRequest(null, null, null, null, null) : body;
        if (b.team() == null || b.team().isBlank()) {
            throw ProblemException.invalidField("team", "is required");
        }
        String team = b.team().trim();
        // Who may ask comes before what they ask: a caller without the right learns nothing from validation.
        Decision decision = AccessPolicy.decide(request.principal(), Permission.CHANGE_CLUSTERS, team);
        if (decision != Decision.ALLOWED) {
            authorizer.recordDenial(request.subject(), Permission.CHANGE_CLUSTERS, "team", team, decision);
            throw ProblemException.forbidden(
                    "team", "you may not create mirror sets in team " + team + " (that takes its team-admin role)");
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        String name = b.name();
        if (name == null || name.isBlank()) {
            errors.add(new Problem.FieldError("name", "is required"));
        } else if (name.length() > 63) {
            errors.add(new Problem.FieldError("name", "must be at most 63 characters, was " + name.length()));
        } else if (!DNS_LABEL.matcher(name).matches()) {
            errors.add(new Problem.FieldError(
                    "name",
                    "must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or"
                            + " digit; was '" + name + "'"));
        }
        Optional<Long> teamId = store.teamId(team);
        if (teamId.isEmpty()) {
            errors.add(new Problem.FieldError("team", "no team " + team));
        }
        checkDescription(b.description(), errors);
        Map<String, ClusterRef> members = checkClusters(b.clusters(), team, errors);
        throwIfAny(errors);
        if (store.find(name, false).isPresent()) {
            throw ProblemException.conflict("name", "mirror set " + name + " exists; choose another name");
        }
        checkNotElsewhere(b.clusters(), members, -1);
        Instant now = clock.instant();
        long id;
        try {
            id = store.insert(
                    name, teamId.get(), blankToNull(b.description()), Boolean.TRUE.equals(b.createNamespaces()), now);
            store.join(id, members.values().stream().map(ClusterRef::id).toList(), now);
        } catch (StoreException e) {
            throw raced(e);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("team", team);
        details.put("clusters", List.copyOf(members.keySet()));
        details.put("createNamespaces", Boolean.TRUE.equals(b.createNamespaces()));
        record("mirrorSet.create", name, details);
        return Response.created(URI.create("/api/v1/mirror-sets/" + name))
                .entity(view(store.find(name, false).orElseThrow()))
                .build();
    }

    @GET
    @Transactional
    @Operation(
            summary = "The mirror sets of the caller's teams (every set for platform admins and auditors), by name",
            description = "Each with its members and how many exports it has, and how many of them are in conflict.")
    public SetList list() {
        List<SetRow> rows = store.list(request.principal().visibleTeams());
        List<Long> ids = rows.stream().map(SetRow::id).toList();
        Map<Long, List<Member>> members = store.members(ids);
        Map<Long, int[]> counts = store.exportCounts(ids);
        return new SetList(rows.stream()
                .map(r -> {
                    int[] c = counts.getOrDefault(r.id(), new int[] {0, 0});
                    return new Summary(
                            r.name(),
                            r.team(),
                            r.description(),
                            r.createNamespaces(),
                            state(r),
                            r.version(),
                            r.createdAt(),
                            r.updatedAt(),
                            r.plannedAt(),
                            r.sweptAt(),
                            members.getOrDefault(r.id(), List.of()),
                            c[0],
                            c[1]);
                })
                .toList());
    }

    @GET
    @Path("/{name}")
    @Transactional
    @Operation(
            summary = "One mirror set: its members (Member, or Leaving until the mirror has removed the set's"
                    + " followers from the cluster) and its exports as the mirror last planned them",
            description = "Each export: who imported it, the clusters that refused it and why, its conditions (Valid,"
                    + " Conflict, EndpointsWithdrawn). ETag: the version.")
    public Response get(@PathParam("name") String name) {
        MirrorSet view = find(name);
        return Response.ok(view)
                .tag(new EntityTag(Long.toString(view.version()), true))
                .build();
    }

    /** The set as {@link #get} answers it; a set the caller may not see is a 404 (for the console). */
    @Transactional
    public MirrorSet find(String name) {
        SetRow row = readable(name);
        return view(row);
    }

    @GET
    @Path("/{name}/exports")
    @Transactional
    @Operation(summary = "The set's exports as the mirror last planned them")
    public ExportList exports(@PathParam("name") String name) {
        SetRow row = readable(name);
        return new ExportList(row.name(), store.exports(row.id()));
    }

    @PUT
    @Path("/{name}")
    @Transactional
    @Operation(
            summary = "Replace the set's clusters, createNamespaces and description",
            description = "Clusters left out leave the set (their row stays, Leaving, until the mirror has removed the"
                    + " set's followers from them); new ones join (one that was leaving joins again). Refused like a"
                    + " create; 409 on version when it is given and no longer the set's, and while the set is being"
                    + " deleted.")
    public MirrorSet update(@PathParam("name") String name, UpdateRequest body) {
        SetRow row = store.find(name, true).orElseThrow(() -> notFound(name));
        authorizer.require(request.subject(), Permission.CHANGE_CLUSTERS, row.team(), KIND, name, notFoundDetail(name));
        UpdateRequest b = body == null ? new UpdateRequest(null, null, null, null) : body;
        List<Problem.FieldError> errors = new ArrayList<>();
        checkDescription(b.description(), errors);
        Map<String, ClusterRef> wanted = checkClusters(b.clusters(), row.team(), errors);
        throwIfAny(errors);
        if (row.deletingSince() != null) {
            throw ProblemException.conflict("mirror set " + name + " is being deleted");
        }
        if (b.version() != null && b.version() != row.version()) {
            throw ProblemException.conflict(
                    "version",
                    "the set has changed since version " + b.version() + "; it is at version " + row.version()
                            + ": read it again");
        }
        checkNotElsewhere(b.clusters(), wanted, row.id());
        Map<Long, String> current = store.activeMembers(row.id());
        Set<Long> wantedIds = new HashSet<>();
        List<String> added = new ArrayList<>();
        List<Long> addedIds = new ArrayList<>();
        for (ClusterRef c : wanted.values()) {
            wantedIds.add(c.id());
            if (!current.containsKey(c.id())) {
                added.add(c.name());
                addedIds.add(c.id());
            }
        }
        List<Long> removedIds = new ArrayList<>();
        Set<String> removed = new TreeSet<>();
        current.forEach((id, cluster) -> {
            if (!wantedIds.contains(id)) {
                removedIds.add(id);
                removed.add(cluster);
            }
        });
        Instant now = clock.instant();
        try {
            store.update(row.id(), blankToNull(b.description()), Boolean.TRUE.equals(b.createNamespaces()), now);
            store.leave(row.id(), removedIds, now);
            store.join(row.id(), addedIds, now);
        } catch (StoreException e) {
            throw raced(e);
        }
        SetRow updated = store.find(name, false).orElseThrow();
        MirrorSet view = view(updated);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("team", row.team());
        details.put("clusters", List.copyOf(wanted.keySet()));
        details.put("added", added);
        details.put("removed", List.copyOf(removed));
        details.put("createNamespaces", Boolean.TRUE.equals(b.createNamespaces()));
        details.put("version", updated.version());
        record("mirrorSet.update", name, details);
        return view;
    }

    @DELETE
    @Path("/{name}")
    @Transactional
    @Operation(
            summary = "Delete the set",
            description = "202 with the set, Deleting: every member leaves; the mirror removes the set's followers"
                    + " from every cluster, then the set. Asking again answers the same.")
    public Response delete(@PathParam("name") String name) {
        SetRow row = store.find(name, true).orElseThrow(() -> notFound(name));
        authorizer.require(request.subject(), Permission.CHANGE_CLUSTERS, row.team(), KIND, name, notFoundDetail(name));
        if (row.deletingSince() == null) {
            store.markDeleting(row.id(), clock.instant());
            record("mirrorSet.delete", name, Map.of("team", row.team()));
        }
        return Response.accepted(view(store.find(name, false).orElseThrow())).build();
    }

    // ---- rules

    private SetRow readable(String name) {
        SetRow row = store.find(name, false).orElseThrow(() -> notFound(name));
        authorizer.require(request.subject(), Permission.READ_TEAM, row.team(), KIND, name, notFoundDetail(name));
        return row;
    }

    private static void checkDescription(String description, List<Problem.FieldError> errors) {
        if (description != null && description.length() > MAX_DESCRIPTION) {
            errors.add(new Problem.FieldError(
                    "description", "must be at most " + MAX_DESCRIPTION + " characters, was " + description.length()));
        }
    }

    /**
     * The clusters named, each once, all of the team. A cluster of another team reads like one that does not exist:
     * nobody learns another team's cluster names here.
     */
    private Map<String, ClusterRef> checkClusters(List<String> clusters, String team, List<Problem.FieldError> errors) {
        Map<String, ClusterRef> out = new LinkedHashMap<>();
        if (clusters == null) {
            errors.add(new Problem.FieldError("clusters", "is required (a list of the team's cluster names)"));
            return out;
        }
        Map<String, ClusterRef> known = store.clusters(
                clusters.stream().filter(c -> c != null && !c.isBlank()).toList());
        for (int i = 0; i < clusters.size(); i++) {
            String c = clusters.get(i);
            String field = "clusters[" + i + "]";
            if (c == null || c.isBlank()) {
                errors.add(new Problem.FieldError(field, "is empty"));
            } else if (out.containsKey(c)) {
                errors.add(new Problem.FieldError(field, "names " + c + " a second time"));
            } else {
                ClusterRef ref = known.get(c);
                if (ref == null || !ref.team().equals(team)) {
                    errors.add(new Problem.FieldError(field, "team " + team + " has no cluster " + c));
                } else {
                    out.put(c, ref);
                }
            }
        }
        return out;
    }

    /** A cluster is an active member of at most one set: 409 naming the cluster (by its index) and the other set. */
    private void checkNotElsewhere(List<String> named, Map<String, ClusterRef> clusters, long setId) {
        List<Membership> elsewhere = store.activeElsewhere(
                clusters.values().stream().map(ClusterRef::id).toList(), setId);
        if (elsewhere.isEmpty()) {
            return;
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (Membership m : elsewhere) {
            errors.add(new Problem.FieldError(
                    "clusters[" + named.indexOf(m.cluster()) + "]",
                    "cluster " + m.cluster() + " is a member of mirror set " + m.set()
                            + "; a cluster belongs to one set at a time"));
        }
        throw new ProblemException(409, "Conflict", summary(errors), errors);
    }

    private static void throwIfAny(List<Problem.FieldError> errors) {
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields("The mirror set is invalid: " + summary(errors), errors);
        }
    }

    private static String summary(List<Problem.FieldError> errors) {
        return String.join(
                "; ", errors.stream().map(e -> e.field() + ": " + e.detail()).toList());
    }

    /** A unique constraint beat the checks above: another request took the name or the cluster meanwhile. */
    private static RuntimeException raced(StoreException e) {
        if (e.uniqueViolation()) {
            return ProblemException.conflict(
                    "another request took the name or one of the clusters at the same moment: ask again");
        }
        return e;
    }

    private void record(String action, String name, Map<String, Object> details) {
        audit.record(
                request.actor(), action, KIND, name, AuditLog.REASON_USER_REQUEST, request.correlationId(), details);
    }

    private MirrorSet view(SetRow r) {
        return new MirrorSet(
                r.name(),
                r.team(),
                r.description(),
                r.createNamespaces(),
                state(r),
                r.version(),
                r.createdAt(),
                r.updatedAt(),
                r.deletingSince(),
                r.plannedAt(),
                r.sweptAt(),
                store.members(List.of(r.id())).getOrDefault(r.id(), List.of()),
                store.exports(r.id()));
    }

    static String state(SetRow r) {
        return r.deletingSince() == null ? MirrorSetViews.ACTIVE : MirrorSetViews.DELETING;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static String notFoundDetail(String name) {
        return "Mirror set " + name + " does not exist";
    }

    private static ProblemException notFound(String name) {
        return ProblemException.notFound(notFoundDetail(name));
    }
}
