package dev.kubeyard.platform.access;

import dev.kubeyard.inventory.access.ApiToken;
import dev.kubeyard.inventory.access.ApiTokenRepository;
import dev.kubeyard.inventory.access.PlatformUser;
import dev.kubeyard.inventory.access.PlatformUserRepository;
import dev.kubeyard.inventory.access.Role;
import dev.kubeyard.inventory.access.RoleGrant;
import dev.kubeyard.inventory.access.RoleGrantRepository;
import dev.kubeyard.inventory.audit.AuditEvent;
import dev.kubeyard.platform.audit.AuditLog;
import dev.kubeyard.platform.config.PlatformConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * API tokens and the principals they stand for: issuing (the secret is returned once and only its hash kept),
 * authenticating (every request re-reads the token, its user and the user's grants, so a revocation counts from the
 * next request), revoking.
 */
@ApplicationScoped
public class AccessService {

    /** A token's last use is written at most this often. */
    static final Duration LAST_USE_GRANULARITY = Duration.ofMinutes(1);

    @Inject
    PlatformUserRepository users;

    @Inject
    RoleGrantRepository grants;

    @Inject
    ApiTokenRepository tokens;

    @Inject
    AuditLog audit;

    @Inject
    dev.kubeyard.inventory.cluster.ManagedClusterRepository clusters;

    @Inject
    PlatformConfig config;

    @Inject
    Clock clock;

    /** A token just made: the only time its secret is seen. */
    public record IssuedToken(ApiToken token, String secret) {}

    /** Why an authentication failed (recorded in the audit trail, never told to the caller). */
    public enum Failure {
        UNKNOWN_TOKEN("unknown token"),
        EXPIRED("token expired"),
        REVOKED("token revoked"),
        USER_DISABLED("user disabled");

        private final String text;

