package dev.kubeyard.rancher.client.identity;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.kubeyard.rancher.client.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code management.cattle.io/v3} ClusterRoleTemplateBinding: a role template on one cluster for a user or a
 * group. It lives in the namespace named after the cluster's management id; role and subject are top-level
 * fields and cannot change after creation (Rancher's webhook), so a new role is a new binding.
 */
public record ClusterRoleTemplateBinding(
        String apiVersion,
        String kind,
        ObjectMeta metadata,
        String clusterName,
        String roleTemplateName,
        String userName,
        String userPrincipalName,
        String groupName,
        String groupPrincipalName,
        @JsonAnySetter @JsonAnyGetter Map<String, Object> extra) {

    public static final String STEVE_TYPE = "management.cattle.io.clusterroletemplatebinding";
    public static final String COLLECTION = "management.cattle.io.clusterroletemplatebindings";

    /** Rancher's built-in role template that owns a cluster. */
    public static final String CLUSTER_OWNER = "cluster-owner";

    /** Rancher's built-in role template of a cluster member. */
    public static final String CLUSTER_MEMBER = "cluster-member";

    public ClusterRoleTemplateBinding {
        extra = extra == null ? new LinkedHashMap<>() : extra;
    }

    /**
     * A binding of one user to one cluster under a deterministic name ({@link #nameFor}), so that a retried
     * create answers AlreadyExists.
     */
    public static ClusterRoleTemplateBinding forUser(
            String clusterId, String userId, String roleTemplateName, Map<String, String> labels) {
        return new ClusterRoleTemplateBinding(
                "management.cattle.io/v3",
                "ClusterRoleTemplateBinding",
                ObjectMeta.named(clusterId, nameFor(userId, roleTemplateName)).withLabels(Map.copyOf(labels)),
                clusterId,
                roleTemplateName,
                userId,
                null,
                null,
                null,
                null);
    }

    /** {@code ky-<userId>-<roleTemplate>}: one binding per user, cluster (namespace) and role. */
    public static String nameFor(String userId, String roleTemplateName) {
        return "ky-" + userId + "-" + roleTemplateName;
    }

    public String name() {
        return metadata.name();
    }

    /** The cluster's management id, which is also the namespace. */
    public String clusterId() {
        return metadata.namespace() != null ? metadata.namespace() : clusterName;
    }
}
