package dev.kubeyard.rancher.sim.store;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
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

    /** The user every admin token (the fixed one, or any well-formed one) authenticates as. */
    public static final String ADMIN_USER_ID = "user-sim01";

    /** How many names {@link #machineDeletions} and {@link #machineDeletionsByCluster} keep at most each. */
    public static final int MAX_DELETION_COUNTS = 10_000;

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

    /** Users by name (their id, {@code u-xxxxx}). The admin is not among them. */
    public final NavigableMap<String, UserObject> users = new TreeMap<>();

    /** GlobalRoleBindings by name. */
    public final NavigableMap<String, RoleBindingObject> globalRoleBindings = new TreeMap<>();

    /** ClusterRoleTemplateBindings by id ({@code c-m-xxxxxxxx/name}). */
    public final NavigableMap<String, RoleBindingObject> clusterRoleTemplateBindings = new TreeMap<>();

    /**
     * Names of minted tokens that were deleted: refused from then on even where any well-formed token passes, as
     * a deleted token is refused by Rancher. Kept across {@link #clear()}; a few bytes per token.
     */
    private final Set<String> revokedTokens = new HashSet<>();

    /**
     * Machine DELETEs the Steve API accepted, by machine id and by cluster name: kept after the machine (or the
     * cluster) is gone, dropped by {@link #clear()}. Insertion order, so the oldest name goes first when a
     * map is full.
     */
    private final Map<String, Integer> machineDeletions = new LinkedHashMap<>();

    private final Map<String, Integer> machineDeletionsByCluster = new LinkedHashMap<>();

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
        } while (tokens.containsKey(name) || revokedTokens.contains(name));
        return name;
    }

    /** Deletes a minted token; it is refused from now on. */
    public void removeToken(String name) {
        if (tokens.remove(name) != null) {
            revokedTokens.add(name);
        }
    }

    /** True when the token was minted here and deleted since. */
    public boolean revoked(String name) {
        return revokedTokens.contains(name);
    }

    public List<ApiToken> tokensOf(String userId) {
        List<ApiToken> out = new ArrayList<>();
        for (ApiToken t : tokens.values()) {
            if (t.userId().equals(userId)) {
                out.add(t);
            }
        }
        return out;
    }

    public List<RoleBindingObject> clusterRoleTemplateBindingsOf(String userId) {
        List<RoleBindingObject> out = new ArrayList<>();
        for (RoleBindingObject b : clusterRoleTemplateBindings.values()) {
            if (b.names(userId)) {
                out.add(b);
            }
        }
        return out;
    }

    /** True when a ClusterRoleTemplateBinding gives the user a role on the cluster. */
    public boolean boundToCluster(String userId, String clusterId) {
        for (RoleBindingObject b : clusterRoleTemplateBindingsOf(userId)) {
            if (b.meta().namespace.equals(clusterId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Deletes a user as Rancher's user controller does when its finalizer runs: with its global and cluster role
     * bindings and every token it owns.
     */
    public void deleteUser(UserObject user) {
        String id = user.id();
        users.remove(id);
        globalRoleBindings.values().removeIf(b -> b.names(id));
        clusterRoleTemplateBindings.values().removeIf(b -> b.names(id));
        for (ApiToken t : tokensOf(id)) {
            removeToken(t.name());
        }
    }

    /** Counts one accepted DELETE of the machine, for it and for its cluster. */
    public void machineDeletionAccepted(MachineObject m) {
        count(machineDeletions, m.meta.id());
        count(machineDeletionsByCluster, m.cluster.name());
    }

    /**
     * Accepted DELETEs of a machine, named by id ({@code namespace/name}) or by name (in {@code fleet-default},
     * else in any namespace); 0 for a name never deleted.
     */
    public int machineDeletions(String nameOrId) {
        Integer n = machineDeletions.get(nameOrId);
        if (n == null) {
            n = machineDeletions.get(FLEET_NAMESPACE + "/" + nameOrId);
        }
        if (n != null) {
            return n;
        }
        int sum = 0;
        for (Map.Entry<String, Integer> e : machineDeletions.entrySet()) {
            if (e.getKey().endsWith("/" + nameOrId)) {
                sum += e.getValue();
            }
        }
        return sum;
    }

    /** Accepted machine DELETEs by cluster name, in the order the clusters first had one. */
    public Map<String, Integer> machineDeletionsByCluster() {
        return Collections.unmodifiableMap(machineDeletionsByCluster);
    }

    private static void count(Map<String, Integer> counts, String key) {
        counts.merge(key, 1, Integer::sum);
        if (counts.size() > MAX_DELETION_COUNTS) {
            Iterator<String> eldest = counts.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /** A removed cluster takes its namespace, and so its ClusterRoleTemplateBindings, with it. */
    public void clusterNamespaceRemoved(String managementId) {
        clusterRoleTemplateBindings.values().removeIf(b -> b.meta().namespace.equals(managementId));
    }

    /**
     * Drops every object and the machine deletion counts; the revision counter keeps counting so that clients
     * never see it go back.
     */
    public void clear() {
        clusters.clear();
        clustersByManagementId.clear();
        machines.clear();
        machineConfigs.clear();
        snapshots.clear();
        revokedTokens.addAll(tokens.keySet());
        tokens.clear();
        kubeconfigs.clear();
        registrationTokens.clear();
        users.clear();
        globalRoleBindings.clear();
        clusterRoleTemplateBindings.clear();
        machineDeletions.clear();
        machineDeletionsByCluster.clear();
    }
}
