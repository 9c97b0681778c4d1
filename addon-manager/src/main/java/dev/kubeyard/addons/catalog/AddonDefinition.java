package dev.kubeyard.addons.catalog;

import java.util.List;
import java.util.Optional;

/**
 * An addon of the catalog: what it is for and its certified versions, oldest first.
 *
 * @param namespace where it installs unless an installation says otherwise
 */
public record AddonDefinition(
        String name,
        String displayName,
        String category,
        String description,
        String namespace,
        List<AddonVersion> versions) {

    public AddonDefinition {
        versions = List.copyOf(versions);
    }

    public Optional<AddonVersion> version(String version) {
        return versions.stream().filter(v -> v.version().equals(version)).findFirst();
    }

    /** The newest certified version. */
    public AddonVersion latest() {
        return versions.getLast();
    }

    /** The newest version that supports the Kubernetes version, if any. */
    public Optional<AddonVersion> latestSupporting(String kubernetesVersion) {
        for (int i = versions.size() - 1; i >= 0; i--) {
            if (versions.get(i).supports(kubernetesVersion)) {
                return Optional.of(versions.get(i));
            }
        }
        return Optional.empty();
    }
}
