package dev.kubeyard.platform.access;

import dev.kubeyard.inventory.access.ApiToken;
import dev.kubeyard.inventory.access.GroupBinding;
import dev.kubeyard.inventory.access.PlatformUser;
import dev.kubeyard.inventory.access.Role;
import dev.kubeyard.inventory.team.Team;
import dev.kubeyard.inventory.team.TeamRepository.TeamUsage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the access API answers: users, tokens (never their secret but once), teams, members, group bindings. */
public final class AccessViews {

    private AccessViews() {}

    /** Who the caller is and what they hold. */
    public record Me(String name, List<String> platformRoles, Map<String, String> teams) {
        static Me of(Principal principal) {
            return new Me(principal.name(), roleNames(principal), teamRoleNames(principal));
        }
    }

    public record UserView(
            String name,
            String displayName,
            String email,
            String source,
            boolean disabled,
            Instant syncedAt,
            List<String> platformRoles,
            Map<String, String> teams) {
        static UserView of(PlatformUser user, Principal roles) {
            return new UserView(
                    user.getName(),
                    user.getDisplayName(),
                    user.getEmail().orElse(null),
                    user.getSource(),
                    user.isDisabled(),
                    user.getSyncedAt().orElse(null),
                    roleNames(roles),
                    teamRoleNames(roles));
        }
    }

    /** A token as listed: never its secret. */
    public record TokenView(
            String id,
            String name,
            String user,
            String hint,
            String createdBy,
            Instant createdAt,
            Instant expiresAt,
            Instant revokedAt,
            Instant lastUsedAt,
            String lastUsedFrom,
            boolean valid) {
        static TokenView of(ApiToken token, Instant now) {
            return new TokenView(
                    token.getId().toString(),
                    token.getName(),
                    token.getUser().getName(),
                    token.getHint(),
                    token.getCreatedBy(),
                    token.getCreatedAt(),
                    token.getExpiresAt(),
                    token.getRevokedAt().orElse(null),
                    token.getLastUsedAt().orElse(null),
                    token.getLastUsedFrom().orElse(null),
                    token.isValidAt(now));
        }
    }

    /** A token just created: the one answer that carries its secret. */
    public record CreatedTokenView(
            String id, String name, String user, String token, String hint, Instant expiresAt, String warning) {
        static CreatedTokenView of(AccessService.IssuedToken issued) {
            ApiToken t = issued.token();
            return new CreatedTokenView(
                    t.getId().toString(),
                    t.getName(),
                    t.getUser().getName(),
                    issued.secret(),
                    t.getHint(),
                    t.getExpiresAt(),
                    "This is the only time the token is shown; store it now.");
        }
    }

    public record Quotas(Integer maxClusters, Integer maxNodes) {}

    public record Usage(int clusters, int nodes) {}

    public record TeamView(String name, String displayName, Quotas quotas, Quotas effectiveQuotas, Usage usage) {
        static TeamView of(Team team, TeamUsage usage, Integer defaultClusters, Integer defaultNodes) {
            Quotas own = new Quotas(
                    team.getMaxClusters().orElse(null), team.getMaxNodes().orElse(null));
            Quotas effective = new Quotas(
                    team.getMaxClusters().orElse(defaultClusters),
                    team.getMaxNodes().orElse(defaultNodes));
            return new TeamView(
                    team.getName(), team.getDisplayName(), own, effective, new Usage(usage.clusters(), usage.nodes()));
        }
    }

    /** One person's role in a team, and where it comes from (manual, directory, or both). */
    public record MemberView(String user, String role, List<String> sources) {}

    public record GroupBindingView(long id, String group, String team, String role) {
        static GroupBindingView of(GroupBinding binding) {
            return new GroupBindingView(
                    binding.getId(),
                    binding.getGroupName(),
                    binding.getTeam().map(Team::getName).orElse(null),
                    binding.getRole().wireName());
        }
    }

    static List<String> roleNames(Principal principal) {
        return principal.platformRoles().stream().map(Role::wireName).sorted().toList();
    }

    static Map<String, String> teamRoleNames(Principal principal) {
        Map<String, String> teams = new TreeMap<>();
        principal.teamRoles().forEach((team, role) -> teams.put(team, role.wireName()));
        return teams;
    }
}
