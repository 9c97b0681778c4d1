package dev.kubeyard.nodepool.control;

import dev.kubeyard.inventory.kube.ClusterClients;
import dev.kubeyard.nodepool.healing.HealingAction.HoldBack;
import dev.kubeyard.nodepool.healing.HealingAction.RaiseAlert;
import dev.kubeyard.nodepool.healing.HealingAction.ReplaceNode;
import dev.kubeyard.nodepool.healing.HealingPlan;
import dev.kubeyard.nodepool.healing.ObservedCluster;
import dev.kubeyard.nodepool.observe.HealingObserver.ClusterTarget;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Healing's decisions as Kubernetes Events in the cluster itself, where {@code kubectl get events} and every
 * dashboard look: a replacement requested or refused (on the node), a node held back (on the node), an alert (in
 * {@code default}, on the node when there is one). A repeated decision bumps the count of its event rather than
 * making a new one, as the kubelet's events do. Writing an event may fail (the cluster's API is down): healing goes on.
 */
@ApplicationScoped
public class ClusterEvents implements HealingListener {

    private static final Logger LOG = Logger.getLogger(ClusterEvents.class);

    static final String NAMESPACE = "default";
    static final String COMPONENT = "kubeyard-healing";

    @Inject
    ClusterClients clients;

    @Inject
    Clock clock;

    @Override
    public void evaluated(ClusterTarget target, ObservedCluster observed, HealingPlan plan) {
        if (!observed.apiReachable()) {
            return;
        }
        for (HoldBack hold : plan.holdBacks()) {
            if (hold.machine().isPresent()) {
                emit(target, node(observed, hold.machine().get()), "Warning", hold.reason(), hold.message());
            }
        }
        for (RaiseAlert alert : plan.alerts()) {
            emit(target, Optional.empty(), "Warning", alert.reason(), alert.message());
        }
    }

    @Override
    public void replacementRequested(
            ClusterTarget target,
            ReplaceNode replacement,
            Optional<java.time.Duration> detectedAfter,
            java.time.Duration requestedAfter) {
        emit(target, replacement.evidence().node(), "Warning", "ReplacingNode", replacement.message());
    }

    @Override
    public void replacementFailed(ClusterTarget target, ReplaceNode replacement, String failure) {
        emit(target, replacement.evidence().node(), "Warning", "ReplacementFailed", failure);
    }

    private static Optional<String> node(ObservedCluster observed, String machine) {
        return observed.pools().stream()
                .flatMap(p -> p.nodes().stream())
                .filter(n -> n.machine().equals(machine))
                .findFirst()
                .flatMap(n -> n.node());
    }

    void emit(ClusterTarget target, Optional<String> node, String type, String reason, String message) {
        String name = eventName(target.name(), node.orElse(""), reason);
        String now = clock.instant().toString();
        try {
            KubernetesClient api = clients.forCluster(target.managementId());
            var events = api.v1().events().inNamespace(NAMESPACE);
            Event existing = events.withName(name).get();
            if (existing != null) {
                existing.setCount(existing.getCount() == null ? 2 : existing.getCount() + 1);
                existing.setLastTimestamp(now);
                existing.setMessage(message);
                events.resource(existing).update();
                return;
            }
            events.resource(new EventBuilder()
                            .withNewMetadata()
                            .withName(name)
                            .withNamespace(NAMESPACE)
                            .endMetadata()
                            .withNewInvolvedObject()
                            .withKind(node.isPresent() ? "Node" : "Namespace")
                            .withName(node.orElse(NAMESPACE))
                            .withApiVersion("v1")
                            .endInvolvedObject()
                            .withType(type)
                            .withReason(reason)
                            .withMessage(message)
                            .withCount(1)
                            .withFirstTimestamp(now)
                            .withLastTimestamp(now)
                            .withNewSource()
                            .withComponent(COMPONENT)
                            .endSource()
                            .withReportingComponent(COMPONENT)
                            .build())
                    .create();
        } catch (KubernetesClientException e) {
            LOG.debugf("Could not write event %s to cluster %s: %s", reason, target.name(), e.getMessage());
        }
    }

    /** One event per node and reason, named as the kubelet names its own: object name, a dot, a stable suffix. */
    static String eventName(String cluster, String node, String reason) {
        String base = (node.isEmpty() ? "cluster" : node) + ".kubeyard-";
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((cluster + "/" + node + "/" + reason).getBytes(StandardCharsets.UTF_8));
            return (base + HexFormat.of().formatHex(hash, 0, 8)).toLowerCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
