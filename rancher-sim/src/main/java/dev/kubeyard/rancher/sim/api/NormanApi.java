package dev.kubeyard.rancher.sim.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.SimTiming;
import dev.kubeyard.rancher.sim.store.ApiToken;
import dev.kubeyard.rancher.sim.store.ClusterObject;
import dev.kubeyard.rancher.sim.store.RegistrationTokenObject;
import dev.kubeyard.rancher.sim.store.SimStore;
import dev.kubeyard.rancher.sim.store.UserObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Norman {@code /v3} pieces that still matter (rancher-api.md §1.4): clusters with
 * {@code generateKubeconfig}, cluster registration tokens and (deprecated) tokens. Norman shapes: flat
 * status, {@code baseType}, string {@code state}/{@code transitioning}, {@code limit}/{@code marker} paging.
 * Every method runs with the store lock held.
 */
public final class NormanApi {

    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    private static final Set<String> RESERVED_PARAMS = Set.of("limit", "marker", "sort", "order", "action", "_replace");

    private final SimStore store;
    private final Supplier<SimTiming> timing;

    public NormanApi(SimStore store, Supplier<SimTiming> timing) {
        this.store = store;
        this.timing = timing;
    }

    public ApiResponse handle(ApiRequest req) {
        List<String> path = req.path();
        if (path.isEmpty()) {
            throw ApiError.of(404, "NotFound", "not found");
        }
        String type = path.get(0);
        if (!req.caller().admin() && !Set.of("clusters", "tokens", "token").contains(type)) {
            // The simulator's users have no global permissions: only their own tokens and the clusters they are
            // bound to are theirs to see.
            throw ApiError.permissionDenied("user " + req.caller().userId() + " may not access " + type);
        }
        return switch (type) {
            case "clusters" -> clusters(req, path);
            case "clusterregistrationtokens", "clusterregistrationtoken" -> registrationTokens(req, path, null);
            case "tokens", "token" -> tokens(req, path);
            case "users", "user" -> users(req, path);
            default -> throw ApiError.of(404, "NotFound", "not found");
        };
    }

    // ---- users ---------------------------------------------------------------------------------------------

    /** {@code /v3/users/<id>} (read) and its {@code setpassword} action, which an admin may call for anyone. */
    private ApiResponse users(ApiRequest req, List<String> path) {
        if (path.size() != 2) {
            throw ApiError.of(404, "NotFound", "not found");
        }
        UserObject u = store.users.get(path.get(1));
        if (u == null) {
            throw ApiError.of(404, "NotFound", "users.management.cattle.io \"" + path.get(1) + "\" not found");
        }
        String action = req.param("action");
        if (req.method().equals("POST") && action != null) {
            if (!action.equals("setpassword")) {
                throw ApiError.of(422, "InvalidAction", "Invalid action: " + action);
            }
            String password = Json.parseObject(req.body()).path("newPassword").asText("");
            if (password.isEmpty()) {
                throw fieldError(422, "MissingRequired", "newPassword", "newPassword is required");
            }
            u.password = password;
            u.meta.resourceVersion = store.nextRevision();
            return ApiResponse.json(200, user(u, req.base()));
        }
        if (!req.method().equals("GET")) {
            throw ApiError.methodNotAllowed(req.method());
        }
        return ApiResponse.json(200, user(u, req.base()));
    }

    private static ObjectNode user(UserObject u, String base) {
        String self = base + "/v3/users/" + u.id();
        ObjectNode out = Json.object();
        out.putObject("actions").put("setpassword", self + "?action=setpassword");
        out.set("annotations", Json.map(u.meta.annotations));
        out.put("baseType", "user");
        created(out, u.meta.creationTimestamp);
        out.put("creatorId", Renderer.USER_ID);
        out.put("description", u.description == null ? "" : u.description);
        out.put("enabled", u.enabled);
        out.put("id", u.id());
        out.set("labels", Json.map(u.meta.labels));
        ObjectNode links = out.putObject("links");
        links.put("remove", self);
        links.put("self", self);
        links.put("update", self);
        out.put("me", false);
        out.put("mustChangePassword", u.mustChangePassword);
        out.put("name", u.displayName == null ? "" : u.displayName);
        out.putArray("principalIds").add(u.principalId());
        out.put("state", u.enabled ? "active" : "inactive");
        out.put("transitioning", "no");
        out.put("transitioningMessage", "");
        out.put("type", "user");
        out.put("username", u.username);
        out.put("uuid", u.meta.uid);
        return out;
    }

    // ---- clusters ------------------------------------------------------------------------------------------

