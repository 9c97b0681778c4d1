package dev.kubeyard.rancher.client.machine;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.kubeyard.rancher.client.model.Condition;
import dev.kubeyard.rancher.client.model.ObjectMeta;
import dev.kubeyard.rancher.client.provisioning.NodeRole;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A Cluster API ({@code cluster.x-k8s.io/v1beta2}) Machine: one node of a cluster as Rancher provisions
 * it. For health, read the conditions {@code NodeHealthy}, {@code NodeReady} and {@code
 * HealthCheckSucceeded}: Steve's state stays {@code running} while the node is NotReady.
 */
public record Machine(
        ObjectMeta metadata,
        Spec spec,
        Status status,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String COLLECTION = "cluster.x-k8s.io.machines";
    public static final String POOL_LABEL = "rke.cattle.io/rke-machine-pool-name";
    public static final String DELETE_ANNOTATION = "cluster.x-k8s.io/delete-machine";

    public Machine {
        status = status == null ? new Status(null, null, null, null, null, null, null) : status;
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    /** The parts of the spec Kubeyard reads. */
    public record Spec(
            String clusterName,
            Map<String, Object> infrastructureRef,
            String providerID,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Spec {
            extra = extra == null ? new LinkedHashMap<>() : extra;
        }
    }

    /** The parts of the status Kubeyard reads. */
    public record Status(
            String phase,
            NodeRef nodeRef,
            List<Address> addresses,
            Map<String, Object> nodeInfo,
            List<Condition> conditions,
            String lastUpdated,
            @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {
        public Status {
            addresses = addresses == null ? List.of() : addresses;
            conditions = conditions == null ? List.of() : conditions;
            extra = extra == null ? new LinkedHashMap<>() : extra;
        }
    }

    public record NodeRef(String name) {}

    public record Address(String type, String address) {}

    public String name() {
        return metadata.name();
    }

    public MachinePhase phase() {
        return MachinePhase.parse(status.phase());
    }

    /** The machine pool it belongs to, from Rancher's pool label. */
    public Optional<String> pool() {
        return Optional.ofNullable(metadata.labels().get(POOL_LABEL));
    }

    /** The Kubernetes node name, once the node registered. */
    public Optional<String> nodeName() {
        return Optional.ofNullable(status.nodeRef()).map(NodeRef::name);
    }

    public Set<NodeRole> roles() {
        Set<NodeRole> r = EnumSet.noneOf(NodeRole.class);
        Map<String, String> l = metadata.labels();
        if ("true".equals(l.get("rke.cattle.io/etcd-role"))) {
            r.add(NodeRole.ETCD);
        }
        if ("true".equals(l.get("rke.cattle.io/control-plane-role"))) {
            r.add(NodeRole.CONTROL_PLANE);
        }
        if ("true".equals(l.get("rke.cattle.io/worker-role"))) {
            r.add(NodeRole.WORKER);
        }
        return r;
    }

    public Optional<Condition> condition(String type) {
        return Condition.find(status.conditions(), type);
    }

    public boolean isDeleting() {
        return metadata.isDeleting()
                || phase() == MachinePhase.DELETING
                || condition("Deleting").map(Condition::isTrue).orElse(false);
    }
}
