package dev.kubeyard.rancher.client.provisioning;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.kubeyard.rancher.client.model.Condition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code status} of a provisioning cluster. {@code clusterName} is the management id ({@code c-m-...})
 * that the cluster proxy, kubeconfigs and registration tokens use. {@code ready} turns true once and is
 * never set back: it is no health signal.
 */
public record ClusterStatus(
        String clusterName,
        Boolean ready,
        Long observedGeneration,
        List<Condition> conditions,
        String clientSecretName,
        Boolean agentDeployed,
        String fleetWorkspaceName,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public ClusterStatus {
        conditions = conditions == null ? List.of() : conditions;
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }
}
