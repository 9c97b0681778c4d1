package dev.kubeyard.platform.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What a user asks for: the body of {@code PUT /api/v1/clusters/{name}} and the desired state the inventory keeps (as
 * the {@code spec} column). Fields are boxed and lists nullable because they come straight from JSON; {@link
 * ClusterSpecValidator} says what is missing or wrong, field by field, before anything is stored.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A cluster's desired state: applying the same spec twice changes nothing.")
public record ClusterSpec(
        @Schema(description = "Owning team (DNS-1123 label)", examples = "payments")
        String team,

        @Schema(description = "RKE2 Kubernetes version from the supported list", examples = "v1.33.5+rke2r1")
        String kubernetesVersion,

        @Schema(description = "Cluster labels, used to filter and select clusters")
        Map<String, String> labels,

        @Schema(description = "Time-to-live of a temporary cluster in seconds; deleted when it runs out")
        Long timeToLiveSeconds,

        @Schema(
                description =
                        "Node pools; together they need an odd number of etcd nodes, a control plane and" + " workers")
        List<NodePoolSpec> nodePools,

        @Schema(description = "RKE2 engine options (Rancher's machineGlobalConfig), for example {\"cni\": \"calico\"}")
        Map<String, Object> engineOptions,

        @Schema(
                description = "Addons of the catalog to install: each with an optional version (left out: the newest"
                        + " that supports the cluster at creation, then whatever it runs), namespace and values. An"
                        + " addon the spec named before and no longer names is removed; left out entirely, the spec"
                        + " does not manage addons.")
        List<AddonSpec> addons) {

    /** The spec without addons: what the spec was before addons were part of it. */
    public ClusterSpec(
            String team,
            String kubernetesVersion,
            Map<String, String> labels,
            Long timeToLiveSeconds,
            List<NodePoolSpec> nodePools,
            Map<String, Object> engineOptions) {
        this(team, kubernetesVersion, labels, timeToLiveSeconds, nodePools, engineOptions, null);
    }

    /** One addon of the spec. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AddonSpec(
            @Schema(description = "Addon name in the catalog", examples = "metrics-server")
            String name,

            @Schema(description = "Addon version in the catalog", examples = "0.8.0")
            String version,

            @Schema(description = "Namespace (the addon's own when left out)")
            String namespace,

            @Schema(description = "Values, checked against the version's schema")
            Map<String, Object> values) {}

    /** Roles as they appear in {@link NodePoolSpec#roles()}. */
    public static final String ROLE_ETCD = "etcd";

    public static final String ROLE_CONTROL_PLANE = "controlplane";
    public static final String ROLE_WORKER = "worker";

    public ClusterSpec {
        labels = labels == null ? Map.of() : labels;
        engineOptions = engineOptions == null ? Map.of() : engineOptions;
    }

    /** One node pool: roles, size, and the machines it is made of. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NodePoolSpec(
            @Schema(description = "Pool name (DNS-1123 label), unique in the cluster", examples = "workers")
            String name,

            @Schema(description = "Any of etcd, controlplane, worker", examples = "[\"worker\"]")
            List<String> roles,

            @Schema(description = "Number of nodes", examples = "3")
            Integer quantity,

            NodeSpec nodeSpec,

            @Schema(description = "Kubernetes labels put on the pool's nodes")
            Map<String, String> labels,

            @Schema(description = "Kubernetes taints put on the pool's nodes")
            List<TaintSpec> taints,

            @Schema(
                    description = "This pool's own node healing rules, in place of its role's defaults (each one"
                            + " left out keeps the default)")
            HealingSpec healing) {

        public NodePoolSpec {
            labels = labels == null ? Map.of() : labels;
            taints = taints == null ? List.of() : taints;
        }

        /** A pool healed by its role's defaults. */
        public NodePoolSpec(
                String name,
                List<String> roles,
                Integer quantity,
                NodeSpec nodeSpec,
                Map<String, String> labels,
                List<TaintSpec> taints) {
            this(name, roles, quantity, nodeSpec, labels, taints, null);
        }

        public boolean hasRole(String role) {
            return roles != null && roles.contains(role);
        }

        public int quantityOrZero() {
            return quantity == null ? 0 : quantity;
        }

        public NodePoolSpec withQuantity(int newQuantity) {
            return new NodePoolSpec(name, roles, newQuantity, nodeSpec, labels, taints, healing);
        }
    }

    /**
     * A node pool's own healing rules (nodepool-controller): each one given replaces its role's default, the rest
     * keep it. The role defaults and the cluster and fleet budgets are the installation's (README, "Node healing").
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HealingSpec(
            @Schema(
                    description = "Replace a node whose Ready condition has been False or Unknown this long",
                    examples = "600")
            Integer notReadyTimeoutSeconds,

            @Schema(
                    description = "A new machine whose node is not Ready after this long is stuck and replaced",
                    examples = "1800")
            Integer provisioningTimeoutSeconds,

            @Schema(
                    description = "A deletion taking longer than this is reported, and its replacement failed",
                    examples = "1800")
            Integer deletionTimeoutSeconds,

            @Schema(
                    description = "Above this share of unhealthy nodes in the pool nothing is replaced (an alert"
                            + " is raised instead)",
                    examples = "40")
            Integer maxUnhealthyPercent,

            @Schema(description = "Replacements in flight at once in the pool", examples = "1")
            Integer maxConcurrent,

            @Schema(description = "Replacements in the pool in any hour", examples = "2")
            Integer maxPerHour,

            @Schema(description = "Plan and record the pool's replacements without carrying them out")
            Boolean dryRun) {}

    /** The machines of a pool: image, flavor and network, plus any further machine-driver settings. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NodeSpec(
            @Schema(examples = "ubuntu-24.04") String image,
            @Schema(examples = "m1.large") String flavor,
            @Schema(examples = "private") String network,

            @Schema(description = "Further machine settings passed to the machine driver as they are")
            Map<String, Object> settings) {

        public NodeSpec {
            settings = settings == null ? Map.of() : settings;
        }
    }

    /** A Kubernetes taint. */
    public record TaintSpec(
            String key,
            String value,

            @Schema(description = "NoSchedule, PreferNoSchedule or NoExecute")
            String effect) {}

    public ClusterSpec withKubernetesVersion(String version) {
        return new ClusterSpec(team, version, labels, timeToLiveSeconds, nodePools, engineOptions, addons);
    }

    public ClusterSpec withNodePools(List<NodePoolSpec> pools) {
        return new ClusterSpec(team, kubernetesVersion, labels, timeToLiveSeconds, pools, engineOptions, addons);
    }

    /** The spec as the inventory stores it: addons live in their installations, not in the cluster's spec. */
    public ClusterSpec withoutAddons() {
        return new ClusterSpec(team, kubernetesVersion, labels, timeToLiveSeconds, nodePools, engineOptions, null);
    }
}
