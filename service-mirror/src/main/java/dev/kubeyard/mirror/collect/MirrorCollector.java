package dev.kubeyard.mirror.collect;

import dev.kubeyard.inventory.kube.KubeErrors;
import dev.kubeyard.mirror.collect.KubeMirrorFacts.ExportFact;
import dev.kubeyard.mirror.collect.KubeMirrorFacts.ServiceFact;
import dev.kubeyard.mirror.collect.KubeMirrorFacts.SliceFact;
import dev.kubeyard.mirror.plan.MirrorInput.EndpointSet;
import dev.kubeyard.mirror.plan.MirrorInput.Export;
import dev.kubeyard.mirror.plan.MirrorInput.ServiceObject;
import dev.kubeyard.mirror.plan.MirrorInput.SliceObject;
import dev.kubeyard.mirror.plan.ServiceKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The mirror's view of one cluster: informers on its ServiceExports (when it has the KEP-1645 API), Services,
 * EndpointSlices and Namespaces, each kept as small facts ({@link KubeMirrorFacts}); the informers' own stores keep
 * key and resourceVersion only. A change that can matter to a set (an exported or mirrored object, any Service
 * created or deleted) calls {@code changed} with the cluster's name, on the informer's thread: it must be cheap.
 *
 * <p>{@link #relist} replaces the facts by fresh lists (the orphan sweep): a change a resumed watch never delivered
 * (a deletion while it was down) is found there. Facts carry their resourceVersion so that a list never undoes a
 * newer event.
 */
public final class MirrorCollector implements AutoCloseable {

    /** A fact with the resourceVersion it was seen at. */
    private record Entry<F>(F fact, long version) {}

    /** An export as this cluster shows it, and how it was made ({@code ServiceExport} or {@code Label}). */
    public record SeenExport(Export export, String via) {}

    /** What the planner needs of this cluster now. */
    public record View(
            Set<String> namespaces, List<SeenExport> exports, List<ServiceObject> services, List<SliceObject> slices) {}

    private final String cluster;
    private final KubernetesClient client;
    private final Consumer<String> changed;
    private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
    private final Map<String, Entry<ServiceFact>> services = new HashMap<>();
    private final Map<String, Entry<SliceFact>> slices = new HashMap<>();
    private final Map<String, Entry<ExportFact>> exports = new HashMap<>();
    private final Map<String, Entry<String>> namespaces = new HashMap<>();
    private SharedIndexInformer<GenericKubernetesResource> exportInformer;
    private volatile boolean noExportApi;
    /** The facts are complete: one relist after the informers' first sync (their handlers run later than it). */
    private volatile boolean primed;
    /** Keys deleted by events since the last relist began, with their last resourceVersion: a list never revives them. */
    private final Map<String, Long> tombstones = new HashMap<>();

    private volatile boolean closed;
    private volatile String lastError;

    public MirrorCollector(String cluster, KubernetesClient client, Consumer<String> changed) {
        this.cluster = cluster;
        this.client = client;
        this.changed = changed;
    }

    public String cluster() {
        return cluster;
    }

    /**
     * Starts the informers (once); the future completes when each has listed once. A cluster without the
     * ServiceExport API (404) is followed by the export label alone.
     */
    public synchronized CompletableFuture<Void> start() {
        if (!informers.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        var serialization = client.getKubernetesSerialization();
        List<CompletableFuture<Void>> synced = new ArrayList<>();
        synced.add(informer(
                client.services().inAnyNamespace(), Service.class, serialization, this::onService, "Services"));
        synced.add(informer(
                client.discovery().v1().endpointSlices().inAnyNamespace(),
                EndpointSlice.class,
                serialization,
                this::onSlice,
                "EndpointSlices"));
        synced.add(informer(client.namespaces(), Namespace.class, serialization, this::onNamespace, "Namespaces"));
        exportInformer = client.genericKubernetesResources(KubeMirrorFacts.SERVICE_EXPORTS)
                .inAnyNamespace()
                .runnableInformer(0);
        CompletableFuture<Void> exportsSynced = register(exportInformer, this::onExport, "ServiceExports");
        synced.add(exportsSynced.exceptionally(e -> null));
        // An informer says it has synced once its store is filled; its handlers (and so these facts) follow later.
        // One relist then makes the facts complete before the cluster counts as observed.
        return CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new))
                .thenRunAsync(
                        this::prime,
                        r -> Thread.ofVirtual().name("mirror-prime-" + cluster).start(r));
    }

    /** The first relist, retried (with back-off up to 30 s) until it answers or the collector is closed. */
    private void prime() {
        long wait = 500;
        while (!closed) {
            try {
                relist();
                primed = true;
                notifyIf(true);
                return;
            } catch (RuntimeException e) {
                lastError = "first relist: " + describe(e);
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                wait = Math.min(wait * 2, 30_000);
            }
        }
    }

    private interface Change<T> {
        void apply(T before, T after);
    }

    private <T extends HasMetadata> CompletableFuture<Void> informer(
            Informable<T> resources,
            Class<T> type,
            io.fabric8.kubernetes.client.utils.KubernetesSerialization serialization,
            Change<T> change,
            String what) {
        SharedIndexInformer<T> informer = resources.runnableInformer(0);
        informer.itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, type, serialization));
        return register(informer, change, what);
    }

    private <T extends HasMetadata> CompletableFuture<Void> register(
            SharedIndexInformer<T> informer, Change<T> change, String what) {
        informer.exceptionHandler((started, error) -> {
            if (informer == exportInformer
                    && !informer.hasSynced()
                    && error instanceof KubernetesClientException k
                    && (k.getCode() == 404 || k.getCode() == 403)) {
                // No KEP-1645 CRD (404), or no right to read it (403): exports by label only.
                noExportApi = true;
                lastError = what + ": " + describe(error) + " (followed by the export label only)";
                return false;
            }
            lastError = what + ": " + describe(error);
            return !closed;
        });
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                change.apply(null, obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                change.apply(null, newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                change.apply(obj, null);
            }
        });
        synchronized (this) {
            informers.add(informer);
        }
        return informer.start().toCompletableFuture();
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    /** namespace/name; a cluster-scoped object (a Namespace) by its name alone, as {@link #view} reads them. */
    static String key(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return ns == null || ns.isEmpty()
                ? o.getMetadata().getName()
                : key(ns, o.getMetadata().getName());
    }

    private void onService(Service gone, Service now) {
        if (now != null) {
            ServiceFact fact = KubeMirrorFacts.service(now);
            notifyIf(put(services, key(now), fact, KubeMirrorFacts.version(now), f -> true));
        } else {
            notifyIf(remove(services, key(gone), KubeMirrorFacts.version(gone)));
        }
    }

    private void onSlice(EndpointSlice gone, EndpointSlice now) {
        if (now != null) {
            SliceFact fact = KubeMirrorFacts.slice(now);
            if (fact == null) {
                return;
            }
            notifyIf(put(slices, key(now), fact, KubeMirrorFacts.version(now), this::matters));
        } else {
            Entry<SliceFact> removed;
            synchronized (this) {
                removed = slices.remove(key(gone));
                tombstones.put("slice:" + key(gone), KubeMirrorFacts.version(gone));
            }
            notifyIf(removed != null && matters(removed.fact()));
        }
    }

    private void onExport(GenericKubernetesResource gone, GenericKubernetesResource now) {
        if (now != null) {
            notifyIf(put(exports, key(now), KubeMirrorFacts.export(now), KubeMirrorFacts.version(now), f -> true));
        } else {
            notifyIf(remove(exports, key(gone), KubeMirrorFacts.version(gone)));
        }
    }

    private void onNamespace(Namespace gone, Namespace now) {
        if (now != null) {
            notifyIf(
                    put(namespaces, key(now), KubeMirrorFacts.namespace(now), KubeMirrorFacts.version(now), f -> true));
        } else {
            notifyIf(remove(namespaces, key(gone), KubeMirrorFacts.version(gone)));
        }
    }

    /** A slice matters to the mirror when it is a mirror's, or serves an exported Service. */
    private synchronized boolean matters(SliceFact slice) {
        if (slice.mirrored()) {
            return true;
        }
        String key = key(slice.namespace(), slice.service());
        Entry<ServiceFact> service = services.get(key);
        return exports.containsKey(key) || (service != null && service.fact().exportLabel());
    }

    /** Puts a fact; true when it changed and {@code matters} says the change is worth a pass. */
    private <F> boolean put(
            Map<String, Entry<F>> facts, String key, F fact, long version, Function<F, Boolean> matters) {
        Entry<F> before;
        synchronized (this) {
            before = facts.get(key);
            if (before != null && before.version() > version && version > 0) {
                return false;
            }
            facts.put(key, new Entry<>(fact, version));
        }
        if (before != null && before.fact().equals(fact)) {
            return false;
        }
        return matters.apply(fact) || (before != null && matters.apply(before.fact()));
    }

    private synchronized <F> boolean remove(Map<String, Entry<F>> facts, String key, long version) {
        tombstones.put(kind(facts) + key, version);
        return facts.remove(key) != null;
    }

    private String kind(Map<String, ?> facts) {
        return facts == services ? "service:" : facts == slices ? "slice:" : facts == exports ? "export:" : "ns:";
    }

    private void notifyIf(boolean changed) {
        if (changed && !closed) {
            this.changed.accept(cluster);
        }
    }

    /** Whether every informer has listed once (a cluster without the ServiceExport API does without that one). */
    public synchronized boolean synced() {
        return primed
                && !informers.isEmpty()
                && informers.stream().allMatch(i -> i.hasSynced() || (i == exportInformer && noExportApi));
    }

    /** Whether every watch is open now: the cluster answers. */
    public synchronized boolean watching() {
        return synced() && informers.stream().allMatch(i -> i.isWatching() || (i == exportInformer && noExportApi));
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * The cluster as the planner needs it.
     *
     * @param labelExportedAt when a label export was first seen (recorded), empty when never: then now
     */
    public synchronized View view(Function<ServiceKey, Optional<Instant>> labelExportedAt, Instant now) {
        Map<String, List<SliceFact>> endpointsOf = new HashMap<>();
        List<SliceObject> mirrored = new ArrayList<>();
        for (Entry<SliceFact> e : slices.values()) {
            SliceFact s = e.fact();
            if (s.mirrored()) {
                mirrored.add(
                        new SliceObject(s.namespace(), s.name(), s.labels(), s.addressType(), s.ports(), s.ready()));
            } else {
                endpointsOf
                        .computeIfAbsent(key(s.namespace(), s.service()), k -> new ArrayList<>())
                        .add(s);
            }
        }
        List<SeenExport> seen = new ArrayList<>();
        List<ServiceObject> objects = new ArrayList<>(services.size());
        for (var e : services.entrySet()) {
            ServiceFact s = e.getValue().fact();
            objects.add(s.object());
            Entry<ExportFact> export = exports.get(e.getKey());
            if (s.externalName() || (export == null && !s.exportLabel())) {
                continue;
            }
            ServiceObject o = s.object();
            ServiceKey key = o.key();
            Instant at = export != null
                    ? export.fact().createdAt()
                    : labelExportedAt.apply(key).orElse(now);
            List<EndpointSet> endpoints = endpointsOf.getOrDefault(e.getKey(), List.of()).stream()
                    .sorted(Comparator.comparing(SliceFact::name))
                    .filter(sl -> !sl.ready().isEmpty())
                    .map(sl -> new EndpointSet(sl.ports(), sl.ready()))
                    .toList();
            seen.add(new SeenExport(
                    new Export(
                            o.namespace(),
                            o.name(),
                            o.type(),
                            o.ports(),
                            endpoints,
                            at,
                            export == null
                                    ? Optional.empty()
                                    : Optional.of(export.fact().conditions())),
                    export != null ? "ServiceExport" : "Label"));
        }
        seen.sort(Comparator.comparing(x -> x.export().key()));
        TreeSet<String> names = new TreeSet<>();
        namespaces.values().forEach(e -> names.add(e.fact()));
        return new View(names, seen, objects, mirrored);
    }

    /**
     * Lists every kind afresh and puts the lists in place of the facts: what a watch missed is found. A fact newer
     * than the list (an event that came in meanwhile) is kept. Blocking: call it off the informers' threads.
     *
     * @return whether anything changed
     */
    public boolean relist() {
        synchronized (this) {
            tombstones.clear();
        }
        boolean changed = false;
        changed |= replace(services, () -> client.services().inAnyNamespace().list(), KubeMirrorFacts::service);
        changed |= replace(
                slices,
                () -> client.discovery().v1().endpointSlices().inAnyNamespace().list(),
                KubeMirrorFacts::slice);
        changed |= replace(namespaces, () -> client.namespaces().list(), KubeMirrorFacts::namespace);
        if (!noExportApi) {
            try {
                changed |= replace(
                        exports,
                        () -> client.genericKubernetesResources(KubeMirrorFacts.SERVICE_EXPORTS)
                                .inAnyNamespace()
                                .list(),
                        KubeMirrorFacts::export);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
        if (changed) {
            notifyIf(true);
        }
        return changed;
    }

    private <T extends HasMetadata, F> boolean replace(
            Map<String, Entry<F>> facts, Supplier<? extends KubernetesResourceList<T>> list, Function<T, F> fact) {
        KubernetesResourceList<T> listed = list.get();
        long listedAt =
                parse(listed.getMetadata() == null ? null : listed.getMetadata().getResourceVersion());
        Map<String, Entry<F>> fresh = new HashMap<>();
        for (T item : listed.getItems()) {
            F f = fact.apply(item);
            if (f != null) {
                fresh.put(key(item), new Entry<>(f, KubeMirrorFacts.version(item)));
            }
        }
        boolean changed = false;
        synchronized (this) {
            for (var e : fresh.entrySet()) {
                Entry<F> had = facts.get(e.getKey());
                Long deleted = tombstones.get(kind(facts) + e.getKey());
                if (had == null
                        && deleted != null
                        && (deleted == 0 || deleted >= e.getValue().version())) {
                    continue;
                }
                if (had == null
                        || had.version() <= e.getValue().version()
                        || e.getValue().version() == 0) {
                    if (had == null || !had.fact().equals(e.getValue().fact())) {
                        changed = true;
                    }
                    facts.put(e.getKey(), e.getValue());
                }
            }
            for (String key : List.copyOf(facts.keySet())) {
                if (!fresh.containsKey(key)) {
                    Entry<F> had = facts.get(key);
                    if (listedAt == 0 || had.version() <= listedAt) {
                        facts.remove(key);
                        changed = true;
                    }
                }
            }
        }
        return changed;
    }

    private static long parse(String rv) {
        if (rv == null) {
            return 0;
        }
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** An error in a few words: the HTTP status and the API's message, or the cause's first line. */
    public static String describe(Throwable error) {
        return KubeErrors.describe(error);
    }

    /** Stops the informers; the facts go with this object. */
    @Override
    public void close() {
        closed = true;
        List<SharedIndexInformer<? extends HasMetadata>> all;
        synchronized (this) {
            all = List.copyOf(informers);
        }
        all.forEach(SharedIndexInformer::stop);
    }
}
