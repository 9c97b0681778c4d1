package dev.kubeyard.rancher.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.lifecycle.Lifecycle;
import dev.kubeyard.rancher.sim.lifecycle.Pools;
import dev.kubeyard.rancher.sim.store.ApiToken;
import dev.kubeyard.rancher.sim.store.ClusterObject;
import dev.kubeyard.rancher.sim.store.EtcdSnapshotObject;
import dev.kubeyard.rancher.sim.store.KubeconfigObject;
import dev.kubeyard.rancher.sim.store.MachineConfigObject;
import dev.kubeyard.rancher.sim.store.MachineObject;
import dev.kubeyard.rancher.sim.store.Meta;
import dev.kubeyard.rancher.sim.store.PoolSpec;
import dev.kubeyard.rancher.sim.store.RoleBindingObject;
import dev.kubeyard.rancher.sim.store.SimStore;
import dev.kubeyard.rancher.sim.store.UserObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Steve's {@code /v1} API over the store: collection envelope, resource envelope, CRUD with Kubernetes
 * semantics (resourceVersion conflicts, AlreadyExists, merge and JSON patch) and Steve's list parameters.
 * Every method runs with the store lock held.
 */
public final class SteveApi {

    static final String CLUSTER_WEBHOOK =
            "admission webhook \"rancher.cattle.io.clusters.provisioning.cattle.io\" denied the request: ";

    /**
     * The denial of a machine DELETE while the machine-deletion fault is on, under a webhook name of the
     * simulator's own so that it is not taken for a real Rancher check. Answered as the API server answers a
     * webhook denial that sets no code, and as the other webhook denials here: 400 BadRequest.
     */
    static final String MACHINE_DELETION_WEBHOOK =
            "admission webhook \"rancher-sim.machines.cluster.x-k8s.io\" denied the request: ";

    private static final Pattern DNS_SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    /** {@code auth-token-max-ttl-minutes}: 129600 minutes, 90 days. */
    static final long MAX_TOKEN_TTL_MILLIS = java.time.Duration.ofDays(90).toMillis();

    private static final Set<String> ENVELOPE_FIELDS =
            Set.of("id", "type", "links", "actions", "apiVersion", "kind", "metadata", "status");

    /** Cluster role templates Rancher ships; a binding naming another one is refused by the webhook. */
    static final Set<String> ROLE_TEMPLATES = Set.of(
            "cluster-owner",
            "cluster-member",
            "projects-create",
            "projects-view",
            "nodes-manage",
            "nodes-view",
            "storage-manage",
            "clusterroletemplatebindings-manage",
            "clusterroletemplatebindings-view",
            "clustercatalogs-manage",
            "clustercatalogs-view",
            "backups-manage",
            "navlinks-manage",
            "navlinks-view");

    /** Global roles Rancher ships. */
    static final Set<String> GLOBAL_ROLES = Set.of(
            "admin",
            "restricted-admin",
            "user",
            "user-base",
            "authn-manage",
            "catalogs-manage",
            "clusters-create",
            "features-manage",
            "kontainerdrivers-manage",
            "nodedrivers-manage",
            "podsecurityadmissionconfigurationtemplates-manage",
            "roles-manage",
            "settings-manage",
            "users-manage",
            "view-rancher-metrics");

    private final SimStore store;
    private final Lifecycle lifecycle;
    private final Map<String, Kind<?>> kinds = new LinkedHashMap<>();

    /**
     * The caller of the request being answered. Every request runs under the store lock, one at a time, so one
     * field is enough; it keeps the caller out of every Kind method's signature.
     */
    private Caller caller = Caller.ADMIN;

    public SteveApi(SimStore store, Lifecycle lifecycle) {
        this.store = store;
        this.lifecycle = lifecycle;
        register(new ProvisioningClusters());
        register(new ManagementClusters());
        register(new ControlPlanes());
        register(new Machines());
        register(new Snapshots());
        register(new ExtTokens());
        register(new ExtKubeconfigs());
        register(new Users());
        register(new RoleBindings(SteveType.GLOBAL_ROLE_BINDING));
        register(new RoleBindings(SteveType.CLUSTER_ROLE_TEMPLATE_BINDING));
    }

    private void register(Kind<?> kind) {
        kinds.put(kind.type.collection(), kind);
    }

    public ApiResponse handle(ApiRequest req) {
        if (req.path().isEmpty()) {
            throw ApiError.unknownType();
        }
        Kind<?> kind = kind(req.path().get(0));
        if (!req.caller().admin() && kind.type != SteveType.EXT_TOKEN) {
            // The simulator's users have no global permissions; Steve hides a type its caller may not see.
            throw ApiError.unknownType();
        }
        caller = req.caller();
        try {
            return dispatch(kind, req);
        } finally {
            caller = Caller.ADMIN;
        }
    }

