package dev.kubeyard.addons.control;

import dev.kubeyard.addons.plan.Pass;
import java.util.List;

/**
 * Fired (CDI, synchronously, outside any transaction) after a controller pass over an installation changed something
 * in the cluster, or removed an installation: the application records the destructive actions (prunes, removals) in
 * its audit trail.
 *
 * @param actions one line per change ("pruned ConfigMap logging/fluent-bit-config (not in the version any more)")
 * @param removed whether the installation and its objects are gone
 */
public record AddonPassEvent(
        String cluster, String addon, String version, Pass.Outcome outcome, List<String> actions, boolean removed) {}
