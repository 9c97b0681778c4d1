package dev.kubeyard.platform.access;

import dev.kubeyard.inventory.access.Role;
import dev.kubeyard.inventory.audit.AuditEvent;
import dev.kubeyard.platform.audit.AuditLog;
import dev.kubeyard.platform.config.PlatformConfig;
import dev.kubeyard.platform.rancher.RancherConnection;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherException;
import dev.kubeyard.rancher.client.RancherForbiddenException;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.identity.ClusterRoleTemplateBinding;
import dev.kubeyard.rancher.client.identity.ExtToken;
import dev.kubeyard.rancher.client.identity.RancherUser;
import dev.kubeyard.rancher.client.identity.UserToken;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Kubeconfigs issued through Rancher, with the rights of the caller's role: every platform user has a Rancher identity
 * of their own ({@code u-ky-...}, labelled as Kubeyard's), bound to a cluster with the role template of their team role
 * (team admin and platform admin: {@code admin-role-template}; team member: {@code member-role-template}), and a token
 * valid on that cluster only, for at most 24 hours (docs/decisions/0005). {@link #sweep} removes every binding and
 * token that no current role justifies, and the Rancher identities of users who are gone or disabled.
 */
@ApplicationScoped
public class RancherAccess {

    static final String MANAGED_BY = "kubeyard.dev/managed-by";
    static final String CLUSTER = "kubeyard.dev/cluster";
    public static final Duration MAX_LIFETIME = Duration.ofHours(24);

    private static final Logger LOG = Logger.getLogger(RancherAccess.class);

    /** Rancher takes a moment to apply a new binding: a token minted at once may be refused with 403. */
    private static final Guard NEW_BINDING = Guard.create()
            .withDescription("rancher-new-binding")
            .withRetry()
            .maxRetries(10)
            .delay(300, ChronoUnit.MILLIS)
            .maxDuration(10, ChronoUnit.SECONDS)
            .whenException(e -> e instanceof RancherForbiddenException)
            .done()
            .build();

    @Inject
    RancherConnection rancher;

    @Inject
    PlatformConfig config;

    @Inject
    AccessService access;

    @Inject
    AuditLog audit;

    /** A kubeconfig just made, with what it carries. */
    public record IssuedKubeconfig(String yaml, String token, Instant expiresAt, String roleTemplate) {
        /** Never the file: it holds the token's secret. */
        @Override
        public String toString() {
            return "IssuedKubeconfig[token " + token + ", expires " + expiresAt + ", " + roleTemplate + "]";
        }
    }

    /** Where a cluster lives, for the sweep: its name, team and Rancher management id. */
    public record ClusterPlace(String name, String team, String managementId) {}

    /** This installation's mark on what it makes in Rancher: two Kubeyards on one Rancher never touch each other's. */
    String instance() {
        return config.access().instanceId();
    }

    /** Whether this installation made the object. */
    private boolean ours(Map<String, String> labels) {
        return labels != null && instance().equals(labels.get(MANAGED_BY));
    }

    /** The role template a principal's kubeconfig for the team's cluster is bound with; empty when none. */
    public Optional<String> roleTemplateFor(Principal principal, String team) {
        if (principal.isPlatformAdmin()) {
            return Optional.of(config.access().adminRoleTemplate());
        }
        return principal
                .roleIn(team)
                .map(role -> role == Role.TEAM_ADMIN
                        ? config.access().adminRoleTemplate()
                        : config.access().memberRoleTemplate());
    }

    /**
     * Issues a kubeconfig for the cluster to the user (the caller checked the permission): their Rancher identity and
     * binding are made when missing, a binding of another role template on the cluster is replaced, and a new token
     * valid on this cluster only is minted.
     */
    public IssuedKubeconfig issue(
            String userName,
            String displayName,
            Principal principal,
            ClusterPlace cluster,
            Duration lifetime,
            String correlationId,
            String sourceAddress) {
        String template = roleTemplateFor(principal, cluster.team())
                .orElseThrow(() -> new IllegalStateException(userName + " holds no role in " + cluster.team()));
        Duration life = lifetime == null ? config.access().kubeconfigLifetime() : lifetime;
        if (life.compareTo(MAX_LIFETIME) > 0) {
            life = MAX_LIFETIME;
        }
        RancherClient client = rancher.client();
        RancherUser user = client.users()
                .ensure(RancherUser.of(
                        RancherUser.nameFor(userName),
                        "kubeyard-" + userName,
                        displayName == null ? userName : displayName,
                        Map.of(MANAGED_BY, instance())));
        for (ClusterRoleTemplateBinding other : client.clusterRoleBindings().listForUser(user.id())) {
            if (other.clusterId().equals(cluster.managementId())
                    && !other.roleTemplateName().equals(template)) {
                unbind(client, other, userName, "the user's role changed", correlationId);
            }
        }
        client.clusterRoleBindings()
                .ensure(ClusterRoleTemplateBinding.forUser(
                        cluster.managementId(),
                        user.id(),
                        template,
                        Map.of(MANAGED_BY, instance(), CLUSTER, cluster.name())));
        Duration ttl = life;
        UserToken token;
        try {
            token = NEW_BINDING.call(
                    () -> client.userTokens()
                            .create(
                                    user,
                                    cluster.managementId(),
                                    ttl,
                                    "kubeyard kubeconfig of " + userName + " for " + cluster.name(),
                                    Map.of(MANAGED_BY, instance(), CLUSTER, cluster.name())),
                    UserToken.class);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rancherUser", user.id());
        details.put("roleTemplate", template);
        details.put("token", token.name());
        details.put("lifetimeSeconds", ttl.toSeconds());
        audit.recordNow(
                userName,
                "rancher.issueKubeconfig",
                "cluster",
                cluster.name(),
                AuditLog.REASON_USER_REQUEST,
                correlationId,
                details,
                AuditEvent.SUCCESS,
                sourceAddress);
        String yaml = client.userTokens().kubeconfig(token, cluster.name()).yaml();
        Instant expires = token.token().expiresAt().orElse(Instant.now().plus(ttl));
        return new IssuedKubeconfig(yaml, token.name(), expires, template);
    }

    /**
     * Removes what no role justifies any more: the Rancher identity of a user who is gone or disabled (Rancher drops
     * its bindings and tokens with it), a binding to a cluster the user may no longer fetch a kubeconfig of or with a
     * role template their role no longer gives, and any token of a cluster the user is no longer bound to. Safe to
     * repeat; a Rancher failure ends the pass (the next one goes on).
     */
    public void sweep(String correlationId) {
        RancherClient client = rancher.client();
        try {
            Map<String, ClusterPlace> clusters = access.clustersByManagementId();
            Map<String, AccessService.Holder> holders = access.holdersByRancherIdentity();
            for (RancherUser user : client.users().list(Map.of(MANAGED_BY, instance()))) {
                Optional<AccessService.Holder> holder = Optional.ofNullable(holders.get(user.id()));
                if (holder.isEmpty() || holder.get().disabled()) {
                    String who = holder.map(AccessService.Holder::name).orElse(user.username());
                    LOG.infof("Removing the Rancher identity %s of %s: the user is gone or disabled", user.id(), who);
                    deleteUser(client, user.id());
                    record(who, "rancher.deleteUser", "user", who, Map.of("rancherUser", user.id()), correlationId);
                    continue;
                }
                Principal principal = holder.get().principal();
                Set<String> justified = new HashSet<>();
                for (ClusterRoleTemplateBinding binding :
                        client.clusterRoleBindings().listForUser(user.id())) {
                    ClusterPlace place = clusters.get(binding.clusterId());
                    if (place == null || !ours(binding.metadata().labels())) {
                        // A cluster this installation does not manage, or a binding it did not make: not ours to
                        // judge, and no justification for a token of ours either.
                        continue;
                    }
                    boolean ok = AccessPolicy.decide(principal, Permission.FETCH_KUBECONFIG, place.team())
                                    == Decision.ALLOWED
                            && roleTemplateFor(principal, place.team())
                                    .map(t -> t.equals(binding.roleTemplateName()))
                                    .orElse(false);
                    if (ok) {
                        justified.add(binding.clusterId());
                    } else {
                        unbind(client, binding, principal.name(), "no role justifies it any more", correlationId);
                    }
                }
                for (ExtToken token : client.userTokens().list(user.id())) {
                    if (!ours(token.metadata().labels())
                            || token.clusterId().map(justified::contains).orElse(false)) {
                        continue;
                    }
                    LOG.infof(
                            "Revoking Rancher token %s of %s: not bound to its cluster any more",
                            token.name(), principal.name());
                    deleteToken(client, token.name());
                    record(
                            principal.name(),
                            "rancher.deleteToken",
                            "user",
                            principal.name(),
                            Map.of(
                                    "token",
                                    token.name(),
                                    "cluster",
                                    token.clusterId().orElse("all")),
                            correlationId);
                }
            }
        } catch (RancherException e) {
            LOG.warnf("Rancher access sweep stopped, the next one goes on: %s", e.getMessage());
        }
    }

    private void unbind(
            RancherClient client, ClusterRoleTemplateBinding binding, String who, String why, String correlationId) {
        LOG.infof("Removing Rancher binding %s of %s (%s): %s", binding.name(), who, binding.roleTemplateName(), why);
        try {
            client.clusterRoleBindings().delete(binding.clusterId(), binding.name());
        } catch (RancherNotFoundException e) {
            // gone already: what we wanted
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("binding", binding.name());
        details.put("cluster", binding.clusterId());
        details.put("roleTemplate", binding.roleTemplateName());
        details.put("why", why);
        record(who, "rancher.deleteBinding", "user", who, details, correlationId);
    }

    private static void deleteUser(RancherClient client, String id) {
        try {
            client.users().delete(id);
        } catch (RancherNotFoundException e) {
            // gone already
        }
    }

    private static void deleteToken(RancherClient client, String name) {
        try {
            client.userTokens().delete(name);
        } catch (RancherNotFoundException e) {
            // gone already
        }
    }

    private void record(
            String who, String action, String kind, String target, Map<String, Object> details, String correlationId) {
        audit.recordNow(
                AuditLog.SYSTEM_ACTOR,
                action,
                kind,
                target,
                AuditLog.REASON_DIRECTORY_SYNC,
                correlationId,
                details,
                AuditEvent.SUCCESS,
                null);
    }
}
