package dev.kubeyard.inventory.cluster;

import dev.kubeyard.inventory.persistence.VersionedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A node pool of a managed cluster: desired roles, quantity, node spec, labels, taints; observed node counts. */
@Entity
@Table(name = "node_pools")
public class NodePool extends VersionedEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "cluster_id", nullable = false, updatable = false)
    private ManagedCluster cluster;

    @Column(nullable = false, updatable = false)
    private String name;

    @Column(name = "etcd_role", nullable = false)
    private boolean etcdRole;

    @Column(name = "control_plane_role", nullable = false)
    private boolean controlPlaneRole;

    @Column(name = "worker_role", nullable = false)
    private boolean workerRole;

    @Column(nullable = false)
    private int quantity;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "node_spec", nullable = false)
    private Map<String, Object> nodeSpec = new LinkedHashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private Map<String, String> labels = new LinkedHashMap<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private List<Taint> taints = new ArrayList<>();

    @Column(name = "nodes_ready", nullable = false)
    private int nodesReady;

    @Column(name = "nodes_total", nullable = false)
    private int nodesTotal;

    protected NodePool() {}

    NodePool(ManagedCluster cluster, String name, NodeRoles roles, int quantity) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.name = Objects.requireNonNull(name, "name");
        setRoles(roles);
        setQuantity(quantity);
    }

    public Long getId() {
        return id;
    }

    public ManagedCluster getCluster() {
        return cluster;
    }

    public String getName() {
        return name;
    }

    public NodeRoles getRoles() {
        return new NodeRoles(etcdRole, controlPlaneRole, workerRole);
    }

    public void setRoles(NodeRoles roles) {
        this.etcdRole = roles.etcd();
        this.controlPlaneRole = roles.controlPlane();
        this.workerRole = roles.worker();
    }

    public int getQuantity() {
        return quantity;
    }

    public void setQuantity(int quantity) {
        if (quantity < 0) {
            throw new IllegalArgumentException("Quantity cannot be negative, was " + quantity);
        }
        this.quantity = quantity;
    }

    public Map<String, Object> getNodeSpec() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(nodeSpec));
    }

    public void setNodeSpec(Map<String, Object> nodeSpec) {
        this.nodeSpec = new LinkedHashMap<>(nodeSpec);
    }

    public Map<String, String> getLabels() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = new LinkedHashMap<>(labels);
    }

    public List<Taint> getTaints() {
        return List.copyOf(taints);
    }

    public void setTaints(List<Taint> taints) {
        this.taints = new ArrayList<>(taints);
    }

    public int getNodesReady() {
        return nodesReady;
    }

    public int getNodesTotal() {
        return nodesTotal;
    }

    public void setNodeCounts(int total, int ready) {
        if (total < 0 || ready < 0 || ready > total) {
            throw new IllegalArgumentException("Impossible node counts: total " + total + ", ready " + ready);
        }
        this.nodesTotal = total;
        this.nodesReady = ready;
    }
}
