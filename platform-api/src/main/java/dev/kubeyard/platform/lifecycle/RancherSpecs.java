package dev.kubeyard.platform.lifecycle;

import dev.kubeyard.platform.cluster.ClusterSpec;
import dev.kubeyard.platform.cluster.ClusterSpec.NodePoolSpec;
import dev.kubeyard.platform.cluster.ClusterSpec.NodeSpec;
import dev.kubeyard.rancher.client.machineconfig.MachineConfig;
import dev.kubeyard.rancher.client.model.ObjectMeta;
import dev.kubeyard.rancher.client.model.Taint;
import dev.kubeyard.rancher.client.provisioning.MachineConfigRef;
import dev.kubeyard.rancher.client.provisioning.MachinePool;
import dev.kubeyard.rancher.client.provisioning.NodeRole;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import dev.kubeyard.rancher.client.provisioning.RkeConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * How a Kubeyard cluster spec becomes Rancher objects, and what differs between the two. Pure: no calls, so that the
 * planner stays a function.
 *
 * <p>Node specs become machine configs whose name carries a hash of the spec: a changed node spec is a new config that
 * the pool points at, which is how Rancher rolls a pool's machines to it (Rancher does not roll machines when a config
 * object is edited in place). Creating a config twice is harmless, so a crash between two steps repeats nothing
 * harmful.
 */
public final class RancherSpecs {

    /** Label put on every provisioning cluster Kubeyard owns. */
    public static final String MANAGED_BY_LABEL = "kubeyard.dev/managed-by";

    public static final String MANAGED_BY_VALUE = "kubeyard";

    /** Where OpenStack's machine config keeps image, flavor and network; other kinds take the three keys as they are. */
    private static final Map<String, List<String>> NODE_SPEC_KEYS =
            Map.of("OpenstackConfig", List.of("imageName", "flavorName", "netName"));

    private static final List<String> GENERIC_KEYS = List.of("image", "flavor", "network");

    private final String namespace;
    private final String machineConfigKind;
    private final String cloudCredential;

