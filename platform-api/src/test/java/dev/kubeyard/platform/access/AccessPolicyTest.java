package dev.kubeyard.platform.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.inventory.access.Role;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AccessPolicyTest {

    static final Principal ADMIN = new Principal("root", Set.of(Role.PLATFORM_ADMIN), Map.of());
    static final Principal AUDITOR = new Principal("eve", Set.of(Role.AUDITOR), Map.of());
    static final Principal TEAM_ADMIN = new Principal("ann", Set.of(), Map.of("payments", Role.TEAM_ADMIN));
    static final Principal MEMBER = new Principal("bob", Set.of(), Map.of("payments", Role.TEAM_MEMBER));
    static final Principal NOBODY = new Principal("zed", Set.of(), Map.of());
    static final Principal AUDITOR_AND_MEMBER =
            new Principal("ada", Set.of(Role.AUDITOR), Map.of("payments", Role.TEAM_MEMBER));

    static Stream<Arguments> rules() {
        return Stream.of(
                // platform admin: everything, in any team
                row("admin changes any team's clusters", ADMIN, Permission.CHANGE_CLUSTERS, "search", Decision.ALLOWED),
                row("admin reads the audit trail", ADMIN, Permission.READ_AUDIT, null, Decision.ALLOWED),
                row("admin manages users", ADMIN, Permission.MANAGE_USERS, null, Decision.ALLOWED),
                row("admin fetches any kubeconfig", ADMIN, Permission.FETCH_KUBECONFIG, "search", Decision.ALLOWED),
                // auditor: reads everything, changes nothing, no credentials
                row("auditor reads any team", AUDITOR, Permission.READ_TEAM, "search", Decision.ALLOWED),
                row("auditor reads the audit trail", AUDITOR, Permission.READ_AUDIT, null, Decision.ALLOWED),
                row(
                        "auditor may not change a cluster",
                        AUDITOR,
                        Permission.CHANGE_CLUSTERS,
                        "search",
                        Decision.FORBIDDEN),
                row("auditor gets no kubeconfig", AUDITOR, Permission.FETCH_KUBECONFIG, "search", Decision.FORBIDDEN),
                row("auditor gets no join command", AUDITOR, Permission.REGISTER_NODES, "search", Decision.FORBIDDEN),
                row("auditor manages no users", AUDITOR, Permission.MANAGE_USERS, null, Decision.FORBIDDEN),
                row("auditor creates no teams", AUDITOR, Permission.MANAGE_TEAMS, null, Decision.FORBIDDEN),
                // team admin: their own team, fully; another team does not exist for them
                row(
                        "team admin changes own clusters",
                        TEAM_ADMIN,
                        Permission.CHANGE_CLUSTERS,
                        "payments",
                        Decision.ALLOWED),
                row("team admin joins servers", TEAM_ADMIN, Permission.REGISTER_NODES, "payments", Decision.ALLOWED),
                row("team admin grants own team", TEAM_ADMIN, Permission.MANAGE_MEMBERS, "payments", Decision.ALLOWED),
                row(
                        "team admin fetches own kubeconfig",
                        TEAM_ADMIN,
                        Permission.FETCH_KUBECONFIG,
                        "payments",
                        Decision.ALLOWED),
                row(
                        "team admin does not see another team",
                        TEAM_ADMIN,
                        Permission.READ_TEAM,
                        "search",
                        Decision.HIDDEN),
                row(
                        "team admin cannot change another team",
                        TEAM_ADMIN,
                        Permission.CHANGE_CLUSTERS,
                        "search",
                        Decision.HIDDEN),
                row("team admin reads no audit trail", TEAM_ADMIN, Permission.READ_AUDIT, null, Decision.FORBIDDEN),
                row("team admin creates no teams", TEAM_ADMIN, Permission.MANAGE_TEAMS, null, Decision.FORBIDDEN),
                // team member: read and kubeconfig of their team
                row("member reads own team", MEMBER, Permission.READ_TEAM, "payments", Decision.ALLOWED),
                row("member fetches own kubeconfig", MEMBER, Permission.FETCH_KUBECONFIG, "payments", Decision.ALLOWED),
                row(
                        "member may not change a cluster",
                        MEMBER,
                        Permission.CHANGE_CLUSTERS,
                        "payments",
                        Decision.FORBIDDEN),
                row("member gets no join command", MEMBER, Permission.REGISTER_NODES, "payments", Decision.FORBIDDEN),
                row("member grants nothing", MEMBER, Permission.MANAGE_MEMBERS, "payments", Decision.FORBIDDEN),
                row("member does not see another team", MEMBER, Permission.READ_TEAM, "search", Decision.HIDDEN),
                row(
                        "member's kubeconfig of another team is hidden",
                        MEMBER,
                        Permission.FETCH_KUBECONFIG,
                        "search",
                        Decision.HIDDEN),
                // nobody: sees nothing
                row("no role sees no team", NOBODY, Permission.READ_TEAM, "payments", Decision.HIDDEN),
                row("no role reads no audit trail", NOBODY, Permission.READ_AUDIT, null, Decision.FORBIDDEN),
                row("no role manages no users", NOBODY, Permission.MANAGE_USERS, null, Decision.FORBIDDEN),
                // roles add up
                row(
                        "auditor who is a member fetches own kubeconfig",
                        AUDITOR_AND_MEMBER,
                        Permission.FETCH_KUBECONFIG,
                        "payments",
                        Decision.ALLOWED),
                row(
                        "auditor who is a member still changes nothing",
                        AUDITOR_AND_MEMBER,
                        Permission.CHANGE_CLUSTERS,
                        "payments",
                        Decision.FORBIDDEN),
                row(
                        "auditor who is a member gets no other kubeconfig",
                        AUDITOR_AND_MEMBER,
                        Permission.FETCH_KUBECONFIG,
                        "search",
                        Decision.FORBIDDEN));
    }

    static Arguments row(String name, Principal who, Permission permission, String team, Decision expected) {
        return Arguments.argumentSet(name, who, permission, team, expected);
    }

    @ParameterizedTest
    @MethodSource("rules")
    void decidesAsTheRoleTableSays(Principal who, Permission permission, String team, Decision expected) {
        assertThat(AccessPolicy.decide(who, permission, team)).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("rules")
    void visibleTeamsAgreeWithReadDecisions(Principal who, Permission ignored, String team, Decision unused) {
        if (team == null) {
            return;
        }
        boolean readable = AccessPolicy.decide(who, Permission.READ_TEAM, team) == Decision.ALLOWED;
        boolean listed = who.visibleTeams().map(v -> v.contains(team)).orElse(true);
        assertThat(listed).as("what lists show agrees with what a read allows").isEqualTo(readable);
    }
}
