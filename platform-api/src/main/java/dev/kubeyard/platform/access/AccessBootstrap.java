package dev.kubeyard.platform.access;

import dev.kubeyard.inventory.access.ApiToken;
import dev.kubeyard.inventory.access.PlatformUser;
import dev.kubeyard.inventory.access.PlatformUserRepository;
import dev.kubeyard.inventory.access.Role;
import dev.kubeyard.inventory.access.RoleGrant;
import dev.kubeyard.inventory.access.RoleGrantRepository;
import dev.kubeyard.platform.audit.AuditLog;
import dev.kubeyard.platform.config.PlatformConfig;
import dev.kubeyard.platform.rancher.RancherConnection;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The first admin. With {@code kubeyard.platform.access.bootstrap-token} (KUBEYARD_BOOTSTRAP_TOKEN) set, user
 * {@value #ADMIN} holds platform-admin and that token works (a revoked or expired one is not revived). Without it, in
 * sandbox mode, when nobody holds platform-admin yet, a token is made up and printed once to standard output (not to
 * the log: log lines never carry secrets), with the command that puts it in the shell.
 */
@ApplicationScoped
public class AccessBootstrap {

    static final String ADMIN = "admin";

    private static final Logger LOG = Logger.getLogger(AccessBootstrap.class);

    @Inject
    PlatformConfig config;

    @Inject
    PlatformUserRepository users;

    @Inject
    RoleGrantRepository grants;

    @Inject
    AccessService access;

    @Inject
    RancherConnection rancher;

    @Inject
    Clock clock;

    /** Runs before the sandbox seeds its demo clusters. */
    void bootstrap(@Observes @Priority(10) StartupEvent event) {
        Optional<String> configured = config.access().bootstrapToken().filter(t -> !t.isBlank());
        if (configured.isPresent()) {
            if (!TokenSecrets.looksLikeOurs(configured.get())) {
                throw new IllegalStateException("kubeyard.platform.access.bootstrap-token (KUBEYARD_BOOTSTRAP_TOKEN)"
                        + " must be kyd_ followed by 32 to 64 letters and digits");
            }
            adoptConfigured(configured.get());
        } else if (rancher.sandbox()) {
            makeUpForSandbox().ifPresent(secret -> printOnce(System.out, secret));
        }
    }

    @Transactional
    void adoptConfigured(String secret) {
        PlatformUser admin = ensureAdmin();
        ApiToken token =
                access.adopt(admin, "bootstrap", secret, config.access().tokenMaxLifetime());
        if (!token.isValidAt(clock.instant())) {
            LOG.warnf(
                    "The configured bootstrap token (%s) is %s; it does not work until a new one is configured",
                    token.getHint(), token.getRevokedAt().isPresent() ? "revoked" : "expired");
        } else {
            LOG.infof("Bootstrap admin token %s accepted for user %s", token.getHint(), ADMIN);
        }
    }

    @Transactional
    Optional<String> makeUpForSandbox() {
        if (grants.anyPlatformGrant(Role.PLATFORM_ADMIN)) {
            return Optional.empty();
        }
        PlatformUser admin = ensureAdmin();
        AccessService.IssuedToken issued = access.issue(
                admin,
                "sandbox-bootstrap",
                config.access().tokenDefaultLifetime(),
                AuditLog.SYSTEM_ACTOR,
                null,
                "bootstrap-" + UUID.randomUUID());
        LOG.warnf(
                "SANDBOX: made up the admin token %s for user %s; it is printed once on standard output",
                issued.token().getHint(), ADMIN);
        return Optional.of(issued.secret());
    }

    static void printOnce(PrintStream out, String secret) {
        out.println();
        out.println("==================================================================================");
        out.println(" SANDBOX: the bootstrap admin token (shown this once; user 'admin', platform-admin):");
        out.println();
        out.println("   export KUBEYARD_TOKEN=" + secret);
        out.println();
        out.println(" then: curl -H \"Authorization: Bearer $KUBEYARD_TOKEN\" localhost:8080/api/v1/me");
        out.println(" The console at http://localhost:8080 asks for the same token once.");
        out.println("==================================================================================");
        out.println();
        out.flush();
    }

    private PlatformUser ensureAdmin() {
        PlatformUser admin = users.findByName(ADMIN).orElseGet(() -> {
            PlatformUser created = new PlatformUser(ADMIN, "Bootstrap admin", PlatformUser.SOURCE_LOCAL);
            users.persist(created);
            return created;
        });
        boolean holds = grants.listByUser(admin).stream()
                .anyMatch(g -> g.getTeam().isEmpty() && g.getRole() == Role.PLATFORM_ADMIN);
        if (!holds) {
            grants.persist(new RoleGrant(admin, null, Role.PLATFORM_ADMIN, RoleGrant.SOURCE_MANUAL));
        }
        return admin;
    }
}
