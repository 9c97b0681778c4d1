package dev.kubeyard.addons.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.addons.catalog.AddonVersion;
import dev.kubeyard.addons.catalog.Catalog;
import dev.kubeyard.addons.catalog.HealthCheck;
import dev.kubeyard.addons.plan.DesiredObject;
import dev.kubeyard.addons.plan.InstallationStatus;
import dev.kubeyard.addons.plan.ManagedLabels;
import dev.kubeyard.addons.plan.ObjectKey;
import dev.kubeyard.addons.plan.ObjectPlan;
import dev.kubeyard.addons.plan.ObjectPlanner;
import dev.kubeyard.addons.plan.ObjectRef;
import dev.kubeyard.addons.plan.Pass;
import dev.kubeyard.addons.plan.WorkloadHealth;
import dev.kubeyard.addons.render.AddonRenderer;
import dev.kubeyard.addons.render.InvalidValuesException;
import dev.kubeyard.addons.render.RenderException;
import dev.kubeyard.addons.render.RenderedAddon;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One pass of an installation in one cluster: render, observe what the addon's label finds, plan, apply and prune,
 * then check health. Level-triggered: it works from what it finds, never from what it did last time, so a pass after
 * a crash finishes the job. Plain Java over fabric8 (the benchmark drives it without Quarkus).
 */
public final class InstallationReconciler {

    private final Catalog catalog;
    private final AddonRenderer renderer;

    public InstallationReconciler(Catalog catalog, AddonRenderer renderer) {
        this.catalog = catalog;
        this.renderer = renderer;
    }

    /**
     * @param remember called with every object the pass is about to apply, together with those applied before, before
     *     the first write: whoever keeps the status records it, so that a crash in the middle never loses track of an
     *     object to prune later
     */
    public Pass reconcile(
            ClusterObjects cluster,
            String kubernetesVersion,
            Installation installation,
            InstallationStatus previous,
            Consumer<List<ObjectRef>> remember) {
        long generation = installation.generation();
        Optional<AddonVersion> found = catalog.version(installation.addon(), installation.version());
        if (found.isEmpty()) {
            return Pass.failed(
                    generation,
                    installation.version(),
                    Pass.Outcome.UNKNOWN_VERSION,
                    installation.addon() + " " + installation.version() + " is not in the catalog");
        }
        AddonVersion version = found.get();
        if (!version.supports(kubernetesVersion)) {
            return Pass.failed(
                    generation,
                    version.version(),
                    Pass.Outcome.UNSUPPORTED_KUBERNETES,
                    version.ref() + " supports Kubernetes " + version.kubernetesVersions() + ", the cluster runs "
                            + kubernetesVersion);
        }
        RenderedAddon rendered;
        try {
            rendered = renderer.render(version, installation.namespace(), kubernetesVersion, installation.values());
        } catch (InvalidValuesException e) {
            return Pass.failed(generation, version.version(), Pass.Outcome.INVALID_VALUES, e.getMessage());
        } catch (RenderException e) {
            return Pass.failed(generation, version.version(), Pass.Outcome.RENDER_FAILED, e.getMessage());
        }
        List<String> actions = new ArrayList<>();
        String step = "reading the cluster";
        // What the status must keep track of if a write fails after the objects were recorded.
        List<ObjectRef> tracked = previous.objects();
        try {
            List<DesiredObject> desired = new ArrayList<>();
            for (ObjectNode object : rendered.objects()) {
                boolean namespaced = cluster.namespaced(
                        object.path("apiVersion").asText(), object.path("kind").asText());
                desired.add(DesiredObject.of(ManagedLabels.decorate(
                        object,
                        installation.addon(),
                        version.version(),
                        rendered.digest(),
                        namespaced ? installation.namespace() : null)));
            }
            List<ObjectRef> desiredRefs = desired.stream().map(ObjectRef::of).toList();
            Set<ObjectRef> kinds = new LinkedHashSet<>(desiredRefs);
            kinds.addAll(previous.objects());
            Map<ObjectKey, ObjectNode> live = cluster.listManaged(installation.addon(), kinds);
            Set<ObjectKey> before = new java.util.HashSet<>();
            previous.objects().forEach(r -> before.add(r.key()));
            ObjectPlan plan = ObjectPlanner.plan(desired, live, before);
            if (!before.containsAll(desiredRefs.stream().map(ObjectRef::key).toList())) {
                Set<ObjectRef> union = new LinkedHashSet<>(previous.objects());
                union.addAll(desiredRefs);
                tracked = List.copyOf(union);
                remember.accept(tracked);
            }
            for (ObjectPlan.Missing m : plan.create()) {
                step = "applying " + m.object().key();
                // Missing under this addon's label: another addon's object of the same name is not taken over (nor,
                // later, pruned with this addon). One without any addon's label (made by hand) is adopted.
                DesiredObject d = m.object();
                Optional<String> owner = cluster.get(
                                d.apiVersion(),
                                d.key().kind(),
                                d.key().namespace(),
                                d.key().name())
                        .map(o -> o.path("metadata")
                                .path("labels")
                                .path(ManagedLabels.ADDON)
                                .asText(""))
                        .filter(a -> !a.isEmpty() && !a.equals(installation.addon()));
                if (owner.isPresent()) {
                    return Pass.failed(
                                    generation,
                                    version.version(),
                                    Pass.Outcome.APPLY_FAILED,
                                    d.key() + " belongs to addon " + owner.get() + ": install " + installation.addon()
                                            + " in another namespace")
                            .withObjects(tracked);
                }
                cluster.apply(m.object());
                actions.add((m.deletedByHand() ? "recreated " : "created ")
                        + m.object().key()
                        + (m.deletedByHand() ? " (deleted by hand)" : ""));
            }
            if (!plan.update().isEmpty()) {
                for (DesiredObject d : plan.update()) {
                    step = "applying " + d.key();
                    cluster.apply(d);
                }
                actions.add("updated " + plan.update().size() + " objects to " + version.version());
            }
            for (ObjectPlan.Repair r : plan.repair()) {
                step = "applying " + r.object().key();
                cluster.apply(r.object());
                actions.add("repaired " + r.object().key() + " (edited by hand at " + r.path() + ")");
            }
            for (ObjectPlan.Prune p : plan.prune()) {
                step = "pruning " + p.key();
                cluster.delete(new ObjectRef(
                        p.apiVersion(),
                        p.key().kind(),
                        p.key().namespace(),
                        p.key().name()));
                actions.add("pruned " + p.key() + " (" + p.reason() + ")");
            }
            // Objects a keep rule holds back are not actions: they would be reported on every pass. They stay in the
            // status's objects (an uninstall reports them once).
            step = "checking health";
            List<WorkloadHealth.Result> health = new ArrayList<>();
            for (HealthCheck check : checks(version, desired)) {
                String namespace = check.namespaceOr(installation.namespace());
                Optional<JsonNode> object =
                        cluster.get(check.kind().apiVersion(), check.kind().kind(), namespace, check.name());
                health.add(WorkloadHealth.evaluate(check, namespace, object));
            }
            List<ObjectRef> kept = new ArrayList<>(desiredRefs);
            for (ObjectPlan.Prune k : plan.keep()) {
                // Still labelled for the addon: an uninstall must find it again.
                kept.add(new ObjectRef(
                        k.apiVersion(),
                        k.key().kind(),
                        k.key().namespace(),
                        k.key().name()));
            }
            return new Pass(
                    generation,
                    version.version(),
                    Pass.Outcome.APPLIED,
                    "",
                    rendered.digest(),
                    kept,
                    health,
                    actions,
                    plan.drift());
        } catch (KindRegistry.UnknownKindException e) {
            return Pass.failed(generation, version.version(), Pass.Outcome.APPLY_FAILED, e.getMessage())
                    .withObjects(tracked);
        } catch (KubernetesClientException e) {
            if (unreachable(e)) {
                return Pass.failed(
                                generation,
                                version.version(),
                                Pass.Outcome.UNREACHABLE,
                                "the cluster's API did not answer while " + step + ": " + brief(e))
                        .withObjects(tracked);
            }
            return Pass.failed(
                            generation,
                            version.version(),
                            Pass.Outcome.APPLY_FAILED,
                            "the cluster refused " + step + ": " + brief(e))
                    .withObjects(tracked);
        }
    }

