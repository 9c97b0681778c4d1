package dev.kubeyard.platform.console;

import java.util.List;

/**
 * The cluster list of the console: the part of the page that refreshes itself.
 *
 * @param clusters the first {@code limit} clusters in name order
 * @param more whether there are clusters beyond them
 * @param limit how many the console shows at most
 * @param summary "3 clusters", "more than 500 clusters"
 * @param asOf when the list was read, ISO-8601 UTC
 * @param asOfText the same for people: "10:00:05 UTC"
 * @param createExample a curl command that creates a cluster, for the empty state
 */
public record ClusterList(
        List<ClusterRow> clusters,
        boolean more,
        int limit,
        String summary,
        String asOf,
        String asOfText,
        String createExample) {

    public boolean empty() {
        return clusters.isEmpty();
    }

    static String summary(int shown, boolean more) {
        if (more) {
            return "more than " + shown + " clusters";
        }
        return shown == 1 ? "1 cluster" : shown + " clusters";
    }
}
