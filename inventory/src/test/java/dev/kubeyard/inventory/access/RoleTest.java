package dev.kubeyard.inventory.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void aTeamRoleIsHeldInATeamAndAPlatformRoleOutsideOne() {
        assertThat(Role.TEAM_ADMIN.inScope(true)).isEqualTo(Role.TEAM_ADMIN);
        assertThat(Role.AUDITOR.inScope(false)).isEqualTo(Role.AUDITOR);
        assertThatThrownBy(() -> Role.TEAM_MEMBER.inScope(false)).hasMessageContaining("needs a team");
        assertThatThrownBy(() -> Role.PLATFORM_ADMIN.inScope(true)).hasMessageContaining("platform-wide");
    }

    @Test
    void theStrongerRoleWinsWhateverTheOrder() {
        assertThat(Role.stronger(Role.TEAM_MEMBER, Role.TEAM_ADMIN)).isEqualTo(Role.TEAM_ADMIN);
        assertThat(Role.stronger(Role.TEAM_ADMIN, Role.TEAM_MEMBER)).isEqualTo(Role.TEAM_ADMIN);
        assertThat(Role.stronger(Role.AUDITOR, Role.PLATFORM_ADMIN)).isEqualTo(Role.PLATFORM_ADMIN);
    }

    @Test
    void wireNamesRoundTripAndAnUnknownOneIsRefused() {
        for (Role role : Role.values()) {
            assertThat(Role.fromWireName(role.wireName())).isEqualTo(role);
        }
        assertThatThrownBy(() -> Role.fromWireName("chief")).hasMessageContaining("Unknown role chief");
    }
}
