package dev.kubeyard.rancher.sim.api;

import java.util.Locale;

/**
 * A Kubernetes resource type as Steve names it.
 *
 * @param canCreate POST allowed; Steve answers 403 PermissionDenied otherwise
 * @param canUpdate PUT and PATCH allowed
 * @param canDelete DELETE allowed
 */
public record SteveType(
        String group,
        String version,
        String kind,
        String plural,
        boolean namespaced,
        boolean canCreate,
        boolean canUpdate,
        boolean canDelete) {

    public static final SteveType PROVISIONING_CLUSTER =
            new SteveType("provisioning.cattle.io", "v1", "Cluster", "clusters", true, true, true, true);
    public static final SteveType MANAGEMENT_CLUSTER =
            new SteveType("management.cattle.io", "v3", "Cluster", "clusters", false, false, false, false);
    public static final SteveType CONTROL_PLANE =
            new SteveType("rke.cattle.io", "v1", "RKEControlPlane", "rkecontrolplanes", true, false, false, false);
    public static final SteveType MACHINE =
            new SteveType("cluster.x-k8s.io", "v1beta2", "Machine", "machines", true, false, true, true);
    public static final SteveType ETCD_SNAPSHOT =
            new SteveType("rke.cattle.io", "v1", "ETCDSnapshot", "etcdsnapshots", true, false, false, true);
    public static final SteveType EXT_TOKEN =
            new SteveType("ext.cattle.io", "v1", "Token", "tokens", false, true, false, true);
    public static final SteveType EXT_KUBECONFIG =
            new SteveType("ext.cattle.io", "v1", "Kubeconfig", "kubeconfigs", false, true, false, true);

    public static final SteveType USER =
            new SteveType("management.cattle.io", "v3", "User", "users", false, true, true, true);
    public static final SteveType GLOBAL_ROLE_BINDING = new SteveType(
            "management.cattle.io", "v3", "GlobalRoleBinding", "globalrolebindings", false, true, true, true);
    public static final SteveType CLUSTER_ROLE_TEMPLATE_BINDING = new SteveType(
            "management.cattle.io",
            "v3",
            "ClusterRoleTemplateBinding",
            "clusterroletemplatebindings",
            true,
            true,
            true,
            true);

    public static final String MACHINE_CONFIG_GROUP = "rke-machine-config.cattle.io";

    /** A machine-config type from its collection name: {@code openstackconfigs} holds {@code OpenstackConfig}. */
    public static SteveType machineConfig(String plural) {
        String singular = plural.substring(0, plural.length() - 1);
        String driver = singular.substring(0, singular.length() - "config".length());
        String kind = Character.toUpperCase(driver.charAt(0)) + driver.substring(1) + "Config";
        return new SteveType(MACHINE_CONFIG_GROUP, "v1", kind, plural, true, true, true, true);
    }

    /** Steve's schema id: {@code provisioning.cattle.io.cluster}. */
    public String schemaId() {
        return group + "." + kind.toLowerCase(Locale.ROOT);
    }

    /** The collection path segment: {@code provisioning.cattle.io.clusters}. */
    public String collection() {
        return group + "." + plural;
    }

    /** As Kubernetes names it in messages: {@code clusters.provisioning.cattle.io}. */
    public String resource() {
        return plural + "." + group;
    }

    /** As Kubernetes names it in validation messages: {@code Cluster.provisioning.cattle.io}. */
    public String kindGroup() {
        return kind + "." + group;
    }

    public String apiVersion() {
        return group + "/" + version;
    }
}
