package dev.kubeyard.platform.access;

import dev.kubeyard.platform.audit.AuditLog;
import dev.kubeyard.platform.problem.Problem;
import dev.kubeyard.platform.request.CorrelationFilter;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Authenticates every request that carries one of our API tokens, as {@code Authorization: Bearer kyd_...} or, for the
 * console, in the {@value #COOKIE} cookie. It claims nothing else, so another mechanism (OIDC) may take other bearer
 * tokens. A source address that failed too often is answered 429 with Retry-After before its token is even looked
 * at. Challenges are problem+json (401), or a redirect to the login page for a browser asking for a console page.
 */
@ApplicationScoped
public class TokenAuthenticationMechanism implements HttpAuthenticationMechanism {

    /** The console's session cookie: an API token, HttpOnly, SameSite=Strict. */
    public static final String COOKIE = "kubeyard_token";

    private static final String THROTTLED = "kubeyard.throttled";
    private static final String BEARER = "Bearer ";

    @Inject
    LoginThrottle throttle;

    @Inject
    AccessService access;

    @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "false")
    boolean oidcEnabled;

    /** Before the OIDC mechanism: our tokens are ours to check, and the rest is left to it. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1000;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String bearer = bearerOf(context);
        Optional<UsernamePasswordAuthenticationRequest> login = bearer == null ? loginOf(context) : Optional.empty();
        if (bearer == null && login.isEmpty()) {
            return Uni.createFrom().optional(Optional.empty());
        }
        String source = sourceOf(context);
        Optional<Duration> blocked = throttle.blockedFor(source);
        if (blocked.isPresent()) {
            context.put(THROTTLED, blocked.get());
            return Uni.createFrom().failure(new AuthenticationFailedException("Too many failed attempts"));
        }
        String correlationId = correlationOf(context);
        if (login.isPresent()) {
            HttpSecurityUtils.setRoutingContextAttribute(login.get(), context);
            return identities.authenticate(login.get());
        }
        if (!TokenSecrets.looksLikeOurs(bearer) && oidcEnabled) {
            // Not one of ours: the OIDC mechanism checks it.
            return Uni.createFrom().optional(Optional.empty());
        }
        if (!TokenSecrets.looksLikeOurs(bearer)) {
            // Not one of ours, and no OIDC issuer is configured: a failed login all the same.
            return Uni.createFrom()
                    .<SecurityIdentity>item(() -> {
                        throttle.failed(source);
                        access.recordFailedLogin(
                                AuditLog.ANONYMOUS_ACTOR, "not a Kubeyard token", null, source, correlationId);
                        throw new AuthenticationFailedException("Not a Kubeyard token");
                    })
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }
        TokenAuthenticationRequest request = new TokenAuthenticationRequest(bearer, source, correlationId);
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identities.authenticate(request);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"kubeyard\""));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        var response = context.response();
        if (response.ended()) {
            return Uni.createFrom().item(true);
        }
        Duration wait = context.get(THROTTLED);
        String path = context.request().path();
        if (wait != null) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            response.putHeader("Retry-After", Long.toString(seconds));
            writeProblem(
                    context,
                    429,
                    "Too Many Requests",
                    "Too many failed authentication attempts from this address; try again in " + seconds + " s");
        } else if (wantsConsolePage(context, path)) {
            response.setStatusCode(303)
                    .putHeader(HttpHeaders.LOCATION, "/login")
                    .end();
        } else {
            response.putHeader("WWW-Authenticate", "Bearer realm=\"kubeyard\"");
            writeProblem(
                    context,
                    401,
                    "Unauthorized",
                    "Authentication required: send an API token as Authorization: Bearer kyd_... (POST /api/v1/tokens"
                            + " makes one)");
        }
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class, UsernamePasswordAuthenticationRequest.class);
    }

    /**
     * A directory login (HTTP Basic) is taken on {@value #LOGIN_PATH} only, where it is exchanged for an API token: no
     * other request ever carries a password.
     */
    static Optional<UsernamePasswordAuthenticationRequest> loginOf(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null
                || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())
                || context.request().method() != HttpMethod.POST
                || !LOGIN_PATH.equals(context.request().path())) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(header.substring(BASIC.length()).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return Optional.of(new UsernamePasswordAuthenticationRequest(
                decoded.substring(0, colon),
                new PasswordCredential(decoded.substring(colon + 1).toCharArray())));
    }

    /** Where a directory login is exchanged for an API token. */
    static final String LOGIN_PATH = "/api/v1/tokens";

    private static final String BASIC = "Basic ";

    private static void writeProblem(RoutingContext context, int status, String title, String detail) {
        JsonObject problem = new JsonObject()
                .put("type", "about:blank")
                .put("title", title)
                .put("status", status)
                .put("detail", detail)
                .put("instance", context.request().path());
        context.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(CorrelationFilter.HEADER, correlationOf(context))
                .end(problem.encode());
    }

    private static boolean wantsConsolePage(RoutingContext context, String path) {
        String accept = context.request().getHeader(HttpHeaders.ACCEPT);
        return context.request().method() == HttpMethod.GET
                && !path.startsWith("/api/")
                && !path.startsWith("/q/")
                && accept != null
                && accept.contains("text/html");
    }

    static String bearerOf(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = header.substring(BEARER.length()).trim();
            return token.isEmpty() ? null : token;
        }
        if (header != null) {
            return null;
        }
        Cookie cookie = context.request().getCookie(COOKIE);
        return cookie == null || cookie.getValue().isBlank() ? null : cookie.getValue();
    }

    /** The client's address (Quarkus' proxy-address-forwarding settings decide whether Forwarded headers count). */
    static String sourceOf(RoutingContext context) {
        var address = context.request().remoteAddress();
        return address == null ? "unknown" : address.hostAddress();
    }

    /** The caller's correlation id when it sent a sane one, else a new one that the response will carry. */
    static String correlationOf(RoutingContext context) {
        String existing = context.get(CORRELATION);
        if (existing != null) {
            return existing;
        }
        String given = context.request().getHeader(CorrelationFilter.HEADER);
        String id = given != null && CorrelationFilter.isSane(given)
                ? given
                : UUID.randomUUID().toString();
        context.put(CORRELATION, id);
        return id;
    }

    /** The routing-context key of the correlation id, shared with {@link CorrelationFilter}. */
    public static final String CORRELATION = "kubeyard.correlationId";
}
