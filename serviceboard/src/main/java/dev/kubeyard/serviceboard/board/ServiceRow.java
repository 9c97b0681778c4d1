package dev.kubeyard.serviceboard.board;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One service of one cluster as the board shows it: what it is, how to reach it, what runs behind it and a status
 * with the reason in words.
 */
public record ServiceRow(
        String cluster,
        String namespace,
        String name,
        String type,
        String clusterIp,
        List<Facts.Port> ports,
        List<String> ingressHosts,
        List<String> ingressAddresses,
        List<String> loadBalancerAddresses,
        List<String> images,
        PodCounts pods,
        int readyEndpoints,
        int notReadyEndpoints,
        ServiceStatus status,
        String statusReason,
        Map<String, String> labels,
        Instant updatedAt) {

    /** The pods behind the service, by phase and readiness. */
    public record PodCounts(int total, int running, int pending, int succeeded, int failed, int unknown, int ready) {
        public static final PodCounts NONE = new PodCounts(0, 0, 0, 0, 0, 0, 0);

        /** The counts by name, in this order: how the store and the ServiceInfo spec write them. */
        public Map<String, Integer> asMap() {
            Map<String, Integer> m = new LinkedHashMap<>();
            m.put("total", total);
            m.put("running", running);
            m.put("pending", pending);
            m.put("succeeded", succeeded);
            m.put("failed", failed);
            m.put("unknown", unknown);
            m.put("ready", ready);
            return m;
        }
    }

    /** The same row with another time: rows that differ only in it are the same for the board. */
    public ServiceRow at(Instant time) {
        return new ServiceRow(
                cluster,
                namespace,
                name,
                type,
                clusterIp,
                ports,
                ingressHosts,
                ingressAddresses,
                loadBalancerAddresses,
                images,
                pods,
                readyEndpoints,
                notReadyEndpoints,
                status,
                statusReason,
                labels,
                time);
    }

    /**
     * A 64-bit digest of everything the board shows (time aside): what a collector keeps of a row it wrote, so that it
     * writes again only what changed without holding every row in memory.
     */
    public long fingerprint() {
        String text = at(Instant.EPOCH).toString();
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    public ServiceKey key() {
        return new ServiceKey(namespace, name);
    }

    /** Whether the board would show something different (everything but {@code updatedAt}). */
    public boolean sameAs(ServiceRow other) {
        return other != null && at(Instant.EPOCH).equals(other.at(Instant.EPOCH));
    }
}
