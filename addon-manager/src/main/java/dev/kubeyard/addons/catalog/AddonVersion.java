package dev.kubeyard.addons.catalog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * One certified version of an addon: where its objects come from, its default values and the JSON Schema of the
 * values a user may set (both from the chart's values.yaml and values.schema.json), the Kubernetes versions it
 * supports, and the workloads that must be ready for it to be healthy.
 *
 * @param defaults the chart's values.yaml (never modified: copy before merging)
 * @param schema the values.schema.json, empty when the version has none (then any values pass)
 */
public record AddonVersion(
        String addon,
        String version,
        AddonSource source,
        KubernetesRange kubernetesVersions,
        List<HealthCheck> health,
        ObjectNode defaults,
        Optional<ObjectNode> schema,
        String notes) {

    public AddonVersion {
        health = List.copyOf(health);
        notes = notes == null ? "" : notes;
    }

    /** Whether this version runs on the Kubernetes version. */
    public boolean supports(String kubernetesVersion) {
        return kubernetesVersions.supports(kubernetesVersion);
    }

    /** addon@version, as logs and messages name it. */
    public String ref() {
        return addon + "@" + version;
    }
}
