package dev.kubeyard.health.check;

import static dev.kubeyard.health.check.Observations.DEFAULTS;
import static dev.kubeyard.health.check.Observations.NOW;
import static dev.kubeyard.health.check.Observations.healthy;
import static dev.kubeyard.health.check.Observations.machine;
import static dev.kubeyard.health.check.Observations.unreachable;
import static dev.kubeyard.health.check.Observations.withCertificates;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** certificates: a warning within 30 days of expiry, a failure within 7 (the defaults), and Expired once past. */
class CertificatesCheckTest {

    static CheckResult certificates(Observations.Builder o) {
        return HealthChecks.certificates(o.build(), DEFAULTS);
    }

    static Observations.Builder expiringIn(Duration left) {
        return healthy().machines(withCertificates(machine("cp-0"), NOW.plus(left)), machine("w-0"));
    }

    static Stream<Arguments> expiries() {
        return Stream.of(
                Arguments.argumentSet("aYearLeftIsValid", Duration.ofDays(365), CheckStatus.PASS, Reasons.VALID),
                Arguments.argumentSet("thirtyDaysLeftIsValid", Duration.ofDays(30), CheckStatus.PASS, Reasons.VALID),
                Arguments.argumentSet(
                        "justUnderThirtyDaysWarns",
                        Duration.ofDays(30).minusMinutes(1),
                        CheckStatus.WARN,
                        Reasons.EXPIRING),
                Arguments.argumentSet("eightDaysLeftWarns", Duration.ofDays(8), CheckStatus.WARN, Reasons.EXPIRING),
                Arguments.argumentSet("sevenDaysLeftWarns", Duration.ofDays(7), CheckStatus.WARN, Reasons.EXPIRING),
                Arguments.argumentSet(
                        "justUnderSevenDaysFails",
                        Duration.ofDays(7).minusMinutes(1),
                        CheckStatus.FAIL,
                        Reasons.EXPIRING),
                Arguments.argumentSet("anHourLeftFails", Duration.ofHours(1), CheckStatus.FAIL, Reasons.EXPIRING),
                Arguments.argumentSet("expiringThisInstantFails", Duration.ZERO, CheckStatus.FAIL, Reasons.EXPIRING),
                Arguments.argumentSet(
                        "expiredASecondAgoFailsAsExpired", Duration.ofSeconds(-1), CheckStatus.FAIL, Reasons.EXPIRED),
                Arguments.argumentSet(
                        "expiredLastMonthFailsAsExpired", Duration.ofDays(-31), CheckStatus.FAIL, Reasons.EXPIRED));
    }

    @ParameterizedTest
    @MethodSource("expiries")
    void certificatesWarnThenFailAsTheirExpiryNears(Duration left, CheckStatus status, String reason) {
        CheckResult r = certificates(expiringIn(left));

        assertThat(r.status()).isEqualTo(status);
        assertThat(r.reason()).isEqualTo(reason);
        if (status == CheckStatus.PASS) {
            assertThat(r.findings()).isEmpty();
        } else {
            assertThat(r.findings()).singleElement().satisfies(f -> {
                assertThat(f.subject()).isEqualTo("machine/cp-0");
                assertThat(f.status()).isEqualTo(status);
                assertThat(f.labels()).containsOnly(entry("machine", "cp-0"), entry("daysLeft", "" + left.toDays()));
            });
        }
    }

    @Test
    void anExpiringCertificateSaysHowToRotateIt() {
        CheckResult r = certificates(expiringIn(Duration.ofDays(12)));

        assertThat(r.message())
                .isEqualTo("The certificates of cp-0 expire in 12 days (2026-03-14T10:00:00Z); rotate them"
                        + " (POST /api/v1/clusters/alpha/certificate-rotations).");
    }

    @Test
    void anExpiredCertificateSaysWhen() {
        CheckResult r = certificates(expiringIn(Duration.ofDays(-2)));

        assertThat(r.message()).isEqualTo("The certificates of cp-0 expired on 2026-02-28T10:00:00Z.");
    }

    @Test
    void validCertificatesSayUntilWhenOfTheEarliest() {
        Instant earliest = NOW.plus(Duration.ofDays(200));
        CheckResult r = certificates(healthy()
                .machines(
                        withCertificates(machine("cp-0"), NOW.plus(Duration.ofDays(300))),
                        withCertificates(machine("cp-1"), earliest),
                        machine("w-0")));

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.figures()).containsOnly(entry("earliestExpiry", earliest.toString()), entry("daysLeft", 200L));
        assertThat(r.message()).isEqualTo("The certificates are valid for 200 more days (until 2026-09-18T10:00:00Z).");
    }

    @Test
    void anExpiredCertificateLeadsOverOneExpiringLater() {
        CheckResult r = certificates(healthy()
                .machines(
                        withCertificates(machine("cp-0"), NOW.plus(Duration.ofDays(20))),
                        withCertificates(machine("cp-1"), NOW.minus(Duration.ofDays(1)))));

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.reason()).isEqualTo(Reasons.EXPIRED);
        assertThat(r.message()).startsWith("The certificates of cp-1 expired");
        assertThat(r.findings()).extracting(Finding::subject).containsExactly("machine/cp-0", "machine/cp-1");
    }

    @Test
    void noMachineReportingItsCertificatesIsUnknownNotValid() {
        CheckResult r = certificates(healthy().machines(machine("w-0"), machine("w-1")));

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.NOT_REPORTED);
    }

    @Test
    void unansweredMachinesMakeCertificatesUnknown() {
        CheckResult r = certificates(healthy().machines(unreachable()));

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.RANCHER_UNANSWERED);
    }

    @Test
    void theThresholdsAreTheConfiguredOnes() {
        Thresholds t = DEFAULTS;
        Thresholds strict = new Thresholds(
                t.clusterProvisioning(),
                t.nodeProvisioning(),
                60,
                45,
                t.nodeCpuWarnPercent(),
                t.nodeCpuFailPercent(),
                t.nodeMemoryWarnPercent(),
                t.nodeMemoryFailPercent(),
                t.apiErrorWarnPercent(),
                t.apiErrorFailPercent(),
                t.apiLatencyWarn(),
                t.apiLatencyFail(),
                t.etcdQuotaBytes(),
                t.etcdDbWarnPercent(),
                t.etcdDbFailPercent());

        assertThat(HealthChecks.certificates(expiringIn(Duration.ofDays(50)).build(), strict)
                        .status())
                .isEqualTo(CheckStatus.WARN);
        assertThat(HealthChecks.certificates(expiringIn(Duration.ofDays(40)).build(), strict)
                        .status())
                .isEqualTo(CheckStatus.FAIL);
    }
}
