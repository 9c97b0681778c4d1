package dev.kubeyard.addons.plan;

/** An object the controller applied, with the API version it applied it at (for reading it back and pruning it). */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {

    public ObjectRef {
        namespace = namespace == null ? "" : namespace;
    }

    public static ObjectRef of(DesiredObject d) {
        return new ObjectRef(
                d.apiVersion(), d.key().kind(), d.key().namespace(), d.key().name());
    }

    public ObjectKey key() {
        return new ObjectKey(ObjectKey.group(apiVersion), kind, namespace, name);
    }
}
