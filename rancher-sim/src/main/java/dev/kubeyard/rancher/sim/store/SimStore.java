package dev.kubeyard.rancher.sim.store;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Every simulated object, in memory, behind one lock. Keys are Steve ids ({@code namespace/name}), kept sorted
 * so that lists and pages come out in a stable order. The resource-version counter is global, as in etcd.
 *
 * <p>All fields are guarded by {@link #locked}: the HTTP handlers, the lifecycle timer and the Java facade take
 * the lock for short, non-blocking sections and never call out while holding it.
 */
public final class SimStore {

    public static final String FLEET_NAMESPACE = "fleet-default";

    private final ReentrantLock lock = new ReentrantLock();
    private final Clock clock;
    private final Ids ids;
    private long revision = 1000;

    public final NavigableMap<String, ClusterObject> clusters = new TreeMap<>();
    public final Map<String, ClusterObject> clustersByManagementId = new HashMap<>();
    public final NavigableMap<String, MachineObject> machines = new TreeMap<>();
    /** Machine configs by collection name ({@code openstackconfigs}), then by id. */
    public final Map<String, NavigableMap<String, MachineConfigObject>> machineConfigs = new HashMap<>();

    public final NavigableMap<String, EtcdSnapshotObject> snapshots = new TreeMap<>();
    public final NavigableMap<String, ApiToken> tokens = new TreeMap<>();
    public final NavigableMap<String, KubeconfigObject> kubeconfigs = new TreeMap<>();
    /** Registration tokens by v3 id ({@code c-m-xxxxxxxx:default-token}). */
    public final NavigableMap<String, RegistrationTokenObject> registrationTokens = new TreeMap<>();

    public SimStore(Clock clock, Ids ids) {
        this.clock = clock;
        this.ids = ids;
    }

    public Instant now() {
        return clock.instant();
    }

    public Clock clock() {
        return clock;
    }

    public Ids ids() {
        return ids;
    }

    /** Next resource version; every write takes one. */
    public long nextRevision() {
        return ++revision;
    }

    public long revision() {
        return revision;
    }

    public Meta newMeta(String namespace, String name) {
        return new Meta(namespace, name, ids.uid(), now(), nextRevision());
    }

    public <T> T locked(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    public void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    public NavigableMap<String, MachineConfigObject> machineConfigs(String plural) {
        return machineConfigs.computeIfAbsent(plural, p -> new TreeMap<>());
    }

    public MachineConfigObject machineConfig(String plural, String namespace, String name) {
        NavigableMap<String, MachineConfigObject> byId = machineConfigs.get(plural);
        return byId == null ? null : byId.get(namespace + "/" + name);
    }

    /** A token name, unique among the stored tokens. */
    public String uniqueTokenName(String prefix) {
        String name;
        do {
            name = prefix + ids.suffix();
        } while (tokens.containsKey(name));
        return name;
    }

    /** Drops every object; the revision counter keeps counting so that clients never see it go back. */
    public void clear() {
        clusters.clear();
        clustersByManagementId.clear();
        machines.clear();
        machineConfigs.clear();
        snapshots.clear();
        tokens.clear();
        kubeconfigs.clear();
        registrationTokens.clear();
    }
}
