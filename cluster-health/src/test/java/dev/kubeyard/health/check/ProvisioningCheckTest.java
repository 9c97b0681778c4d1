package dev.kubeyard.health.check;

import static dev.kubeyard.health.check.Observations.DEFAULTS;
import static dev.kubeyard.health.check.Observations.NOW;
import static dev.kubeyard.health.check.Observations.WORKER;
import static dev.kubeyard.health.check.Observations.cond;
import static dev.kubeyard.health.check.Observations.failedMachine;
import static dev.kubeyard.health.check.Observations.healthy;
import static dev.kubeyard.health.check.Observations.machine;
import static dev.kubeyard.health.check.Observations.min;
import static dev.kubeyard.health.check.Observations.provisioningMachine;
import static dev.kubeyard.health.check.Observations.unreachable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.kubeyard.health.check.Observation.MachineFacts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** provisioning: the cluster and its machines within their time, and whose mistake it is when not. */
class ProvisioningCheckTest {

    static final String QUOTA = "Error creating machine: Error in driver during machine creation: Quota exceeded for"
            + " cores: Requested 8, but already used 20 of 20 cores";
    static final String NO_VALID_HOST =
            "failed to create server: No valid host was found. There are not enough hosts available";

    static CheckResult provisioning(Observations.Builder o) {
        return HealthChecks.provisioning(o.build(), DEFAULTS);
    }

    // ---- the cluster

