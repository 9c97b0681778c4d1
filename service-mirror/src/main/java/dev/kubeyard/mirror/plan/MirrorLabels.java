package dev.kubeyard.mirror.plan;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The labels and annotations the mirror writes, and which of an object's keys it owns. */
public final class MirrorLabels {

    /** On a Service: {@code "true"} exports it, for clusters without the KEP-1645 ServiceExport CRD. */
    public static final String EXPORT = "mirror.kubeyard.dev/export";
    /** On a follower Service: {@code "true"}. */
    public static final String FOLLOWER = "mirror.kubeyard.dev/follower";
    /** On followers and their EndpointSlices: the set whose planner owns them. */
    public static final String SET = "mirror.kubeyard.dev/set";
    /** On a follower Service: the exporting cluster whose definition it carries (the oldest export). */
    public static final String ORIGIN = "mirror.kubeyard.dev/origin";
    /** Annotation on a follower Service: every exporting cluster, comma-separated, sorted. */
    public static final String SOURCE_CLUSTERS = "mirror.kubeyard.dev/source-clusters";
    /** KEP-1645: on an EndpointSlice, the cluster its endpoints come from. */
    public static final String SOURCE_CLUSTER = "multicluster.kubernetes.io/source-cluster";
    /** KEP-1645: on an EndpointSlice, the multi-cluster service it belongs to. */
    public static final String MCS_SERVICE_NAME = "multicluster.kubernetes.io/service-name";
    /** Kubernetes: the Service an EndpointSlice serves (kube-proxy reads it). */
    public static final String SERVICE_NAME = "kubernetes.io/service-name";
    /** Kubernetes: who manages an EndpointSlice; anything but the EndpointSlice controller's value keeps it away. */
    public static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    /** Our value of {@link #MANAGED_BY}. */
    public static final String MANAGER = "mirror.kubeyard.dev";

    static final Set<String> SERVICE_LABELS = Set.of(FOLLOWER, SET, ORIGIN);
    static final Set<String> SERVICE_ANNOTATIONS = Set.of(SOURCE_CLUSTERS);
    static final Set<String> SLICE_LABELS = Set.of(SET, SOURCE_CLUSTER, MCS_SERVICE_NAME, SERVICE_NAME, MANAGED_BY);

    private MirrorLabels() {}

    /** A follower of any set: such a Service is never exported again. */
    public static boolean isFollower(Map<String, String> labels) {
        return "true".equals(labels.get(FOLLOWER));
    }

    /** A follower this set's planner owns: the only Services it updates or deletes. */
    public static boolean isFollowerOf(Map<String, String> labels, String set) {
        return isFollower(labels) && set.equals(labels.get(SET));
    }

    /** An EndpointSlice this set's planner owns: the only slices it updates or deletes. */
    public static boolean isSliceOf(Map<String, String> labels, String set) {
        return MANAGER.equals(labels.get(MANAGED_BY)) && set.equals(labels.get(SET));
    }

    static Map<String, String> only(Map<String, String> values, Set<String> keys) {
        Map<String, String> kept = new TreeMap<>(values);
        kept.keySet().retainAll(keys);
        return kept;
    }
}
