package dev.kubeyard.mirror.plan;

import dev.kubeyard.mirror.plan.MirrorInput.ClusterView;
import dev.kubeyard.mirror.plan.MirrorInput.Condition;
import dev.kubeyard.mirror.plan.MirrorInput.EndpointSet;
import dev.kubeyard.mirror.plan.MirrorInput.Export;
import dev.kubeyard.mirror.plan.MirrorInput.Port;
import dev.kubeyard.mirror.plan.MirrorInput.ServiceObject;
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
import dev.kubeyard.mirror.plan.MirrorPlan.Refusal;
import dev.kubeyard.mirror.plan.MirrorPlan.ReportExport;
import dev.kubeyard.mirror.plan.MirrorPlan.UpdateService;
import dev.kubeyard.mirror.plan.MirrorPlan.UpdateSlice;
import dev.kubeyard.mirror.plan.PortRule.Conflict;
import dev.kubeyard.mirror.plan.PortRule.Definition;
import dev.kubeyard.mirror.plan.PortRule.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The mirror's rules (README.md): from what a set's clusters show, the followers and EndpointSlices each must hold,
 * what to delete, what to hold back, and each export's state. Pure: the same input gives the same plan.
 */
public final class MirrorPlanner {

    private static final Comparator<Source> OLDEST_FIRST =
            Comparator.comparing((Source s) -> s.export().exportedAt()).thenComparing(Source::cluster);

    private MirrorPlanner() {}

    /** The exports of one service across the set, and their one definition. */
    private record Followed(ServiceKey key, List<Source> sources, Definition definition) {

        boolean exportedFrom(String cluster) {
            return sources.stream().anyMatch(s -> s.cluster().equals(cluster));
        }

        List<Source> withdrawn() {
            return sources.stream().filter(Source::withdrawn).toList();
        }
    }

    /** What importers did with a service: who imported it, who refused and why. */
    private record Imports(SortedSet<String> importedBy, List<Refusal> refusals) {
        Imports() {
            this(new TreeSet<>(), new ArrayList<>());
        }
    }

    public static MirrorPlan plan(MirrorInput input) {
        List<ClusterView> clusters = input.clusters().stream()
                .sorted(Comparator.comparing(ClusterView::cluster))
                .toList();
        Map<ServiceKey, List<Source>> exported = new TreeMap<>();
        List<ExportState> states = new ArrayList<>();
        for (ClusterView cluster : clusters) {
            if (!cluster.member()) {
                continue;
            }
            Map<ServiceKey, ServiceObject> own = byKey(cluster.services());
            Instant leaseEnd = cluster.lastSeen().plus(input.withdrawAfter());
            boolean withdrawn = !input.now().isBefore(leaseEnd);
            for (Export export : cluster.exports()) {
                ServiceObject service = own.get(export.key());
                if (service != null && MirrorLabels.isFollower(service.labels())) {
                    states.add(exportOfFollower(cluster.cluster(), export));
                    continue;
                }
                exported.computeIfAbsent(export.key(), k -> new ArrayList<>())
                        .add(new Source(cluster.cluster(), export, withdrawn, leaseEnd));
            }
        }
        Map<ServiceKey, Followed> followed = new TreeMap<>();
        exported.forEach((key, sources) -> {
            List<Source> oldestFirst = sources.stream().sorted(OLDEST_FIRST).toList();
            followed.put(key, new Followed(key, oldestFirst, PortRule.merge(oldestFirst)));
        });

        Map<ServiceKey, Imports> imports = new TreeMap<>();
        followed.keySet().forEach(key -> imports.put(key, new Imports()));
        List<ClusterPlan> plans = new ArrayList<>();
        for (ClusterView cluster : clusters) {
            if (!cluster.observed()) {
                plans.add(new ClusterPlan(cluster.cluster(), List.of()));
                continue;
            }
            plans.add(
                    cluster.member()
                            ? importer(cluster, followed, imports, input)
                            : formerMember(cluster, input.set()));
        }

        followed.values().forEach(f -> states.addAll(exportStates(f, imports.get(f.key()), input)));
        states.sort(Comparator.comparing(ExportState::cluster).thenComparing(ExportState::key));
        plans = withReports(plans, clusters, states);
        Optional<Instant> lookAgainAt = followed.values().stream()
                .flatMap(f -> f.sources().stream())
                .filter(s -> !s.withdrawn())
                .map(Source::leaseEnd)
                .min(Comparator.naturalOrder());
        return new MirrorPlan(plans, states, lookAgainAt);
    }