    private Kind<?> kind(String collection) {
        Kind<?> kind = kinds.get(collection);
        if (kind != null) {
            return kind;
        }
        String prefix = SteveType.MACHINE_CONFIG_GROUP + ".";
        if (collection.startsWith(prefix)) {
            String plural = collection.substring(prefix.length());
            if (plural.matches("[a-z0-9]+configs") && plural.length() > "configs".length()) {
                return new MachineConfigs(SteveType.machineConfig(plural));
            }
        }
        throw ApiError.unknownType();
    }

    private <T> ApiResponse dispatch(Kind<T> kind, ApiRequest req) {
        SteveType type = kind.type;
        List<String> path = req.path();
        String namespace = null;
        String name = null;
        if (type.namespaced()) {
            namespace = path.size() > 1 ? path.get(1) : null;
            name = path.size() > 2 ? path.get(2) : null;
            if (path.size() > 3) {
                throw ApiError.unknownType();
            }
        } else {
            name = path.size() > 1 ? path.get(1) : null;
            if (path.size() > 2) {
                throw ApiError.unknownType();
            }
        }
        String method = req.method();
        if (name == null) {
            return switch (method) {
                case "GET" -> list(kind, namespace, req);
                case "POST" -> create(kind, namespace, req);
                default -> throw ApiError.methodNotAllowed(method);
            };
        }
        T obj = kind.find(namespace, name);
        if (obj == null) {
            throw ApiError.notFound(type.resource(), name);
        }
        return switch (method) {
            case "GET" -> ApiResponse.json(200, wrap(kind, obj, req.base()));
            case "PUT" -> update(kind, obj, Json.parseObject(req.body()), req);
            case "PATCH" -> patch(kind, obj, req);
            case "DELETE" -> delete(kind, obj, req);
            case "POST" -> action(kind, obj, req);
            default -> throw ApiError.methodNotAllowed(method);
        };
    }

    // ---- list ----------------------------------------------------------------------------------------------

    private <T> ApiResponse list(Kind<T> kind, String namespace, ApiRequest req) {
        ListQuery query = ListQuery.parse(req.params());
        List<ObjectNode> matches = new ArrayList<>();
        for (T obj : kind.candidates(namespace, query)) {
            ObjectNode rendered = wrap(kind, obj, req.base());
            if (query.matches(rendered)) {
                matches.add(rendered);
            }
        }
        query.sort(matches);
        SteveType type = kind.type;
        String self = req.base() + "/v1/" + type.collection() + (namespace != null ? "/" + namespace : "");
        ObjectNode out = Json.object();
        out.put("type", "collection");
        out.put("resourceType", type.schemaId());
        out.putObject("links").put("self", self);
        if (type.canCreate()) {
            out.putObject("createTypes").put(type.schemaId(), req.base() + "/v1/" + type.collection());
        }
        out.putObject("actions");
        out.put("revision", Long.toString(store.revision()));
        out.put("count", matches.size());
        int from = Math.min(query.offset(), matches.size());
        int to = query.pageSize() > 0 ? Math.min(matches.size(), from + query.pageSize()) : matches.size();
        if (to < matches.size()) {
            String token = ListQuery.encodeContinue(to);
            out.put("continue", token);
            ObjectNode pagination = out.putObject("pagination");
            pagination.put("first", pageLink(self, req, null));
            pagination.put("next", pageLink(self, req, token));
            pagination.put("partial", true);
        }
        ArrayNode data = out.putArray("data");
        for (ObjectNode o : matches.subList(from, to)) {
            data.add(o);
        }
        return ApiResponse.json(200, out);
    }

    /** The list URL with the same parameters, on the first page or on the page a continue token names. */
    private static String pageLink(String self, ApiRequest req, String continueToken) {
        StringBuilder out = new StringBuilder(self);
        char sep = '?';
        for (Map.Entry<String, List<String>> e : req.params().entrySet()) {
            if (e.getKey().equals("continue") || e.getKey().equals("page")) {
                continue;
            }
            for (String v : e.getValue()) {
                out.append(sep).append(Urls.encode(e.getKey())).append('=').append(Urls.encode(v));
                sep = '&';
            }
        }
        if (continueToken != null) {
            out.append(sep).append("continue=").append(Urls.encode(continueToken));
        }
        return out.toString();
    }

    // ---- writes --------------------------------------------------------------------------------------------

    private <T> ApiResponse create(Kind<T> kind, String pathNamespace, ApiRequest req) {
        SteveType type = kind.type;
        if (!type.canCreate()) {
            throw ApiError.permissionDenied("can not create " + type.schemaId());
        }
        ObjectNode body = Json.parseObject(req.body());
        JsonNode metadata = body.path("metadata");
        String namespace = null;
        if (type.namespaced()) {
            String bodyNamespace = metadata.path("namespace").asText("");
            if (pathNamespace != null && !bodyNamespace.isEmpty() && !bodyNamespace.equals(pathNamespace)) {
                throw ApiError.badRequest(
                        "the namespace of the provided object does not match the namespace sent on the request");
            }
            namespace = pathNamespace != null ? pathNamespace : bodyNamespace;
            if (namespace.isEmpty()) {
                throw ApiError.invalid(
                        type.kindGroup(), metadata.path("name").asText(""), "metadata.namespace: Required value");
            }
        }
        return ApiResponse.json(201, kind.created(namespace, body, req));
    }

