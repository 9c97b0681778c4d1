package dev.kubeyard.rancher.sim.downstream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kubeyard.rancher.sim.downstream.WorkloadStatus.Kind;
import dev.kubeyard.rancher.sim.downstream.WorkloadStatus.Stage;
import dev.kubeyard.rancher.sim.faults.WorkloadFault;
import io.fabric8.kubernetes.api.Pluralize;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD dispatcher plus what a simulated cluster needs on top of it: server-side apply and strategic merge
 * patch emulated as JSON merge patch, PATCH answering 200 like a real API server, label selectors with set-based
 * requirements, direct writes of Node objects for {@link DownstreamApis#syncNodes}, and the status a workload
 * controller writes for Deployments, StatefulSets and DaemonSets (see DESIGN.md).
 *
 * <p>Every mutation (HTTP, node sync, workload status) runs under one monitor, so "find, then create or patch" is
 * atomic with respect to other writes. Reads keep the parent's read lock; the store map is a synchronized map, so a
 * read sees an object either before or after a simulator write.
 */
final class SimCrudDispatcher extends KubernetesCrudDispatcher {

    static final String NODES_PATH = "/api/v1/nodes";

    /** An apps/v1 workload collection, object or status subresource (namespace, plural, name, "/status"). */
    private static final Pattern WORKLOAD_PATH = Pattern.compile(
            "^/apis/apps/v1/namespaces/([^/]+)/(deployments|statefulsets|daemonsets)(?:/([^/]+)(/status)?)?$");

    private static final System.Logger LOG = System.getLogger(SimCrudDispatcher.class.getName());
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private final Object writes = new Object();
    private final Clock clock;
    private final Supplier<List<WorkloadFault>> faults;
    private final Runnable rolloutStarted;

    /** Guarded by {@link #writes}. */
    private final WorkloadRollouts rollouts = new WorkloadRollouts();
    /** The names of the pods last written per workload path (guarded by {@link #writes}); see {@link #syncPods}. */
    private final Map<String, List<String>> podsByWorkload = new HashMap<>();

    /** A dispatcher on the system clock, without workload faults, that tells no one about rollouts. */
    SimCrudDispatcher() {
        this(Clock.systemUTC(), List::of, () -> {});
    }

    /**
     * @param clock stamps the start of rollouts
     * @param faults the cluster's workload faults, read whenever a status is computed
     * @param rolloutStarted called (under the write monitor, so it must only take note) when a rollout is added:
     *     {@link #advanceWorkloads} has work
     */
    SimCrudDispatcher(Clock clock, Supplier<List<WorkloadFault>> faults, Runnable rolloutStarted) {
        this.clock = clock;
        this.faults = faults;
        this.rolloutStarted = rolloutStarted;
    }

    /** A failure inside the mock would leave the request unanswered (the client times out): answer 500 instead. */
    @Override
    public MockResponse dispatch(RecordedRequest request) {
        try {
            return super.dispatch(request);
        } catch (RuntimeException e) {
            return status(500, "InternalError", "the simulated API server failed: " + e);
        }
    }

    @Override
    public MockResponse handleCreate(RecordedRequest request) {
        synchronized (writes) {
            RecordedRequest create = withClusterIp(request);
            return tracked(create.getPath(), () -> super.handleCreate(create));
        }
    }

    private static final Pattern SERVICES = Pattern.compile("^/api/v1/namespaces/[^/]+/services(\\?.*)?$");

    /** Cluster IPs handed out so far (in the write monitor): 10.43.0.1, 10.43.0.2, ... as kube-apiserver would. */
    private int clusterIps;

    /**
     * A Service created without a cluster IP gets one, as kube-apiserver allocates it from the service CIDR (RKE2's
     * default 10.43.0.0/16); ExternalName services and headless ones ({@code None}) keep what they asked for.
     */
    private RecordedRequest withClusterIp(RecordedRequest request) {
        if (!SERVICES.matcher(request.getPath()).matches()) {
            return request;
        }
        // Reading the body consumes it: a request passed on unchanged is a copy with the same body.
        String body = request.getUtf8Body();
        String contentType =
                request.getHeader("Content-Type") == null ? "application/json" : request.getHeader("Content-Type");
        ObjectNode service;
        try {
            service = parseObject(body);
        } catch (RuntimeException e) {
            return copy(request, HttpMethod.POST, request.getPath(), contentType, body); // the mock refuses it
        }
        JsonNode spec = service.path("spec");
        String ip = spec.path("clusterIP").asText("");
        if ("ExternalName".equals(spec.path("type").asText()) || !ip.isEmpty()) {
            return copy(request, HttpMethod.POST, request.getPath(), contentType, body);
        }
        int n = ++clusterIps;
        String allocated = "10.43." + (n / 254) % 256 + "." + (n % 254 + 1);
        ObjectNode s = service.withObjectProperty("spec");
        s.put("clusterIP", allocated);
        s.putArray("clusterIPs").add(allocated);
        return copy(request, HttpMethod.POST, request.getPath(), "application/json", service.toString());
    }

    @Override
    public MockResponse handleUpdate(RecordedRequest request) {
        synchronized (writes) {
            return tracked(request.getPath(), () -> super.handleUpdate(request));
        }
    }

    /**
     * Creates each object as a POST to its collection would (the same handler: uid, resourceVersion,
     * creationTimestamp, generation, watch events; a status kept for built-in kinds, dropped for workloads), without
     * HTTP. Stops at the first object the API refuses.
     *
     * @return the objects created
     * @throws IllegalArgumentException naming the object and the API's answer, for one without apiVersion, kind or
     *     name, or one refused (409 when it exists); the objects before it stay created
     */
    int createAll(List<JsonNode> objects) {
        int created = 0;
        for (JsonNode object : objects) {
            String path = collectionPath(object);
            MockResponse response = handleCreate(new RecordedRequest(
                    "HTTP/1.1",
                    HttpMethod.POST,
                    path,
                    Headers.builder().add("Content-Type", "application/json").build(),
                    new Buffer(object.toString().getBytes(StandardCharsets.UTF_8))));
            if (response.code() != 201) {
                throw new IllegalArgumentException("item " + created + " (" + path + "/"
                        + object.path("metadata").path("name").asText() + ") was refused with " + response.code()
                        + ": " + readBody(response).path("message").asText("") + "; " + created
                        + " created before it");
            }
            created++;
        }
        return created;
    }

    /** {@code /api/v1[/namespaces/<ns>]/<plural>} or {@code /apis/<group>/<version>[/namespaces/<ns>]/<plural>}. */
    static String collectionPath(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        String name = object.path("metadata").path("name").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("every object needs apiVersion, kind and metadata.name: " + object);
        }
        String namespace = object.path("metadata").path("namespace").asText("");
        return (apiVersion.contains("/") ? "/apis/" : "/api/") + apiVersion
                + (namespace.isEmpty() ? "" : "/namespaces/" + namespace) + "/"
                + Pluralize.toPlural(kind.toLowerCase(Locale.ROOT));
    }

    /** Also deletes by a label selector the mock cannot evaluate (it ignores {@code in} and {@code notin}). */
    @Override
    public MockResponse handleDelete(String path) {
        synchronized (writes) {
            if (queryParameter(path, "labelSelector") != null) {
                MockResponse listed = handleGet(path);
                JsonNode items = readBody(listed).path("items");
                if (listed.code() == 400) {
                    return listed;
                }
                if (listed.code() == 200 && items.isArray()) {
                    String collection = withoutQuery(path);
                    for (JsonNode item : items) {
                        super.handleDelete(collection + "/"
                                + item.path("metadata").path("name").asText());
                    }
                    collectPods(path);
                    return listed;
                }
            }
            MockResponse response = super.handleDelete(path);
            collectPods(path);
            return response;
        }
    }

    /** Lists filtered by this class's {@link LabelSelector}, not the mock's (which ignores set-based requirements). */
    @Override
    public MockResponse handleGet(String path) {
        String selector = queryParameter(path, "labelSelector");
        if (selector == null) {
            return super.handleGet(path);
        }
        LabelSelector parsed;
        try {
            parsed = LabelSelector.parse(selector);
        } catch (IllegalArgumentException e) {
            return status(400, "BadRequest", e.getMessage());
        }
        MockResponse response = super.handleGet(withoutQueryParameter(path, "labelSelector"));
        JsonNode list = readBody(response);
        if (response.code() != 200
                || !(list instanceof ObjectNode listObject)
                || !list.path("items").isArray()) {
            return response;
        }
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode item : list.path("items")) {
            Map<String, String> labels = new LinkedHashMap<>();
            item.path("metadata")
                    .path("labels")
                    .properties()
                    .forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
            if (parsed.matches(labels)) {
                kept.add(item);
            }
        }
        listObject.set("items", kept);
        return response.setBody(listObject.toString());
    }

    /**
     * Deployments, StatefulSets and DaemonSets have a status subresource, as in kube-apiserver: a create drops the
     * status, a write of the object keeps the stored one, only {@code /status} changes it.
     */
    @Override
    public boolean isStatusSubresourceEnabledForResource(String path) {
        return WORKLOAD_PATH.matcher(withoutQuery(path)).matches() || super.isStatusSubresourceEnabledForResource(path);
    }

    @Override
    public MockResponse handlePatch(RecordedRequest request) {
        synchronized (writes) {
            return tracked(request.getPath(), () -> patch(request));
        }
    }

    private MockResponse patch(RecordedRequest request) {
        String subtype = mediaSubtype(request.getHeader("Content-Type"));
        if (subtype.startsWith("apply-patch+")) {
            return apply(request);
        }
        if (subtype.equals("merge-patch+json") || subtype.equals("strategic-merge-patch+json")) {
            ObjectNode patch;
            try {
                patch = parseObject(request.getUtf8Body());
            } catch (IllegalArgumentException e) {
                return status(400, "BadRequest", e.getMessage());
            }
            return mergeInto(request, withoutQuery(request.getPath()), patch);
        }
        return patched(super.handlePatch(request));
    }

    /** Server-side apply without field ownership: create when missing, else JSON-merge the applied configuration. */
    private MockResponse apply(RecordedRequest request) {
        String path = withoutQuery(request.getPath());
        ObjectNode applied;
        try {
            applied = parseObject(request.getUtf8Body());
        } catch (IllegalArgumentException e) {
            return status(400, "BadRequest", e.getMessage());
        }
        String apiVersion = applied.path("apiVersion").asText("");
        String kind = applied.path("kind").asText("");
        String name = applied.path("metadata").path("name").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            return status(400, "BadRequest", "apiVersion and kind are required in an apply configuration");
        }
        boolean statusPath = path.endsWith("/status");
        String objectPath = statusPath ? path.substring(0, path.length() - "/status".length()) : path;
        String pathName = objectPath.substring(objectPath.lastIndexOf('/') + 1);
        if (name.isEmpty()) {
            applied.withObject("/metadata").put("name", pathName);
        } else if (!name.equals(pathName)) {
            return status(
                    400,
                    "BadRequest",
                    "the name of the object (" + name + ") does not match the name on the URL (" + pathName + ")");
        }
        if (findResource(getKey(objectPath)) == null && !statusPath) {
            applied.withObject("/metadata").remove("resourceVersion");
            String collection = objectPath.substring(0, objectPath.lastIndexOf('/'));
            // An apply that creates is a create: a Service gets its cluster IP as a POST's does.
            return super.handleCreate(
                    withClusterIp(copy(request, HttpMethod.POST, collection, "application/json", applied.toString())));
        }
        return mergeInto(request, path, applied);
    }

    /**
     * JSON merge patch (RFC 7386) of the stored object, stored with the CRUD mock's PUT handler (resourceVersion
     * check, metadata kept, status subresource rules). The mock's own merge keeps null values instead of removing
     * the fields.
     */
    private MockResponse mergeInto(RecordedRequest request, String path, ObjectNode patch) {
        boolean statusPath = path.endsWith("/status");
        String objectPath = statusPath ? path.substring(0, path.length() - "/status".length()) : path;
        Map.Entry<AttributeSet, String> current = findResource(getKey(objectPath));
        if (current == null) {
            String name = objectPath.substring(objectPath.lastIndexOf('/') + 1);
            return status(404, "NotFound", "\"" + name + "\" not found");
        }
        JsonNode merged;
        try {
            merged = mergePatch(JSON.readTree(current.getValue()), patch);
        } catch (JsonProcessingException e) {
            return status(500, "InternalError", "stored object is not JSON: " + e.getOriginalMessage());
        }
        MockResponse response =
                super.handleUpdate(copy(request, HttpMethod.PUT, path, "application/json", merged.toString()));
        return patched(response);
    }

    /** RFC 7386: objects merge recursively, null removes, anything else replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result =
                target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : JSON.createObjectNode();
        patch.properties().forEach(field -> {
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
            }
        });
        return result;
    }

    /**
     * Makes the stored Node objects match the node set {@code latest} gives inside the write lock: creates, updates (only when something changed) and
     * deletes Nodes; touches no other kind. Watchers see ADDED, MODIFIED and DELETED events as usual.
     */
    void reconcileNodes(Supplier<List<SimNode>> latest, NodeManifests.Memo memo) {
        synchronized (writes) {
            List<SimNode> desired = latest.get();
            AttributeSet nodeQuery = getKey(NODES_PATH);
            Map<String, Map.Entry<AttributeSet, String>> existing = new LinkedHashMap<>();
            for (Map.Entry<AttributeSet, String> entry : new ArrayList<>(getMap().entrySet())) {
                if (entry.getKey().matches(nodeQuery)) {
                    GenericKubernetesResource stored =
                            SERIALIZATION.unmarshal(entry.getValue(), GenericKubernetesResource.class);
                    existing.put(stored.getMetadata().getName(), entry);
                }
            }
            Set<String> nodesBefore = Set.copyOf(existing.keySet());
            Map<String, SimNode> wanted = new LinkedHashMap<>();
            for (SimNode node : desired) {
                if (node != null && node.name() != null && !node.name().isBlank()) {
                    wanted.put(node.name(), node);
                }
            }
            for (SimNode node : wanted.values()) {
                String path = NODES_PATH + "/" + node.name();
                Map.Entry<AttributeSet, String> current = existing.remove(node.name());
                String currentJson = current == null ? null : current.getValue();
                String next = NodeManifests.reconcile(node, currentJson, memo, () -> requestResourceVersion());
                if (next != null) {
                    processEvent(
                            path,
                            getKey(path),
                            current == null ? null : current.getKey(),
                            SERIALIZATION.unmarshal(next, GenericKubernetesResource.class),
                            next);
                }
            }
            for (Map.Entry<String, Map.Entry<AttributeSet, String>> gone : existing.entrySet()) {
                String path = NODES_PATH + "/" + gone.getKey();
                processEvent(path, getKey(path), gone.getValue().getKey(), null, null);
                memo.forget(gone.getKey());
            }
            if (!wanted.keySet().equals(nodesBefore)) {
                // DaemonSets schedule one pod per node
                recheck(List.of(Kind.DAEMON_SET));
            }
        }
    }

    // ---- workload controllers ------------------------------------------------------------------------------

    /**
     * Runs a client write (under the write monitor) and notes what it means for a workload: a new generation starts
     * a rollout; a write of {@code /status} hands the status to the client until the spec changes again.
     */
    private MockResponse tracked(String rawPath, Supplier<MockResponse> write) {
        Matcher workload = WORKLOAD_PATH.matcher(withoutQuery(rawPath));
        if (!workload.matches()) {
            return write.get();
        }
        Kind kind = Kind.ofPlural(workload.group(2)).orElseThrow();
        String namespace = workload.group(1);
        String name = workload.group(3);
        long before = name == null ? 0 : storedGeneration(kind.path(namespace, name));
        MockResponse response = write.get();
        if (response.code() < 200 || response.code() > 299) {
            return response;
        }
        JsonNode stored = readBody(response);
        String storedName = stored.path("metadata").path("name").asText(name == null ? "" : name);
        String path = kind.path(namespace, storedName);
        if (workload.group(4) != null) {
            rollouts.forget(path);
            return response;
        }
        long after = stored.path("metadata").path("generation").asLong(0);
        if (after != before) {
            rollouts.specChanged(path, kind, after, clock.instant());
            rolloutStarted.run();
        }
        return response;
    }

    /**
     * Writes every workload status that is due: the progressing status of a new generation at once, the settled one
     * (ready, or not ready under a fault) {@code readyMillis} after the change. Each object is re-read under the write
     * monitor, so a concurrent client write is never lost; a workload deleted meanwhile is dropped.
     *
     * @return whether rollouts remain in flight
     */
    boolean advanceWorkloads(Instant now, long readyMillis) {
        List<String> due;
        synchronized (writes) {
            if (rollouts.isEmpty()) {
                return false;
            }
            due = rollouts.due(now, readyMillis);
        }
        for (String path : due) {
            synchronized (writes) {
                try {
                    advance(path, now, readyMillis);
                } catch (RuntimeException e) {
                    rollouts.forget(path);
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "cannot simulate the status of " + path + "; left as it is",
                            e);
                }
            }
        }
        synchronized (writes) {
            return !rollouts.isEmpty();
        }
    }

    /** The workload faults changed: every workload is looked at again once the delay has passed. */
    void recheckWorkloads() {
        synchronized (writes) {
            recheck(List.of(Kind.values()));
        }
    }

    /** How many workloads have a rollout in flight. */
    int rolloutsInFlight() {
        synchronized (writes) {
            return rollouts.size();
        }
    }

    private void advance(String path, Instant now, long readyMillis) {
        WorkloadRollouts.Rollout rollout = rollouts.get(path);
        if (rollout == null) {
            return;
        }
        Map.Entry<AttributeSet, String> current = findResource(getKey(path));
        if (current == null) {
            rollouts.forget(path);
            deletePods(path);
            return;
        }
        ObjectNode object = (ObjectNode) readJson(current.getValue());
        long generation = object.path("metadata").path("generation").asLong(0);
        if (generation != rollout.generation) {
            // every client write passes tracked(), so this is a safety net: treat it as a spec change now
            rollout = rollouts.specChanged(path, rollout.kind, generation, now);
        }
        boolean settled = rollout.settledAt(now, readyMillis);
        if (!settled && (!rollout.specChanged || rollout.progressShown)) {
            return;
        }
        List<WorkloadPods.Host> hosts = hosts();
        Stage stage = settled ? Stage.SETTLED : Stage.PROGRESSING;
        WorkloadFault fault = faultFor(object);
        ObjectNode status = WorkloadStatus.of(rollout.kind, object, stage, fault, hosts.size(), now);
        boolean changed = !readJson(status.toString()).equals(object.path("status"));
        object.set("status", status);
        if (changed) {
            object.withObject("/metadata").put("resourceVersion", String.valueOf(requestResourceVersion()));
            store(path, current.getKey(), object);
        }
        syncPods(path, rollout.kind, object, stage, fault, hosts, now);
        if (settled) {
            rollouts.forget(path);
        } else {
            rollout.progressShown = true;
        }
    }

    /** Adds a recheck for every stored workload of these kinds (one with a rollout in flight keeps it). */
    private void recheck(List<Kind> kinds) {
        Instant now = clock.instant();
        boolean added = false;
        for (Kind kind : kinds) {
            AttributeSet query = getKey(kind.collectionPath());
            for (Map.Entry<AttributeSet, String> entry : new ArrayList<>(getMap().entrySet())) {
                if (entry.getKey().matches(query)) {
                    JsonNode stored = readJson(entry.getValue());
                    JsonNode meta = stored.path("metadata");
                    String path = kind.path(
                            meta.path("namespace").asText(), meta.path("name").asText());
                    added |=
                            rollouts.recheck(path, kind, meta.path("generation").asLong(0), now);
                }
            }
        }
        if (added) {
            rolloutStarted.run();
        }
    }

    private WorkloadFault faultFor(JsonNode workload) {
        JsonNode meta = workload.path("metadata");
        List<String> images = WorkloadStatus.images(workload);
        for (WorkloadFault fault : faults.get()) {
            if (fault.matches(meta.path("namespace").asText(), meta.path("name").asText(), images)) {
                return fault;
            }
        }
        return null;
    }

    /** The cluster's Nodes sorted by name; one with a NoSchedule or NoExecute taint takes only DaemonSet pods. */
    private List<WorkloadPods.Host> hosts() {
        AttributeSet nodeQuery = getKey(NODES_PATH);
        List<WorkloadPods.Host> hosts = new ArrayList<>();
        for (Map.Entry<AttributeSet, String> entry : new ArrayList<>(getMap().entrySet())) {
            if (entry.getKey().matches(nodeQuery)) {
                JsonNode node = readJson(entry.getValue());
                String ip = null;
                for (JsonNode address : node.path("status").path("addresses")) {
                    if ("InternalIP".equals(address.path("type").asText())) {
                        ip = address.path("address").asText();
                    }
                }
                boolean schedulable = true;
                for (JsonNode taint : node.path("spec").path("taints")) {
                    String effect = taint.path("effect").asText();
                    schedulable &= !effect.equals("NoSchedule") && !effect.equals("NoExecute");
                }
                hosts.add(
                        new WorkloadPods.Host(node.path("metadata").path("name").asText(), ip, schedulable));
            }
        }
        hosts.sort(Comparator.comparing(WorkloadPods.Host::name));
        return hosts;
    }

    /**
     * Makes the workload's Pods match its status, as its controller and the kubelets would: creates, rewrites (only
     * what changed) and deletes them in the store, so watchers see ADDED, MODIFIED and DELETED. Only the pods of this
     * workload are read: the ones it should have and the ones written for it last time.
     */
    private void syncPods(
            String workloadPath,
            Kind kind,
            JsonNode workload,
            Stage stage,
            WorkloadFault fault,
            List<WorkloadPods.Host> hosts,
            Instant now) {
        String namespace = workload.path("metadata").path("namespace").asText();
        List<String> before = podsByWorkload.getOrDefault(workloadPath, List.of());
        Set<String> names = new LinkedHashSet<>(WorkloadPods.names(kind, workload, hosts));
        names.addAll(before);
        Map<String, Map.Entry<AttributeSet, String>> stored = storedPods(namespace, names);
        Map<String, JsonNode> previous = new HashMap<>();
        stored.forEach((name, entry) -> previous.put(name, readJson(entry.getValue())));
        Map<String, ObjectNode> desired = WorkloadPods.of(kind, workload, stage, fault, hosts, previous, now);
        for (Map.Entry<String, ObjectNode> pod : desired.entrySet()) {
            String path = podPath(namespace, pod.getKey());
            Map.Entry<AttributeSet, String> current = stored.get(pod.getKey());
            JsonNode was = previous.get(pod.getKey());
            if (was != null && !was.at("/metadata/uid").equals(pod.getValue().at("/metadata/uid"))) {
                // another pod under the same name: the old one goes first, as a StatefulSet replaces its pods
                processEvent(path, getKey(path), current.getKey(), null, null);
                current = null;
                was = null;
            }
            if (was instanceof ObjectNode wasObject) {
                wasObject.withObject("/metadata").remove("resourceVersion");
            }
            if (!pod.getValue().equals(was)) {
                pod.getValue().withObject("/metadata").put("resourceVersion", String.valueOf(requestResourceVersion()));
                store(path, current == null ? null : current.getKey(), pod.getValue());
            }
        }
        for (String name : before) {
            Map.Entry<AttributeSet, String> gone = stored.get(name);
            if (!desired.containsKey(name) && gone != null) {
                String path = podPath(namespace, name);
                processEvent(path, getKey(path), gone.getKey(), null, null);
            }
        }
        if (desired.isEmpty()) {
            podsByWorkload.remove(workloadPath);
        } else {
            podsByWorkload.put(workloadPath, List.copyOf(desired.keySet()));
        }
    }

    /** After a DELETE on a workload path: the pods of every workload that no longer exists go, as the GC does. */
    private void collectPods(String rawPath) {
        Matcher deleted = WORKLOAD_PATH.matcher(withoutQuery(rawPath));
        if (!deleted.matches() || deleted.group(4) != null) {
            return;
        }
        Kind kind = Kind.ofPlural(deleted.group(2)).orElseThrow();
        String name = deleted.group(3);
        String prefix = kind.path(deleted.group(1), name == null ? "" : name);
        for (String workloadPath : List.copyOf(podsByWorkload.keySet())) {
            boolean affected = name == null ? workloadPath.startsWith(prefix) : workloadPath.equals(prefix);
            if (affected && findResource(getKey(workloadPath)) == null) {
                deletePods(workloadPath);
            }
        }
    }

    /** Deletes the pods written for a workload that is gone. */
    private void deletePods(String workloadPath) {
        List<String> names = podsByWorkload.remove(workloadPath);
        if (names == null) {
            return;
        }
        Matcher workload = WORKLOAD_PATH.matcher(workloadPath);
        String namespace = workload.matches() ? workload.group(1) : "";
        storedPods(namespace, names).forEach((name, entry) -> {
            String path = podPath(namespace, name);
            processEvent(path, getKey(path), entry.getKey(), null, null);
        });
    }

    /** The stored pods of these names in the namespace, found in one pass over the store. */
    private Map<String, Map.Entry<AttributeSet, String>> storedPods(String namespace, Collection<String> names) {
        Map<String, Map.Entry<AttributeSet, String>> found = new HashMap<>();
        if (names.isEmpty()) {
            return found;
        }
        AttributeSet inNamespace = getKey("/api/v1/namespaces/" + namespace + "/pods");
        Map<String, AttributeSet> keys = new LinkedHashMap<>();
        names.forEach(name -> keys.put(name, getKey(podPath(namespace, name))));
        for (Map.Entry<AttributeSet, String> entry : new ArrayList<>(getMap().entrySet())) {
            if (entry.getKey().matches(inNamespace)) {
                for (Map.Entry<String, AttributeSet> key : keys.entrySet()) {
                    if (entry.getKey().matches(key.getValue())) {
                        found.put(key.getKey(), entry);
                    }
                }
            }
        }
        return found;
    }

    private static String podPath(String namespace, String name) {
        return "/api/v1/namespaces/" + namespace + "/pods/" + name;
    }

    /** Writes an object straight into the store (watchers get ADDED or MODIFIED); nothing is tracked. */
    private void store(String path, AttributeSet oldKey, JsonNode object) {
        String json = object.toString();
        processEvent(path, getKey(path), oldKey, SERIALIZATION.unmarshal(json, GenericKubernetesResource.class), json);
    }

    /** The stored object's generation, 0 when it does not exist. */
    private long storedGeneration(String path) {
        Map.Entry<AttributeSet, String> current = findResource(getKey(path));
        return current == null
                ? 0
                : readJson(current.getValue())
                        .path("metadata")
                        .path("generation")
                        .asLong(0);
    }

    private static JsonNode readJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored object is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The response's body as JSON (a missing node when it has none or it is not JSON), without consuming it. */
    private static JsonNode readBody(MockResponse response) {
        Buffer body = response.getBody();
        if (body == null || body.size() == 0) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(body.getBytes());
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static MockResponse patched(MockResponse response) {
        // fabric8's mock answers a successful PATCH with 202; kube-apiserver answers 200.
        if (response.code() == 202) {
            response.setResponseCode(200);
        }
        return response;
    }

    private static RecordedRequest copy(
            RecordedRequest original, HttpMethod method, String path, String contentType, String body) {
        Headers.Builder headers = Headers.builder();
        for (Map.Entry<String, List<String>> header :
                original.getHeaders().toMultimap().entrySet()) {
            String lower = header.getKey().toLowerCase(Locale.ROOT);
            if (!lower.equals("content-type") && !lower.equals("content-length")) {
                header.getValue().forEach(value -> headers.add(header.getKey(), value));
            }
        }
        headers.add("Content-Type", contentType);
        return new RecordedRequest(
                "HTTP/1.1", method, path, headers.build(), new Buffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    static ObjectNode parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("the apply configuration is empty");
        }
        JsonNode tree;
        try {
            String trimmed = body.strip();
            tree = trimmed.startsWith("{") ? JSON.readTree(trimmed) : YAML.readTree(trimmed);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot parse the apply configuration: " + e.getOriginalMessage(), e);
        }
        if (tree instanceof ObjectNode object) {
            return object;
        }
        throw new IllegalArgumentException("the apply configuration must be an object");
    }

    private static String mediaSubtype(String contentType) {
        if (contentType == null) {
            return "";
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        int slash = type.indexOf('/');
        return slash < 0 ? type : type.substring(slash + 1);
    }

    private static String withoutQuery(String path) {
        int question = path.indexOf('?');
        return question < 0 ? path : path.substring(0, question);
    }

    /** A query parameter's decoded value, or null when the path has none of that name. */
    static String queryParameter(String path, String name) {
        int question = path.indexOf('?');
        if (question < 0) {
            return null;
        }
        for (String pair : path.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static String withoutQueryParameter(String path, String name) {
        int question = path.indexOf('?');
        if (question < 0) {
            return path;
        }
        List<String> kept = new ArrayList<>();
        for (String pair : path.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (!pair.isEmpty()
                    && !URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                kept.add(pair);
            }
        }
        return kept.isEmpty() ? path.substring(0, question) : path.substring(0, question + 1) + String.join("&", kept);
    }

    static MockResponse status(int code, String reason, String message) {
        ObjectNode status = JSON.createObjectNode();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        status.put("code", code);
        return new MockResponse()
                .setResponseCode(code)
                .addHeader("Content-Type", "application/json")
                .setBody(status.toString());
    }
}