    /** The exporters' ServiceExport conditions that differ from their state, reported at the end of their plans. */
    private static List<ClusterPlan> withReports(
            List<ClusterPlan> plans, List<ClusterView> clusters, List<ExportState> states) {
        Map<String, Map<ServiceKey, Export>> exports = new TreeMap<>();
        clusters.stream().filter(c -> c.observed() && c.member()).forEach(c -> c.exports()
                .forEach(e -> exports.computeIfAbsent(c.cluster(), k -> new TreeMap<>())
                        .put(e.key(), e)));
        List<ClusterPlan> reported = new ArrayList<>();
        for (ClusterPlan plan : plans) {
            List<Action> actions = new ArrayList<>(plan.actions());
            for (ExportState state : states) {
                Export export = exports.getOrDefault(plan.cluster(), Map.of()).get(state.key());
                if (!state.cluster().equals(plan.cluster())
                        || export == null
                        || export.reported().isEmpty()) {
                    continue;
                }
                List<Condition> wanted = state.conditions().stream()
                        .filter(c -> c.type().equals(Reasons.VALID) || c.type().equals(Reasons.CONFLICT))
                        .sorted(Comparator.comparing(Condition::type))
                        .toList();
                List<Condition> shown = export.reported().get().stream()
                        .sorted(Comparator.comparing(Condition::type))
                        .toList();
                if (!wanted.equals(shown)) {
                    actions.add(new ReportExport(
                            state.key(), wanted, "the state of the export of %s changed".formatted(state.key())));
                }
            }
            reported.add(new ClusterPlan(plan.cluster(), actions));
        }
        return reported;
    }

    private static ClusterPlan importer(
            ClusterView cluster, Map<ServiceKey, Followed> followed, Map<ServiceKey, Imports> imports, MirrorInput in) {
        String set = in.set();
        Map<ServiceKey, ServiceObject> services = byKey(cluster.services());
        Map<String, SliceObject> slices = ownSlices(cluster, set);
        SortedSet<String> namespaces = new TreeSet<>();
        List<Action> writes = new ArrayList<>();
        Set<ServiceKey> keptServices = new TreeSet<>();
        Set<String> keptSlices = new TreeSet<>();
        for (Followed f : followed.values()) {
            ServiceKey key = f.key();
            if (f.exportedFrom(cluster.cluster())) {
                continue;
            }
            ServiceObject current = services.get(key);
            if (current != null && !MirrorLabels.isFollowerOf(current.labels(), set)) {
                String message = "%s in %s is not a follower of set %s: no follower is written over it"
                        .formatted(key, cluster.cluster(), set);
                holdBack(writes, imports.get(key), cluster, key, Reasons.SERVICE_CONFLICT, message);
                continue;
            }
            if (current == null && !cluster.namespaces().contains(key.namespace())) {
                if (!in.createNamespaces()) {
                    String message = "namespace %s does not exist in %s and set %s does not create namespaces"
                            .formatted(key.namespace(), cluster.cluster(), set);
                    holdBack(writes, imports.get(key), cluster, key, Reasons.NAMESPACE_MISSING, message);
                    continue;
                }
                namespaces.add(key.namespace());
            }
            imports.get(key).importedBy().add(cluster.cluster());
            keptServices.add(key);
            ServiceObject desired = follower(f, in);
            String exporters = clusters(f.sources());
            if (current == null) {
                writes.add(new CreateService(desired, "%s is exported by %s".formatted(key, exporters)));
            } else if (!current.owned().equals(desired)) {
                writes.add(new UpdateService(desired, "the exports of %s by %s changed".formatted(key, exporters)));
            }
            for (SliceObject slice : slices(f, set)) {
                keptSlices.add(sliceKey(slice));
                SliceObject existing = slices.get(sliceKey(slice));
                String source = slice.labels().get(MirrorLabels.SOURCE_CLUSTER);
                if (existing == null) {
                    writes.add(new CreateSlice(slice, "ready endpoints of %s in %s".formatted(key, source)));
                } else if (!existing.owned().equals(slice)) {
                    writes.add(
                            new UpdateSlice(slice, "the ready endpoints of %s in %s changed".formatted(key, source)));
                }
            }
        }
        List<Action> actions = new ArrayList<>();
        namespaces.forEach(ns -> actions.add(new CreateNamespace(ns, "followers of set %s live in it".formatted(set))));
        actions.addAll(writes);
        slices.values().stream()
                .filter(s -> !keptSlices.contains(sliceKey(s)))
                .forEach(s -> actions.add(new DeleteSlice(s.namespace(), s.name(), staleSlice(s, followed, set))));
        ownFollowers(cluster, set).stream()
                .filter(k -> !keptServices.contains(k))
                .forEach(k -> actions.add(new DeleteService(
                        k, "no cluster of set %s exports %s to %s any more".formatted(set, k, cluster.cluster()))));
        return new ClusterPlan(cluster.cluster(), actions);
    }

