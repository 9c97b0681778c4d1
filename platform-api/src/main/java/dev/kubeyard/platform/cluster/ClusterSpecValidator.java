package dev.kubeyard.platform.cluster;

import dev.kubeyard.platform.cluster.ClusterSpec.NodePoolSpec;
import dev.kubeyard.platform.cluster.ClusterSpec.NodeSpec;
import dev.kubeyard.platform.cluster.ClusterSpec.TaintSpec;
import dev.kubeyard.platform.config.PlatformConfig;
import dev.kubeyard.platform.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Says what is wrong with a cluster spec, field by field, before anything is stored or sent to Rancher. Pure: no I/O,
 * no clock, no framework, so every rule is tested from a table in milliseconds.
 *
 * <p>Every rule runs and every error comes back; an empty list means the spec is valid. Fields are named as JSON paths
 * relative to the request body ({@code team}, {@code nodePools[1].quantity}, {@code labels["bad key"]}), except
 * {@code name}, the cluster name from the path. Rules about the pools together (etcd quorum, a control plane, workers)
 * name {@code nodePools} and are checked only once every pool has valid roles and a valid quantity, so that one
 * missing quantity is not also reported as a missing control plane.
 */
public final class ClusterSpecValidator {

    /** Shortest time-to-live of a temporary cluster: less would delete it before it is provisioned. */
    public static final long MIN_TIME_TO_LIVE_SECONDS = 60;

    /** Longest DNS-1123 label: cluster, team and pool names, and the name part of a label key. */
    public static final int MAX_NAME_LENGTH = 63;

    private static final int MAX_LABEL_VALUE_LENGTH = 63;
    private static final int MAX_LABEL_PREFIX_LENGTH = 253;

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    private static final List<String> ROLES =
            List.of(ClusterSpec.ROLE_ETCD, ClusterSpec.ROLE_CONTROL_PLANE, ClusterSpec.ROLE_WORKER);
    private static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    private static final String DNS_LABEL_RULE =
            "lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters";
    private static final String LABEL_NAME_RULE =
            "letters, digits, '-', '_' and '.', starting and ending with a letter or digit";

    /**
     * What a spec may ask for, from {@code kubeyard.platform.clusters}. The constructor checks the values, so that a
     * bad configuration fails at start-up rather than on the first request.
     *
     * @param supportedVersions versions a cluster may be created with or upgraded to, each as {@link
     *     KubernetesVersion#parse(String)} reads it
     */
    public record Limits(
            List<String> supportedVersions,
            int minPoolQuantity,
            int maxPoolQuantity,
            int maxNodePools,
            long maxTimeToLiveSeconds) {

        public Limits {
            supportedVersions = List.copyOf(supportedVersions);
            if (supportedVersions.isEmpty()) {
                throw new IllegalArgumentException(
                        "kubeyard.platform.clusters.supported-versions must list at least one version");
            }
            for (String version : supportedVersions) {
                try {
                    KubernetesVersion.parse(version);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "kubeyard.platform.clusters.supported-versions: " + e.getMessage(), e);
                }
            }
            if (minPoolQuantity < 0 || maxPoolQuantity < Math.max(1, minPoolQuantity)) {
                throw new IllegalArgumentException("kubeyard.platform.clusters.min-pool-quantity (" + minPoolQuantity
                        + ") must be 0 or more and max-pool-quantity (" + maxPoolQuantity
                        + ") at least 1 and at least min-pool-quantity");
            }
            if (maxNodePools < 1) {
                throw new IllegalArgumentException(
                        "kubeyard.platform.clusters.max-node-pools must be 1 or more, was " + maxNodePools);
            }
            if (maxTimeToLiveSeconds < MIN_TIME_TO_LIVE_SECONDS) {
                throw new IllegalArgumentException("kubeyard.platform.clusters.max-time-to-live-seconds must be "
                        + MIN_TIME_TO_LIVE_SECONDS + " or more, was " + maxTimeToLiveSeconds);
            }
        }

