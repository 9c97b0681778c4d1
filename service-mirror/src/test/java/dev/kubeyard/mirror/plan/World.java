package dev.kubeyard.mirror.plan;

import dev.kubeyard.mirror.plan.MirrorInput.ClusterView;
import dev.kubeyard.mirror.plan.MirrorInput.EndpointSet;
import dev.kubeyard.mirror.plan.MirrorInput.Export;
import dev.kubeyard.mirror.plan.MirrorInput.Port;
import dev.kubeyard.mirror.plan.MirrorInput.ServiceObject;
import dev.kubeyard.mirror.plan.MirrorInput.ServiceType;
import dev.kubeyard.mirror.plan.MirrorInput.SliceObject;
import dev.kubeyard.mirror.plan.MirrorPlan.Action;
import dev.kubeyard.mirror.plan.MirrorPlan.ClusterPlan;
import dev.kubeyard.mirror.plan.MirrorPlan.CreateNamespace;
import dev.kubeyard.mirror.plan.MirrorPlan.CreateService;
import dev.kubeyard.mirror.plan.MirrorPlan.CreateSlice;
import dev.kubeyard.mirror.plan.MirrorPlan.DeleteService;
import dev.kubeyard.mirror.plan.MirrorPlan.DeleteSlice;
import dev.kubeyard.mirror.plan.MirrorPlan.ExportState;
import dev.kubeyard.mirror.plan.MirrorPlan.HoldBack;
import dev.kubeyard.mirror.plan.MirrorPlan.UpdateService;
import dev.kubeyard.mirror.plan.MirrorPlan.UpdateSlice;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A set of clusters as the planner sees them, and a stand-in for the writers that carries a plan out on it (the
 * planner's contract is only what each cluster must hold, so a faithful writer is a map update).
 */
final class World {

    static final String SET = "payments";
    static final Instant T0 = Instant.parse("2026-12-10T10:00:00Z");
    static final Duration LEASE = Duration.ofMinutes(5);

    private final Map<String, ClusterView> clusters = new LinkedHashMap<>();
    private Instant now = T0;
    private boolean createNamespaces = true;

    /** Member clusters, each with namespace {@code shop}, seen now. */
    static World of(String... clusters) {
        World world = new World();
        for (String cluster : clusters) {
            world.clusters.put(
                    cluster, new ClusterView(cluster, true, T0, Set.of("shop"), List.of(), List.of(), List.of()));
        }
        return world;
    }

    static Port http(int port) {
        return new Port("http", "TCP", port);
    }

    static EndpointSet ready(int port, String... addresses) {
        return new EndpointSet(List.of(http(port)), List.of(addresses));
    }

    static Export web(Instant at, EndpointSet... endpoints) {
        return new Export("shop", "web", ServiceType.CLUSTER_IP, List.of(http(80)), List.of(endpoints), at);
    }

    static ServiceObject ownService(String name) {
        return new ServiceObject(
                "shop", name, Map.of("app", name), Map.of(), ServiceType.CLUSTER_IP, List.of(http(80)), List.of());
    }

    World exports(String cluster, Export... exports) {
        ClusterView c = view(cluster);
        return put(new ClusterView(
                cluster, c.member(), c.lastSeen(), c.namespaces(), List.of(exports), c.services(), c.slices()));
    }

    World service(String cluster, ServiceObject service) {
        ClusterView c = view(cluster);
        List<ServiceObject> services = new ArrayList<>(c.services());
        services.add(service);
        return put(
                new ClusterView(cluster, c.member(), c.lastSeen(), c.namespaces(), c.exports(), services, c.slices()));
    }

    World namespaces(String cluster, String... namespaces) {
        ClusterView c = view(cluster);
        return put(new ClusterView(
                cluster, c.member(), c.lastSeen(), Set.of(namespaces), c.exports(), c.services(), c.slices()));
    }

    World leaves(String cluster) {
        ClusterView c = view(cluster);
        return put(
                new ClusterView(cluster, false, c.lastSeen(), c.namespaces(), c.exports(), c.services(), c.slices()));
    }

    /** Its objects become unknown (unreachable since the process started): only its exports count. */
    World unobserved(String cluster) {
        ClusterView c = view(cluster);
        return put(
                new ClusterView(cluster, c.member(), c.lastSeen(), Set.of(), c.exports(), List.of(), List.of(), false));
    }

    /** The clock moves to {@code now}; the clusters named are seen then, the others keep their last sighting. */
    World at(Instant now, String... seen) {
        this.now = now;
        for (String cluster : seen) {
            ClusterView c = view(cluster);
            put(new ClusterView(cluster, c.member(), now, c.namespaces(), c.exports(), c.services(), c.slices()));
        }
        return this;
    }

    World createNamespaces(boolean allowed) {
        this.createNamespaces = allowed;
        return this;
    }

    MirrorInput input() {
        return new MirrorInput(SET, List.copyOf(clusters.values()), now, LEASE, createNamespaces);
    }

    MirrorPlan plan() {
        return MirrorPlanner.plan(input());
    }

    /** Plans and carries the plan out. */
    MirrorPlan settle() {
        MirrorPlan plan = plan();
        apply(plan);
        return plan;
    }

    ClusterView view(String cluster) {
        return clusters.get(cluster);
    }

    static List<Action> actions(MirrorPlan plan, String cluster) {
        return plan.clusters().stream()
                .filter(p -> p.cluster().equals(cluster))
                .findFirst()
                .map(ClusterPlan::actions)
                .orElseThrow();
    }

    static ExportState export(MirrorPlan plan, String cluster) {
        return plan.exports().stream()
                .filter(e -> e.cluster().equals(cluster))
                .findFirst()
                .orElseThrow();
    }

    void apply(MirrorPlan plan) {
        for (ClusterPlan p : plan.clusters()) {
            ClusterView c = view(p.cluster());
            Set<String> namespaces = new HashSet<>(c.namespaces());
            Map<ServiceKey, ServiceObject> services = new LinkedHashMap<>();
            c.services().forEach(s -> services.put(s.key(), s));
            Map<String, SliceObject> slices = new LinkedHashMap<>();
            c.slices().forEach(s -> slices.put(s.namespace() + "/" + s.name(), s));
            List<MirrorInput.Export> exports = new ArrayList<>(c.exports());
            for (Action action : p.actions()) {
                switch (action) {
                    case CreateNamespace a -> namespaces.add(a.namespace());
                    case CreateService a -> services.put(a.service().key(), a.service());
                    case UpdateService a -> services.put(a.service().key(), a.service());
                    case DeleteService a -> services.remove(a.key());
                    case CreateSlice a ->
                        slices.put(a.slice().namespace() + "/" + a.slice().name(), a.slice());
                    case UpdateSlice a ->
                        slices.put(a.slice().namespace() + "/" + a.slice().name(), a.slice());
                    case DeleteSlice a -> slices.remove(a.namespace() + "/" + a.name());
                    case HoldBack a -> {}
                    case MirrorPlan.ReportExport a ->
                        exports.replaceAll(e -> e.key().equals(a.key())
                                ? new MirrorInput.Export(
                                        e.namespace(),
                                        e.name(),
                                        e.type(),
                                        e.ports(),
                                        e.endpoints(),
                                        e.exportedAt(),
                                        java.util.Optional.of(a.conditions()))
                                : e);
                }
            }
            put(new ClusterView(
                    c.cluster(),
                    c.member(),
                    c.lastSeen(),
                    namespaces,
                    exports,
                    List.copyOf(services.values()),
                    List.copyOf(slices.values())));
        }
    }

    private World put(ClusterView view) {
        clusters.put(view.cluster(), view);
        return this;
    }
}
