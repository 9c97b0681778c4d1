package dev.kubeyard.rancher.sim.lifecycle;

import dev.kubeyard.rancher.sim.store.ClusterObject;
import dev.kubeyard.rancher.sim.store.Cond;
import dev.kubeyard.rancher.sim.store.Conds;
import dev.kubeyard.rancher.sim.store.MachineObject;
import dev.kubeyard.rancher.sim.store.MachineObject.Fault;
import dev.kubeyard.rancher.sim.store.MachineObject.Phase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the conditions of a provisioning cluster, its management cluster and its RKEControlPlane from the
 * cluster's typed state. {@code Provisioned}, {@code Updated} and {@code Ready} copy the control plane's
 * {@code Ready} message, as Rancher does (rancher-api.md §2.5).
 */
final class ClusterStatus {

    static final String WAITING_FOR_AGENT = "waiting for cluster agent to connect";
    static final String WAITING_FOR_API = "Waiting for API to be available";

    private static final List<String> MIRRORED = List.of(
            "BackingNamespaceCreated",
            "DefaultProjectCreated",
            "SystemProjectCreated",
            "InitialRolesPopulated",
            "CreatorMadeOwner",
            "NoDiskPressure",
            "NoMemoryPressure",
            "GlobalAdminsSynced");

    private ClusterStatus() {}

    /** Returns whether any condition changed. */
    static boolean update(ClusterObject c, Instant now) {
        if (c.deleting()) {
            return false;
        }
        String busy = busyMessage(c);
        boolean changed = provisioning(c, busy, now);
        changed |= management(c, busy, now);
        changed |= controlPlane(c, busy, now);
        return changed;
    }

    private static boolean provisioning(ClusterObject c, String busy, Instant now) {
        Conds p = c.conditions;
        boolean changed = false;
        if (!c.ready) {
            String message = busy != null ? busy : WAITING_FOR_AGENT;
            changed |= p.set("Created", Cond.TRUE, null, null, now);
            changed |= p.set("RKECluster", Cond.TRUE, null, null, now);
            changed |= p.set("Provisioned", Cond.UNKNOWN, null, message, now);
            changed |= p.set("Updated", Cond.UNKNOWN, null, message, now);
            changed |= p.set("Ready", Cond.UNKNOWN, null, message, now);
            return changed;
        }
        changed |= p.set("Created", Cond.TRUE, null, null, now);
        changed |= p.set("RKECluster", Cond.TRUE, null, null, now);
        changed |= p.set("Provisioned", Cond.TRUE, null, null, now);
        if (busy == null) {
            changed |= p.set("Updated", Cond.TRUE, null, null, now);
            changed |= p.set("Ready", Cond.TRUE, null, null, now);
        } else {
            changed |= p.set("Updated", Cond.UNKNOWN, null, busy, now);
            changed |= p.set("Ready", Cond.UNKNOWN, null, busy, now);
        }
        changed |= p.set("AgentDeployed", Cond.TRUE, null, null, now);
        changed |= c.agentDisconnected
                ? p.set("Connected", Cond.FALSE, "Disconnected", "cluster agent disconnected", now)
                : p.set("Connected", Cond.TRUE, null, null, now);
        for (String type : MIRRORED) {
            changed |= p.set(type, Cond.TRUE, null, null, now);
        }
        return changed;
    }

    private static boolean management(ClusterObject c, String busy, Instant now) {
        Conds m = c.managementConditions;
        boolean changed = false;
        for (String type : MIRRORED) {
            changed |= m.set(type, Cond.TRUE, null, null, now);
        }
        changed |= c.machinesRunningAt != null
                ? m.set("Provisioned", Cond.TRUE, null, null, now)
                : m.set("Provisioned", Cond.UNKNOWN, null, busy, now);
        if (c.connectedAt == null) {
            changed |= m.set("Waiting", Cond.UNKNOWN, null, WAITING_FOR_API, now);
            changed |= m.set("Ready", Cond.FALSE, null, WAITING_FOR_API, now);
            return changed;
        }
        changed |= m.set("Waiting", Cond.TRUE, null, null, now);
        changed |= m.set("AgentDeployed", Cond.TRUE, null, null, now);
        if (c.agentDisconnected) {
            changed |= m.set("Connected", Cond.FALSE, "Disconnected", "cluster agent disconnected", now);
            changed |= m.set("Ready", Cond.FALSE, "Disconnected", "Cluster agent is not connected", now);
        } else {
            changed |= m.set("Connected", Cond.TRUE, null, null, now);
            changed |= m.set("Ready", Cond.TRUE, null, null, now);
        }
        return changed;
    }

