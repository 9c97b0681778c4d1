package dev.kubeyard.serviceboard.publish;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Map;

/**
 * The management cluster's ServiceInfo objects in one namespace: the publisher's only way out. Every method may throw
 * (the cluster does not answer, refuses, times out): the publisher turns that into a failed pass.
 */
public interface ServiceInfoPort {

    /** Creates or updates the object by server-side apply (field manager {@code kubeyard}). */
    void apply(GenericKubernetesResource object);

    /** Deletes the object; one already gone is no error. */
    void delete(String name);

    /**
     * The objects Kubeyard manages (label {@code app.kubernetes.io/managed-by=kubeyard}): each one's name and its
     * digest annotation ("" when it has none).
     */
    Map<String, String> list();
}
