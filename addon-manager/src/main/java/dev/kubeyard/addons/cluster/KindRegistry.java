package dev.kubeyard.addons.cluster;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How to reach a kind over the API (its plural, whether it is namespaced): from fabric8's model for the built-in kinds,
 * else from the cluster's discovery, once per API version and kind. Shared by every cluster: a kind is the same
 * everywhere (a custom kind that differs between clusters is not something the catalog ships).
 */
public final class KindRegistry {

    private final KubernetesSerialization serialization;
    private final Map<String, ResourceDefinitionContext> known = new ConcurrentHashMap<>();

    public KindRegistry(KubernetesSerialization serialization) {
        this.serialization = serialization;
    }

    /** The kind's API context; discovery through the client when the model does not know it. */
    public ResourceDefinitionContext context(KubernetesClient client, String apiVersion, String kind) {
        String key = apiVersion + "/" + kind;
        ResourceDefinitionContext cached = known.get(key);
        if (cached != null) {
            return cached;
        }
        ResourceDefinitionContext context =
                fromModel(apiVersion, kind).orElseGet(() -> discover(client, apiVersion, kind));
        known.put(key, context);
        return context;
    }

    private Optional<ResourceDefinitionContext> fromModel(String apiVersion, String kind) {
        Class<? extends KubernetesResource> type = serialization.getRegisteredKubernetesResource(apiVersion, kind);
        if (type == null || !io.fabric8.kubernetes.api.model.HasMetadata.class.isAssignableFrom(type)) {
            return Optional.empty();
        }
        return Optional.of(ResourceDefinitionContext.fromResourceType(type));
    }

    private static ResourceDefinitionContext discover(KubernetesClient client, String apiVersion, String kind) {
        APIResourceList resources = client.getApiResources(apiVersion);
        if (resources != null) {
            for (APIResource r : resources.getResources()) {
                if (kind.equals(r.getKind()) && !r.getName().contains("/")) {
                    return ResourceDefinitionContext.fromApiResource(apiVersion, r);
                }
            }
        }
        throw new UnknownKindException(apiVersion, kind);
    }

    /** The cluster does not serve the kind (a missing CRD, an API version it dropped). */
    public static final class UnknownKindException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnknownKindException(String apiVersion, String kind) {
            super("the cluster does not serve " + kind + " of " + apiVersion);
        }
    }
}
