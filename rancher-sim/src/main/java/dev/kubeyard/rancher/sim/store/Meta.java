package dev.kubeyard.rancher.sim.store;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kubernetes object metadata of a stored object. Mutable; guarded by the {@link SimStore} lock like every
 * stored object.
 */
public final class Meta {

    public final String namespace;
    public final String name;
    public final String uid;
    public final Instant creationTimestamp;
    public long resourceVersion;
    public long generation = 1;
    public Map<String, String> labels = new LinkedHashMap<>();
    public Map<String, String> annotations = new LinkedHashMap<>();
    public Instant deletionTimestamp;

    public Meta(String namespace, String name, String uid, Instant creationTimestamp, long resourceVersion) {
        this.namespace = namespace;
        this.name = name;
        this.uid = uid;
        this.creationTimestamp = creationTimestamp;
        this.resourceVersion = resourceVersion;
    }

    /** {@code namespace/name}, or the name of a cluster-scoped object: Steve's id and the store key. */
    public String id() {
        return namespace == null ? name : namespace + "/" + name;
    }
}
