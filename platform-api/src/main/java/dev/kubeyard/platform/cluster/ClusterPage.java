package dev.kubeyard.platform.cluster;

import java.util.List;

/** One page of clusters; {@code nextCursor} is null on the last page. */
public record ClusterPage(List<ClusterSummary> items, String nextCursor) {}
