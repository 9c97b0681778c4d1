package dev.kubeyard.mirror.plan;

import java.util.Comparator;
import java.util.Objects;

/** A service of a set: its namespace and name, the same in every cluster. */
public record ServiceKey(String namespace, String name) implements Comparable<ServiceKey> {

    private static final Comparator<ServiceKey> ORDER =
            Comparator.comparing(ServiceKey::namespace).thenComparing(ServiceKey::name);

    public ServiceKey {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public int compareTo(ServiceKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