    @Test
    void aClusterProvisioningWithinItsTimePasses() {
        CheckResult r = provisioning(healthy()
                .phase("Provisioning", min(10))
                .machines(provisioningMachine("w-0", "Provisioning", min(10)))
                .rancher(cond("Ready", "False", "", "waiting for viable init node", NOW)));

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.reason()).isEqualTo(Reasons.WITHIN_TIME);
        assertThat(r.message()).isEqualTo("Provisioning for 10 min, within its 30 min.");
        assertThat(r.figures()).containsOnly(entry("phase", "Provisioning"), entry("provisioningSeconds", 600L));
    }

    @Test
    void aShortTimeIsSaidInSeconds() {
        CheckResult r =
                provisioning(healthy().phase("Pending", Duration.ofSeconds(90)).machines());

        assertThat(r.message()).isEqualTo("Provisioning for 90 s, within its 30 min.");
    }

    static Stream<Arguments> clusterAges() {
        return Stream.of(
                Arguments.argumentSet("justUnderItsLimitIsWithinTime", min(29), CheckStatus.PASS),
                Arguments.argumentSet("exactlyAtItsLimitIsWithinTime", min(30), CheckStatus.PASS),
                Arguments.argumentSet("aSecondOverItsLimitIsTooLong", min(30).plusSeconds(1), CheckStatus.FAIL),
                Arguments.argumentSet("hoursOverItsLimitIsTooLong", Duration.ofHours(5), CheckStatus.FAIL));
    }

    @ParameterizedTest
    @MethodSource("clusterAges")
    void aClusterProvisioningLongerThanItsLimitFails(Duration age, CheckStatus status) {
        CheckResult r = provisioning(healthy().phase("Provisioning", age).machines());

        assertThat(r.status()).isEqualTo(status);
    }

    @Test
    void noProgressWithoutAnErrorIsThePlatforms() {
        CheckResult r =
                provisioning(healthy().phase("Provisioning", min(45)).machines().rancher(cond("Ready", "False")));

        String message = "Provisioning has taken 45 min (limit 30 min). The platform's failure (NoProgress): no error"
                + " is reported, but Rancher is not making progress: the platform team is looking at it.";
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.reason()).isEqualTo(Reasons.PROVISIONING_TOO_LONG);
        assertThat(r.message()).isEqualTo(message);
        assertThat(r.figures()).containsEntry("errorClass", "Platform").containsEntry("provisioningSeconds", 2700L);
        assertThat(r.findings())
                .containsExactly(new Finding(
                        "cluster",
                        CheckStatus.FAIL,
                        Reasons.PROVISIONING_TOO_LONG,
                        message,
                        Map.of("errorClass", "Platform", "errorReason", "NoProgress")));
    }

    @Test
    void aWaitingMessageOfRancherIsNoProgressNotAnUnknownError() {
        CheckResult r = provisioning(healthy()
                .phase("Provisioning", min(45))
                .machines()
                .rancher(cond("Ready", "False", "", "waiting for viable init node", NOW)));

        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.message()).startsWith("Provisioning has taken 45 min (limit 30 min): waiting for viable init");
            assertThat(f.labels()).containsEntry("errorReason", "NoProgress");
        });
    }

    @Test
    void anErrorRancherReportsClassifiesTheCluster() {
        CheckResult r = provisioning(healthy()
                .phase("Provisioning", min(45))
                .machines()
                .rancher(cond("Ready", "False", "Error", NO_VALID_HOST, NOW)));

        assertThat(r.findings()).singleElement().satisfies(f -> assertThat(f.labels())
                .containsOnly(entry("errorClass", "Platform"), entry("errorReason", "NoCapacity")));
    }

    @Test
    void quotaExceededOfAMachineMakesTheClustersProvisioningTheUsersMistake() {
        CheckResult r = provisioning(healthy()
                .phase("Provisioning", min(45))
                .machines(machine("cp-0"), failedMachine("w-0", QUOTA))
                .rancher(cond("Ready", "False", "", "waiting for viable init node", NOW)));

        assertThat(r.findings()).extracting(Finding::subject).containsExactly("cluster", "machine/w-0");
        assertThat(r.findings().get(0).message())
                .startsWith("Provisioning has taken 45 min (limit 30 min): " + QUOTA + ". The request's mistake"
                        + " (QuotaExceeded): the request exceeds the project's quota");
        assertThat(r.findings()).allSatisfy(f -> assertThat(f.labels())
                .containsEntry("errorClass", "User")
                .containsEntry("errorReason", "QuotaExceeded"));
        assertThat(r.figures()).containsEntry("errorClass", "User");
    }

    @Test
    void aClusterOverItsTimeFailsEvenWhenRancherDoesNotAnswer() {
        CheckResult r = provisioning(
                healthy().phase("Provisioning", min(45)).machines(unreachable()).rancher(unreachable()));

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.findings()).singleElement().satisfies(f -> assertThat(f.labels())
                .containsEntry("errorReason", "NoProgress"));
    }

    static Stream<Arguments> phases() {
        return Stream.of(
                Arguments.argumentSet("aClusterProvisioningWithinItsTime", "Provisioning", min(10)),
                Arguments.argumentSet("aReadyCluster", "Ready", Duration.ofDays(40)),
                Arguments.argumentSet("aDegradedCluster", "Degraded", Duration.ofDays(40)),
                Arguments.argumentSet("anUpdatingCluster", "Updating", Duration.ofDays(40)));
    }

    @ParameterizedTest
    @MethodSource("phases")
    void unansweredMachinesMakeProvisioningUnknownNotPass(String phase, Duration age) {
        CheckResult r = provisioning(healthy().phase(phase, age).machines(unreachable()));

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.RANCHER_UNANSWERED);
        assertThat(r.message()).isEqualTo("Rancher's machines are not available: 502 Bad Gateway");
    }

    // ---- the machines

    @Test
    void aProvisionedClusterWithItsMachinesRunningPasses() {
        CheckResult r = provisioning(healthy());

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.reason()).isEqualTo(Reasons.PROVISIONED);
        assertThat(r.figures()).containsOnly(entry("phase", "Ready"));
    }

    static Stream<Arguments> machineAges() {
        return Stream.of(
                Arguments.argumentSet("aProvisioningMachineWithinItsTimeIsFine", "Provisioning", min(14), false),
                Arguments.argumentSet("aMachineExactlyAtItsLimitIsFine", "Pending", min(15), false),
                Arguments.argumentSet("aPendingMachineOverItsLimitIsStuck", "Pending", min(15).plusSeconds(1), true),
                Arguments.argumentSet("aProvisioningMachineOverItsLimitIsStuck", "Provisioning", min(20), true),
                Arguments.argumentSet("aProvisionedMachineWhoseNodeNeverJoinedIsStuck", "Provisioned", min(20), true),
                Arguments.argumentSet("aRunningMachineIsNeverStuck", "Running", Duration.ofDays(40), false),
                Arguments.argumentSet("aDeletingMachineIsNotProvisioning", "Deleting", min(20), false));
    }

    @ParameterizedTest
    @MethodSource("machineAges")
    void aMachineProvisioningLongerThanItsLimitFails(String phase, Duration age, boolean stuck) {
        CheckResult r = provisioning(healthy().machines(machine("cp-0"), provisioningMachine("w-3", phase, age)));

        if (stuck) {
            assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(r.reason()).isEqualTo(Reasons.PROVISIONING_TOO_LONG);
            assertThat(r.findings()).singleElement().satisfies(f -> {
                assertThat(f.subject()).isEqualTo("machine/w-3");
                assertThat(f.labels()).containsEntry("machine", "w-3").containsEntry("pool", "workers");
            });
        } else {
            assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        }
    }

    static MachineFacts stuck(String failureMessage, Observation.Cond... conditions) {
        return new MachineFacts(
                "w-3",
                "workers",
                "Provisioning",
                Optional.empty(),
                WORKER,
                List.of(conditions),
                Optional.empty(),
                Optional.ofNullable(failureMessage),
                NOW.minus(min(20)));
    }

    static Stream<Arguments> machineErrors() {
        return Stream.of(
                Arguments.argumentSet(
                        "aStuckMachineWithoutAnErrorIsThePlatformsNoProgress",
                        stuck(null, cond("InfrastructureReady", "True")),
                        Reasons.PROVISIONING_TOO_LONG,
                        "Platform",
                        "NoProgress"),
                Arguments.argumentSet(
                        "aStuckMachineWithABlankFailureMessageIsNoProgress",
                        stuck("  "),
                        Reasons.PROVISIONING_TOO_LONG,
                        "Platform",
                        "NoProgress"),
                Arguments.argumentSet(
                        "aStuckMachineOnNoValidHostIsThePlatformsCapacity",
                        stuck(null, cond("InfrastructureReady", "False", "", NO_VALID_HOST, NOW)),
                        Reasons.PROVISIONING_TOO_LONG,
                        "Platform",
                        "NoCapacity"),
                Arguments.argumentSet(
                        "aBootstrapErrorIsReadWhenInfrastructureIsReady",
                        stuck(
                                null,
                                cond("InfrastructureReady", "True"),
                                cond("BootstrapConfigReady", "False", "", "dial tcp 10.0.0.5:443: i/o timeout", NOW)),
                        Reasons.PROVISIONING_TOO_LONG,
                        "Platform",
                        "InfrastructureUnavailable"),
                Arguments.argumentSet(
                        "theFailureMessageWinsOverTheConditions",
                        stuck(QUOTA, cond("InfrastructureReady", "False", "", NO_VALID_HOST, NOW)),
                        Reasons.PROVISIONING_TOO_LONG,
                        "User",
                        "QuotaExceeded"),
                Arguments.argumentSet(
                        "aFailedMachineWithAMissingImageIsTheUsersMistake",
                        failedMachine("w-3", "Image ubuntu-24.04 could not be found. (HTTP 404)"),
                        Reasons.MACHINE_FAILED,
                        "User",
                        "ImageNotFound"),
                Arguments.argumentSet(
                        "aFailedMachineWithAnUnknownErrorIsUnclassified",
                        failedMachine("w-3", "exit status 1"),
                        Reasons.MACHINE_FAILED,
                        "Unknown",
                        "Unclassified"));
    }

    @ParameterizedTest
    @MethodSource("machineErrors")
    void aMachineThatFailedOrIsStuckIsClassifiedByItsError(
            MachineFacts m, String reason, String errorClass, String errorReason) {
        CheckResult r = provisioning(healthy().machines(machine("cp-0"), m));

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.reason()).isEqualTo(reason);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("machine/w-3");
            assertThat(f.reason()).isEqualTo(reason);
            assertThat(f.labels())
                    .containsOnly(
                            entry("machine", "w-3"),
                            entry("pool", "workers"),
                            entry("errorClass", errorClass),
                            entry("errorReason", errorReason));
        });
    }

    @Test
    void aStuckMachineSaysHowLongAndWhy() {
        CheckResult r = provisioning(
                healthy().machines(stuck(null, cond("InfrastructureReady", "False", "", NO_VALID_HOST, NOW))));

        assertThat(r.message())
                .isEqualTo("Machine w-3 is still provisioning after 20 min (limit 15 min): " + NO_VALID_HOST
                        + ". The platform's failure (NoCapacity): the cloud has no capacity for the flavor: the"
                        + " platform team must add capacity.");
    }

    @Test
    void aFailedMachineSaysSo() {
        CheckResult r = provisioning(healthy().machines(failedMachine("w-3", QUOTA)));

        assertThat(r.message()).startsWith("Machine w-3 failed: " + QUOTA + ". The request's mistake (QuotaExceeded)");
    }
}
