package dev.kubeyard.rancher.sim.api;

import dev.kubeyard.rancher.sim.store.ApiToken;
import dev.kubeyard.rancher.sim.store.SimStore;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Rancher's authenticated-route filter (rancher-api.md §3): {@code Authorization: Bearer <name>:<secret>} (or
 * Basic with base64url). Without a configured token any well-formed one passes; with one, only it and the
 * tokens the simulator minted (unexpired) do. Failures get the {@code AuthError} body whose status is a string.
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
        if (token != null && accepted(token)) {
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

    private boolean accepted(String token) {
        if (fixedToken.isEmpty()) {
            return true;
        }
        if (fixedToken.get().equals(token)) {
            return true;
        }
        int colon = token.indexOf(':');
        String name = token.substring(0, colon);
        String secret = token.substring(colon + 1);
        String stored = name.startsWith("ext/") ? name.substring(4) : name;
        return transactor.locked(() -> {
            ApiToken t = store.tokens.get(stored);
            return t != null
                    && t.bearerName().equals(name)
                    && t.secret().equals(secret)
                    && (t.expiresAt() == null || t.expiresAt().isAfter(Instant.now()));
        });
    }
}
