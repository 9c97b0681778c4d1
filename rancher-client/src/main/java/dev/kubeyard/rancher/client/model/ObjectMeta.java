package dev.kubeyard.rancher.client.model;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes object metadata as Steve serves it, with Steve's {@code state}. Keys this record does not
 * name (managedFields, Steve's fields and relationships, ...) are kept in {@code extra} and written back
 * unchanged, so a read-modify-write never drops what Rancher put there.
 */
public record ObjectMeta(
        String name,
        String namespace,
        String generateName,
        String uid,
        String resourceVersion,
        Long generation,
        String creationTimestamp,
        String deletionTimestamp,
        Map<String, String> labels,
        Map<String, String> annotations,
        List<String> finalizers,
        ResourceState state,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public ObjectMeta {
        labels = labels == null ? Map.of() : labels;
        annotations = annotations == null ? Map.of() : annotations;
        finalizers = finalizers == null ? List.of() : finalizers;
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    /** Metadata of a new object with a fixed name. */
    public static ObjectMeta named(String namespace, String name) {
        return new ObjectMeta(name, namespace, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Metadata of a new object whose name Rancher completes from a prefix. */
    public static ObjectMeta generated(String namespace, String generateName) {
        return new ObjectMeta(
                null, namespace, generateName, null, null, null, null, null, null, null, null, null, null);
    }

    public ObjectMeta withLabels(Map<String, String> newLabels) {
        return new ObjectMeta(
                name,
                namespace,
                generateName,
                uid,
                resourceVersion,
                generation,
                creationTimestamp,
                deletionTimestamp,
                newLabels,
                annotations,
                finalizers,
                state,
                extra);
    }

    public ObjectMeta withAnnotations(Map<String, String> newAnnotations) {
        return new ObjectMeta(
                name,
                namespace,
                generateName,
                uid,
                resourceVersion,
                generation,
                creationTimestamp,
                deletionTimestamp,
                labels,
                newAnnotations,
                finalizers,
                state,
                extra);
    }

    /** True once deletion was asked for and finalizers still hold the object. */
    public boolean isDeleting() {
        return deletionTimestamp != null && !deletionTimestamp.isEmpty();
    }

    /** Steve's display state; treat as a hint, never as the truth about health. */
    public ResourceState stateOrUnknown() {
        return state == null ? ResourceState.UNKNOWN : state;
    }
}