    private <T> ApiResponse update(Kind<T> kind, T obj, ObjectNode desired, ApiRequest req) {
        SteveType type = kind.type;
        if (!type.canUpdate()) {
            throw ApiError.permissionDenied("can not update " + type.schemaId());
        }
        Meta meta = kind.meta(obj);
        String rv = desired.path("metadata").path("resourceVersion").asText("");
        if (rv.isEmpty()) {
            throw ApiError.of(500, "ServerError", "metadata.resourceVersion is required for update");
        }
        if (!rv.equals(Long.toString(meta.resourceVersion))) {
            throw ApiError.conflict(type.resource(), meta.name);
        }
        String bodyName = desired.path("metadata").path("name").asText("");
        if (!bodyName.isEmpty() && !bodyName.equals(meta.name)) {
            throw ApiError.badRequest(
                    "the name of the object (" + bodyName + ") does not match the name on the URL (" + meta.name + ")");
        }
        kind.update(obj, desired);
        return ApiResponse.json(200, wrap(kind, obj, req.base()));
    }

    private <T> ApiResponse patch(Kind<T> kind, T obj, ApiRequest req) {
        if (!kind.type.canUpdate()) {
            throw ApiError.permissionDenied("can not update " + kind.type.schemaId());
        }
        JsonNode patch = Json.parse(req.body());
        JsonNode patched = Patches.apply(req.contentType(), kind.render(obj), patch);
        if (!patched.isObject()) {
            throw ApiError.of(422, "Invalid", "the patched object is not a JSON object");
        }
        return update(kind, obj, (ObjectNode) patched, req);
    }

    private <T> ApiResponse delete(Kind<T> kind, T obj, ApiRequest req) {
        if (!kind.type.canDelete()) {
            throw ApiError.permissionDenied("can not delete " + kind.type.schemaId());
        }
        ObjectNode before = wrap(kind, obj, req.base());
        boolean gone = kind.delete(obj);
        return ApiResponse.json(200, gone ? before : wrap(kind, obj, req.base()));
    }

    private <T> ApiResponse action(Kind<T> kind, T obj, ApiRequest req) {
        String action = req.param("action");
        if (action == null) {
            throw ApiError.methodNotAllowed("POST");
        }
        return kind.action(obj, action, req);
    }

    private <T> ObjectNode wrap(Kind<T> kind, T obj, String base) {
        return Renderer.steve(kind.type, kind.render(obj), base);
    }

    // ---- shared validation ---------------------------------------------------------------------------------

