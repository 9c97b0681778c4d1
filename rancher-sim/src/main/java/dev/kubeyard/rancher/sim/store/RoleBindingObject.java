package dev.kubeyard.rancher.sim.store;

/**
 * A {@code management.cattle.io/v3} ClusterRoleTemplateBinding (namespace = the cluster's management id) or
 * GlobalRoleBinding (cluster-scoped; {@code roleName} is the global role). Subjects are top-level fields; one of
 * them is set.
 */
public record RoleBindingObject(
        Meta meta,
        String clusterName,
        String roleName,
        String userName,
        String userPrincipalName,
        String groupName,
        String groupPrincipalName) {

    public boolean names(String userId) {
        return userId.equals(userName) || ("local://" + userId).equals(userPrincipalName);
    }
}
