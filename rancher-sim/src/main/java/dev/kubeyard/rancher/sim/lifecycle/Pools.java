package dev.kubeyard.rancher.sim.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.sim.store.PoolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code spec.rkeConfig.machinePools[]} of a provisioning cluster. */
public final class Pools {

    private Pools() {}

    /** The pools of a cluster spec; entries without a name are ignored, a missing quantity means 1. */
    public static List<PoolSpec> parse(JsonNode spec) {
        JsonNode pools = spec.path("rkeConfig").path("machinePools");
        if (!pools.isArray()) {
            return List.of();
        }
        List<PoolSpec> out = new ArrayList<>();
        for (JsonNode p : pools) {
            String name = p.path("name").asText("");
            if (name.isEmpty()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            p.path("labels")
                    .properties()
                    .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            List<PoolSpec.Taint> taints = new ArrayList<>();
            for (JsonNode t : p.path("taints")) {
                taints.add(new PoolSpec.Taint(
                        t.path("key").asText(""),
                        t.path("value").asText(""),
                        t.path("effect").asText("NoSchedule")));
            }
            JsonNode ref = p.path("machineConfigRef");
            out.add(new PoolSpec(
                    name,
                    p.has("quantity") ? Math.max(0, p.path("quantity").asInt(1)) : 1,
                    p.path("etcdRole").asBoolean(false),
                    p.path("controlPlaneRole").asBoolean(false),
                    p.path("workerRole").asBoolean(false),
                    ref.path("kind").isTextual() ? ref.path("kind").asText() : null,
                    ref.path("name").isTextual() ? ref.path("name").asText() : null,
                    Map.copyOf(labels),
                    List.copyOf(taints),
                    p.path("paused").asBoolean(false),
                    p.path("drainBeforeDelete").asBoolean(false),
                    healthCheckTimeout(p.path("unhealthyNodeTimeout"))));
        }
        return List.copyOf(out);
    }

    /**
     * Validation of the pool block that the Kubernetes API server (CRD schema) would do; returns null when
     * valid, else a message.
     */
    public static String validate(JsonNode spec) {
        JsonNode pools = spec.path("rkeConfig").path("machinePools");
        if (pools.isMissingNode() || pools.isNull()) {
            return null;
        }
        if (!pools.isArray()) {
            return "spec.rkeConfig.machinePools: Invalid value: \""
                    + pools.getNodeType().name().toLowerCase()
                    + "\": spec.rkeConfig.machinePools in body must be of type array";
        }
        for (int i = 0; i < pools.size(); i++) {
            JsonNode p = pools.get(i);
            if (p.has("quantity") && !p.path("quantity").canConvertToInt()) {
                return "spec.rkeConfig.machinePools[" + i + "].quantity: Invalid value: \"" + p.path("quantity")
                        + "\": spec.rkeConfig.machinePools[" + i + "].quantity in body must be of type integer";
            }
            JsonNode timeout = p.path("unhealthyNodeTimeout");
            if (timeout.isTextual()) {
                try {
                    GoDuration.parse(timeout.asText());
                } catch (IllegalArgumentException e) {
                    return "spec.rkeConfig.machinePools[" + i + "].unhealthyNodeTimeout: Invalid value: " + timeout
                            + ": " + e.getMessage();
                }
            }
        }
        return null;
    }

    private static Duration healthCheckTimeout(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            Duration d = GoDuration.parse(node.asText());
            return d == null || d.isZero() || d.isNegative() ? null : d;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
