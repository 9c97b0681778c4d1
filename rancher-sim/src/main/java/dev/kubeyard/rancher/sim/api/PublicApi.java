package dev.kubeyard.rancher.sim.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kubeyard.rancher.sim.store.ApiToken;
import dev.kubeyard.rancher.sim.store.SimStore;
import dev.kubeyard.rancher.sim.store.UserObject;
import java.time.Duration;
import java.util.Map;

/**
 * The unauthenticated {@code POST /v1-public/login} of the local auth provider (rancher-api.md §3): a user's
 * username and password for a session token of that user. Runs with the store lock held.
 */
public final class PublicApi {

    /** {@code auth-user-session-ttl-minutes}: 960 minutes. */
    static final long SESSION_TTL_MILLIS = Duration.ofMinutes(960).toMillis();

    private final SimStore store;

    public PublicApi(SimStore store) {
        this.store = store;
    }

    public ApiResponse login(ApiRequest req) {
        ObjectNode body;
        try {
            body = Json.parseObject(req.body());
        } catch (ApiError e) {
            return error(400, "InvalidBodyContent", "invalid login request");
        }
        if (!"localProvider".equals(body.path("type").asText(""))) {
            return error(400, "InvalidBodyContent", "unsupported auth provider type " + body.path("type"));
        }
        String username = body.path("username").asText("");
        String password = body.path("password").asText("");
        UserObject user = null;
        for (UserObject u : store.users.values()) {
            if (u.username.equals(username)) {
                user = u;
            }
        }
        if (user == null || !user.enabled || user.password == null || !user.password.equals(password)) {
            return error(401, "Unauthorized", "authentication failed");
        }
        long ttl = body.path("ttl").asLong(0);
        ApiToken session = Kubeconfigs.mint(
                store,
                "session",
                "token-",
                user.id(),
                body.path("description").asText(""),
                null,
                ttl > 0 && ttl < SESSION_TTL_MILLIS ? ttl : SESSION_TTL_MILLIS,
                Map.of("authn.management.cattle.io/kind", "session"));
        ObjectNode out = Json.object();
        out.put("baseType", "token");
        out.put("expiresAt", Json.time(session.expiresAt()));
        out.put("id", session.name());
        out.put("token", session.name() + ":" + session.secret());
        out.put("type", "token");
        out.put("userId", user.id());
        return ApiResponse.json(201, out);
    }

    /** {@code ReturnAPIError}: the Norman-like body with a numeric status. */
    private static ApiResponse error(int status, String code, String message) {
        ObjectNode out = Json.object();
        out.put("baseType", "error");
        out.put("code", code);
        out.put("message", message);
        out.put("status", status);
        out.put("type", "error");
        return ApiResponse.json(status, out);
    }
}
