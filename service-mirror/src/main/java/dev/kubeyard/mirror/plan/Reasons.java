package dev.kubeyard.mirror.plan;

/** Condition types and reason words of the mirror, in the Multi-Cluster Services vocabulary where it has one. */
public final class Reasons {

    /** Condition: the export is one the mirror follows. */
    public static final String VALID = "Valid";
    /** Condition (KEP-1645): the exports of a service disagree, or an importing cluster's name is taken. */
    public static final String CONFLICT = "Conflict";
    /** Condition: an exporter's endpoints are withdrawn because its cluster has not been seen within the lease. */
    public static final String ENDPOINTS_WITHDRAWN = "EndpointsWithdrawn";

    public static final String EXPORTED = "Exported";
    public static final String EXPORT_OF_FOLLOWER = "ExportOfFollower";
    public static final String NO_CONFLICTS = "NoConflicts";
    public static final String TYPE_CONFLICT = "TypeConflict";
    public static final String PORT_CONFLICT = "PortConflict";
    public static final String SERVICE_CONFLICT = "ServiceConflict";
    public static final String NAMESPACE_MISSING = "NamespaceMissing";
    public static final String EXPORTER_NOT_SEEN = "ExporterNotSeen";
    public static final String EXPORTERS_SEEN = "ExportersSeen";

    public static final String TRUE = "True";
    public static final String FALSE = "False";

    private Reasons() {}
}