    private static boolean controlPlane(ClusterObject c, String busy, Instant now) {
        Conds cp = c.controlPlaneConditions;
        boolean changed = c.machinesRunningAt != null
                ? cp.set("Provisioned", Cond.TRUE, null, null, now)
                : cp.set("Provisioned", Cond.UNKNOWN, null, busy, now);
        if (c.ready && busy == null) {
            changed |= cp.set("Ready", Cond.TRUE, null, null, now);
        } else {
            changed |= cp.set("Ready", Cond.UNKNOWN, null, busy != null ? busy : WAITING_FOR_AGENT, now);
        }
        return changed;
    }

    /**
     * What the control plane is waiting for, in the words of Rancher's planner, or null when nothing is in
     * flight. After the cluster first became Ready, faulty machines no longer count: a NotReady worker leaves
     * the cluster {@code active}.
     */
    static String busyMessage(ClusterObject c) {
        if (!Lifecycle.hasRequiredRoles(c)) {
            return "waiting for at least one control plane, etcd, and worker node to be registered";
        }
        for (MachineObject m : c.machines) {
            if (m.deleting()) {
                return "deleting server [" + m.meta.namespace + "/" + m.name() + "] of kind (" + m.infrastructureKind
                        + ") for machine " + m.name() + " in infrastructure provider";
            }
        }
        boolean etcdRunning = false;
        for (MachineObject m : c.machines) {
            etcdRunning |= m.etcd && m.runningHealthy();
        }
        String[] roles = {"etcd", "control plane", "worker"};
        for (String role : roles) {
            List<MachineObject> notReady = new ArrayList<>();
            List<MachineObject> provisioned = new ArrayList<>();
            for (MachineObject m : c.machines) {
                if (!hasRole(m, role) || m.runningHealthy()) {
                    continue;
                }
                if (c.ready && m.fault != Fault.NONE) {
                    continue;
                }
                notReady.add(m);
                if (m.phase == Phase.PROVISIONED || m.phase == Phase.RUNNING) {
                    provisioned.add(m);
                }
            }
            if (notReady.isEmpty()) {
                continue;
            }
            if (role.equals("etcd") && !etcdRunning) {
                return provisioned.isEmpty()
                        ? "waiting for viable init node"
                        : "configuring bootstrap node(s) " + names(provisioned)
                                + ": waiting for agent to check in and apply initial plan";
            }
            return "configuring " + role + " node(s) " + names(notReady)
                    + ": waiting for agent to check in and apply initial plan";
        }
        if (!Lifecycle.allMachinesRunning(c) && !c.ready) {
            return "waiting for viable init node";
        }
        if (c.upgradeStepSince != null) {
            String version = c.desiredVersion();
            List<MachineObject> outdated = new ArrayList<>();
            for (MachineObject m : c.machines) {
                if (!version.equals(m.kubeletVersion)) {
                    outdated.add(m);
                }
            }
            if (!outdated.isEmpty()) {
                MachineObject first = outdated.get(0);
                String role = first.etcd || first.controlPlane ? "control plane" : "worker";
                return "upgrading " + role + " node(s) " + names(outdated) + " to " + version
                        + ": waiting for plan to be applied";
            }
        }
        if (c.snapshotRestore.running()) {
            return "restoring etcd snapshot "
                    + c.snapshotRestore.request.path("name").asText() + ": " + c.snapshotRestore.phase();
        }
        if (c.certificateRotation.running()) {
            return "rotating certificates";
        }
        if (c.snapshotCreate.running()) {
            return "creating etcd snapshot";
        }
        if (c.encryptionKeyRotation.running()) {
            return "rotating encryption keys: " + c.encryptionKeyRotation.phase();
        }
        if (!c.ready) {
            return c.machinesRunningAt == null ? "waiting for viable init node" : WAITING_FOR_AGENT;
        }
        return null;
    }

    private static boolean hasRole(MachineObject m, String role) {
        return switch (role) {
            case "etcd" -> m.etcd;
            case "control plane" -> m.controlPlane && !m.etcd;
            default -> m.worker && !m.etcd && !m.controlPlane;
        };
    }

    private static String names(List<MachineObject> machines) {
        StringBuilder out = new StringBuilder();
        int shown = Math.min(3, machines.size());
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(machines.get(i).name());
        }
        if (machines.size() > shown) {
            out.append(" and ").append(machines.size() - shown).append(" more");
        }
        return out.toString();
    }
}
