package dev.kubeyard.addons.catalog;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The certified addons, by name. Immutable: a catalog change is a new catalog (a release of Kubeyard, or a reload). */
public final class Catalog {

    private final Map<String, AddonDefinition> addons;

    public Catalog(Collection<AddonDefinition> definitions) {
        Map<String, AddonDefinition> byName = new TreeMap<>();
        for (AddonDefinition d : definitions) {
            if (byName.put(d.name(), d) != null) {
                throw new IllegalArgumentException("addon " + d.name() + " is defined twice");
            }
        }
        this.addons = Map.copyOf(byName);
    }

    public Optional<AddonDefinition> addon(String name) {
        return Optional.ofNullable(addons.get(name));
    }

    public Optional<AddonVersion> version(String addon, String version) {
        return addon(addon).flatMap(a -> a.version(version));
    }

    /** Every addon, by name. */
    public List<AddonDefinition> addons() {
        return addons.values().stream()
                .sorted(java.util.Comparator.comparing(AddonDefinition::name))
                .toList();
    }
}
