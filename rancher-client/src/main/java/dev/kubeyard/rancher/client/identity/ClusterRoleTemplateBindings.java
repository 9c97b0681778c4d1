package dev.kubeyard.rancher.client.identity;

import dev.kubeyard.rancher.client.RancherAlreadyExistsException;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.internal.RancherHttp;
import dev.kubeyard.rancher.client.internal.Resources;
import dev.kubeyard.rancher.client.internal.SteveLists;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster role template bindings ({@code /v1/management.cattle.io.clusterroletemplatebindings/<mgmtId>}). Rancher
 * turns each into Kubernetes RBAC on the cluster shortly after it is created.
 */
public final class ClusterRoleTemplateBindings {

    private final RancherHttp http;

    public ClusterRoleTemplateBindings(RancherHttp http) {
        this.http = http;
    }

    /**
     * @throws RancherAlreadyExistsException when the name is taken in that cluster
     * @throws RancherNotFoundException when there is no such cluster (its namespace does not exist)
     * @throws dev.kubeyard.rancher.client.RancherInvalidRequestException when Rancher's webhook refuses it (unknown
     *     role template, no subject)
     */
    public ClusterRoleTemplateBinding create(ClusterRoleTemplateBinding binding) {
        String clusterId = binding.clusterId();
        var body = Resources.writeBody(binding, ClusterRoleTemplateBinding.STEVE_TYPE);
        body.withObject("metadata").put("namespace", clusterId);
        return Resources.read(
                http.send(
                        "POST",
                        Resources.v1(http, ClusterRoleTemplateBinding.COLLECTION, clusterId, null),
                        body,
                        RancherHttp.JSON),
                ClusterRoleTemplateBinding.class);
    }

    /** Creates the binding unless one of that name exists; returns what Rancher holds. Safe to repeat. */
    public ClusterRoleTemplateBinding ensure(ClusterRoleTemplateBinding binding) {
        try {
            return create(binding);
        } catch (RancherAlreadyExistsException e) {
            return get(binding.clusterId(), binding.name());
        }
    }

    /** @throws RancherNotFoundException when there is no such binding */
    public ClusterRoleTemplateBinding get(String clusterId, String name) {
        return Resources.read(http.getJson(url(clusterId, name)), ClusterRoleTemplateBinding.class);
    }

    public Optional<ClusterRoleTemplateBinding> find(String clusterId, String name) {
        try {
            return Optional.of(get(clusterId, name));
        } catch (RancherNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The bindings of one cluster, all pages. */
    public List<ClusterRoleTemplateBinding> list(String clusterId) {
        return list(clusterId, Map.of());
    }

    /**
     * The bindings whose labels carry every given key and value, in one cluster or, with a null {@code clusterId},
     * in all of them.
     */
    public List<ClusterRoleTemplateBinding> list(String clusterId, Map<String, String> labels) {
        Map<String, String> filters = new LinkedHashMap<>();
        labels.forEach((k, v) -> filters.put("metadata.labels[" + k + "]", v));
        String path = "/v1/" + ClusterRoleTemplateBinding.COLLECTION + (clusterId == null ? "" : "/" + clusterId);
        return SteveLists.listAll(http, path, filters, ClusterRoleTemplateBinding.class);
    }

    /**
     * Every binding naming the user, in all clusters. Filtered here, not by Steve: {@code userName} is not among
     * the fields Steve's SQL cache indexes, while labels are; callers that label their bindings should prefer
     * {@link #list(String, Map)}.
     */
    public List<ClusterRoleTemplateBinding> listForUser(String userId) {
        return list(null, Map.of()).stream()
                .filter(b -> userId.equals(b.userName()) || ("local://" + userId).equals(b.userPrincipalName()))
                .toList();
    }

    public void delete(String clusterId, String name) {
        http.send("DELETE", url(clusterId, name), null, RancherHttp.JSON);
    }

    private okhttp3.HttpUrl url(String clusterId, String name) {
        return Resources.v1(http, ClusterRoleTemplateBinding.COLLECTION, clusterId, name);
    }
}