    private ApiResponse clusters(ApiRequest req, List<String> path) {
        if (path.size() == 1) {
            if (!req.method().equals("GET")) {
                throw ApiError.methodNotAllowed(req.method());
            }
            List<ObjectNode> all = new ArrayList<>();
            List<ClusterObject> clusters = new ArrayList<>(store.clustersByManagementId.values());
            clusters.sort((a, b) -> a.managementId.compareTo(b.managementId));
            for (ClusterObject c : clusters) {
                if (req.caller().admin() || store.boundToCluster(req.caller().userId(), c.managementId)) {
                    all.add(cluster(c, req.base()));
                }
            }
            ObjectNode out = collection("cluster", req, all);
            out.putObject("actions").put("createFromTemplate", req.base() + "/v3/clusters?action=createFromTemplate");
            return ApiResponse.json(200, out);
        }
        ClusterObject c = store.clustersByManagementId.get(path.get(1));
        if (c != null
                && !req.caller().admin()
                && !store.boundToCluster(req.caller().userId(), c.managementId)) {
            c = null;
        }
        if (c == null) {
            throw ApiError.of(404, "NotFound", "clusters.management.cattle.io \"" + path.get(1) + "\" not found");
        }
        if (path.size() == 3
                && path.get(2).equals("clusterregistrationtokens")
                && req.caller().admin()) {
            return registrationTokens(req, List.of("clusterregistrationtokens"), c.managementId);
        }
        if (path.size() > 2) {
            throw ApiError.of(404, "NotFound", "not found");
        }
        String action = req.param("action");
        if (req.method().equals("POST") && action != null) {
            return switch (action) {
                case "generateKubeconfig" -> generateKubeconfig(c, req);
                case "importYaml" -> throw ApiError.of(404, "NotFound", "not found");
                default -> throw ApiError.of(422, "InvalidAction", "Invalid action: " + action);
            };
        }
        if (!req.method().equals("GET")) {
            throw ApiError.methodNotAllowed(req.method());
        }
        return ApiResponse.json(200, cluster(c, req.base()));
    }

