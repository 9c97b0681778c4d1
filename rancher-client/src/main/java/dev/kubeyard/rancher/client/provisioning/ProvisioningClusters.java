package dev.kubeyard.rancher.client.provisioning;

import dev.kubeyard.rancher.client.RancherConflictException;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.internal.RancherHttp;
import dev.kubeyard.rancher.client.internal.Resources;
import dev.kubeyard.rancher.client.internal.SteveLists;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Provisioning clusters ({@code /v1/provisioning.cattle.io.clusters}) and the operations Rancher expresses
 * as changes of their spec: Kubernetes upgrade, certificate rotation, etcd snapshot and restore. Each of
 * those raises a generation counter and returns the generation asked for; completion is read from
 * {@link #controlPlane(String)}.
 */
public final class ProvisioningClusters {

    /** How often {@link #modify} re-reads and tries again after a 409 Conflict. */
    public static final int MAX_CONFLICT_RETRIES = 5;

    private final RancherHttp http;
    private final String namespace;

    public ProvisioningClusters(RancherHttp http) {
        this.http = http;
        this.namespace = http.config().namespace();
    }

    public List<ProvisioningCluster> list() {
        return list(Map.of());
    }

    /** Clusters whose labels carry every given key and value. */
    public List<ProvisioningCluster> list(Map<String, String> labels) {
        Map<String, String> filters = new java.util.LinkedHashMap<>();
        labels.forEach((k, v) -> filters.put("metadata.labels[" + k + "]", v));
        return SteveLists.listAll(
                http, "/v1/" + ProvisioningCluster.COLLECTION + "/" + namespace, filters, ProvisioningCluster.class);
    }

    /** @throws RancherNotFoundException when there is no such cluster */
    public ProvisioningCluster get(String name) {
        return Resources.read(http.getJson(url(name)), ProvisioningCluster.class);
    }

    public Optional<ProvisioningCluster> find(String name) {
        try {
            return Optional.of(get(name));
        } catch (RancherNotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * Creates the cluster under its own (deterministic) name.
     *
     * @throws dev.kubeyard.rancher.client.RancherAlreadyExistsException when the name is taken
     */
    public ProvisioningCluster create(ProvisioningCluster cluster) {
        var body = Resources.writeBody(cluster, ProvisioningCluster.STEVE_TYPE);
        body.withObject("metadata").put("namespace", namespace);
        return Resources.read(
                http.send(
                        "POST",
                        Resources.v1(http, ProvisioningCluster.COLLECTION, namespace, null),
                        body,
                        RancherHttp.JSON),
                ProvisioningCluster.class);
    }

    /**
     * Replaces the cluster with this version, which must carry the resourceVersion it was read at.
     *
     * @throws RancherConflictException when the cluster changed since
     */
    public ProvisioningCluster update(ProvisioningCluster cluster) {
        if (cluster.metadata().resourceVersion() == null) {
            throw new IllegalArgumentException("an update needs the resourceVersion the cluster was read at");
        }
        var body = Resources.writeBody(cluster, ProvisioningCluster.STEVE_TYPE);
        return Resources.read(http.send("PUT", url(cluster.name()), body, RancherHttp.JSON), ProvisioningCluster.class);
    }

    /**
     * Reads the cluster, applies the change, writes it back; on a 409 Conflict reads again and reapplies
     * the change, up to {@value #MAX_CONFLICT_RETRIES} times. The change must be a pure function of the
     * cluster it is given.
     */
    public ProvisioningCluster modify(String name, UnaryOperator<ProvisioningCluster> change) {
        RancherConflictException last = null;
        for (int attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
            ProvisioningCluster current = get(name);
            ProvisioningCluster changed = change.apply(current);
            if (changed.equals(current)) {
                return current;
            }
            try {
                return update(changed);
            } catch (RancherConflictException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Asks for deletion; Rancher removes machines and the cluster afterwards (poll until 404). */
    public void delete(String name) {
        http.send("DELETE", url(name), null, RancherHttp.JSON);
    }

    /** Sets the quantity of one pool. */
    public ProvisioningCluster scalePool(String name, String poolName, int quantity) {
        if (quantity < 0) {
            throw new IllegalArgumentException("quantity must not be negative");
        }
        return modify(name, c -> {
            requirePool(c, poolName);
            List<MachinePool> pools = new ArrayList<>();
            for (MachinePool p : c.machinePools()) {
                pools.add(poolName.equals(p.name()) ? p.withQuantity(quantity) : p);
            }
            return c.withRkeConfig(rke -> rke.withMachinePools(pools));
        });
    }

    /** Sets {@code spec.kubernetesVersion}; Rancher rolls the nodes to it. */
    public ProvisioningCluster upgradeKubernetes(String name, String version) {
        return modify(name, c -> c.withSpec(c.spec().withKubernetesVersion(version)));
    }

    /**
     * Asks for certificate rotation of the given services (all when empty).
     *
     * @return the generation asked for; done when {@link RkeControlPlane#certificateRotation} says so
     */
    public long rotateCertificates(String name, List<String> services) {
        ProvisioningCluster updated = modify(
                name,
                c -> c.withRkeConfig(rke -> {
                    long next = rke.rotateCertificates() == null
                            ? 1
                            : rke.rotateCertificates().value() + 1;
                    return rke.withRotateCertificates(new RotateCertificates(next, List.copyOf(services)));
                }));
        return updated.spec().rkeConfig().rotateCertificates().value();
    }

    /** Asks for an etcd snapshot; returns the generation asked for. */
    public long createEtcdSnapshot(String name) {
        ProvisioningCluster updated = modify(
                name,
                c -> c.withRkeConfig(rke -> {
                    long next = rke.etcdSnapshotCreate() == null
                            ? 1
                            : rke.etcdSnapshotCreate().value() + 1;
                    return rke.withEtcdSnapshotCreate(new GenerationRequest(next));
                }));
        return updated.spec().rkeConfig().etcdSnapshotCreate().value();
    }

    /**
     * Asks for a restore from the named ETCDSnapshot object; returns the generation asked for.
     *
     * @throws dev.kubeyard.rancher.client.RancherInvalidRequestException when Rancher's webhook rejects it
     *     (for example, no such snapshot)
     */
    public long restoreEtcdSnapshot(String name, String snapshotName, RestoreMode mode) {
        ProvisioningCluster updated = modify(
                name,
                c -> c.withRkeConfig(rke -> {
                    long next = rke.etcdSnapshotRestore() == null
                            ? 1
                            : rke.etcdSnapshotRestore().value() + 1;
                    return rke.withEtcdSnapshotRestore(new EtcdSnapshotRestore(snapshotName, next, mode.wire()));
                }));
        return updated.spec().rkeConfig().etcdSnapshotRestore().value();
    }

    /** The cluster's RKEControlPlane, where operation progress shows. */
    public RkeControlPlane controlPlane(String name) {
        return Resources.read(
                http.getJson(Resources.v1(http, RkeControlPlane.COLLECTION, namespace, name)), RkeControlPlane.class);
    }

    /** The etcd snapshots of the cluster, oldest and newest in Rancher's order. */
    public List<EtcdSnapshot> etcdSnapshots(String name) {
        return SteveLists.listAll(
                http,
                "/v1/" + EtcdSnapshot.COLLECTION + "/" + namespace,
                SteveLists.filter("spec.clusterName", name),
                EtcdSnapshot.class);
    }

    private static void requirePool(ProvisioningCluster c, String poolName) {
        if (c.pool(poolName).isEmpty()) {
            throw new IllegalArgumentException("cluster " + c.name() + " has no machine pool " + poolName);
        }
    }

    private okhttp3.HttpUrl url(String name) {
        return Resources.v1(http, ProvisioningCluster.COLLECTION, namespace, name);
    }
}
