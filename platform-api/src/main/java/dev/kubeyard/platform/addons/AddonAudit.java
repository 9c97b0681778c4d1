package dev.kubeyard.platform.addons;

import dev.kubeyard.addons.control.AddonPassEvent;
import dev.kubeyard.platform.audit.AuditLog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records the addon controllers' destructive acts in the audit trail: objects pruned because a new version dropped
 * them, and addons removed. Creations and repairs are in each installation's status, not here.
 */
@ApplicationScoped
public class AddonAudit {

    private static final Logger LOG = Logger.getLogger(AddonAudit.class);

    @Inject
    AuditLog audit;

    void onPass(@Observes AddonPassEvent event) {
        List<String> destructive = event.actions().stream()
                .filter(a -> a.startsWith("pruned ") || a.startsWith("deleted "))
                .toList();
        if (destructive.isEmpty() && !event.removed()) {
            return;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("addon", event.addon());
        details.put("version", event.version());
        details.put("objects", destructive);
        try {
            QuarkusTransaction.requiringNew()
                    .run(() -> audit.record(
                            AuditLog.SYSTEM_ACTOR,
                            event.removed() ? "addon.removed" : "addon.prune",
                            "cluster",
                            event.cluster(),
                            AuditLog.REASON_ADDON_CONTROLLER,
                            "addon-controller-" + UUID.randomUUID(),
                            details));
        } catch (RuntimeException e) {
            // The cluster was changed either way: a lost audit line must not undo or repeat the pass.
            LOG.warnf(
                    "Could not record the addon controller's %s of %s in %s: %s",
                    event.removed() ? "removal" : "prune", event.addon(), event.cluster(), e.toString());
        }
    }
}
