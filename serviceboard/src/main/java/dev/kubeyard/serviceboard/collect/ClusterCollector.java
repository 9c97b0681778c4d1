package dev.kubeyard.serviceboard.collect;

import dev.kubeyard.inventory.kube.KubeErrors;
import dev.kubeyard.serviceboard.board.Facts.EndpointSliceFacts;
import dev.kubeyard.serviceboard.board.Facts.IngressFacts;
import dev.kubeyard.serviceboard.board.Facts.PodFacts;
import dev.kubeyard.serviceboard.board.Facts.Route;
import dev.kubeyard.serviceboard.board.Facts.ServiceFacts;
import dev.kubeyard.serviceboard.board.ServiceKey;
import dev.kubeyard.serviceboard.board.ServiceRow;
import dev.kubeyard.serviceboard.board.ServiceRows;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The board's view of one cluster: informers on its Services, Pods, EndpointSlices and Ingresses, the facts the board
 * needs from them, and the services whose row may have changed since the last {@link #drain}.
 *
 * <p>The informers' own stores keep only each object's key and resourceVersion (fabric8's {@link
 * ReducedStateItemStore}); what the board needs is kept here as plain facts, so a cluster of 3,000 pods costs their
 * labels, phases and images, not 3,000 pods. An event marks the services it may change: a Service itself, the service
 * of an EndpointSlice, the services of the namespace whose selector matches a pod (before or after the change), the
 * backends of an ingress (before or after). A relist after a lost watch reaches the same handlers (objects gone in the
 * meantime as deletes), so a reconnect leaves neither duplicates nor ghosts.
 *
 * <p>Handlers run on the informers' threads and {@link #drain} on the caller's: one monitor guards the facts.
 */
public final class ClusterCollector implements AutoCloseable {

    private final String cluster;
    private final KubernetesClient client;
    private final KubernetesSerialization serialization;
    private final Consumer<String> onDirty;

    private final Map<String, Map<String, ServiceFacts>> services = new HashMap<>();
    private final Map<String, Map<String, PodFacts>> pods = new HashMap<>();
    private final Map<String, Map<String, EndpointSliceFacts>> slices = new HashMap<>();
    private final Map<String, Map<String, IngressFacts>> ingresses = new HashMap<>();
    private final Set<ServiceKey> dirty = new HashSet<>();
    /** What the board was last told of each service: its row's fingerprint. */
    private final Map<ServiceKey, Long> written = new HashMap<>();

    private boolean full;
    /** When the oldest change not yet drained came in (null: none). */
    private Instant pendingSince;

    private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    private volatile boolean closed;

    /**
     * @param client the cluster's client (through Rancher's proxy); not closed here
     * @param serialization the client's serialisation, for the informers' reduced stores
     * @param onDirty told (with the cluster's name) when a service may need its row written again; must be cheap
     */
    public ClusterCollector(
            String cluster, KubernetesClient client, KubernetesSerialization serialization, Consumer<String> onDirty) {
        this.cluster = cluster;
        this.client = client;
        this.serialization = serialization;
        this.onDirty = onDirty;
    }

    public String cluster() {
        return cluster;
    }

    /**
     * Asks the cluster's API for its version once, off the caller's thread: why the watches cannot reconnect (they
     * retry without saying), for the reason the board shows. Completes with the error in a few words, or empty when
     * the API answers.
     */
    public CompletableFuture<Optional<String>> probe() {
        return CompletableFuture.supplyAsync(
                () -> {
                    // Raw HTTP on the cluster's own client (its credentials and timeouts): fabric8's typed calls
                    // drop a plain-text error body, which is where Rancher says why it cannot reach the cluster.
                    HttpClient http = client.getHttpClient();
                    HttpRequest request = http.newHttpRequestBuilder()
                            .uri(client.getMasterUrl().toString().replaceAll("/+$", "") + "/version")
                            .build();
                    try {
                        HttpResponse<String> response =
                                http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
                        if (response.isSuccessful()) {
                            return Optional.<String>empty();
                        }
                        String body = response.body() == null ? "" : firstLine(response.body());
                        return Optional.of("HTTP " + response.code() + (body.isEmpty() ? "" : ": " + body));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Optional.of("interrupted");
                    } catch (ExecutionException | TimeoutException | RuntimeException e) {
                        return Optional.of(
                                describe(e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e));
                    }
                },
                runnable -> Thread.ofVirtual().name("board-probe-" + cluster).start(runnable));
    }

