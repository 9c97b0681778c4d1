package dev.kubeyard.health.alert;

import static dev.kubeyard.health.check.CheckId.API_REACHABLE;
import static dev.kubeyard.health.check.CheckId.API_READY;
import static dev.kubeyard.health.check.CheckId.API_SERVER;
import static dev.kubeyard.health.check.CheckId.CERTIFICATES;
import static dev.kubeyard.health.check.CheckId.CLUSTER_CONDITIONS;
import static dev.kubeyard.health.check.CheckId.COMPONENTS;
import static dev.kubeyard.health.check.CheckId.ETCD;
import static dev.kubeyard.health.check.CheckId.NODE_AGENTS;
import static dev.kubeyard.health.check.CheckId.NODE_CONDITIONS;
import static dev.kubeyard.health.check.CheckId.NODE_RESOURCES;
import static dev.kubeyard.health.check.CheckId.PROVISIONING;
import static dev.kubeyard.health.check.CheckId.RANCHER_AGENT;

import dev.kubeyard.health.check.CheckStatus;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The alert rules Kubeyard ships with, and their changes by configuration. */
public final class AlertRules {

    public static final String CLUSTER_UNREACHABLE = "ClusterUnreachable";
    public static final String CLUSTER_PROVISIONING_TOO_LONG = "ClusterProvisioningTooLong";
    public static final String NODE_PROVISIONING_TOO_LONG = "NodeProvisioningTooLong";
    public static final String COMPONENT_UNHEALTHY = "ComponentUnhealthy";
    public static final String NODE_CONDITION_UNHEALTHY = "NodeConditionUnhealthy";
    public static final String CLUSTER_CONDITION_UNHEALTHY = "ClusterConditionUnhealthy";
    public static final String CERTIFICATE_EXPIRING_SOON = "CertificateExpiringSoon";
    public static final String NODE_RESOURCES_HIGH = "NodeResourcesHigh";
    public static final String API_SERVER_DEGRADED = "ApiServerDegraded";

    private AlertRules() {}

    /** The rules with their default durations (README.md has the table). */
    public static List<AlertRule> defaults() {
        return List.of(
                rule(
                        CLUSTER_UNREACHABLE,
                        Severity.CRITICAL,
                        Set.of(API_REACHABLE),
                        false,
                        "",
                        CheckStatus.FAIL,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(30),
                        "The cluster's API does not answer"),
                rule(
                        CLUSTER_PROVISIONING_TOO_LONG,
                        Severity.WARNING,
                        Set.of(PROVISIONING),
                        true,
                        "cluster",
                        CheckStatus.FAIL,
                        Duration.ZERO,
                        Duration.ZERO,
                        "The cluster's provisioning takes too long"),
                rule(
                        NODE_PROVISIONING_TOO_LONG,
                        Severity.WARNING,
                        Set.of(PROVISIONING),
                        true,
                        "machine/",
                        CheckStatus.FAIL,
                        Duration.ZERO,
                        Duration.ZERO,
                        "A machine failed or takes too long to provision"),
                rule(
                        COMPONENT_UNHEALTHY,
                        Severity.CRITICAL,
                        Set.of(COMPONENTS, API_READY, ETCD),
                        true,
                        "",
                        CheckStatus.FAIL,
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(1),
                        "A control-plane component is unhealthy"),
                rule(
                        NODE_CONDITION_UNHEALTHY,
                        Severity.WARNING,
                        Set.of(NODE_CONDITIONS, NODE_AGENTS),
                        true,
                        "node/",
                        CheckStatus.FAIL,
                        Duration.ofMinutes(2),
                        Duration.ofMinutes(1),
                        "A node is unhealthy"),
                rule(
                        CLUSTER_CONDITION_UNHEALTHY,
                        Severity.WARNING,
                        Set.of(CLUSTER_CONDITIONS, RANCHER_AGENT),
                        true,
                        "condition/",
                        CheckStatus.FAIL,
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(1),
                        "Rancher reports the cluster unhealthy"),
                rule(
                        CERTIFICATE_EXPIRING_SOON,
                        Severity.WARNING,
                        Set.of(CERTIFICATES),
                        true,
                        "machine/",
                        CheckStatus.WARN,
                        Duration.ZERO,
                        Duration.ZERO,
                        "The cluster's certificates expire soon"),
                rule(
                        NODE_RESOURCES_HIGH,
                        Severity.WARNING,
                        Set.of(NODE_RESOURCES),
                        true,
                        "node/",
                        CheckStatus.FAIL,
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(5),
                        "A node runs out of CPU or memory"),
                rule(
                        API_SERVER_DEGRADED,
                        Severity.WARNING,
                        Set.of(API_SERVER),
                        true,
                        "apiserver/",
                        CheckStatus.FAIL,
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(5),
                        "The API server answers with errors or slowly"));
    }

    private static AlertRule rule(
            String name,
            Severity severity,
            Set<dev.kubeyard.health.check.CheckId> checks,
            boolean perFinding,
            String prefix,
            CheckStatus from,
            Duration forDuration,
            Duration keep,
            String summary) {
        return new AlertRule(name, severity, checks, perFinding, prefix, from, forDuration, keep, true, summary);
    }

    /** A configured change of one rule; empty fields keep the default. */
    public record Change(
            Optional<Duration> forDuration,
            Optional<Duration> keepFiringFor,
            Optional<String> severity,
            Optional<Boolean> enabled) {}

    /**
     * The default rules with the configured changes.
     *
     * @throws IllegalArgumentException naming an unknown rule or severity
     */
    public static List<AlertRule> configured(Map<String, Change> changes) {
        Map<String, AlertRule> rules = new LinkedHashMap<>();
        defaults().forEach(r -> rules.put(r.name(), r));
        for (Map.Entry<String, Change> e : changes.entrySet()) {
            AlertRule rule = rules.get(e.getKey());
            if (rule == null) {
                throw new IllegalArgumentException("kubeyard.health.rules: unknown rule '" + e.getKey() + "' (known: "
                        + String.join(", ", rules.keySet()) + ")");
            }
            Change c = e.getValue();
            rules.put(
                    rule.name(),
                    rule.with(
                            c.forDuration().orElse(rule.forDuration()),
                            c.keepFiringFor().orElse(rule.keepFiringFor()),
                            c.severity().map(Severity::fromWireName).orElse(rule.severity()),
                            c.enabled().orElse(rule.enabled())));
        }
        return List.copyOf(rules.values());
    }
}