    private static ClusterPlan formerMember(ClusterView cluster, String set) {
        String reason = "%s is no longer a member of set %s".formatted(cluster.cluster(), set);
        List<Action> actions = new ArrayList<>();
        ownSlices(cluster, set).values().forEach(s -> actions.add(new DeleteSlice(s.namespace(), s.name(), reason)));
        ownFollowers(cluster, set).forEach(k -> actions.add(new DeleteService(k, reason)));
        return new ClusterPlan(cluster.cluster(), actions);
    }

    private static void holdBack(
            List<Action> writes, Imports imports, ClusterView cluster, ServiceKey key, String reason, String message) {
        writes.add(new HoldBack(key, reason, message));
        imports.refusals().add(new Refusal(cluster.cluster(), reason, message));
    }

    private static ServiceObject follower(Followed f, MirrorInput in) {
        Map<String, String> labels = Map.of(
                MirrorLabels.FOLLOWER,
                "true",
                MirrorLabels.SET,
                in.set(),
                MirrorLabels.ORIGIN,
                f.sources().getFirst().cluster());
        Map<String, String> annotations = Map.of(MirrorLabels.SOURCE_CLUSTERS, clusters(f.sources()));
        List<Condition> conditions = List.of(
                definitionConflict(f),
                withdrawnCondition(f.withdrawn(), f.sources().size(), in));
        return new ServiceObject(
                f.key().namespace(),
                f.key().name(),
                labels,
                annotations,
                f.definition().type(),
                f.definition().ports(),
                conditions);
    }

    private static Condition definitionConflict(Followed f) {
        List<Conflict> conflicts = f.definition().conflicts();
        if (conflicts.isEmpty()) {
            return new Condition(
                    Reasons.CONFLICT,
                    Reasons.FALSE,
                    Reasons.NO_CONFLICTS,
                    "the %d exports of %s agree".formatted(f.sources().size(), f.key()));
        }
        return conflict(conflicts);
    }

    private static Condition conflict(List<Conflict> conflicts) {
        String reason = conflicts.stream()
                .map(Conflict::reason)
                .min(Comparator.comparingInt(List.of(Reasons.TYPE_CONFLICT, Reasons.PORT_CONFLICT)::indexOf))
                .orElseThrow();
        String message = conflicts.stream().map(Conflict::message).collect(Collectors.joining("; "));
        return new Condition(Reasons.CONFLICT, Reasons.TRUE, reason, message);
    }

    private static Condition withdrawnCondition(List<Source> withdrawn, int exporters, MirrorInput in) {
        String lease = words(in.withdrawAfter());
        if (withdrawn.isEmpty()) {
            return new Condition(
                    Reasons.ENDPOINTS_WITHDRAWN,
                    Reasons.FALSE,
                    Reasons.EXPORTERS_SEEN,
                    "%d of %d exporting clusters seen within withdraw-after %s".formatted(exporters, exporters, lease));
        }
        String which = withdrawn.stream()
                .map(s -> "%s since %s".formatted(s.cluster(), s.leaseEnd()))
                .collect(Collectors.joining(", "));
        return new Condition(
                Reasons.ENDPOINTS_WITHDRAWN,
                Reasons.TRUE,
                Reasons.EXPORTER_NOT_SEEN,
                "endpoints of %d of %d exporting clusters withdrawn, not seen within withdraw-after %s: %s"
                        .formatted(withdrawn.size(), exporters, lease, which));
    }

    /** The slices of a followed service: per exporter within its lease, one per address type and set of ports. */
    private static List<SliceObject> slices(Followed f, String set) {
        List<SliceObject> slices = new ArrayList<>();
        for (Source source : f.sources()) {
            if (source.withdrawn()) {
                continue;
            }
            Map<String, SortedSet<String>> groups = new TreeMap<>();
            Map<String, List<Port>> portsOf = new TreeMap<>();
            for (EndpointSet endpoints : source.export().endpoints()) {
                List<Port> ports = endpoints.ports().stream().sorted().toList();
                for (String address : endpoints.addresses()) {
                    String group = addressType(address) + " " + ports;
                    groups.computeIfAbsent(group, g -> new TreeSet<>()).add(address);
                    portsOf.put(group, ports);
                }
            }
            groups.forEach((group, addresses) -> {
                String variant = groups.size() == 1 ? "" : group;
                Map<String, String> labels = Map.of(
                        MirrorLabels.SET, set,
                        MirrorLabels.MANAGED_BY, MirrorLabels.MANAGER,
                        MirrorLabels.SOURCE_CLUSTER, source.cluster(),
                        MirrorLabels.SERVICE_NAME, f.key().name(),
                        MirrorLabels.MCS_SERVICE_NAME, f.key().name());
                slices.add(new SliceObject(
                        f.key().namespace(),
                        SliceNames.of(f.key().name(), source.cluster(), variant),
                        labels,
                        addressType(addresses.first()),
                        portsOf.get(group),
                        List.copyOf(addresses)));
            });
        }
        return slices;
    }

