package dev.kubeyard.addons.plan;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The labels and annotations Kubeyard puts on every object it applies for an addon. The addon label is how the
 * controller finds what it owns (to prune and to see drift) even after a crash lost its record of what it applied.
 */
public final class ManagedLabels {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "kubeyard";
    public static final String ADDON = "addons.kubeyard.dev/addon";
    public static final String VERSION = "addons.kubeyard.dev/version";
    /** The digest of what was rendered (version, values, namespace): tells an update from a hand edit. */
    public static final String DIGEST = "addons.kubeyard.dev/digest";
    /** {@code "false"} on an object keeps it when a later version no longer has it. */
    public static final String PRUNE = "addons.kubeyard.dev/prune";
    /** Helm's own way to say an object outlives its release: honoured the same way. */
    public static final String HELM_KEEP = "helm.sh/resource-policy";

    /** The field manager of Kubeyard's server-side applies: one per addon, so that two addons never share fields. */
    public static String fieldManager(String addon) {
        return "kubeyard-" + addon;
    }

    private ManagedLabels() {}

    /** The label selector of the addon's objects. */
    public static String selector(String addon) {
        return ADDON + "=" + addon;
    }

    /** A copy of the rendered object, with Kubeyard's labels and the namespace (when it is namespaced and has none). */
    public static ObjectNode decorate(
            ObjectNode rendered, String addon, String version, String digest, String namespaceIfNamespaced) {
        ObjectNode body = rendered.deepCopy();
        body.remove("status");
        ObjectNode metadata = body.withObject("/metadata");
        if (namespaceIfNamespaced != null
                && metadata.path("namespace").asText("").isEmpty()) {
            metadata.put("namespace", namespaceIfNamespaced);
        } else if (namespaceIfNamespaced == null) {
            metadata.remove("namespace");
        }
        ObjectNode labels = metadata.withObject("/labels");
        labels.put(MANAGED_BY, MANAGED_BY_VALUE);
        labels.put(ADDON, addon);
        ObjectNode annotations = metadata.withObject("/annotations");
        annotations.put(VERSION, version);
        annotations.put(DIGEST, digest);
        return body;
    }
}