        public static Limits of(PlatformConfig.Clusters config) {
            return new Limits(
                    config.supportedVersions(),
                    config.minPoolQuantity(),
                    config.maxPoolQuantity(),
                    config.maxNodePools(),
                    config.maxTimeToLiveSeconds());
        }
    }

    private final Limits limits;

    public ClusterSpecValidator(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Every error of a spec at once; empty when it is valid.
     *
     * @param clusterName the cluster name from the request path, reported as {@code name}
     * @param spec the request body (the resource answers a missing body itself)
     * @param current the stored spec when this is an update of an existing cluster, else empty
     */
    public List<FieldError> validate(String clusterName, ClusterSpec spec, Optional<ClusterSpec> current) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(current, "current");
        List<FieldError> errors = new ArrayList<>();
        checkDnsLabel(errors, "name", clusterName);
        checkDnsLabel(errors, "team", spec.team());
        if (current.isPresent()) {
            checkUpgrade(errors, current.get().kubernetesVersion(), spec.kubernetesVersion());
        } else {
            checkSupportedVersion(errors, spec.kubernetesVersion());
        }
        checkLabels(errors, "labels", spec.labels());
        checkTimeToLive(errors, spec.timeToLiveSeconds());
        checkNodePools(errors, spec.nodePools(), current.map(ClusterSpec::nodePools));
        checkKeysNotBlank(errors, "engineOptions", spec.engineOptions(), "engine option names must not be blank");
        return List.copyOf(errors);
    }

    /**
     * Whether a cluster on {@code currentVersion} may move to {@code targetVersion}, reported as {@code
     * kubernetesVersion}: staying is always allowed (even on a version since dropped from the supported list, so that
     * such a cluster can still be scaled); otherwise the target must be supported and be a patch upgrade or an upgrade
     * by exactly one minor version.
     *
     * @param currentVersion the stored version; null when there is none to compare with
     */
    public List<FieldError> validateUpgrade(String currentVersion, String targetVersion) {
        List<FieldError> errors = new ArrayList<>();
        checkUpgrade(errors, currentVersion, targetVersion);
        return List.copyOf(errors);
    }

    private void checkUpgrade(List<FieldError> errors, String currentVersion, String targetVersion) {
        if (targetVersion != null && targetVersion.equals(currentVersion)) {
            return;
        }
        if (!checkSupportedVersion(errors, targetVersion) || currentVersion == null || currentVersion.isBlank()) {
            return;
        }
        String field = "kubernetesVersion";
        Optional<KubernetesVersion> from = KubernetesVersion.tryParse(currentVersion);
        if (from.isEmpty()) {
            errors.add(new FieldError(
                    field,
                    "the current version \"" + currentVersion + "\" cannot be read, so an upgrade to " + targetVersion
                            + " cannot be checked; ask the platform team to repair the cluster's stored version"));
            return;
        }
        KubernetesVersion current = from.get();
        KubernetesVersion target = KubernetesVersion.parse(targetVersion); // every supported version parses
        if (target.isOlderThan(current)) {
            errors.add(new FieldError(
                    field,
                    "downgrades are not supported: " + target + " is older than the cluster's current version "
                            + current));
        } else if (target.major() != current.major()) {
            errors.add(new FieldError(
                    field,
                    "upgrades across major versions are not supported: the cluster runs " + current + ", asked for "
                            + target));
        } else if (target.minorsAfter(current) > 1) {
            String lastSkipped = "v" + target.major() + "." + (target.minor() - 1);
            String skipped =
                    target.minorsAfter(current) == 2 ? lastSkipped : current.nextMinorLine() + " to " + lastSkipped;
            errors.add(new FieldError(
                    field,
                    current + " to " + target + " skips " + skipped
                            + "; upgrade one minor version at a time: " + current.minorLine() + " -> "
                            + current.nextMinorLine() + " first"));
        }
    }

    /** Adds an error unless the version is one of the supported ones; says whether it is. */
    private boolean checkSupportedVersion(List<FieldError> errors, String version) {
        String supported = String.join(", ", limits.supportedVersions());
        if (version == null || version.isBlank()) {
            errors.add(new FieldError("kubernetesVersion", "is required; supported versions: " + supported));
            return false;
        }
        if (!limits.supportedVersions().contains(version)) {
            errors.add(new FieldError(
                    "kubernetesVersion", "\"" + version + "\" is not a supported version; choose one of " + supported));
            return false;
        }
        return true;
    }

    private void checkTimeToLive(List<FieldError> errors, Long seconds) {
        if (seconds != null && (seconds < MIN_TIME_TO_LIVE_SECONDS || seconds > limits.maxTimeToLiveSeconds())) {
            errors.add(new FieldError(
                    "timeToLiveSeconds",
                    "must be from " + MIN_TIME_TO_LIVE_SECONDS + " to " + limits.maxTimeToLiveSeconds()
                            + " seconds, or left out for a cluster that does not expire; was " + seconds));
        }
    }

    private void checkNodePools(
            List<FieldError> errors, List<NodePoolSpec> pools, Optional<List<NodePoolSpec>> currentPools) {
        if (pools == null || pools.isEmpty()) {
            errors.add(new FieldError(
                    "nodePools",
                    "needs 1 to " + limits.maxNodePools()
                            + " node pools which together have the etcd, controlplane and worker roles"));
            return;
        }
        if (pools.size() > limits.maxNodePools()) {
            errors.add(new FieldError(
                    "nodePools",
                    "has " + pools.size() + " node pools, at most " + limits.maxNodePools() + " are allowed"));
        }
        Map<String, NodePoolSpec> currentByName = new HashMap<>();
        currentPools.ifPresent(list -> {
            if (list != null) {
                list.stream()
                        .filter(Objects::nonNull)
                        .filter(p -> p.name() != null)
                        .forEach(p -> currentByName.putIfAbsent(p.name(), p));
            }
        });
        Map<String, Integer> indexByName = new HashMap<>();
        boolean countable = true;
        for (int i = 0; i < pools.size(); i++) {
            String path = "nodePools[" + i + "]";
            NodePoolSpec pool = pools.get(i);
            if (pool == null) {
                errors.add(new FieldError(path, "must be a node pool, not null"));
                countable = false;
                continue;
            }
            boolean nameValid = checkDnsLabel(errors, path + ".name", pool.name());
            if (nameValid) {
                Integer first = indexByName.putIfAbsent(pool.name(), i);
                if (first != null) {
                    errors.add(new FieldError(
                            path + ".name",
                            "pool name \"" + pool.name() + "\" is already used by nodePools[" + first
                                    + "]; pool names must be unique in a cluster"));
                }
            }
            boolean rolesValid = checkRoles(errors, path + ".roles", pool.roles());
            boolean quantityValid = checkQuantity(errors, path + ".quantity", pool.quantity());
            checkNodeSpec(errors, path + ".nodeSpec", pool.nodeSpec());
            checkLabels(errors, path + ".labels", pool.labels());
            checkTaints(errors, path + ".taints", pool.taints());
            checkHealing(errors, path + ".healing", pool.healing());
            NodePoolSpec existing = nameValid ? currentByName.get(pool.name()) : null;
            if (rolesValid && existing != null && existing.roles() != null) {
                if (!new HashSet<>(existing.roles()).equals(new HashSet<>(pool.roles()))) {
                    errors.add(new FieldError(
                            path + ".roles",
                            "roles of an existing pool cannot change; add a new pool instead (pool \"" + pool.name()
                                    + "\" has " + existing.roles() + ", asked for " + pool.roles() + ")"));
                }
            }
            countable &= rolesValid && quantityValid;
        }
        if (countable) {
            checkRoleCounts(errors, pools);
        }
    }

    private static void checkRoleCounts(List<FieldError> errors, List<NodePoolSpec> pools) {
        long etcd = nodesWithRole(pools, ClusterSpec.ROLE_ETCD);
        long controlPlane = nodesWithRole(pools, ClusterSpec.ROLE_CONTROL_PLANE);
        long workers = nodesWithRole(pools, ClusterSpec.ROLE_WORKER);
        if (etcd % 2 == 0) {
            errors.add(new FieldError(
                    "nodePools",
                    "an odd number of etcd nodes (1, 3, 5) is needed for quorum, found " + etcd
                            + " in the pools with the etcd role"));
        }
        if (controlPlane == 0) {
            errors.add(new FieldError(
                    "nodePools",
                    "at least one control-plane node is needed, found 0: give a pool the controlplane role and a"
                            + " quantity of 1 or more"));
        }
        if (workers == 0) {
            errors.add(new FieldError(
                    "nodePools",
                    "at least one node with the worker role is needed to run workloads, found 0: give a pool the"
                            + " worker role and a quantity of 1 or more"));
        }
    }

    private static long nodesWithRole(List<NodePoolSpec> pools, String role) {
        return pools.stream()
                .filter(p -> p.hasRole(role))
                .mapToLong(NodePoolSpec::quantityOrZero)
                .sum();
    }

    /** Adds errors for missing, unknown or repeated roles; says whether the roles are valid. */
    private static boolean checkRoles(List<FieldError> errors, String field, List<String> roles) {
        if (roles == null || roles.isEmpty()) {
            errors.add(new FieldError(field, "needs at least one role: " + String.join(", ", ROLES)));
            return false;
        }
        boolean valid = true;
        Map<String, Integer> seen = new HashMap<>();
        for (int j = 0; j < roles.size(); j++) {
            String role = roles.get(j);
            String element = field + "[" + j + "]";
            if (role == null || !ROLES.contains(role)) {
                errors.add(new FieldError(
                        element, "must be one of " + String.join(", ", ROLES) + ", was " + quoted(role)));
                valid = false;
            } else {
                Integer first = seen.putIfAbsent(role, j);
                if (first != null) {
                    errors.add(new FieldError(
                            element,
                            "role \"" + role + "\" is already listed at roles[" + first + "]; list each role once"));
                    valid = false;
                }
            }
        }
        return valid;
    }

    /** Adds an error unless the quantity is present and in range; says whether it is. */
    private boolean checkQuantity(List<FieldError> errors, String field, Integer quantity) {
        String range = "from " + limits.minPoolQuantity() + " to " + limits.maxPoolQuantity();
        if (quantity == null) {
            errors.add(new FieldError(field, "is required: the number of nodes, " + range));
            return false;
        }
        if (quantity < limits.minPoolQuantity() || quantity > limits.maxPoolQuantity()) {
            errors.add(new FieldError(field, "must be " + range + ", was " + quantity));
            return false;
        }
        return true;
    }

    private static void checkNodeSpec(List<FieldError> errors, String field, NodeSpec nodeSpec) {
        if (nodeSpec == null) {
            errors.add(new FieldError(field, "is required: the image, flavor and network of the pool's machines"));
            return;
        }
        checkNotBlank(errors, field + ".image", nodeSpec.image(), "the machine image, for example ubuntu-24.04");
        checkNotBlank(errors, field + ".flavor", nodeSpec.flavor(), "the machine flavor, for example m1.large");
        checkNotBlank(
                errors, field + ".network", nodeSpec.network(), "the network the machines join, for example private");
        checkKeysNotBlank(errors, field + ".settings", nodeSpec.settings(), "setting names must not be blank");
    }

    private static void checkNotBlank(List<FieldError> errors, String field, String value, String what) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldError(field, "is required: " + what));
        }
    }

    private static void checkKeysNotBlank(List<FieldError> errors, String field, Map<String, ?> map, String detail) {
        for (String key : sortedKeys(map)) {
            if (key == null || key.isBlank()) {
                errors.add(new FieldError(keyed(field, key), detail));
            }
        }
    }

    private static void checkLabels(List<FieldError> errors, String field, Map<String, String> labels) {
        for (String key : sortedKeys(labels)) {
            String path = keyed(field, key);
            labelKeyProblem(key)
                    .ifPresent(problem ->
                            errors.add(new FieldError(path, quoted(key) + " is not a valid label key: " + problem)));
            String value = labels.get(key);
            if (value == null) {
                errors.add(new FieldError(path, "the label value must be a string; use \"\" for an empty value"));
            } else {
                labelValueProblem(value)
                        .ifPresent(problem -> errors.add(new FieldError(path, "the label value " + problem)));
            }
        }
    }

    /** Longest healing timeout a pool may set: a week. */
    static final int MAX_HEALING_TIMEOUT_SECONDS = 7 * 24 * 3600;

    private static void checkHealing(List<FieldError> errors, String field, ClusterSpec.HealingSpec healing) {
        if (healing == null) {
            return;
        }
        checkRange(
                errors,
                field + ".notReadyTimeoutSeconds",
                healing.notReadyTimeoutSeconds(),
                1,
                MAX_HEALING_TIMEOUT_SECONDS);
        checkRange(
                errors,
                field + ".provisioningTimeoutSeconds",
                healing.provisioningTimeoutSeconds(),
                1,
                MAX_HEALING_TIMEOUT_SECONDS);
        checkRange(
                errors,
                field + ".deletionTimeoutSeconds",
                healing.deletionTimeoutSeconds(),
                1,
                MAX_HEALING_TIMEOUT_SECONDS);
        checkRange(errors, field + ".maxUnhealthyPercent", healing.maxUnhealthyPercent(), 0, 100);
        checkRange(errors, field + ".maxConcurrent", healing.maxConcurrent(), 0, 100);
        checkRange(errors, field + ".maxPerHour", healing.maxPerHour(), 0, 1000);
    }

    private static void checkRange(List<FieldError> errors, String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            errors.add(new FieldError(field, "must be from " + min + " to " + max + ", was " + value));
        }
    }

    private static void checkTaints(List<FieldError> errors, String field, List<TaintSpec> taints) {
        Map<String, Integer> seen = new HashMap<>();
        for (int j = 0; j < taints.size(); j++) {
            String path = field + "[" + j + "]";
            TaintSpec taint = taints.get(j);
            if (taint == null) {
                errors.add(new FieldError(path, "must be a taint with a key and an effect, not null"));
                continue;
            }
            Optional<String> keyProblem = labelKeyProblem(taint.key());
            keyProblem.ifPresent(problem -> errors.add(new FieldError(
                    path + ".key",
                    taint.key() == null
                            ? "is required: a key in label-key syntax, for example dedicated"
                            : quoted(taint.key()) + " is not a valid taint key: " + problem)));
            if (taint.value() != null) {
                labelValueProblem(taint.value())
                        .ifPresent(
                                problem -> errors.add(new FieldError(path + ".value", "the taint value " + problem)));
            }
            boolean effectValid = taint.effect() != null && TAINT_EFFECTS.contains(taint.effect());
            if (!effectValid) {
                errors.add(new FieldError(
                        path + ".effect",
                        "must be one of " + String.join(", ", TAINT_EFFECTS) + ", was " + quoted(taint.effect())));
            }
            if (keyProblem.isEmpty() && effectValid) {
                // Kubernetes rejects a node with two taints of the same key and effect.
                Integer first = seen.putIfAbsent(taint.key() + "\n" + taint.effect(), j);
                if (first != null) {
                    errors.add(new FieldError(
                            path,
                            "repeats the key \"" + taint.key() + "\" and effect " + taint.effect() + " of taints["
                                    + first + "]; a node takes one taint per key and effect"));
                }
            }
        }
    }

    /** Adds an error unless the value is a DNS-1123 label; says whether it is. */
    private static boolean checkDnsLabel(List<FieldError> errors, String field, String value) {
        if (value == null || value.isEmpty()) {
            errors.add(new FieldError(field, "is required: a DNS-1123 label (" + DNS_LABEL_RULE + ")"));
            return false;
        }
        if (value.length() > MAX_NAME_LENGTH) {
            errors.add(
                    new FieldError(field, "must be at most " + MAX_NAME_LENGTH + " characters, was " + value.length()));
            return false;
        }
        if (!DNS_LABEL.matcher(value).matches()) {
            errors.add(
                    new FieldError(field, "must be a DNS-1123 label (" + DNS_LABEL_RULE + "), was " + quoted(value)));
            return false;
        }
        return true;
    }

    /** What is wrong with a Kubernetes label key ({@code [prefix/]name}), if anything. */
    static Optional<String> labelKeyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("a key must not be empty");
        }
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > MAX_LABEL_PREFIX_LENGTH) {
                return Optional.of("the prefix before '/' must be 1 to " + MAX_LABEL_PREFIX_LENGTH + " characters, was "
                        + prefix.length());
            }
            if (!DNS_SUBDOMAIN.matcher(prefix).matches()) {
                return Optional.of("the prefix before '/' must be a DNS subdomain (lower-case letters, digits, '-'"
                        + " and '.', like example.com), was " + quoted(prefix));
            }
        }
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return Optional.of("the name must be 1 to " + MAX_NAME_LENGTH + " characters, was " + name.length());
        }
        if (!LABEL_NAME.matcher(name).matches()) {
            return Optional.of("the name " + quoted(name) + " may hold only " + LABEL_NAME_RULE
                    + ", after an optional DNS-subdomain prefix and '/'");
        }
        return Optional.empty();
    }

    /** What is wrong with a Kubernetes label value (empty is valid), if anything; phrased to follow "the value". */
    static Optional<String> labelValueProblem(String value) {
        if (value.length() > MAX_LABEL_VALUE_LENGTH) {
            return Optional.of("must be at most " + MAX_LABEL_VALUE_LENGTH + " characters, was " + value.length());
        }
        if (!value.isEmpty() && !LABEL_NAME.matcher(value).matches()) {
            return Optional.of(quoted(value) + " may hold only " + LABEL_NAME_RULE + ", or be empty");
        }
        return Optional.empty();
    }

    /** {@code labels["key"]}: the JSON path of a map entry, the key escaped as a JSON string. */
    static String keyed(String field, String key) {
        return field + "[" + quoted(key) + "]";
    }

    private static String quoted(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static List<String> sortedKeys(Map<String, ?> map) {
        if (map == null) {
            return List.of();
        }
        List<String> keys = new ArrayList<>(map.keySet());
        keys.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
        return keys;
    }
}
