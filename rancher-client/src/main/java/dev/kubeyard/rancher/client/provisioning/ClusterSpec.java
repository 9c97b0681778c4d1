package dev.kubeyard.rancher.client.provisioning;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code spec} of a provisioning cluster. */
public record ClusterSpec(
        String kubernetesVersion,
        String cloudCredentialSecretName,
        RkeConfig rkeConfig,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public ClusterSpec {
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    public ClusterSpec withKubernetesVersion(String version) {
        return new ClusterSpec(version, cloudCredentialSecretName, rkeConfig, extra);
    }

    public ClusterSpec withRkeConfig(RkeConfig config) {
        return new ClusterSpec(kubernetesVersion, cloudCredentialSecretName, config, extra);
    }
}
