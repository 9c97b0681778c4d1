package dev.kubeyard.addons.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.addons.plan.DesiredObject;
import dev.kubeyard.addons.plan.ManagedLabels;
import dev.kubeyard.addons.plan.ObjectKey;
import dev.kubeyard.addons.plan.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One cluster's objects as the addon controller sees them, through its fabric8 client: server-side apply with
 * Kubeyard's field manager (forcing conflicts: the catalog's fields are Kubeyard's), delete, read, and list by the
 * addon's label. Every call carries the client's request timeout; a failure surfaces as {@link KubernetesClientException}.
 */
public final class ClusterObjects {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final KindRegistry kinds;

    public ClusterObjects(KubernetesClient client, KindRegistry kinds) {
        this.client = client;
        this.kinds = kinds;
    }

    public boolean namespaced(String apiVersion, String kind) {
        return kinds.context(client, apiVersion, kind).isNamespaceScoped();
    }

    public void apply(DesiredObject object) {
        ResourceDefinitionContext context =
                kinds.context(client, object.apiVersion(), object.key().kind());
        GenericKubernetesResource body = JSON.convertValue(object.body(), GenericKubernetesResource.class);
        PatchContext patch = new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(ManagedLabels.fieldManager(object.body()
                        .path("metadata")
                        .path("labels")
                        .path(ManagedLabels.ADDON)
                        .asText()))
                .withForce(true)
                .build();
        var resources = client.genericKubernetesResources(context);
        if (context.isNamespaceScoped()) {
            resources
                    .inNamespace(object.key().namespace())
                    .withName(object.key().name())
                    .patch(patch, body);
        } else {
            resources.withName(object.key().name()).patch(patch, body);
        }
    }

    /** Deletes the object (its dependents in the background); true when it was there. */
    public boolean delete(ObjectRef ref) {
        ResourceDefinitionContext context = kinds.context(client, ref.apiVersion(), ref.kind());
        var resources = client.genericKubernetesResources(context);
        var resource = context.isNamespaceScoped()
                ? resources.inNamespace(ref.namespace()).withName(ref.name())
                : resources.withName(ref.name());
        return !resource.delete().isEmpty();
    }

    public Optional<JsonNode> get(String apiVersion, String kind, String namespace, String name) {
        ResourceDefinitionContext context = kinds.context(client, apiVersion, kind);
        var resources = client.genericKubernetesResources(context);
        GenericKubernetesResource found = context.isNamespaceScoped()
                ? resources.inNamespace(namespace).withName(name).get()
                : resources.withName(name).get();
        return Optional.ofNullable(found).map(r -> JSON.<JsonNode>valueToTree(r));
    }

    /**
     * The objects labelled for the addon, of the given kinds (API versions and kinds: {@code apps/v1 Deployment}), in
     * every namespace, by key.
     */
    public Map<ObjectKey, ObjectNode> listManaged(String addon, Collection<ObjectRef> kindsOf) {
        Set<String> seen = new LinkedHashSet<>();
        Map<ObjectKey, ObjectNode> out = new LinkedHashMap<>();
        for (ObjectRef ref : kindsOf) {
            if (!seen.add(ref.apiVersion() + " " + ref.kind())) {
                continue;
            }
            ResourceDefinitionContext context = kinds.context(client, ref.apiVersion(), ref.kind());
            var resources = client.genericKubernetesResources(context);
            GenericKubernetesResourceList list = context.isNamespaceScoped()
                    ? resources
                            .inAnyNamespace()
                            .withLabel(ManagedLabels.ADDON, addon)
                            .list()
                    : resources.withLabel(ManagedLabels.ADDON, addon).list();
            for (GenericKubernetesResource item : list.getItems()) {
                ObjectNode node = JSON.valueToTree(item);
                if (node.path("apiVersion").asText().isEmpty()) {
                    node.put("apiVersion", ref.apiVersion());
                    node.put("kind", ref.kind());
                }
                out.put(ObjectKey.of(node), node);
            }
        }
        return out;
    }
}
