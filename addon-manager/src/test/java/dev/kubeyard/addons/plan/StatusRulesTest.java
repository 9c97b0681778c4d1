package dev.kubeyard.addons.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.addons.catalog.HealthCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusRulesTest {

    static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    static final Duration DEADLINE = Duration.ofMinutes(5);
    static final HealthCheck WEB = new HealthCheck(HealthCheck.Kind.DEPLOYMENT, "web", Optional.empty());

    static Pass applied(String version, String digest, boolean ready) {
        return new Pass(
                1,
                version,
                Pass.Outcome.APPLIED,
                "",
                digest,
                List.of(),
                List.of(new WorkloadHealth.Result(
                        WEB, "demo", ready, ready ? "" : "Deployment demo/web: 0 of 1 ready")),
                List.of(),
                0);
    }

    static String status(InstallationStatus s, String type) {
        return s.condition(type).map(Condition::status).orElse("");
    }

    @Test
    void aNewVersionProgressesThenTurnsHealthyAndIsRememberedAsTheLastHealthy() {
        InstallationStatus rolling =
                StatusRules.next(InstallationStatus.NEW, applied("1.0.0", "d1", false), T0, DEADLINE);
        assertThat(status(rolling, Condition.APPLIED)).isEqualTo("True");
        assertThat(status(rolling, Condition.PROGRESSING)).isEqualTo("True");
        assertThat(status(rolling, Condition.HEALTHY)).isEqualTo("False");
        assertThat(status(rolling, Condition.DEGRADED)).isEqualTo("False");
        assertThat(rolling.lastHealthyVersion()).isNull();

        InstallationStatus healthy =
                StatusRules.next(rolling, applied("1.0.0", "d1", true), T0.plusSeconds(30), DEADLINE);
        assertThat(healthy.healthyAt("1.0.0")).isTrue();
        assertThat(healthy.lastHealthyVersion()).isEqualTo("1.0.0");
        assertThat(status(healthy, Condition.PROGRESSING)).isEqualTo("False");
        assertThat(healthy.condition(Condition.APPLIED).orElseThrow().lastTransitionTime())
                .isEqualTo(T0);
    }

    @Test
    void notHealthyPastTheProgressDeadlineIsDegradedAndTheLastHealthyVersionStays() {
        InstallationStatus v1 = StatusRules.next(InstallationStatus.NEW, applied("1.0.0", "d1", true), T0, DEADLINE);
        InstallationStatus v2 = StatusRules.next(v1, applied("2.0.0", "d2", false), T0.plusSeconds(60), DEADLINE);
        assertThat(status(v2, Condition.DEGRADED)).isEqualTo("False");
        InstallationStatus stuck =
                StatusRules.next(v2, applied("2.0.0", "d2", false), T0.plusSeconds(60 + 301), DEADLINE);
        assertThat(status(stuck, Condition.DEGRADED)).isEqualTo("True");
        assertThat(stuck.condition(Condition.PROGRESSING).orElseThrow().reason())
                .isEqualTo("ProgressDeadlineExceeded");
        assertThat(stuck.lastHealthyVersion()).isEqualTo("1.0.0");
        assertThat(stuck.healthyAt("2.0.0")).isFalse();
    }

    @Test
    void aFailedPassKeepsWhatIsRunningAndSaysWhy() {
        InstallationStatus v1 = StatusRules.next(InstallationStatus.NEW, applied("1.0.0", "d1", true), T0, DEADLINE);
        InstallationStatus refused = StatusRules.next(
                v1,
                Pass.failed(2, "2.0.0", Pass.Outcome.INVALID_VALUES, "values.port: too big"),
                T0.plusSeconds(5),
                DEADLINE);
        assertThat(refused.appliedVersion()).isEqualTo("1.0.0");
        assertThat(refused.condition(Condition.APPLIED).orElseThrow().reason()).isEqualTo("InvalidValues");
        assertThat(status(refused, Condition.DEGRADED)).isEqualTo("True");
        assertThat(status(refused, Condition.HEALTHY)).isEqualTo("True");

        InstallationStatus unreachable = StatusRules.next(
                v1, Pass.failed(1, "1.0.0", Pass.Outcome.UNREACHABLE, "502"), T0.plusSeconds(5), DEADLINE);
        assertThat(status(unreachable, Condition.HEALTHY)).isEqualTo("Unknown");
        assertThat(status(unreachable, Condition.DEGRADED)).isEqualTo("Unknown");
        assertThat(unreachable.lastHealthyVersion()).isEqualTo("1.0.0");
    }

    @Test
    void driftRepairsAddUp() {
        Pass repaired = new Pass(
                1,
                "1.0.0",
                Pass.Outcome.APPLIED,
                "",
                "d1",
                List.of(),
                List.of(),
                List.of("recreated ConfigMap demo/a (deleted by hand)"),
                1);
        InstallationStatus once = StatusRules.next(InstallationStatus.NEW, repaired, T0, DEADLINE);
        InstallationStatus twice = StatusRules.next(once, repaired, T0.plusSeconds(1), DEADLINE);
        assertThat(twice.driftRepairs()).isEqualTo(2);
        assertThat(twice.lastActions()).containsExactly("recreated ConfigMap demo/a (deleted by hand)");
    }
}