    /** The result of removing an installation's objects. */
    public record Removal(boolean done, List<String> actions, String message) {}

    /** Deletes every object labelled for the addon (what safety rules keep stays, unlabelled for nobody). */
    public Removal uninstall(ClusterObjects cluster, Installation installation, InstallationStatus previous) {
        List<String> actions = new ArrayList<>();
        try {
            Map<ObjectKey, ObjectNode> live = cluster.listManaged(installation.addon(), previous.objects());
            ObjectPlan plan = ObjectPlanner.plan(List.of(), live, Set.of());
            for (ObjectPlan.Prune p : plan.prune()) {
                cluster.delete(new ObjectRef(
                        p.apiVersion(),
                        p.key().kind(),
                        p.key().namespace(),
                        p.key().name()));
                actions.add("deleted " + p.key());
            }
            for (ObjectPlan.Prune k : plan.keep()) {
                actions.add("kept " + k.key() + ": " + k.reason());
            }
            return new Removal(true, actions, "");
        } catch (KindRegistry.UnknownKindException e) {
            return new Removal(false, actions, e.getMessage());
        } catch (KubernetesClientException e) {
            return new Removal(false, actions, "the cluster's API failed while removing: " + brief(e));
        }
    }

    /** The version's health checks; with none listed, every workload it renders. */
    static List<HealthCheck> checks(AddonVersion version, List<DesiredObject> desired) {
        if (!version.health().isEmpty()) {
            return version.health();
        }
        List<HealthCheck> all = new ArrayList<>();
        for (DesiredObject d : desired) {
            HealthCheck.Kind.of(d.key().kind())
                    .filter(k -> k.apiVersion().equals(d.apiVersion()))
                    .ifPresent(k -> all.add(new HealthCheck(
                            k, d.key().name(), Optional.of(d.key().namespace()))));
        }
        return all;
    }

    /** No answer, a 5xx, or the proxy's 502 for a cluster it cannot dial: the cluster, not the request, is at fault. */
    static boolean unreachable(KubernetesClientException e) {
        int code = e.getCode();
        return code == 0 || code >= 500 || code == 408 || code == 429;
    }

    private static String brief(KubernetesClientException e) {
        String message = e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : String.valueOf(e.getMessage());
        return (e.getCode() > 0 ? e.getCode() + " " : "")
                + message.lines().findFirst().orElse("");
    }
}
