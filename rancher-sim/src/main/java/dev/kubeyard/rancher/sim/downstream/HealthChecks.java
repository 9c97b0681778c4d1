package dev.kubeyard.rancher.sim.downstream;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * kube-apiserver's {@code /readyz}, {@code /livez} and {@code /healthz} (k8s.io/apiserver {@code healthz}): the plain
 * path answers {@code ok}; {@code ?verbose} (any value) lists one line per check and ends with {@code <name> check
 * passed}; a failing check always gives the list, {@code [-]<check> failed: reason withheld}, the last line
 * {@code <name> check failed} and status 500; {@code ?exclude=<check>} (repeatable) skips a check;
 * {@code /<name>/<check>} answers one check. The check lists approximate an RKE2 1.33 kube-apiserver. Pure.
 */
public final class HealthChecks {

    private static final List<String> POST_START_HOOKS = List.of(
            "poststarthook/start-apiserver-admission-initializer",
            "poststarthook/generic-apiserver-start-informers",
            "poststarthook/priority-and-fairness-config-consumer",
            "poststarthook/priority-and-fairness-filter",
            "poststarthook/storage-object-count-tracker-hook",
            "poststarthook/start-apiextensions-informers",
            "poststarthook/start-apiextensions-controllers",
            "poststarthook/crd-informer-synced",
            "poststarthook/start-system-namespaces-controller",
            "poststarthook/start-cluster-authentication-info-controller",
            "poststarthook/start-kube-apiserver-identity-lease-controller",
            "poststarthook/start-kube-apiserver-identity-lease-garbage-collector",
            "poststarthook/start-legacy-token-tracking-controller",
            "poststarthook/start-service-ip-repair-controllers",
            "poststarthook/rbac/bootstrap-roles",
            "poststarthook/scheduling/bootstrap-system-priority-classes",
            "poststarthook/priority-and-fairness-config-producer",
            "poststarthook/bootstrap-controller",
            "poststarthook/aggregator-reload-proxy-client-cert",
            "poststarthook/start-kube-aggregator-informers",
            "poststarthook/apiservice-status-local-available-controller",
            "poststarthook/apiservice-status-remote-available-controller",
            "poststarthook/apiservice-registration-controller",
            "poststarthook/apiservice-discovery-controller",
            "poststarthook/kube-apiserver-autoregistration",
            "autoregister-completion",
            "poststarthook/apiservice-openapi-controller",
            "poststarthook/apiservice-openapiv3-controller");

    /** The checks of {@code /livez} (and {@code /healthz}), in kube-apiserver's order. */
    public static final List<String> LIVEZ = concat(List.of("ping", "log", "etcd"), POST_START_HOOKS, List.of());

    /** The checks of {@code /readyz}, in kube-apiserver's order: all of {@link #LIVEZ} and a few more. */
    public static final List<String> READYZ = concat(
            List.of("ping", "log", "etcd", "etcd-readiness", "informer-sync"), POST_START_HOOKS, List.of("shutdown"));

    private HealthChecks() {}

    /** An answer: status and text/plain body. */
    record Answer(int status, String body) {}

    /** Whether {@code check} is a check of one of the endpoints. */
    public static boolean known(String check) {
        return READYZ.contains(check);
    }

    /** The checks of {@code readyz}, {@code livez} or {@code healthz}; null for another name. */
    static List<String> checks(String endpoint) {
        return switch (endpoint) {
            case "readyz" -> READYZ;
            case "livez", "healthz" -> LIVEZ;
            default -> null;
        };
    }

    /**
     * {@code /<endpoint>} with the given query parameter values.
     *
     * @param verbose whether the query has a {@code verbose} parameter
     * @param excluded the values of every {@code exclude} parameter
     */
    static Answer root(String endpoint, boolean verbose, List<String> excluded, ApiHealth health) {
        List<String> checks = checks(endpoint);
        Set<String> toExclude = new LinkedHashSet<>(excluded);
        StringBuilder lines = new StringBuilder();
        boolean failed = false;
        for (String check : checks) {
            if (toExclude.remove(check)) {
                lines.append("[+]").append(check).append(" excluded: ok\n");
            } else if (health.checkFails(check)) {
                lines.append("[-]").append(check).append(" failed: reason withheld\n");
                failed = true;
            } else {
                lines.append("[+]").append(check).append(" ok\n");
            }
        }
        if (!toExclude.isEmpty()) {
            lines.append("warn: some health checks cannot be excluded: no matches for ")
                    .append(toExclude.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(",")))
                    .append('\n');
        }
        if (failed) {
            return new Answer(500, lines + endpoint + " check failed\n");
        }
        return new Answer(200, verbose ? lines + endpoint + " check passed\n" : "ok");
    }

    /** {@code /<endpoint>/<check>}; null when the endpoint has no such check (kube-apiserver: 404). */
    static Answer single(String endpoint, String check, ApiHealth health) {
        List<String> checks = checks(endpoint);
        if (checks == null || !checks.contains(check)) {
            return null;
        }
        return health.checkFails(check)
                ? new Answer(500, "internal server error: " + check + " check failed\n")
                : new Answer(200, "ok");
    }

    private static List<String> concat(List<String> first, List<String> second, List<String> third) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        all.addAll(third);
        return List.copyOf(all);
    }
}