        Failure(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** The outcome of presenting a token. */
    public sealed interface Authentication {
        record Success(Principal principal) implements Authentication {}

        record Refused(Failure failure, String actor, String tokenHint) implements Authentication {
            /** A secret no token has: what guessing looks like (the throttle counts these). */
            public boolean isGuess() {
                return failure == Failure.UNKNOWN_TOKEN;
            }
        }
    }

    /** Checks a token secret; records a refusal in the audit trail (with the source address). */
    @Transactional
    public Authentication authenticate(String secret, String sourceAddress, String correlationId) {
        Instant now = clock.instant();
        Optional<ApiToken> found = tokens.findBySecretHash(TokenSecrets.hash(secret));
        Authentication result;
        if (found.isEmpty()) {
            result = new Authentication.Refused(Failure.UNKNOWN_TOKEN, AuditLog.ANONYMOUS_ACTOR, null);
        } else {
            ApiToken token = found.get();
            PlatformUser user = token.getUser();
            if (token.getRevokedAt().isPresent()) {
                result = new Authentication.Refused(Failure.REVOKED, user.getName(), token.getHint());
            } else if (!token.isValidAt(now)) {
                result = new Authentication.Refused(Failure.EXPIRED, user.getName(), token.getHint());
            } else if (user.isDisabled()) {
                result = new Authentication.Refused(Failure.USER_DISABLED, user.getName(), token.getHint());
            } else {
                tokens.noteUse(token.getId(), now, sourceAddress, LAST_USE_GRANULARITY);
                return new Authentication.Success(principalOf(user));
            }
        }
        Authentication.Refused refused = (Authentication.Refused) result;
        recordFailedLogin(refused.actor(), refused.failure().text(), refused.tokenHint(), sourceAddress, correlationId);
        return result;
    }

    /** Records a failed authentication that never reached a token (a malformed one, a wrong password). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordFailedLogin(
            String actor, String why, String tokenHint, String sourceAddress, String correlationId) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("why", why);
        if (tokenHint != null) {
            details.put("token", tokenHint);
        }
        audit.record(
                actor,
                "auth.failed",
                "user",
                actor,
                AuditLog.REASON_SECURITY,
                correlationId,
                details,
                AuditEvent.FAILED,
                sourceAddress);
    }

    /** A platform user as the Rancher sweep sees them: name, whether disabled, and the roles they hold now. */
    public record Holder(String name, boolean disabled, Principal principal) {}

    /** Whether an account of that name exists. */
    @Transactional
    public boolean isUser(String name) {
        return name.length() <= 128 && users.findByName(name).isPresent();
    }

    /** Every platform user by the id of their Rancher identity ({@code RancherUser.nameFor} of their name). */
    @Transactional
    public Map<String, Holder> holdersByRancherIdentity() {
        Map<String, Holder> holders = new HashMap<>();
        for (PlatformUser user : users.listByName()) {
            holders.put(
                    dev.kubeyard.rancher.client.identity.RancherUser.nameFor(user.getName()),
                    new Holder(user.getName(), user.isDisabled(), principalOf(user)));
        }
        return holders;
    }

    /** Every provisioned cluster by its Rancher management id, with its team. */
    @Transactional
    public Map<String, RancherAccess.ClusterPlace> clustersByManagementId() {
        Map<String, RancherAccess.ClusterPlace> places = new HashMap<>();
        clusters.listAll().forEach(c -> c.getRancherManagementId()
                .ifPresent(id -> places.put(
                        id,
                        new RancherAccess.ClusterPlace(c.getName(), c.getTeam().getName(), id))));
        return places;
    }

    /** The roles a user holds now: platform-wide ones, and the stronger role per team over all sources. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Principal principalOf(PlatformUser user) {
        Set<Role> platform = EnumSet.noneOf(Role.class);
        Map<String, Role> teams = new HashMap<>();
        for (RoleGrant grant : grants.listByUser(user)) {
            if (grant.getTeam().isPresent()) {
                teams.merge(grant.getTeam().get().getName(), grant.getRole(), Role::stronger);
            } else {
                platform.add(grant.getRole());
            }
        }
        return new Principal(user.getName(), platform, teams);
    }

    /**
     * Issues a token for the user, valid for {@code lifetime} (the default when null; at most the configured maximum,
     * checked by the caller). Audited as {@code token.create}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public IssuedToken issue(
            PlatformUser user, String name, Duration lifetime, String createdBy, String sourceAddress, String corr) {
        Duration life = lifetime == null ? config.access().tokenDefaultLifetime() : lifetime;
        String secret = TokenSecrets.generate();
        ApiToken token = new ApiToken(
                UUID.randomUUID(),
                user,
                name,
                TokenSecrets.hash(secret),
                TokenSecrets.hint(secret),
                createdBy,
                clock.instant().plus(life));
        tokens.persist(token);
        audit.record(
                createdBy,
                "token.create",
                "user",
                user.getName(),
                AuditLog.REASON_USER_REQUEST,
                corr,
                Map.of(
                        "token",
                        token.getId().toString(),
                        "name",
                        name,
                        "expiresAt",
                        token.getExpiresAt().toString()),
                AuditEvent.SUCCESS,
                sourceAddress);
        return new IssuedToken(token, secret);
    }

    /** Adopts a secret chosen elsewhere (the configured bootstrap token) when no token has it yet. */
    @Transactional(Transactional.TxType.MANDATORY)
    public ApiToken adopt(PlatformUser user, String name, String secret, Duration lifetime) {
        String hash = TokenSecrets.hash(secret);
        Optional<ApiToken> existing = tokens.findBySecretHash(hash);
        if (existing.isPresent()) {
            return existing.get();
        }
        ApiToken token = new ApiToken(
                UUID.randomUUID(),
                user,
                name,
                hash,
                TokenSecrets.hint(secret),
                AuditLog.SYSTEM_ACTOR,
                clock.instant().plus(lifetime));
        tokens.persist(token);
        return token;
    }

    /** Revokes a token; audited as {@code token.revoke}. Returns false when it was revoked already. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean revoke(ApiToken token, String actor, String reason, String sourceAddress, String corr) {
        boolean revoked = token.revoke(clock.instant());
        if (revoked) {
            audit.record(
                    actor,
                    "token.revoke",
                    "user",
                    token.getUser().getName(),
                    reason,
                    corr,
                    Map.of("token", token.getId().toString(), "name", token.getName()),
                    AuditEvent.SUCCESS,
                    sourceAddress);
        }
        return revoked;
    }
}
