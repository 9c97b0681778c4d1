package dev.kubeyard.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.addons.cluster.Installation;
import dev.kubeyard.addons.plan.InstallationStatus;
import dev.kubeyard.addons.plan.ObjectRef;
import dev.kubeyard.addons.rollout.ClusterState;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The addon manager's records in memory, for the benchmark: one installation of the bench addon per cluster, and what
 * its controller last reported. The operations are those {@code AddonControllers} and {@code RolloutService} call on
 * the PostgreSQL {@code AddonStore}: the controller's lease and its read of the cluster's installations, remember the
 * objects before the first write, write the status, report the cluster reachable or not; the rollout's version
 * change (which advances the generation, as {@code InstallationRecord.change} does) and its read of every cluster's
 * state. Each call is counted: one transaction each in production.
 *
 * <p>Thread-safe: every field of a row is volatile; a version change is made under the row's monitor.
 */
final class InMemoryAddonStore {

    /** One cluster and its installation of the addon. */
    static final class Row {
        final String cluster;
        final String managementId;
        final String kubernetesVersion;
        private volatile Installation installation;
        private volatile InstallationStatus status = InstallationStatus.NEW;
        private volatile boolean reachable = true;
        private volatile String problem = "";

        Row(String cluster, String managementId, String kubernetesVersion) {
            this.cluster = cluster;
            this.managementId = managementId;
            this.kubernetesVersion = kubernetesVersion;
        }

        Installation installation() {
            return installation;
        }

        InstallationStatus status() {
            return status;
        }
    }

    /** A cluster of the simulator: its name, management id and Kubernetes version. */
    record Cluster(String name, String managementId, String kubernetesVersion) {}

    private final Map<String, Row> rows;
    private final Map<String, LongAdder> calls = new TreeMap<>();

    InMemoryAddonStore(List<Cluster> clusters) {
        Map<String, Row> byName = new LinkedHashMap<>();
        for (Cluster c : clusters) {
            byName.put(c.name(), new Row(c.name(), c.managementId(), c.kubernetesVersion()));
        }
        this.rows = java.util.Collections.unmodifiableMap(byName);
        for (String call : List.of(
                "lease", "installations", "remember", "writeStatus", "clusterReport", "change", "rolloutStates")) {
            calls.put(call, new LongAdder());
        }
    }

    Collection<Row> rows() {
        return rows.values();
    }

    Row row(String cluster) {
        Row row = rows.get(cluster);
        if (row == null) {
            throw new IllegalArgumentException("no cluster " + cluster);
        }
        return row;
    }

    /** Installs the addon in every cluster at generation 1, as the API would one request at a time. */
    void installEverywhere(String addon, String version, String namespace, ObjectNode values) {
        for (Row row : rows.values()) {
            synchronized (row) {
                if (row.installation != null) {
                    throw new IllegalStateException(addon + " is already installed in " + row.cluster);
                }
                row.installation = new Installation(row.cluster, addon, version, namespace, values, 1);
            }
        }
    }

    /**
     * A controller pass starts: its lease, its read of the cluster's installations, and the lease renewed before the
     * installation (three transactions, as {@code AddonControllers.pass} with one installation).
     */
    Installation startPass(Row row) {
        calls.get("lease").add(2);
        calls.get("installations").increment();
        return row.installation;
    }

    /** The objects a pass is about to apply, recorded before its first write (into the status's object list). */
    void remember(Row row, List<ObjectRef> objects) {
        calls.get("remember").increment();
        InstallationStatus s = row.status;
        row.status = new InstallationStatus(
                s.observedGeneration(),
                s.appliedVersion(),
                s.appliedDigest(),
                s.appliedAt(),
                s.lastHealthyVersion(),
                s.healthySince(),
                s.unhealthySince(),
                s.conditions(),
                objects,
                s.driftRepairs(),
                s.lastReconciledAt(),
                s.lastActions());
    }

    void writeStatus(Row row, InstallationStatus status) {
        calls.get("writeStatus").increment();
        row.status = status;
    }

    void clusterReport(Row row, boolean reachable, String problem) {
        calls.get("clusterReport").increment();
        row.reachable = reachable;
        row.problem = problem;
    }

    /**
     * The installation's version changes, as {@code InstallationRecord.change} does it: the generation advances; false
     * when it already is that version.
     */
    boolean change(String cluster, String version) {
        calls.get("change").increment();
        Row row = row(cluster);
        synchronized (row) {
            Installation i = row.installation;
            if (i.version().equals(version)) {
                return false;
            }
            row.installation =
                    new Installation(i.cluster(), i.addon(), version, i.namespace(), i.values(), i.generation() + 1);
            return true;
        }
    }

    /**
     * What a rollout step knows of every cluster: fit to change when its API answered the last pass (the only addon,
     * so no other one can be degraded; every cluster of the simulator is Ready).
     */
    Map<String, ClusterState> rolloutStates() {
        calls.get("rolloutStates").increment();
        Map<String, ClusterState> out = new LinkedHashMap<>();
        for (Row row : rows.values()) {
            String problem = row.reachable ? "" : "its API did not answer: " + row.problem;
            Installation i = row.installation;
            out.put(
                    row.cluster,
                    new ClusterState(row.cluster, row.reachable, problem, i.version(), i.generation(), row.status));
        }
        return out;
    }

    /** Whether every cluster reports the addon healthy at the version, as a rollout judges it. */
    boolean allHealthyAt(String version) {
        return rows.values().stream()
                .allMatch(r -> r.installation.version().equals(version)
                        && r.status.healthyAt(version)
                        && r.status.observedGeneration() == r.installation.generation());
    }

    long healthyAt(String version) {
        return rows.values().stream().filter(r -> r.status.healthyAt(version)).count();
    }

    /** Calls so far, by operation. */
    Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
