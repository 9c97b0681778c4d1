package dev.kubeyard.platform.healing;

import dev.kubeyard.inventory.audit.AuditEvent;
import dev.kubeyard.nodepool.control.HealingListener;
import dev.kubeyard.nodepool.healing.HealingAction.RaiseAlert;
import dev.kubeyard.nodepool.healing.HealingAction.ReplaceNode;
import dev.kubeyard.nodepool.healing.HealingPlan;
import dev.kubeyard.nodepool.healing.ObservedCluster;
import dev.kubeyard.nodepool.healing.ReplacementSettler.Settlement;
import dev.kubeyard.nodepool.observe.HealingObserver.ClusterTarget;
import dev.kubeyard.platform.audit.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Healing in the audit trail and the log: every replacement it asked for (with the decision's reason and numbers),
 * every one Rancher refused or that failed later; an alert is logged at WARN when it is raised, not again while it
 * stays raised (this replica's memory; the decision records and metrics keep every evaluation).
 */
@ApplicationScoped
public class HealingAudit implements HealingListener {

    private static final Logger LOG = Logger.getLogger(HealingAudit.class);

    static final String CORRELATION = "node-healing";

    @Inject
    AuditLog audit;

    private final Map<String, Set<String>> raised = new ConcurrentHashMap<>();

    @Override
    public void evaluated(ClusterTarget target, ObservedCluster observed, HealingPlan plan) {
        Set<String> now = plan.alerts().stream()
                .map(a -> a.pool().orElse("") + "/" + a.reason())
                .collect(Collectors.toSet());
        Set<String> before = raised.getOrDefault(target.name(), Set.of());
        for (RaiseAlert alert : plan.alerts()) {
            if (!before.contains(alert.pool().orElse("") + "/" + alert.reason())) {
                LOG.warnf("Healing alert %s on cluster %s: %s", alert.reason(), alert.cluster(), alert.message());
            }
        }
        if (now.isEmpty()) {
            raised.remove(target.name());
        } else {
            raised.put(target.name(), Set.copyOf(now));
        }
    }

    @Override
    public void replacementRequested(
            ClusterTarget target, ReplaceNode replacement, Optional<Duration> detectedAfter, Duration requestedAfter) {
        LOG.infof("%s", replacement.message());
        Map<String, Object> details = details(replacement);
        details.put("secondsSinceFailure", requestedAfter.toSeconds());
        record("healing.replaceNode", replacement.cluster(), details, AuditEvent.SUCCESS);
    }

    @Override
    public void replacementFailed(ClusterTarget target, ReplaceNode replacement, String failure) {
        LOG.warnf("%s", failure);
        Map<String, Object> details = details(replacement);
        details.put("error", failure);
        record("healing.replaceNode", replacement.cluster(), details, AuditEvent.FAILED);
    }

    @Override
    public void settled(String cluster, Settlement settlement, Duration took) {
        if (settlement.succeeded()) {
            LOG.infof("%s", settlement.message());
            return;
        }
        LOG.warnf(
                "Replacement of machine %s in cluster %s failed: %s",
                settlement.machine(), cluster, settlement.message());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pool", settlement.pool());
        details.put("machine", settlement.machine());
        details.put("error", settlement.message());
        record("healing.replacementFailed", cluster, details, AuditEvent.FAILED);
    }

    private void record(String action, String cluster, Map<String, Object> details, String outcome) {
        audit.recordNow(
                AuditLog.SYSTEM_ACTOR,
                action,
                "cluster",
                cluster,
                AuditLog.REASON_NODE_HEALING,
                CORRELATION,
                details,
                outcome,
                null);
    }

    private static Map<String, Object> details(ReplaceNode replacement) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("pool", replacement.pool());
        details.put("machine", replacement.machine());
        replacement.evidence().node().ifPresent(n -> details.put("node", n));
        details.put("reason", replacement.reason());
        details.put("message", replacement.message());
        return details;
    }
}
