package dev.kubeyard.rancher.sim.api;

import dev.kubeyard.rancher.sim.store.ApiToken;
import dev.kubeyard.rancher.sim.store.SimStore;
import dev.kubeyard.rancher.sim.store.UserObject;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Rancher's authenticated-route filter (rancher-api.md §3): {@code Authorization: Bearer <name>:<secret>} (or
 * Basic with base64url). A token the simulator minted is checked as Rancher checks its own: the secret must match,
 * it must not be expired or deleted, its user must exist and be enabled, and a cluster-scoped token is accepted only
 * on {@code /k8s/clusters/<that id>/...} (or {@code /k8s/proxy/<id>/...}) and {@code /v3/clusters/<that id>...}.
 * Any other token is the admin's: without a configured token any well-formed one passes, with one only it does.
 * Failures get the {@code AuthError} body whose status is a string. The caller found is put in the routing context
 * under {@link Caller#KEY}.
 */
public final class AuthFilter implements Handler<RoutingContext> {

    static final String UNAUTHORIZED =
            "{\"type\":\"error\",\"status\":\"401\",\"message\":\"Unauthorized 401: must authenticate\"}";

    private final Transactor transactor;
    private final SimStore store;
    private final Optional<String> fixedToken;

    public AuthFilter(Transactor transactor, SimStore store, Optional<String> fixedToken) {
        this.transactor = transactor;
        this.store = store;
        this.fixedToken = fixedToken;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String token = bearer(ctx.request().getHeader("Authorization"));
        Caller caller = token == null ? null : authenticate(token, ctx.request().path());
        if (caller != null) {
            ctx.put(Caller.KEY, caller);
            ctx.next();
            return;
        }
        ctx.response()
                .setStatusCode(401)
                .putHeader("Content-Type", "application/json")
                .end(UNAUTHORIZED);
    }

    /** {@code name:secret} from the header, or null when it is missing or not of that form. */
    static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String value;
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            value = header.substring(7).trim();
        } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                value = new String(
                        Base64.getUrlDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        } else {
            return null;
        }
        int colon = value.indexOf(':');
        return colon > 0 && colon < value.length() - 1 ? value : null;
    }

    /** The caller the token authenticates on this path, or null when Rancher would refuse it. */
    private Caller authenticate(String token, String path) {
        int colon = token.indexOf(':');
        String name = token.substring(0, colon);
        String secret = token.substring(colon + 1);
        String stored = name.startsWith("ext/") ? name.substring(4) : name;
        return transactor.locked(() -> {
            ApiToken t = store.tokens.get(stored);
            if (t != null && t.bearerName().equals(name)) {
                return minted(t, secret, path);
            }
            if (store.revoked(stored)) {
                return null;
            }
            if (fixedToken.isEmpty() || fixedToken.get().equals(token)) {
                return Caller.ADMIN;
            }
            return null;
        });
    }

    private Caller minted(ApiToken t, String secret, String path) {
        if (!t.secret().equals(secret) || t.expiredAt(store.now())) {
            return null;
        }
        if (!t.userId().equals(SimStore.ADMIN_USER_ID)) {
            UserObject user = store.users.get(t.userId());
            if (user == null || !user.enabled) {
                return null;
            }
        }
        if (t.clusterId() != null && !scopedPathOf(t.clusterId(), path)) {
            return null;
        }
        return new Caller(t.userId(), t.name(), t.clusterId());
    }

    /** The paths a token scoped to one cluster is accepted on ({@code pkg/auth/requests/authenticate.go}). */
    static boolean scopedPathOf(String clusterId, String path) {
        for (String prefix : new String[] {"/k8s/clusters/", "/k8s/proxy/", "/v3/clusters/"}) {
            if (path.startsWith(prefix)) {
                String rest = path.substring(prefix.length());
                int end = rest.indexOf('/');
                String id = Urls.decode(end < 0 ? rest : rest.substring(0, end));
                return id.equals(clusterId);
            }
        }
        return false;
    }
}
