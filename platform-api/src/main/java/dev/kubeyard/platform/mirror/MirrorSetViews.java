package dev.kubeyard.platform.mirror;

import java.time.Instant;
import java.util.List;

/** What the mirror-set endpoints answer (and the console and the service board show). */
public final class MirrorSetViews {

    /** A set that is being deleted: every member has left, the mirror removes the followers and then the row. */
    public static final String DELETING = "Deleting";

    public static final String ACTIVE = "Active";

    /** A member that has not left. */
    public static final String MEMBER = "Member";

    /** A member that has left (left_at set) whose row the mirror has not removed yet: its followers are going. */
    public static final String LEAVING = "Leaving";

    private MirrorSetViews() {}

    /**
     * A member cluster.
     *
     * @param lastSeen when its collector last had every watch up (the exporter's lease); null before the first time
     */
    public record Member(String cluster, Instant joinedAt, Instant leftAt, Instant lastSeen, String state) {}

    /** A cluster that did not get a follower of an export, and why ({@code ServiceConflict}, {@code NamespaceMissing}). */
    public record Refusal(String cluster, String reason, String message) {}

    /** A condition of an export ({@code Valid}, {@code Conflict}, {@code EndpointsWithdrawn}). */
    public record Condition(String type, String status, String reason, String message, Instant lastTransitionTime) {}

    /**
     * An export of a member cluster as the mirror last planned it.
     *
     * @param via {@code ServiceExport} (KEP-1645) or {@code Label} ({@code mirror.kubeyard.dev/export=true})
     * @param importedBy the clusters that hold a follower of it
     */
    public record Export(
            String set,
            String cluster,
            String namespace,
            String name,
            String via,
            Instant exportedAt,
            List<String> importedBy,
            List<Refusal> refusals,
            List<Condition> conditions,
            Instant updatedAt) {

        /** Whether a {@code Conflict} condition is {@code True}. */
        public boolean conflict() {
            return conditions.stream().anyMatch(c -> "Conflict".equals(c.type()) && "True".equals(c.status()));
        }

        /** The message of the {@code Conflict=True} condition, or null. */
        public String conflictMessage() {
            return conditions.stream()
                    .filter(c -> "Conflict".equals(c.type()) && "True".equals(c.status()))
                    .map(Condition::message)
                    .findFirst()
                    .orElse(null);
        }
    }

    /**
     * One set with its members and exports.
     *
     * @param state {@code Active}, or {@code Deleting} once a DELETE asked for it
     * @param version increases with every change through the API; a PUT may send it to refuse a lost update
     * @param plannedAt when the mirror last planned the set; null before the first pass
     * @param sweptAt when the orphan sweep last went over the set; null before the first
     */
    public record MirrorSet(
            String name,
            String team,
            String description,
            boolean createNamespaces,
            String state,
            long version,
            Instant createdAt,
            Instant updatedAt,
            Instant deletingSince,
            Instant plannedAt,
            Instant sweptAt,
            List<Member> members,
            List<Export> exports) {}

    /**
     * A set as the list shows it: its members, and how many exports it has and how many of them are in conflict.
     */
    public record Summary(
            String name,
            String team,
            String description,
            boolean createNamespaces,
            String state,
            long version,
            Instant createdAt,
            Instant updatedAt,
            Instant plannedAt,
            Instant sweptAt,
            List<Member> members,
            int exports,
            int conflicts) {}

    public record SetList(List<Summary> items) {}

    public record ExportList(String set, List<Export> items) {}
}
