package dev.kubeyard.addons.plan;

import java.util.List;

/**
 * What one controller pass over an installation came to, for {@link StatusRules}.
 *
 * @param generation the installation's generation the pass worked from
 * @param version the addon version it worked towards
 * @param digest of what was rendered (empty when nothing was)
 * @param objects what the version has in the cluster after the pass (empty unless applied)
 * @param actions what the pass changed, one line each ("repaired ConfigMap demo/web (edited: /data/x)")
 * @param drift hand changes found and undone
 */
public record Pass(
        long generation,
        String version,
        Outcome outcome,
        String message,
        String digest,
        List<ObjectRef> objects,
        List<WorkloadHealth.Result> health,
        List<String> actions,
        int drift) {

    public enum Outcome {
        APPLIED("Applied"),
        INVALID_VALUES("InvalidValues"),
        UNSUPPORTED_KUBERNETES("UnsupportedKubernetesVersion"),
        UNKNOWN_VERSION("UnknownVersion"),
        RENDER_FAILED("RenderFailed"),
        APPLY_FAILED("ApplyFailed"),
        UNREACHABLE("ClusterUnreachable");

        private final String reason;

        Outcome(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    public Pass {
        objects = List.copyOf(objects);
        health = List.copyOf(health);
        actions = List.copyOf(actions);
    }

    public static Pass failed(long generation, String version, Outcome outcome, String message) {
        return new Pass(generation, version, outcome, message, "", List.of(), List.of(), List.of(), 0);
    }

    /** The same pass, with the objects the status must keep track of (recorded before a write that then failed). */
    public Pass withObjects(List<ObjectRef> tracked) {
        return new Pass(generation, version, outcome, message, digest, tracked, health, actions, drift);
    }

    public boolean healthy() {
        return outcome == Outcome.APPLIED && health.stream().allMatch(WorkloadHealth.Result::ready);
    }
}