    public RancherSpecs(String namespace, String machineConfigKind, String cloudCredential) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.machineConfigKind = Objects.requireNonNull(machineConfigKind, "machineConfigKind");
        this.cloudCredential = cloudCredential;
    }

    public String namespace() {
        return namespace;
    }

    public String machineConfigKind() {
        return machineConfigKind;
    }

    /** {@code <cluster>-<pool>-<8 hex digits of the node spec's hash>}. */
    public String machineConfigName(String cluster, NodePoolSpec pool) {
        return cluster + "-" + pool.name() + "-" + hash(machineConfigFields(pool.nodeSpec()));
    }

    /** The machine config fields of a node spec: image, flavor, network under the kind's names, then the settings. */
    public Map<String, Object> machineConfigFields(NodeSpec nodeSpec) {
        List<String> keys = NODE_SPEC_KEYS.getOrDefault(machineConfigKind, GENERIC_KEYS);
        Map<String, Object> fields = new TreeMap<>(nodeSpec.settings());
        fields.put(keys.get(0), nodeSpec.image());
        fields.put(keys.get(1), nodeSpec.flavor());
        fields.put(keys.get(2), nodeSpec.network());
        return fields;
    }

    public MachineConfig machineConfig(String cluster, NodePoolSpec pool) {
        return MachineConfig.of(
                machineConfigKind,
                ObjectMeta.named(namespace, machineConfigName(cluster, pool))
                        .withLabels(Map.of(MANAGED_BY_LABEL, MANAGED_BY_VALUE, "kubeyard.dev/cluster", cluster)),
                machineConfigFields(pool.nodeSpec()));
    }

    /** The provisioning cluster a spec asks for, as it is created. */
    public ProvisioningCluster provisioningCluster(String cluster, ClusterSpec spec) {
        var metadata = ObjectMeta.named(namespace, cluster).withLabels(clusterLabels(spec));
        var rke = RkeConfig.of(machinePools(cluster, spec));
        rke = new RkeConfig(
                rke.machinePools(),
                new LinkedHashMap<>(spec.engineOptions()),
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        var clusterSpec = new dev.kubeyard.rancher.client.provisioning.ClusterSpec(
                spec.kubernetesVersion(), cloudCredential, rke, null);
        return ProvisioningCluster.of(metadata, clusterSpec);
    }

    /**
     * The observed cluster with the desired spec laid over it: Kubernetes version, pools (keeping what Rancher or
     * other controllers set on a pool that we do not own, such as {@code paused}; Rancher's machine health check,
     * {@code unhealthyNodeTimeout}, is turned off), our engine options and labels.
     * Everything else Rancher holds is kept.
     */
    public ProvisioningCluster merge(ProvisioningCluster current, String cluster, ClusterSpec spec) {
        List<MachinePool> pools = new ArrayList<>();
        for (MachinePool wanted : machinePools(cluster, spec)) {
            MachinePool merged = current.pool(wanted.name())
                    .map(existing -> new MachinePool(
                            wanted.name(),
                            wanted.quantity(),
                            wanted.etcdRole(),
                            wanted.controlPlaneRole(),
                            wanted.workerRole(),
                            wanted.machineConfigRef(),
                            wanted.labels(),
                            wanted.taints(),
                            existing.drainBeforeDelete() == null ? Boolean.TRUE : existing.drainBeforeDelete(),
                            // Kubeyard heals its pools: Rancher's own health check stays off, or the two
                            // would fight over a node (nodepool-controller holds back where it finds it on).
                            null,
                            existing.paused(),
                            existing.extra()))
                    .orElse(wanted);
            pools.add(merged);
        }
        var rke = current.spec().rkeConfig() == null
                ? RkeConfig.of(List.of())
                : current.spec().rkeConfig();
        Map<String, Object> global = new LinkedHashMap<>();
        if (rke.machineGlobalConfig() != null) {
            global.putAll(rke.machineGlobalConfig());
        }
        global.putAll(spec.engineOptions());
        rke = new RkeConfig(
                        pools,
                        global,
                        rke.machineSelectorConfig(),
                        rke.registries(),
                        rke.upgradeStrategy(),
                        rke.etcdSnapshotCreate(),
                        rke.etcdSnapshotRestore(),
                        rke.rotateCertificates(),
                        rke.extra())
                .withMachinePools(pools);
        Map<String, String> labels = new LinkedHashMap<>(current.metadata().labels());
        labels.putAll(clusterLabels(spec));
        return current.withMetadata(current.metadata().withLabels(labels))
                .withSpec(current.spec()
                        .withKubernetesVersion(spec.kubernetesVersion())
                        .withRkeConfig(rke));
    }

    /** What differs between Rancher and the spec, one phrase each; empty when Rancher already has the spec. */
    public List<String> differences(ProvisioningCluster current, String cluster, ClusterSpec spec) {
        List<String> out = new ArrayList<>();
        if (!Objects.equals(current.spec().kubernetesVersion(), spec.kubernetesVersion())) {
            out.add("Kubernetes version " + current.spec().kubernetesVersion() + " -> " + spec.kubernetesVersion());
        }
        List<MachinePool> wanted = machinePools(cluster, spec);
        for (MachinePool pool : wanted) {
            var existing = current.pool(pool.name());
            if (existing.isEmpty()) {
                out.add("pool " + pool.name() + " missing");
                continue;
            }
            MachinePool have = existing.get();
            if (have.quantityOrZero() != pool.quantityOrZero()) {
                out.add("pool " + pool.name() + " quantity " + have.quantityOrZero() + " -> " + pool.quantityOrZero());
            }
            if (!have.roles().equals(pool.roles())) {
                out.add("pool " + pool.name() + " roles");
            }
            if (have.machineConfigRef() == null
                    || !Objects.equals(
                            have.machineConfigRef().name(),
                            pool.machineConfigRef().name())) {
                out.add("pool " + pool.name() + " node spec");
            }
            if (!Objects.equals(nullToEmpty(have.labels()), pool.labels())) {
                out.add("pool " + pool.name() + " labels");
            }
            if (!Objects.equals(nullToEmpty(have.taints()), pool.taints())) {
                out.add("pool " + pool.name() + " taints");
            }
        }
        for (MachinePool have : current.machinePools()) {
            if (wanted.stream().noneMatch(p -> p.name().equals(have.name()))) {
                out.add("pool " + have.name() + " not in the spec");
            }
        }
        var rke = current.spec().rkeConfig();
        Map<String, Object> global =
                rke == null || rke.machineGlobalConfig() == null ? Map.of() : rke.machineGlobalConfig();
        for (var option : spec.engineOptions().entrySet()) {
            if (!Objects.equals(global.get(option.getKey()), option.getValue())) {
                out.add("engine option " + option.getKey());
            }
        }
        for (var label : clusterLabels(spec).entrySet()) {
            if (!Objects.equals(current.metadata().labels().get(label.getKey()), label.getValue())) {
                out.add("label " + label.getKey());
            }
        }
        return out;
    }

    /** Names of the machine configs the spec's pools use. */
    public List<String> machineConfigNames(String cluster, ClusterSpec spec) {
        return spec.nodePools().stream().map(p -> machineConfigName(cluster, p)).toList();
    }

    private List<MachinePool> machinePools(String cluster, ClusterSpec spec) {
        List<MachinePool> pools = new ArrayList<>();
        for (NodePoolSpec pool : spec.nodePools()) {
            Set<NodeRole> roles = EnumSet.noneOf(NodeRole.class);
            if (pool.hasRole(ClusterSpec.ROLE_ETCD)) {
                roles.add(NodeRole.ETCD);
            }
            if (pool.hasRole(ClusterSpec.ROLE_CONTROL_PLANE)) {
                roles.add(NodeRole.CONTROL_PLANE);
            }
            if (pool.hasRole(ClusterSpec.ROLE_WORKER)) {
                roles.add(NodeRole.WORKER);
            }
            MachinePool base = MachinePool.of(
                    pool.name(),
                    pool.quantityOrZero(),
                    roles,
                    MachineConfigRef.of(machineConfigKind, machineConfigName(cluster, pool)));
            List<Taint> taints = pool.taints().stream()
                    .map(t -> new Taint(t.key(), t.value(), t.effect()))
                    .toList();
            pools.add(base.withLabelsAndTaints(new LinkedHashMap<>(pool.labels()), taints));
        }
        return pools;
    }

    private static Map<String, String> clusterLabels(ClusterSpec spec) {
        Map<String, String> labels = new TreeMap<>(spec.labels());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY_VALUE);
        return labels;
    }

    private static <K, V> Map<K, V> nullToEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String hash(Map<String, Object> fields) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] bytes = digest.digest(new TreeMap<>(fields).toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(bytes, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
