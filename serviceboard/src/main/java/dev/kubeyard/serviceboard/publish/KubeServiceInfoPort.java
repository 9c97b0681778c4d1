package dev.kubeyard.serviceboard.publish;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link ServiceInfoPort} on a fabric8 client of the management cluster (through Rancher's proxy in production). The
 * client is asked for on every call, so that a client closed and made anew in between (the inventory's client cache
 * evicts) is picked up.
 */
public final class KubeServiceInfoPort implements ServiceInfoPort {

    /** Server-side apply's field manager: the one owner of every field Kubeyard writes. */
    public static final String FIELD_MANAGER = "kubeyard";

    static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup(ServiceInfos.GROUP)
            .withVersion(ServiceInfos.VERSION)
            .withKind(ServiceInfos.KIND)
            .withPlural(ServiceInfos.PLURAL)
            .withNamespaced(true)
            .build();

    private static final long PAGE = 500;

    private final Supplier<KubernetesClient> client;
    private final String namespace;

    public KubeServiceInfoPort(Supplier<KubernetesClient> client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    private MixedOperation<
                    GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>>
            objects() {
        return client.get().genericKubernetesResources(CONTEXT);
    }

    @Override
    public void apply(GenericKubernetesResource object) {
        objects()
                .inNamespace(namespace)
                .resource(object)
                .fieldManager(FIELD_MANAGER)
                .forceConflicts()
                .serverSideApply();
    }

    @Override
    public void delete(String name) {
        objects().inNamespace(namespace).withName(name).delete();
    }

    @Override
    public Map<String, String> list() {
        Map<String, String> out = new HashMap<>();
        String next = null;
        do {
            GenericKubernetesResourceList page = objects()
                    .inNamespace(namespace)
                    .withLabel(ServiceInfos.MANAGED_BY, ServiceInfos.MANAGER)
                    .list(new ListOptionsBuilder()
                            .withLimit(PAGE)
                            .withContinue(next)
                            .build());
            for (GenericKubernetesResource o : page.getItems()) {
                out.put(o.getMetadata().getName(), digest(o));
            }
            next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        } while (next != null && !next.isEmpty());
        return out;
    }

    static String digest(GenericKubernetesResource o) {
        Map<String, String> annotations = o.getMetadata().getAnnotations();
        return annotations == null ? "" : annotations.getOrDefault(ServiceInfos.DIGEST, "");
    }
}
