package dev.kubeyard.addons.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What an addon version renders to with one set of values, in the order Helm printed it.
 *
 * @param digest of the addon, version, namespace, Kubernetes version and values: the same digest, the same objects
 * @param objects never modified by callers (copy first)
 */
public record RenderedAddon(String digest, List<ObjectNode> objects) {

    public RenderedAddon {
        objects = List.copyOf(objects);
    }
}
