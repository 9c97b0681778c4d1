package dev.kubeyard.rancher.client.provisioning;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.kubeyard.rancher.client.model.Condition;
import dev.kubeyard.rancher.client.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A {@code provisioning.cattle.io/v1} Cluster as Steve serves it. Unknown keys survive a round trip. */
public record ProvisioningCluster(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        ClusterSpec spec,
        ClusterStatus status,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String STEVE_TYPE = "provisioning.cattle.io.cluster";
    public static final String COLLECTION = "provisioning.cattle.io.clusters";

    public ProvisioningCluster {
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    /** A new cluster for {@link ProvisioningClusters#create}. */
    public static ProvisioningCluster of(ObjectMeta metadata, ClusterSpec spec) {
        return new ProvisioningCluster("provisioning.cattle.io/v1", "Cluster", metadata, spec, null, null);
    }

    public String name() {
        return metadata.name();
    }

    /** The management cluster id ({@code c-m-...}), once Rancher assigned it. */
    public Optional<String> managementId() {
        return Optional.ofNullable(status).map(ClusterStatus::clusterName).filter(s -> !s.isEmpty());
    }

    public List<Condition> conditions() {
        return status == null ? List.of() : status.conditions();
    }

    public Optional<Condition> condition(String type) {
        return Condition.find(conditions(), type);
    }

    public List<MachinePool> machinePools() {
        return spec == null || spec.rkeConfig() == null
                ? List.of()
                : spec.rkeConfig().machinePools();
    }

    public Optional<MachinePool> pool(String poolName) {
        return machinePools().stream().filter(p -> poolName.equals(p.name())).findFirst();
    }

    /**
     * Rancher's "usable" test (rancher-api.md 2.5): Rancher has acted on the latest spec, Ready, Updated
     * and Provisioned are True, the summary is neither transitioning nor in error, and the agent is
     * Connected where that condition is mirrored.
     */
    public boolean isUsable() {
        Long observed = status == null ? null : status.observedGeneration();
        boolean caughtUp = metadata.generation() == null || Objects.equals(metadata.generation(), observed);
        boolean conditionsTrue = List.of("Ready", "Updated", "Provisioned").stream()
                .allMatch(t -> condition(t).map(Condition::isTrue).orElse(false));
        boolean connected = condition("Connected").map(Condition::isTrue).orElse(true);
        var state = metadata.stateOrUnknown();
        return caughtUp && conditionsTrue && connected && !state.transitioning() && !state.error();
    }

    public ProvisioningCluster withSpec(ClusterSpec newSpec) {
        return new ProvisioningCluster(apiVersion, kind, metadata, newSpec, status, extra);
    }

    public ProvisioningCluster withMetadata(ObjectMeta newMetadata) {
        return new ProvisioningCluster(apiVersion, kind, newMetadata, spec, status, extra);
    }

    /** This cluster with its rkeConfig replaced (an empty one is created when missing). */
    ProvisioningCluster withRkeConfig(java.util.function.UnaryOperator<RkeConfig> change) {
        RkeConfig current = spec.rkeConfig() == null ? RkeConfig.of(List.of()) : spec.rkeConfig();
        return withSpec(spec.withRkeConfig(change.apply(current)));
    }
}
