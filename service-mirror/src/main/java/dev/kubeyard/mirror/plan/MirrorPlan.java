package dev.kubeyard.mirror.plan;

import dev.kubeyard.mirror.plan.MirrorInput.Condition;
import dev.kubeyard.mirror.plan.MirrorInput.ServiceObject;
import dev.kubeyard.mirror.plan.MirrorInput.SliceObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a set's clusters must be made to hold, and what to report.
 *
 * @param clusters one plan per cluster given, in the order of their names
 * @param exports each export's state, by cluster, namespace and name
 * @param lookAgainAt when an exporter's lease ends if it is not seen again (plan again then)
 */
public record MirrorPlan(List<ClusterPlan> clusters, List<ExportState> exports, Optional<Instant> lookAgainAt) {

    public MirrorPlan {
        clusters = List.copyOf(clusters);
        exports = List.copyOf(exports);
    }

    /** The actions of one cluster, in the order they are to be carried out. */
    public record ClusterPlan(String cluster, List<Action> actions) {
        public ClusterPlan {
            actions = List.copyOf(actions);
        }
    }

    /** One act on one cluster, with its reason. */
    public sealed interface Action
            permits CreateNamespace,
                    CreateService,
                    UpdateService,
                    DeleteService,
                    CreateSlice,
                    UpdateSlice,
                    DeleteSlice,
                    HoldBack,
                    ReportExport {}

    public record CreateNamespace(String namespace, String reason) implements Action {}

    public record CreateService(ServiceObject service, String reason) implements Action {}

    /** Make the follower's owned labels, annotations, type, ports and conditions what {@code service} says. */
    public record UpdateService(ServiceObject service, String reason) implements Action {}

    public record DeleteService(ServiceKey key, String reason) implements Action {}

    public record CreateSlice(SliceObject slice, String reason) implements Action {}

    public record UpdateSlice(SliceObject slice, String reason) implements Action {}

    public record DeleteSlice(String namespace, String name, String reason) implements Action {}

    /** A follower that is not written, and why ({@link Reasons#SERVICE_CONFLICT}, {@link Reasons#NAMESPACE_MISSING}). */
    public record HoldBack(ServiceKey key, String reason, String message) implements Action {}

    /**
     * Make the Valid and Conflict conditions of the exporter's ServiceExport what the export's state says (KEP-1645:
     * users see in their own cluster whether their export is followed).
     */
    public record ReportExport(ServiceKey key, List<Condition> conditions, String reason) implements Action {
        public ReportExport {
            conditions = List.copyOf(conditions);
        }
    }

    /** An importing cluster that got no follower, and why. */
    public record Refusal(String cluster, String reason, String message) {}

    /** An export as the API and the board show it. */
    public record ExportState(
            String cluster,
            ServiceKey key,
            Instant exportedAt,
            List<String> importedBy,
            List<Refusal> refusals,
            List<Condition> conditions) {
        public ExportState {
            importedBy = List.copyOf(importedBy);
            refusals = List.copyOf(refusals);
            conditions = List.copyOf(conditions);
        }

        public Optional<Condition> condition(String type) {
            return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
        }
    }
}