    /** The name of a new object: {@code metadata.name}, or {@code generateName} plus five characters. */
    private String newName(SteveType type, JsonNode metadata, Function<String, Boolean> exists) {
        String name = metadata.path("name").asText("");
        if (name.isEmpty()) {
            String generate = metadata.path("generateName").asText("");
            if (generate.isEmpty()) {
                throw ApiError.invalid(
                        type.kindGroup(), "", "metadata.name: Required value: name or generateName is required");
            }
            do {
                name = generate + store.ids().suffix();
            } while (exists.apply(name));
            return name;
        }
        if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw ApiError.invalid(
                    type.kindGroup(),
                    name,
                    "metadata.name: Invalid value: \"" + name + "\": a lowercase RFC 1123 subdomain must consist of"
                            + " lower case alphanumeric characters, '-' or '.', and must start and end with an"
                            + " alphanumeric character");
        }
        if (exists.apply(name)) {
            throw ApiError.alreadyExists(type.resource(), name);
        }
        return name;
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }

    /** Replaces labels and annotations from a desired object; returns whether they changed. */
    private static boolean applyMetadata(Meta meta, JsonNode desired) {
        Map<String, String> labels = stringMap(desired.path("metadata").path("labels"));
        Map<String, String> annotations = stringMap(desired.path("metadata").path("annotations"));
        boolean changed = !labels.equals(meta.labels) || !annotations.equals(meta.annotations);
        meta.labels = labels;
        meta.annotations = annotations;
        return changed;
    }

    private static ObjectNode specOf(SteveType type, String name, JsonNode desired) {
        JsonNode spec = desired.path("spec");
        if (spec.isMissingNode() || spec.isNull()) {
            return Json.object();
        }
        if (!spec.isObject()) {
            throw ApiError.invalid(
                    type.kindGroup(),
                    name,
                    "spec: Invalid value: \"" + spec.getNodeType() + "\": spec in body must be of type object");
        }
        return ((ObjectNode) spec).deepCopy();
    }

    // ---- resource kinds ------------------------------------------------------------------------------------

    /** One resource type: where its objects live and how they are rendered and written. */
    private abstract class Kind<T> {
        final SteveType type;

        Kind(SteveType type) {
            this.type = type;
        }

        abstract Collection<T> candidates(String namespace, ListQuery query);

        abstract T find(String namespace, String name);

        abstract ObjectNode render(T obj);

        abstract Meta meta(T obj);

        T create(String namespace, ObjectNode body, ApiRequest req) {
            throw ApiError.permissionDenied("can not create " + type.schemaId());
        }

        void update(T obj, ObjectNode desired) {
            throw ApiError.permissionDenied("can not update " + type.schemaId());
        }

        /** Returns true when the object is gone at once, false when it is being removed. */
        boolean delete(T obj) {
            throw ApiError.permissionDenied("can not delete " + type.schemaId());
        }

        ApiResponse action(T obj, String action, ApiRequest req) {
            throw ApiError.of(404, "NotFound", "action " + action + " not found");
        }

        /** Creates the object and renders the create response (which may show a secret once). */
        ObjectNode created(String namespace, ObjectNode body, ApiRequest req) {
            return Renderer.steve(type, render(create(namespace, body, req)), req.base());
        }

        <V> List<V> inNamespace(Map<String, V> byId, String namespace) {
            if (namespace == null) {
                return new ArrayList<>(byId.values());
            }
            List<V> out = new ArrayList<>();
            String prefix = namespace + "/";
            for (Map.Entry<String, V> e : byId.entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    out.add(e.getValue());
                }
            }
            return out;
        }
    }

    private final class ProvisioningClusters extends Kind<ClusterObject> {
        ProvisioningClusters() {
            super(SteveType.PROVISIONING_CLUSTER);
        }

        @Override
        Collection<ClusterObject> candidates(String namespace, ListQuery query) {
            return inNamespace(store.clusters, namespace);
        }

        @Override
        ClusterObject find(String namespace, String name) {
            return store.clusters.get(namespace + "/" + name);
        }

        @Override
        ObjectNode render(ClusterObject c) {
            return Renderer.provisioningCluster(c);
        }

        @Override
        Meta meta(ClusterObject c) {
            return c.meta;
        }

        @Override
        ClusterObject create(String namespace, ObjectNode body, ApiRequest req) {
            JsonNode metadata = body.path("metadata");
            String name = newName(type, metadata, n -> store.clusters.containsKey(namespace + "/" + n));
            if (name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
                throw ApiError.badRequest(
                        CLUSTER_WEBHOOK + "cluster name must be a valid DNS label of at most 63 characters: " + name);
            }
            ObjectNode spec = specOf(type, name, body);
            validateSpec(name, namespace, null, spec);
            Meta meta = store.newMeta(namespace, name);
            meta.labels = stringMap(metadata.path("labels"));
            meta.annotations = stringMap(metadata.path("annotations"));
            return lifecycle.createCluster(meta, spec, false);
        }

        @Override
        void update(ClusterObject c, ObjectNode desired) {
            ObjectNode spec = specOf(type, c.name(), desired);
            validateSpec(c.name(), c.meta.namespace, c.spec, spec);
            boolean changed = applyMetadata(c.meta, desired);
            if (!spec.equals(c.spec)) {
                c.spec = spec;
                c.meta.generation++;
                changed = true;
                lifecycle.specChanged(c);
            }
            if (changed) {
                c.meta.resourceVersion = store.nextRevision();
            }
        }

        @Override
        boolean delete(ClusterObject c) {
            lifecycle.deleteCluster(c);
            return false;
        }

        /** The CRD schema and rancher-webhook checks the simulator reproduces. */
        private void validateSpec(String name, String namespace, ObjectNode oldSpec, ObjectNode spec) {
            String invalid = Pools.validate(spec);
            if (invalid != null) {
                throw ApiError.invalid(type.kindGroup(), name, invalid);
            }
            JsonNode restore = spec.path("rkeConfig").path("etcdSnapshotRestore");
            JsonNode oldRestore =
                    oldSpec == null ? null : oldSpec.path("rkeConfig").path("etcdSnapshotRestore");
            if (restore.isObject() && !restore.equals(oldRestore)) {
                String snapshot = restore.path("name").asText("");
                String mode = restore.path("restoreRKEConfig").asText("");
                if (!mode.isEmpty()
                        && !Set.of("none", "kubernetesVersion", "all").contains(mode)) {
                    throw ApiError.badRequest(CLUSTER_WEBHOOK
                            + "etcdSnapshotRestore.restoreRKEConfig: Unsupported value: \"" + mode
                            + "\": supported values: \"none\", \"kubernetesVersion\", \"all\"");
                }
                if (!snapshot.isEmpty() && restore.path("generation").asLong(0) > 0) {
                    EtcdSnapshotObject found = store.snapshots.get(namespace + "/" + snapshot);
                    if (found == null || !found.clusterName().equals(name)) {
                        throw ApiError.badRequest(CLUSTER_WEBHOOK + "etcdSnapshotRestore.name: Invalid value: \""
                                + snapshot + "\": etcd snapshot " + namespace + "/" + snapshot
                                + " not found for cluster " + name);
                    }
                }
            }
        }
    }

    private final class ManagementClusters extends Kind<ClusterObject> {
        ManagementClusters() {
            super(SteveType.MANAGEMENT_CLUSTER);
        }

        @Override
        Collection<ClusterObject> candidates(String namespace, ListQuery query) {
            List<ClusterObject> out = new ArrayList<>(store.clustersByManagementId.values());
            out.sort((a, b) -> a.managementId.compareTo(b.managementId));
            return out;
        }

        @Override
        ClusterObject find(String namespace, String name) {
            return store.clustersByManagementId.get(name);
        }

        @Override
        ObjectNode render(ClusterObject c) {
            return Renderer.managementCluster(c);
        }

        @Override
        Meta meta(ClusterObject c) {
            return c.meta;
        }

        /** With multi-cluster management, Steve sends kubeconfig generation to the v3 URL. */
        @Override
        ApiResponse action(ClusterObject c, String action, ApiRequest req) {
            if (action.equals("generateKubeconfig")) {
                return ApiResponse.redirect(req.base() + "/v3/clusters/" + c.managementId + "?action=" + action);
            }
            return super.action(c, action, req);
        }
    }

    private final class ControlPlanes extends Kind<ClusterObject> {
        ControlPlanes() {
            super(SteveType.CONTROL_PLANE);
        }

        @Override
        Collection<ClusterObject> candidates(String namespace, ListQuery query) {
            return inNamespace(store.clusters, namespace);
        }

        @Override
        ClusterObject find(String namespace, String name) {
            return store.clusters.get(namespace + "/" + name);
        }

        @Override
        ObjectNode render(ClusterObject c) {
            return Renderer.controlPlane(c);
        }

        @Override
        Meta meta(ClusterObject c) {
            return c.meta;
        }
    }

    private final class Machines extends Kind<MachineObject> {
        Machines() {
            super(SteveType.MACHINE);
        }

        @Override
        Collection<MachineObject> candidates(String namespace, ListQuery query) {
            String clusterName = query.equalityOn("spec.clusterName");
            if (clusterName == null) {
                return inNamespace(store.machines, namespace);
            }
            List<MachineObject> out = new ArrayList<>();
            for (ClusterObject c : store.clusters.values()) {
                if (c.name().equals(clusterName) && (namespace == null || c.meta.namespace.equals(namespace))) {
                    out.addAll(c.machines);
                }
            }
            out.sort((a, b) -> a.meta.id().compareTo(b.meta.id()));
            return out;
        }

        @Override
        MachineObject find(String namespace, String name) {
            return store.machines.get(namespace + "/" + name);
        }

        @Override
        ObjectNode render(MachineObject m) {
            PoolSpec pool = null;
            for (PoolSpec p : m.cluster.pools) {
                if (p.name().equals(m.pool)) {
                    pool = p;
                }
            }
            return Renderer.machine(m, pool == null ? null : pool.unhealthyNodeTimeout());
        }

        @Override
        Meta meta(MachineObject m) {
            return m.meta;
        }

        /** Labels and annotations only: the rest of a Machine belongs to its MachineSet. */
        @Override
        void update(MachineObject m, ObjectNode desired) {
            if (applyMetadata(m.meta, desired)) {
                m.meta.resourceVersion = store.nextRevision();
            }
        }

        @Override
        boolean delete(MachineObject m) {
            if (m.cluster.machineDeletionRefused) {
                throw ApiError.badRequest(MACHINE_DELETION_WEBHOOK + "deletion of machine " + m.meta.id()
                        + " of cluster " + m.cluster.name() + " is refused (machine-deletion fault)");
            }
            lifecycle.deleteMachine(m);
            store.machineDeletionAccepted(m);
            return false;
        }
    }

    private final class MachineConfigs extends Kind<MachineConfigObject> {
        MachineConfigs(SteveType type) {
            super(type);
        }

        @Override
        Collection<MachineConfigObject> candidates(String namespace, ListQuery query) {
            return inNamespace(store.machineConfigs(type.plural()), namespace);
        }

        @Override
        MachineConfigObject find(String namespace, String name) {
            return store.machineConfig(type.plural(), namespace, name);
        }

        @Override
        ObjectNode render(MachineConfigObject o) {
            return Renderer.machineConfig(o);
        }

        @Override
        Meta meta(MachineConfigObject o) {
            return o.meta;
        }

        @Override
        MachineConfigObject create(String namespace, ObjectNode body, ApiRequest req) {
            JsonNode metadata = body.path("metadata");
            String name = newName(type, metadata, n -> store.machineConfig(type.plural(), namespace, n) != null);
            Meta meta = store.newMeta(namespace, name);
            meta.labels = stringMap(metadata.path("labels"));
            meta.annotations = stringMap(metadata.path("annotations"));
            MachineConfigObject o = new MachineConfigObject(meta, type.plural(), type.kind(), fields(body));
            store.machineConfigs(type.plural()).put(meta.id(), o);
            return o;
        }

        @Override
        void update(MachineConfigObject o, ObjectNode desired) {
            ObjectNode fields = fields(desired);
            boolean changed = applyMetadata(o.meta, desired);
            if (!fields.equals(o.fields)) {
                o.fields = fields;
                o.meta.generation++;
                changed = true;
            }
            if (changed) {
                o.meta.resourceVersion = store.nextRevision();
            }
        }

        @Override
        boolean delete(MachineConfigObject o) {
            store.machineConfigs(type.plural()).remove(o.meta.id());
            return true;
        }

        private static ObjectNode fields(ObjectNode body) {
            ObjectNode fields = Json.object();
            for (Map.Entry<String, JsonNode> e : body.properties()) {
                if (!ENVELOPE_FIELDS.contains(e.getKey())) {
                    fields.set(e.getKey(), e.getValue().deepCopy());
                }
            }
            return fields;
        }
    }

    private final class Snapshots extends Kind<EtcdSnapshotObject> {
        Snapshots() {
            super(SteveType.ETCD_SNAPSHOT);
        }

        @Override
        Collection<EtcdSnapshotObject> candidates(String namespace, ListQuery query) {
            return inNamespace(store.snapshots, namespace);
        }

        @Override
        EtcdSnapshotObject find(String namespace, String name) {
            return store.snapshots.get(namespace + "/" + name);
        }

        @Override
        ObjectNode render(EtcdSnapshotObject s) {
            return Renderer.snapshot(s, store.clusters.get(s.meta().namespace + "/" + s.clusterName()));
        }

        @Override
        Meta meta(EtcdSnapshotObject s) {
            return s.meta();
        }

        @Override
        boolean delete(EtcdSnapshotObject s) {
            store.snapshots.remove(s.meta().id());
            return true;
        }
    }

    /**
     * ext Tokens ({@code pkg/ext/stores/tokens}): always created for the caller (a {@code spec.userID} naming
     * someone else is refused), cluster-scoped ones only for a cluster the caller may get; an admin sees and deletes
     * everyone's, a user only its own (others' are not found).
     */
    private final class ExtTokens extends Kind<ApiToken> {
        ExtTokens() {
            super(SteveType.EXT_TOKEN);
        }

        private boolean visible(ApiToken t) {
            return t.kind().startsWith("ext") && (caller.admin() || t.userId().equals(caller.userId()));
        }

        @Override
        Collection<ApiToken> candidates(String namespace, ListQuery query) {
            List<ApiToken> out = new ArrayList<>();
            for (ApiToken t : store.tokens.values()) {
                if (visible(t)) {
                    out.add(t);
                }
            }
            return out;
        }

        @Override
        ApiToken find(String namespace, String name) {
            ApiToken t = store.tokens.get(name);
            return t != null && visible(t) ? t : null;
        }

        @Override
        ObjectNode render(ApiToken t) {
            return Renderer.extToken(t, store.users.get(t.userId()), store.now(), false);
        }

        @Override
        Meta meta(ApiToken t) {
            Meta meta = new Meta(null, t.name(), t.uid(), t.created(), t.resourceVersion());
            meta.labels.putAll(t.labels());
            return meta;
        }

        @Override
        ApiToken create(String namespace, ObjectNode body, ApiRequest req) {
            JsonNode spec = body.path("spec");
            String userId = spec.path("userID").asText("");
            if (!userId.isEmpty() && !userId.equals(caller.userId())) {
                throw ApiError.badRequest("unable to create token for other user");
            }
            String clusterId = spec.path("clusterName").asText("");
            if (!clusterId.isEmpty()) {
                if (!store.clustersByManagementId.containsKey(clusterId)) {
                    throw ApiError.badRequest("cluster " + clusterId + " not found");
                }
                if (!caller.admin() && !store.boundToCluster(caller.userId(), clusterId)) {
                    throw ApiError.of(
                            403,
                            "Forbidden",
                            "tokens.ext.cattle.io is forbidden: user " + caller.userId()
                                    + " is not allowed to access cluster " + clusterId);
                }
            }
            long ttl = spec.path("ttl").asLong(0);
            return Kubeconfigs.mint(
                    store,
                    "ext",
                    "token-",
                    caller.userId(),
                    spec.path("description").asText(""),
                    clusterId.isEmpty() ? null : clusterId,
                    ttl <= 0 ? 0 : Math.min(ttl, MAX_TOKEN_TTL_MILLIS),
                    stringMap(body.path("metadata").path("labels")));
        }

        @Override
        ObjectNode created(String namespace, ObjectNode body, ApiRequest req) {
            ApiToken t = create(namespace, body, req);
            return Renderer.steve(
                    type, Renderer.extToken(t, store.users.get(t.userId()), store.now(), true), req.base());
        }

        @Override
        boolean delete(ApiToken t) {
            store.removeToken(t.name());
            return true;
        }
    }

    /** Users: top-level fields; deleting one removes its bindings and tokens, as Rancher's user controller does. */
    private final class Users extends Kind<UserObject> {
        private static final String WEBHOOK =
                "admission webhook \"rancher.cattle.io.users.management.cattle.io\" denied the request: ";

        Users() {
            super(SteveType.USER);
        }

        @Override
        Collection<UserObject> candidates(String namespace, ListQuery query) {
            return new ArrayList<>(store.users.values());
        }

        @Override
        UserObject find(String namespace, String name) {
            return store.users.get(name);
        }

        @Override
        ObjectNode render(UserObject u) {
            return Renderer.user(u);
        }

        @Override
        Meta meta(UserObject u) {
            return u.meta;
        }

        @Override
        UserObject create(String namespace, ObjectNode body, ApiRequest req) {
            JsonNode metadata = body.path("metadata");
            String name = newName(type, metadata, store.users::containsKey);
            String username = body.path("username").asText("");
            if (username.isEmpty()) {
                throw ApiError.badRequest(WEBHOOK + "username is required");
            }
            for (UserObject other : store.users.values()) {
                if (other.username.equals(username)) {
                    throw ApiError.badRequest(WEBHOOK + "username " + username + " is already in use");
                }
            }
            Meta meta = store.newMeta(null, name);
            meta.labels = stringMap(metadata.path("labels"));
            meta.annotations = stringMap(metadata.path("annotations"));
            UserObject u = new UserObject(meta, username);
            fields(u, body);
            store.users.put(name, u);
            return u;
        }

        @Override
        void update(UserObject u, ObjectNode desired) {
            String username = desired.path("username").asText(u.username);
            if (!username.equals(u.username)) {
                throw ApiError.badRequest(WEBHOOK + "field username is immutable");
            }
            String before = Json.write(Renderer.user(u));
            applyMetadata(u.meta, desired);
            fields(u, desired);
            if (!before.equals(Json.write(Renderer.user(u)))) {
                u.meta.resourceVersion = store.nextRevision();
            }
        }

        private static void fields(UserObject u, JsonNode body) {
            u.displayName = body.path("displayName").isTextual()
                    ? body.path("displayName").asText()
                    : null;
            u.description = body.path("description").isTextual()
                    ? body.path("description").asText()
                    : null;
            u.enabled = body.path("enabled").asBoolean(true);
            u.mustChangePassword = body.path("mustChangePassword").asBoolean(false);
        }

        @Override
        boolean delete(UserObject u) {
            store.deleteUser(u);
            return true;
        }
    }

    /** GlobalRoleBindings and ClusterRoleTemplateBindings: role and subject fixed at creation (webhook). */
    private final class RoleBindings extends Kind<RoleBindingObject> {
        private final boolean cluster;
        private final Map<String, RoleBindingObject> byId;
        private final String webhook;

        RoleBindings(SteveType type) {
            super(type);
            this.cluster = type == SteveType.CLUSTER_ROLE_TEMPLATE_BINDING;
            this.byId = cluster ? store.clusterRoleTemplateBindings : store.globalRoleBindings;
            this.webhook = "admission webhook \"rancher.cattle.io." + type.plural() + ".management.cattle.io\""
                    + " denied the request: ";
        }

        @Override
        Collection<RoleBindingObject> candidates(String namespace, ListQuery query) {
            return inNamespace(byId, namespace);
        }

        @Override
        RoleBindingObject find(String namespace, String name) {
            return byId.get(namespace == null ? name : namespace + "/" + name);
        }

        @Override
        ObjectNode render(RoleBindingObject b) {
            return Renderer.roleBinding(b);
        }

        @Override
        Meta meta(RoleBindingObject b) {
            return b.meta();
        }

        @Override
        RoleBindingObject create(String namespace, ObjectNode body, ApiRequest req) {
            if (cluster && !store.clustersByManagementId.containsKey(namespace)) {
                throw ApiError.notFound("namespaces", namespace);
            }
            JsonNode metadata = body.path("metadata");
            String name = newName(type, metadata, n -> find(namespace, n) != null);
            RoleBindingObject b = binding(store.newMeta(namespace, name), body);
            b.meta().labels = stringMap(metadata.path("labels"));
            b.meta().annotations = stringMap(metadata.path("annotations"));
            byId.put(b.meta().id(), b);
            return b;
        }

        private RoleBindingObject binding(Meta meta, JsonNode body) {
            String role =
                    body.path(cluster ? "roleTemplateName" : "globalRoleName").asText("");
            if (cluster) {
                String clusterName = body.path("clusterName").asText("");
                if (!clusterName.equals(meta.namespace)) {
                    throw ApiError.badRequest(webhook + "clusterName and namespace must be the same cluster, got "
                            + "clusterName \"" + clusterName + "\" in namespace " + meta.namespace);
                }
                if (!ROLE_TEMPLATES.contains(role)) {
                    throw ApiError.badRequest(
                            webhook + "roletemplates.management.cattle.io \"" + role + "\" not found");
                }
            } else if (!GLOBAL_ROLES.contains(role)) {
                throw ApiError.badRequest(webhook + "globalroles.management.cattle.io \"" + role + "\" not found");
            }
            String userName = text(body, "userName");
            String userPrincipalName = text(body, "userPrincipalName");
            String groupName = cluster ? text(body, "groupName") : null;
            String groupPrincipalName = text(body, "groupPrincipalName");
            boolean user = userName != null || userPrincipalName != null;
            boolean group = groupName != null || groupPrincipalName != null;
            if (user == group) {
                throw ApiError.badRequest(webhook + "binding must target either a user [userId]/[userPrincipalId]"
                        + " OR a group [groupId]/[groupPrincipalId]");
            }
            return new RoleBindingObject(
                    meta,
                    cluster ? meta.namespace : null,
                    role,
                    userName,
                    userPrincipalName,
                    groupName,
                    groupPrincipalName);
        }

        private static String text(JsonNode body, String field) {
            String value = body.path(field).asText("");
            return value.isEmpty() ? null : value;
        }

        @Override
        void update(RoleBindingObject b, ObjectNode desired) {
            RoleBindingObject wanted = binding(b.meta(), desired);
            if (!Objects.equals(wanted.roleName(), b.roleName())
                    || !Objects.equals(wanted.userName(), b.userName())
                    || !Objects.equals(wanted.groupName(), b.groupName())
                    || !Objects.equals(wanted.groupPrincipalName(), b.groupPrincipalName())) {
                throw ApiError.badRequest(webhook + "the role and the subject of a binding are immutable");
            }
            if (applyMetadata(b.meta(), desired)) {
                b.meta().resourceVersion = store.nextRevision();
            }
        }

        @Override
        boolean delete(RoleBindingObject b) {
            byId.remove(b.meta().id());
            return true;
        }
    }

    private final class ExtKubeconfigs extends Kind<KubeconfigObject> {
        ExtKubeconfigs() {
            super(SteveType.EXT_KUBECONFIG);
        }

        @Override
        Collection<KubeconfigObject> candidates(String namespace, ListQuery query) {
            return new ArrayList<>(store.kubeconfigs.values());
        }

        @Override
        KubeconfigObject find(String namespace, String name) {
            return store.kubeconfigs.get(name);
        }

        @Override
        ObjectNode render(KubeconfigObject k) {
            return Renderer.kubeconfig(k, null);
        }

        @Override
        Meta meta(KubeconfigObject k) {
            return k.meta();
        }

        /** The YAML is part of the create response only; it is not stored. */
        @Override
        ObjectNode created(String namespace, ObjectNode body, ApiRequest req) {
            ObjectNode spec =
                    body.path("spec").isObject() ? ((ObjectNode) body.path("spec")).deepCopy() : Json.object();
            List<ClusterObject> clusters = new ArrayList<>();
            for (JsonNode id : spec.path("clusters")) {
                ClusterObject c = store.clustersByManagementId.get(id.asText());
                if (c == null) {
                    throw ApiError.badRequest("error getting cluster " + id.asText()
                            + ": clusters.management.cattle.io \"" + id.asText() + "\" not found");
                }
                clusters.add(c);
            }
            if (clusters.isEmpty()) {
                throw ApiError.badRequest("spec.clusters: Required value: at least one cluster is required");
            }
            String name;
            do {
                name = "kubeconfig-" + store.ids().suffix();
            } while (store.kubeconfigs.containsKey(name));
            long ttlSeconds = spec.path("ttl").asLong(0);
            ApiToken token = Kubeconfigs.mint(
                    store,
                    "ext-kubeconfig",
                    "token-",
                    caller.userId(),
                    "Kubeconfig token",
                    null,
                    ttlSeconds > 0 ? ttlSeconds * 1000 : Kubeconfigs.KUBECONFIG_TOKEN_TTL_MILLIS,
                    Map.of("authn.management.cattle.io/kind", "kubeconfig"));
            Meta meta = store.newMeta(null, name);
            meta.labels = stringMap(body.path("metadata").path("labels"));
            KubeconfigObject k = new KubeconfigObject(meta, spec, List.of(token.name()));
            store.kubeconfigs.put(name, k);
            String current = spec.path("currentContext").asText("");
            String currentContext = current.isEmpty()
                    ? clusters.get(0).displayName()
                    : clusters.stream()
                            .filter(c -> c.managementId.equals(current))
                            .map(ClusterObject::displayName)
                            .findFirst()
                            .orElse(clusters.get(0).displayName());
            String value =
                    Kubeconfigs.yaml(req.base(), clusters, token.bearerName() + ":" + token.secret(), currentContext);
            return Renderer.steve(type, Renderer.kubeconfig(k, value), req.base());
        }

        @Override
        boolean delete(KubeconfigObject k) {
            store.kubeconfigs.remove(k.meta().name);
            k.tokenNames().forEach(store::removeToken);
            return true;
        }
    }
}
