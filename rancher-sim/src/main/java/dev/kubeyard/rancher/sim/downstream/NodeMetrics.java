package dev.kubeyard.rancher.sim.downstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * metrics-server's {@code metrics.k8s.io/v1beta1} NodeMetrics: one item per Ready node, usage as resource quantities
 * in canonical form ({@code 350m}, {@code 4096551Ki}). Pure.
 */
final class NodeMetrics {

    static final String API_VERSION = "metrics.k8s.io/v1beta1";
    static final String WINDOW = "10.5s";

    /** A node's memory capacity in KiB, as {@link NodeManifests} reports it. */
    private static final long MEMORY_CAPACITY_KIB = 16_386_204L;

    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeMetrics() {}

    /** The NodeMetricsList of the Ready nodes. */
    static String list(List<SimNode> nodes, Instant now) {
        ObjectNode out = JSON.createObjectNode();
        out.put("kind", "NodeMetricsList");
        out.put("apiVersion", API_VERSION);
        out.putObject("metadata");
        ArrayNode items = out.putArray("items");
        for (SimNode node : nodes) {
            if (node.ready()) {
                items.add(item(node, now));
            }
        }
        return out.toString();
    }

    /** The NodeMetrics of one node, or null when it is not there or not Ready (metrics-server has no metrics). */
    static String one(List<SimNode> nodes, String name, Instant now) {
        for (SimNode node : nodes) {
            if (node.name().equals(name) && node.ready()) {
                ObjectNode item = JSON.createObjectNode();
                item.put("kind", "NodeMetrics");
                item.put("apiVersion", API_VERSION);
                item.setAll(item(node, now));
                return item.toString();
            }
        }
        return null;
    }

    /** The APIResourceList of {@code /apis/metrics.k8s.io/v1beta1}. */
    static String discovery() {
        ObjectNode out = JSON.createObjectNode();
        out.put("kind", "APIResourceList");
        out.put("apiVersion", "v1");
        out.put("groupVersion", API_VERSION);
        ArrayNode resources = out.putArray("resources");
        for (String[] r : new String[][] {{"nodes", "NodeMetrics", "false"}, {"pods", "PodMetrics", "true"}}) {
            ObjectNode o = resources.addObject();
            o.put("name", r[0]);
            o.put("singularName", "");
            o.put("namespaced", Boolean.parseBoolean(r[2]));
            o.put("kind", r[1]);
            o.putArray("verbs").add("get").add("list");
        }
        return out.toString();
    }

    /** The PodMetricsList: empty, as pods are not simulated. */
    static String pods() {
        ObjectNode out = JSON.createObjectNode();
        out.put("kind", "PodMetricsList");
        out.put("apiVersion", API_VERSION);
        out.putObject("metadata");
        out.putArray("items");
        return out.toString();
    }

    private static ObjectNode item(SimNode node, Instant now) {
        String time = now.truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectNode item = JSON.createObjectNode();
        ObjectNode metadata = item.putObject("metadata");
        metadata.put("name", node.name());
        metadata.put("creationTimestamp", time);
        ObjectNode labels = metadata.putObject("labels");
        for (Map.Entry<String, String> label : NodeManifests.desiredLabels(node).entrySet()) {
            labels.put(label.getKey(), label.getValue());
        }
        item.put("timestamp", time);
        item.put("window", WINDOW);
        SimNode.Usage usage = usage(node);
        ObjectNode u = item.putObject("usage");
        u.put("cpu", cpu(usage.cpuMillis()));
        u.put("memory", memory(usage.memoryBytes()));
        return item;
    }

    /** The node's injected usage, or the default: 350-449m of its 4 CPUs and about 25% of its memory. */
    static SimNode.Usage usage(SimNode node) {
        if (node.usage() != null) {
            return node.usage();
        }
        int spread = Math.floorMod(node.name().hashCode(), 100);
        long memoryKib = MEMORY_CAPACITY_KIB / 4 - spread * 37L;
        return new SimNode.Usage(350 + spread, memoryKib * 1024);
    }

    /** A CPU quantity in canonical form: whole cores without a suffix, else millicores. */
    static String cpu(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
    }

    /** A memory quantity in canonical binary-SI form: the largest suffix that keeps the number whole. */
    static String memory(long bytes) {
        String[] suffixes = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
        long value = bytes;
        int suffix = 0;
        while (value != 0 && value % 1024 == 0 && suffix < suffixes.length - 1) {
            value /= 1024;
            suffix++;
        }
        return value + suffixes[suffix];
    }
}