    ObjectNode cluster(ClusterObject c, String base) {
        ObjectNode kube = Renderer.managementCluster(c);
        StateSummary.State state = StateSummary.summarize(kube, false);
        String self = base + "/v3/clusters/" + c.managementId;
        ObjectNode out = Json.object();
        ObjectNode actions = out.putObject("actions");
        actions.put("generateKubeconfig", self + "?action=generateKubeconfig");
        actions.put("importYaml", self + "?action=importYaml");
        out.set("annotations", kube.path("metadata").path("annotations"));
        out.put("baseType", "cluster");
        ObjectNode status = (ObjectNode) kube.path("status");
        ObjectNode spec = (ObjectNode) kube.path("spec");
        for (Map.Entry<String, JsonNode> e : spec.properties()) {
            if (!e.getKey().equals("displayName")) {
                out.set(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, JsonNode> e : status.properties()) {
            out.set(e.getKey(), e.getValue());
        }
        created(out, c.meta.creationTimestamp);
        out.put("creatorId", Renderer.USER_ID);
        out.put("id", c.managementId);
        out.set("labels", kube.path("metadata").path("labels"));
        ObjectNode links = out.putObject("links");
        links.put("clusterRegistrationTokens", self + "/clusterregistrationtokens");
        links.put("nodes", self + "/nodes");
        links.put("self", self);
        links.put("shell", base.replaceFirst("^http", "ws") + "/v3/clusters/" + c.managementId + "?shell=true");
        out.put("name", c.displayName());
        out.put("state", state.name());
        out.put("transitioning", state.error() ? "error" : state.transitioning() ? "yes" : "no");
        out.put("transitioningMessage", String.join("; ", state.messages()));
        out.put("type", "cluster");
        out.put("uuid", c.managementUid);
        return out;
    }

    private ApiResponse generateKubeconfig(ClusterObject c, ApiRequest req) {
        ApiToken token = Kubeconfigs.mint(
                store,
                "kubeconfig",
                "kubeconfig-u-",
                req.caller().userId(),
                "Kubeconfig token",
                null,
                Kubeconfigs.KUBECONFIG_TOKEN_TTL_MILLIS,
                Map.of("authn.management.cattle.io/kind", "kubeconfig"));
        ObjectNode out = Json.object();
        out.put("baseType", "generateKubeconfigOutput");
        out.put(
                "config",
                Kubeconfigs.yaml(req.base(), List.of(c), token.name() + ":" + token.secret(), c.displayName()));
        out.put("type", "generateKubeconfigOutput");
        return ApiResponse.json(200, out);
    }

    // ---- registration tokens -------------------------------------------------------------------------------

    private ApiResponse registrationTokens(ApiRequest req, List<String> path, String clusterScope) {
        if (path.size() == 1) {
            return switch (req.method()) {
                case "GET" -> {
                    List<ObjectNode> all = new ArrayList<>();
                    for (RegistrationTokenObject t : store.registrationTokens.values()) {
                        if (clusterScope == null || t.clusterId().equals(clusterScope)) {
                            all.add(registrationToken(t, req.base()));
                        }
                    }
                    yield ApiResponse.json(200, collection("clusterRegistrationToken", req, all));
                }
                case "POST" -> createRegistrationToken(req, clusterScope);
                default -> throw ApiError.methodNotAllowed(req.method());
            };
        }
        if (path.size() > 2) {
            throw ApiError.of(404, "NotFound", "not found");
        }
        RegistrationTokenObject t = store.registrationTokens.get(path.get(1));
        if (t == null) {
            String name = path.get(1).contains(":")
                    ? path.get(1).substring(path.get(1).indexOf(':') + 1)
                    : path.get(1);
            throw ApiError.of(
                    404, "NotFound", "clusterregistrationtokens.management.cattle.io \"" + name + "\" not found");
        }
        return switch (req.method()) {
            case "GET" -> ApiResponse.json(200, registrationToken(t, req.base()));
            case "DELETE" -> {
                ObjectNode before = registrationToken(t, req.base());
                store.registrationTokens.remove(t.id());
                yield ApiResponse.json(200, before);
            }
            default -> throw ApiError.methodNotAllowed(req.method());
        };
    }

    private ApiResponse createRegistrationToken(ApiRequest req, String clusterScope) {
        ObjectNode body = Json.parseObject(req.body());
        String clusterId = body.path("clusterId").asText(clusterScope == null ? "" : clusterScope);
        if (clusterId.isEmpty()) {
            throw fieldError(422, "MissingRequired", "clusterId", "clusterId is required");
        }
        if (!store.clustersByManagementId.containsKey(clusterId)) {
            throw fieldError(422, "InvalidReference", "clusterId", "Invalid reference: clusterId");
        }
        String name = body.path("name").asText("");
        if (name.isEmpty()) {
            do {
                name = "crt-" + store.ids().suffix();
            } while (store.registrationTokens.containsKey(clusterId + ":" + name));
        } else if (store.registrationTokens.containsKey(clusterId + ":" + name)) {
            throw ApiError.of(
                    409,
                    "AlreadyExists",
                    "clusterregistrationtokens.management.cattle.io \"" + name + "\" already exists");
        }
        Instant now = store.now();
        RegistrationTokenObject t = new RegistrationTokenObject(
                clusterId,
                name,
                store.ids().uid(),
                store.ids().tokenSecret(),
                now,
                now.plusMillis(timing.get().registrationCommandMillis()));
        store.registrationTokens.put(t.id(), t);
        return ApiResponse.json(201, registrationToken(t, req.base()));
    }

    /** The command fields stay empty until the controller fills them ({@code registrationCommandMillis}). */
    ObjectNode registrationToken(RegistrationTokenObject t, String base) {
        boolean filled = !store.now().isBefore(t.commandsAt());
        String token = filled ? t.token() : "";
        String manifestUrl = filled ? base + "/v3/import/" + token + "_" + t.clusterId() + ".yaml" : "";
        String self = base + "/v3/clusterregistrationtokens/" + t.id();
        ObjectNode out = Json.object();
        out.putObject("actions");
        out.putObject("annotations");
        out.put("baseType", "clusterRegistrationToken");
        out.put("clusterId", t.clusterId());
        out.put("command", filled ? "kubectl apply -f " + manifestUrl : "");
        created(out, t.created());
        out.put("creatorId", Renderer.USER_ID);
        out.put("id", t.id());
        out.put("insecureCommand", filled ? "curl --insecure -sfL " + manifestUrl + " | kubectl apply -f -" : "");
        out.put("insecureNodeCommand", filled ? nodeCommand(base, token, true) : "");
        out.put("insecureWindowsNodeCommand", filled ? windowsCommand(base, token, true) : "");
        out.putObject("labels").put("cattle.io/creator", "norman");
        ObjectNode links = out.putObject("links");
        links.put("remove", self);
        links.put("self", self);
        links.put("update", self);
        out.put("manifestUrl", manifestUrl);
        out.put("name", t.name());
        out.put("namespaceId", t.clusterId());
        out.put("nodeCommand", filled ? nodeCommand(base, token, false) : "");
        out.put("state", "active");
        out.put("token", token);
        out.put("transitioning", "no");
        out.put("transitioningMessage", "");
        out.put("type", "clusterRegistrationToken");
        out.put("uuid", t.uid());
        out.put("windowsNodeCommand", filled ? windowsCommand(base, token, false) : "");
        return out;
    }

    /**
     * {@code <envvars> curl -fL <url>/system-agent-install.sh | sudo <envvars> sh -s - ...}: with no agent
     * environment variables it starts with a space and has two spaces after {@code sudo}.
     */
    static String nodeCommand(String base, String token, boolean insecure) {
        return " curl " + (insecure ? "--insecure " : "") + "-fL " + base + "/system-agent-install.sh | sudo  sh -s -"
                + " --server " + base + " --label 'cattle.io/os=linux' --token " + token;
    }

    static String windowsCommand(String base, String token, boolean insecure) {
        return "curl.exe " + (insecure ? "--insecure " : "") + "-fL " + base + "/wins-agent-install.ps1 -o install.ps1;"
                + " Set-ExecutionPolicy Bypass -Scope Process -Force; ./install.ps1 -Server " + base
                + " -Label 'cattle.io/os=windows' -Token " + token + " -Worker";
    }

    // ---- tokens --------------------------------------------------------------------------------------------

    private ApiResponse tokens(ApiRequest req, List<String> path) {
        if (path.size() == 1) {
            return switch (req.method()) {
                case "GET" -> {
                    List<ObjectNode> all = new ArrayList<>();
                    for (ApiToken t : store.tokens.values()) {
                        if (!t.kind().startsWith("ext") && visibleTo(req.caller(), t)) {
                            all.add(token(t, req.base(), false));
                        }
                    }
                    yield ApiResponse.json(200, collection("token", req, all));
                }
                case "POST" -> {
                    ObjectNode body = Json.parseObject(req.body());
                    ApiToken t = Kubeconfigs.mint(
                            store,
                            "v3",
                            "token-",
                            req.caller().userId(),
                            body.path("description").asText(""),
                            body.path("clusterId").isTextual()
                                    ? body.path("clusterId").asText()
                                    : null,
                            Math.max(0, body.path("ttl").asLong(0)),
                            Map.of());
                    yield ApiResponse.json(201, token(t, req.base(), true));
                }
                default -> throw ApiError.methodNotAllowed(req.method());
            };
        }
        if (path.size() > 2) {
            throw ApiError.of(404, "NotFound", "not found");
        }
        ApiToken t = store.tokens.get(path.get(1));
        if (t == null || t.kind().startsWith("ext") || !visibleTo(req.caller(), t)) {
            throw ApiError.of(404, "NotFound", "tokens.management.cattle.io \"" + path.get(1) + "\" not found");
        }
        return switch (req.method()) {
            case "GET" -> ApiResponse.json(200, token(t, req.base(), false));
            case "DELETE" -> {
                store.removeToken(t.name());
                yield ApiResponse.json(200, token(t, req.base(), false));
            }
            default -> throw ApiError.methodNotAllowed(req.method());
        };
    }

    /** v3 tokens are their owner's only, even for an admin (rancher/rancher#38784). */
    private static boolean visibleTo(Caller caller, ApiToken t) {
        return t.userId().equals(caller.userId());
    }

    private static ObjectNode token(ApiToken t, String base, boolean withSecret) {
        String self = base + "/v3/tokens/" + t.name();
        ObjectNode out = Json.object();
        out.putObject("annotations");
        out.put("authProvider", "local");
        out.put("baseType", "token");
        Json.putIfNotNull(out, "clusterId", t.clusterId());
        created(out, t.created());
        out.put("current", false);
        out.put("description", t.description());
        out.put("enabled", true);
        out.put("expired", t.expiresAt() != null && t.expiresAt().isBefore(Instant.now()));
        out.put("expiresAt", t.expiresAt() == null ? "" : Json.time(t.expiresAt()));
        out.put("id", t.name());
        out.put("isDerived", true);
        ObjectNode labels = out.putObject("labels");
        labels.put("authn.management.cattle.io/token-userId", t.userId());
        t.labels().forEach(labels::put);
        labels.put("cattle.io/creator", "norman");
        ObjectNode links = out.putObject("links");
        links.put("remove", self);
        links.put("self", self);
        out.put("name", t.name());
        if (withSecret) {
            out.put("token", t.name() + ":" + t.secret());
        }
        out.put("ttl", t.ttlMillis());
        out.put("type", "token");
        out.put("userId", t.userId());
        out.put("userPrincipal", "local://" + t.userId());
        out.put("uuid", t.uid());
        return out;
    }

    // ---- shared --------------------------------------------------------------------------------------------

    private static void created(ObjectNode out, Instant created) {
        out.put("created", Json.time(created));
        out.put("createdTS", created.toEpochMilli());
    }

    static ApiError fieldError(int status, String code, String field, String message) {
        return ApiError.field(status, code, field, message);
    }

    /** Norman's collection with equality filters ({@code field=value}, {@code field_ne=value}) and paging. */
    private static ObjectNode collection(String resourceType, ApiRequest req, List<ObjectNode> all) {
        List<ObjectNode> matches = new ArrayList<>();
        for (ObjectNode o : all) {
            if (matchesFilters(o, req)) {
                matches.add(o);
            }
        }
        String sort = req.param("sort");
        if (sort != null && !sort.isEmpty()) {
            matches.sort((a, b) -> ListQuery.compareValues(
                    a.path(sort).asText(""), b.path(sort).asText("")));
        }
        if ("desc".equals(req.param("order"))) {
            Collections.reverse(matches);
        }
        int limit = DEFAULT_LIMIT;
        String limitParam = req.param("limit");
        if (limitParam != null && !limitParam.isEmpty()) {
            try {
                limit = Integer.parseInt(limitParam);
            } catch (NumberFormatException e) {
                throw ApiError.of(422, "InvalidFormat", "Invalid limit: " + limitParam);
            }
            if (limit <= 0 || limit > MAX_LIMIT) {
                limit = MAX_LIMIT;
            }
        }
        int from = 0;
        String marker = req.param("marker");
        if (marker != null && !marker.isEmpty()) {
            for (int i = 0; i < matches.size(); i++) {
                if (matches.get(i).path("id").asText().equals(marker)) {
                    from = i;
                    break;
                }
            }
        }
        int to = Math.min(matches.size(), from + limit);
        String self = req.base() + "/v3/" + String.join("/", req.path());
        ObjectNode out = Json.object();
        out.put("type", "collection");
        out.put("resourceType", resourceType);
        out.putObject("links").put("self", self);
        out.putObject("createTypes").put(resourceType, self);
        out.putObject("actions");
        ObjectNode pagination = out.putObject("pagination");
        pagination.put("limit", limit);
        pagination.put("total", matches.size());
        if (to < matches.size() || from > 0) {
            pagination.put("partial", true);
            pagination.put("first", markerLink(self, req, limit, null));
            if (to < matches.size()) {
                pagination.put(
                        "next",
                        markerLink(self, req, limit, matches.get(to).path("id").asText()));
            }
        }
        ObjectNode sortNode = out.putObject("sort");
        sortNode.put("order", "desc".equals(req.param("order")) ? "desc" : "asc");
        sortNode.put("reverse", self + "?order=" + ("desc".equals(req.param("order")) ? "asc" : "desc"));
        sortNode.putObject("links").put("name", self + "?sort=name");
        ArrayNode data = out.putArray("data");
        for (ObjectNode o : matches.subList(from, to)) {
            data.add(o);
        }
        return out;
    }

    private static boolean matchesFilters(ObjectNode o, ApiRequest req) {
        for (Map.Entry<String, List<String>> e : req.params().entrySet()) {
            String key = e.getKey();
            if (RESERVED_PARAMS.contains(key)
                    || key.startsWith("_")
                    || e.getValue().isEmpty()) {
                continue;
            }
            String value = e.getValue().get(0);
            if (key.endsWith("_ne")) {
                if (o.path(key.substring(0, key.length() - 3)).asText("").equals(value)) {
                    return false;
                }
            } else if (!o.path(key).asText("").equals(value)) {
                return false;
            }
        }
        return true;
    }

    private static String markerLink(String self, ApiRequest req, int limit, String marker) {
        StringBuilder out = new StringBuilder(self).append("?limit=").append(limit);
        for (Map.Entry<String, List<String>> e : req.params().entrySet()) {
            if (e.getKey().equals("limit") || e.getKey().equals("marker")) {
                continue;
            }
            for (String v : e.getValue()) {
                out.append('&').append(Urls.encode(e.getKey())).append('=').append(Urls.encode(v));
            }
        }
        if (marker != null) {
            out.append("&marker=").append(Urls.encode(marker));
        }
        return out.toString();
    }
}