    private static String staleSlice(SliceObject slice, Map<ServiceKey, Followed> followed, String set) {
        String source = slice.labels().getOrDefault(MirrorLabels.SOURCE_CLUSTER, "?");
        ServiceKey key = new ServiceKey(slice.namespace(), slice.labels().getOrDefault(MirrorLabels.SERVICE_NAME, "?"));
        Optional<Source> exporter = Optional.ofNullable(followed.get(key)).flatMap(f -> f.sources().stream()
                .filter(s -> s.cluster().equals(source))
                .findFirst());
        if (exporter.isPresent() && exporter.get().withdrawn()) {
            return "endpoints of %s in %s withdrawn since %s: the cluster has not been seen since"
                    .formatted(key, source, exporter.get().leaseEnd());
        }
        return "%s in %s is no longer followed here by set %s".formatted(key, source, set);
    }

    private static List<ExportState> exportStates(Followed f, Imports imports, MirrorInput in) {
        List<Conflict> conflicts = new ArrayList<>(f.definition().conflicts());
        imports.refusals().stream()
                .filter(r -> r.reason().equals(Reasons.SERVICE_CONFLICT))
                .forEach(r -> conflicts.add(new Conflict(r.reason(), r.message())));
        Condition conflict = conflicts.isEmpty() ? definitionConflict(f) : conflict(conflicts);
        List<ExportState> states = new ArrayList<>();
        for (Source source : f.sources()) {
            Condition valid = new Condition(
                    Reasons.VALID,
                    Reasons.TRUE,
                    Reasons.EXPORTED,
                    "%s is exported to set %s by %d clusters"
                            .formatted(f.key(), in.set(), f.sources().size()));
            Condition withdrawn = withdrawnCondition(source.withdrawn() ? List.of(source) : List.of(), 1, in);
            states.add(new ExportState(
                    source.cluster(),
                    f.key(),
                    source.export().exportedAt(),
                    List.copyOf(imports.importedBy()),
                    imports.refusals(),
                    List.of(valid, conflict, withdrawn)));
        }
        return states;
    }

    private static ExportState exportOfFollower(String cluster, Export export) {
        Condition invalid = new Condition(
                Reasons.VALID,
                Reasons.FALSE,
                Reasons.EXPORT_OF_FOLLOWER,
                "%s in %s is a follower: followers are not exported again".formatted(export.key(), cluster));
        return new ExportState(cluster, export.key(), export.exportedAt(), List.of(), List.of(), List.of(invalid));
    }

    private static Map<ServiceKey, ServiceObject> byKey(List<ServiceObject> services) {
        return services.stream()
                .collect(Collectors.toMap(ServiceObject::key, Function.identity(), (a, b) -> a, TreeMap::new));
    }

    /** The set's slices of a cluster, by namespace/name. */
    private static Map<String, SliceObject> ownSlices(ClusterView cluster, String set) {
        return cluster.slices().stream()
                .filter(s -> MirrorLabels.isSliceOf(s.labels(), set))
                .collect(Collectors.toMap(MirrorPlanner::sliceKey, Function.identity(), (a, b) -> a, TreeMap::new));
    }

    private static String sliceKey(SliceObject slice) {
        return slice.namespace() + "/" + slice.name();
    }

    private static List<ServiceKey> ownFollowers(ClusterView cluster, String set) {
        return cluster.services().stream()
                .filter(s -> MirrorLabels.isFollowerOf(s.labels(), set))
                .map(ServiceObject::key)
                .sorted()
                .distinct()
                .toList();
    }

    private static String clusters(List<Source> sources) {
        return sources.stream().map(Source::cluster).sorted().collect(Collectors.joining(","));
    }

    private static String addressType(String address) {
        return address.contains(":") ? "IPv6" : "IPv4";
    }

    static String words(Duration duration) {
        return duration.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