    /**
     * Starts the four informers (once). The future completes when all four have listed their objects once; a list
     * that fails is retried by fabric8 with back-off, forever, and its error kept for {@link #lastError}.
     */
    public synchronized CompletableFuture<Void> start() {
        if (!informers.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        List<CompletableFuture<Void>> synced = new ArrayList<>();
        synced.add(informer(
                client.services().inAnyNamespace(), Service.class, KubeFacts::service, this::onService, "Services"));
        synced.add(informer(client.pods().inAnyNamespace(), Pod.class, KubeFacts::pod, this::onPod, "Pods"));
        synced.add(informer(
                client.discovery().v1().endpointSlices().inAnyNamespace(),
                EndpointSlice.class,
                s -> KubeFacts.endpointSlice(s).orElse(null),
                this::onSlice,
                "EndpointSlices"));
        synced.add(informer(
                client.network().v1().ingresses().inAnyNamespace(),
                Ingress.class,
                KubeFacts::ingress,
                this::onIngress,
                "Ingresses"));
        return CompletableFuture.allOf(synced.toArray(CompletableFuture[]::new)).thenRun(this::requestFull);
    }

    /** A change of one object: its key (namespace, name), the facts before (null: new) and after (null: deleted). */
    private interface Change<F> {
        void apply(String namespace, String name, F facts);
    }

    private <T extends HasMetadata, F> CompletableFuture<Void> informer(
            Informable<T> resources, Class<T> type, Function<T, F> facts, Change<F> change, String what) {
        SharedIndexInformer<T> informer = resources.runnableInformer(0);
        informer.itemStore(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, type, serialization));
        informer.exceptionHandler((started, error) -> {
            lastError = what + ": " + describe(error);
            lastErrorAt = Instant.now();
            return !closed;
        });
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                change.apply(namespace(obj), obj.getMetadata().getName(), facts.apply(obj));
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                change.apply(namespace(newObj), newObj.getMetadata().getName(), facts.apply(newObj));
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                change.apply(namespace(obj), obj.getMetadata().getName(), null);
            }
        });
        synchronized (this) {
            informers.add(informer);
        }
        return informer.start().toCompletableFuture();
    }

    private static String namespace(HasMetadata obj) {
        String ns = obj.getMetadata().getNamespace();
        return ns == null ? "" : ns;
    }

    /** An error in a few words: the HTTP status and Kubernetes' message, or the cause's first line. */
    public static String describe(Throwable error) {
        return KubeErrors.describe(error);
    }

    /** The first line only: a Kubernetes status can carry a whole body. */
    private static String firstLine(String message) {
        return KubeErrors.firstLine(message);
    }

    private void pending() {
        if (pendingSince == null) {
            pendingSince = Instant.now();
        }
    }

    private void onService(String namespace, String name, ServiceFacts facts) {
        synchronized (this) {
            put(services, namespace, name, facts);
            dirty.add(new ServiceKey(namespace, name));
            pending();
        }
        onDirty.accept(cluster);
    }

    private void onPod(String namespace, String name, PodFacts facts) {
        boolean marked;
        synchronized (this) {
            PodFacts before = put(pods, namespace, name, facts);
            // A pod change the board cannot see (a resourceVersion bump, a condition it does not read) marks nothing.
            if (before != null && before.equals(facts)) {
                return;
            }
            marked = markSelecting(namespace, before) | markSelecting(namespace, facts);
            if (marked) {
                pending();
            }
        }
        if (marked) {
            onDirty.accept(cluster);
        }
    }

    private boolean markSelecting(String namespace, PodFacts pod) {
        if (pod == null) {
            return false;
        }
        boolean marked = false;
        for (ServiceFacts s : services.getOrDefault(namespace, Map.of()).values()) {
            if (!s.selector().isEmpty() && ServiceRows.selects(s, pod)) {
                marked |= dirty.add(new ServiceKey(namespace, s.name()));
            }
        }
        return marked;
    }

    private void onSlice(String namespace, String name, EndpointSliceFacts facts) {
        synchronized (this) {
            EndpointSliceFacts before = put(slices, namespace, name, facts);
            if (before != null) {
                dirty.add(new ServiceKey(namespace, before.service()));
            }
            if (facts != null) {
                dirty.add(new ServiceKey(namespace, facts.service()));
            }
            pending();
        }
        onDirty.accept(cluster);
    }

    private void onIngress(String namespace, String name, IngressFacts facts) {
        synchronized (this) {
            IngressFacts before = put(ingresses, namespace, name, facts);
            for (IngressFacts i : new IngressFacts[] {before, facts}) {
                if (i != null) {
                    for (Route r : i.routes()) {
                        dirty.add(new ServiceKey(namespace, r.service()));
                    }
                }
            }
            pending();
        }
        onDirty.accept(cluster);
    }

    private static <F> F put(Map<String, Map<String, F>> byNamespace, String namespace, String name, F facts) {
        if (facts == null) {
            Map<String, F> ns = byNamespace.get(namespace);
            if (ns == null) {
                return null;
            }
            F before = ns.remove(name);
            if (ns.isEmpty()) {
                byNamespace.remove(namespace);
            }
            return before;
        }
        return byNamespace.computeIfAbsent(namespace, n -> new HashMap<>()).put(name, facts);
    }

    /** Whether every informer has listed its objects once. */
    public synchronized boolean synced() {
        return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
    }

    /** Whether every informer's watch is open now (false while one reconnects or relists). */
    public synchronized boolean watching() {
        return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::isWatching);
    }

    /** The last list or watch error of an informer, with its time, if any. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    public Optional<Instant> lastErrorAt() {
        return Optional.ofNullable(lastErrorAt);
    }

    /** The number of services the cluster has now. */
    public synchronized int serviceCount() {
        int n = 0;
        for (Map<String, ServiceFacts> ns : services.values()) {
            n += ns.size();
        }
        return n;
    }

    /** The number of pods whose facts are kept. */
    public synchronized int podCount() {
        int n = 0;
        for (Map<String, PodFacts> ns : pods.values()) {
            n += ns.size();
        }
        return n;
    }

    /**
     * Asks for every row to be recomputed, and for the board's rows of services the cluster no longer has to be
     * deleted, at the next drain: after the first synchronisation, and when the board's rows were overwritten (marked
     * Unknown while the cluster was away).
     */
    public void requestFull() {
        synchronized (this) {
            full = true;
            pending();
        }
        onDirty.accept(cluster);
    }

    /** Forgets what the board was told: the next full drain writes every row. */
    public synchronized void forgetWritten() {
        written.clear();
    }

    /** Whether a drain has something to do. */
    public synchronized boolean hasWork() {
        return full || !dirty.isEmpty();
    }

    /**
     * The rows to write and the services to remove since the last drain. Nothing is drained before the first
     * synchronisation (the facts would be partial). The caller writes the batch, then calls {@link #committed} (or
     * {@link #failed}, which puts the work back).
     */
    public synchronized Batch drain(Instant now) {
        if (!synced()) {
            return new Batch(cluster, List.of(), List.of(), Optional.empty(), false, Optional.empty());
        }
        boolean wasFull = full;
        Optional<Instant> oldest = Optional.ofNullable(pendingSince);
        pendingSince = null;
        Set<ServiceKey> keys = new TreeSet<>(dirty);
        if (full) {
            services.forEach((ns, byName) -> byName.keySet().forEach(n -> keys.add(new ServiceKey(ns, n))));
            keys.addAll(written.keySet());
        }
        dirty.clear();
        full = false;
        List<ServiceRow> upserts = new ArrayList<>();
        List<ServiceKey> deletes = new ArrayList<>();
        for (ServiceKey key : keys) {
            ServiceFacts service =
                    services.getOrDefault(key.namespace(), Map.of()).get(key.name());
            if (service == null) {
                if (written.containsKey(key) || wasFull) {
                    deletes.add(key);
                }
                continue;
            }
            ServiceRow row = build(service, now);
            Long before = written.get(key);
            if (before == null || before != row.fingerprint()) {
                upserts.add(row);
            }
        }
        Optional<Set<ServiceKey>> present = Optional.empty();
        if (wasFull) {
            Set<ServiceKey> all = new HashSet<>();
            services.forEach((ns, byName) -> byName.keySet().forEach(n -> all.add(new ServiceKey(ns, n))));
            present = Optional.of(all);
        }
        return new Batch(cluster, upserts, deletes, present, wasFull, oldest);
    }

    private ServiceRow build(ServiceFacts service, Instant now) {
        String ns = service.namespace();
        List<PodFacts> podsOfNamespace =
                List.copyOf(pods.getOrDefault(ns, Map.of()).values());
        List<EndpointSliceFacts> slicesOfNamespace =
                List.copyOf(slices.getOrDefault(ns, Map.of()).values());
        List<IngressFacts> ingressesOfNamespace =
                List.copyOf(ingresses.getOrDefault(ns, Map.of()).values());
        return ServiceRows.build(
                cluster, service, podsOfNamespace, slicesOfNamespace, ingressesOfNamespace, Optional.empty(), now);
    }

    /** The batch reached the board: remember what it now shows. */
    public synchronized void committed(Batch batch) {
        for (ServiceRow row : batch.upserts()) {
            written.put(row.key(), row.fingerprint());
        }
        for (ServiceKey key : batch.deletes()) {
            written.remove(key);
        }
    }

    /** The batch did not reach the board: its services are drained again next time. */
    public void failed(Batch batch) {
        synchronized (this) {
            for (ServiceRow row : batch.upserts()) {
                dirty.add(row.key());
            }
            dirty.addAll(batch.deletes());
            if (batch.full()) {
                full = true;
            }
            pending();
        }
        onDirty.accept(cluster);
    }

    /**
     * What one drain asks the board to do.
     *
     * @param present with a full drain, every service the cluster has: the board deletes the cluster's other rows
     *     (services deleted while nobody watched)
     * @param oldestChange when the oldest change in the batch came in (the change-to-board latency starts there)
     */
    public record Batch(
            String cluster,
            List<ServiceRow> upserts,
            List<ServiceKey> deletes,
            Optional<Set<ServiceKey>> present,
            boolean full,
            Optional<Instant> oldestChange) {
        public boolean isEmpty() {
            return upserts.isEmpty() && deletes.isEmpty() && present.isEmpty();
        }
    }

    /** Stops the informers (their watches close); the facts are dropped with this object. */
    @Override
    public void close() {
        closed = true;
        List<SharedIndexInformer<? extends HasMetadata>> all;
        synchronized (this) {
            all = List.copyOf(informers);
        }
        for (SharedIndexInformer<? extends HasMetadata> informer : all) {
            informer.stop();
        }
    }
}
