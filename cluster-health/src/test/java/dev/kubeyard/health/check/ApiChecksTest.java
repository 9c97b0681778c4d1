package dev.kubeyard.health.check;

import static dev.kubeyard.health.check.Observations.ETCD_FAILED;
import static dev.kubeyard.health.check.Observations.apiDown;
import static dev.kubeyard.health.check.Observations.healthy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.kubeyard.health.check.Fetch.Failure;
import dev.kubeyard.health.check.Observation.ApiAnswer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** api-reachable ({@code GET /version}) and api-ready ({@code GET /readyz?verbose}, check by check). */
class ApiChecksTest {

    // ---- api-reachable

    @Test
    void anAnsweringApiPassesWithItsLatencyAndVersion() {
        CheckResult r = HealthChecks.apiReachable(healthy().build());

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.reason()).isEqualTo(Reasons.ANSWERED);
        assertThat(r.figures()).containsOnly(entry("latencyMillis", 42L), entry("version", "v1.30.4+rke2r1"));
        assertThat(r.message()).isEqualTo("The API answered in 42 ms (Kubernetes v1.30.4+rke2r1).");
        assertThat(r.millis()).isEqualTo(42);
    }

    @Test
    void aVersionAnswerWithoutGitVersionStillPasses() {
        CheckResult r = HealthChecks.apiReachable(
                healthy().version(Observations.ok(new ApiAnswer(200, "{}"))).build());

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.figures()).containsEntry("version", "unknown");
    }

    static Stream<Arguments> apiFailures() {
        return Stream.of(
                Arguments.argumentSet(
                        "agentDisconnectedSaysRancherCannotReachTheApi",
                        Fetch.failed(Failure.AGENT_DISCONNECTED, "cluster agent disconnected", 15),
                        Reasons.AGENT_DISCONNECTED,
                        "Rancher reports the cluster agent disconnected: the API cannot be reached"
                                + " (cluster agent disconnected)."),
                Arguments.argumentSet(
                        "unreachableSaysRancherCouldNotReachIt",
                        Fetch.failed(Failure.UNREACHABLE, "502 Bad Gateway", 20),
                        Reasons.UNREACHABLE,
                        "Rancher could not reach the cluster's API: 502 Bad Gateway."),
                Arguments.argumentSet(
                        "aTimeoutSaysHowLongItWaited",
                        Fetch.failed(Failure.TIMEOUT, "timeout", 5000),
                        Reasons.TIMEOUT,
                        "The API did not answer within 5000 ms."),
                Arguments.argumentSet(
                        "refusedCredentialsAreUnauthorized",
                        Fetch.failed(Failure.UNAUTHORIZED, "401 Unauthorized", 9),
                        Reasons.UNAUTHORIZED,
                        "The API refused Kubeyard's credentials: 401 Unauthorized."),
                Arguments.argumentSet(
                        "anErrorStatusIsAnError",
                        Fetch.failed(Failure.ERROR, "500 Internal Server Error", 9),
                        Reasons.ERROR,
                        "The API answered with an error: 500 Internal Server Error."),
                Arguments.argumentSet(
                        "anUnservedVersionIsNotServed",
                        Fetch.failed(Failure.NOT_SERVED, "404 Not Found", 9),
                        Reasons.NOT_SERVED,
                        "The API answered with an error: 404 Not Found."),
                Arguments.argumentSet(
                        "anUnreadableAnswerIsABadAnswer",
                        Fetch.failed(Failure.BAD_ANSWER, "not JSON", 9),
                        Reasons.BAD_ANSWER,
                        "The API answered with an error: not JSON."));
    }

    @ParameterizedTest
    @MethodSource("apiFailures")
    void anApiThatDoesNotAnswerFailsReachabilityWithItsReason(Fetch<ApiAnswer> version, String reason, String message) {
        CheckResult r = HealthChecks.apiReachable(healthy().version(version).build());

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.reason()).isEqualTo(reason);
        assertThat(r.message()).isEqualTo(message);
        assertThat(r.findings()).singleElement().isEqualTo(new Finding("cluster", CheckStatus.FAIL, reason, message));
        assertThat(r.figures()).containsEntry("latencyMillis", version.millis());
    }

    @Test
    void aClusterNotYetInRancherIsUnknownNotFailed() {
        CheckResult r = HealthChecks.apiReachable(healthy()
                .version(Fetch.skipped("the cluster is not in Rancher yet"))
                .build());

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.NOT_PROVISIONED);
        assertThat(r.findings()).isEmpty();
    }

    // ---- api-ready

    @Test
    void aReadyApiServerPassesWithItsCheckCount() {
        CheckResult r = HealthChecks.apiReady(healthy().build());

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.reason()).isEqualTo(Reasons.READY);
        assertThat(r.message()).isEqualTo("The API server is ready: 33 readiness checks pass.");
        assertThat(r.figures()).containsOnly(entry("passed", 33), entry("failed", 0));
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void readyzVerboseNamesEachFailedCheck() {
        CheckResult r = HealthChecks.apiReady(healthy().readyz(500, ETCD_FAILED).build());

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.reason()).isEqualTo(Reasons.NOT_READY);
        assertThat(r.message())
                .isEqualTo("The API server is not ready: 2 of 33 readiness checks fail (etcd, etcd-readiness).");
        assertThat(r.figures()).containsOnly(entry("passed", 31), entry("failed", 2));
        assertThat(r.findings()).extracting(Finding::subject).containsExactly("readyz/etcd", "readyz/etcd-readiness");
        assertThat(r.findings()).allSatisfy(f -> {
            assertThat(f.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(f.reason()).isEqualTo(Reasons.CHECK_FAILED);
            assertThat(f.message()).endsWith("reason withheld.");
            assertThat(f.labels()).containsOnly(entry("component", "kube-apiserver"));
        });
    }

    static Stream<Arguments> readyzLines() {
        return Stream.of(
                Arguments.argumentSet(
                        "aWithheldReason", "[-]etcd failed: reason withheld", "readyz/etcd", "failed: reason withheld"),
                Arguments.argumentSet(
                        "aPostStartHookWithSlashes",
                        "[-]poststarthook/rbac/bootstrap-roles failed: not finished",
                        "readyz/poststarthook/rbac/bootstrap-roles",
                        "failed: not finished"),
                Arguments.argumentSet(
                        "anIndentedLineWithCarriageReturn",
                        "  [-]informer-sync failed: 2 informers not started yet\r",
                        "readyz/informer-sync",
                        "failed: 2 informers not started yet"));
    }

    @ParameterizedTest
    @MethodSource("readyzLines")
    void aFailedReadyzLineBecomesAFindingOfItsCheck(String line, String subject, String cause) {
        CheckResult r = HealthChecks.apiReady(healthy()
                .readyz(500, "[+]ping ok\n" + line + "\nreadyz check failed\n")
                .build());

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo(subject);
            assertThat(f.message()).contains(subject.substring("readyz/".length()) + " " + cause + ".");
        });
        assertThat(r.figures()).containsOnly(entry("passed", 1), entry("failed", 1));
    }

    @Test
    void linesThatAreNotChecksAreIgnored() {
        CheckResult r = HealthChecks.apiReady(healthy()
                .readyz(200, "\n[+]ping ok\nwarn: some note\n[+]log ok\n\nreadyz check passed\n")
                .build());

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.figures()).containsOnly(entry("passed", 2), entry("failed", 0));
    }

    @Test
    void anErrorStatusFailsEvenWithoutAFailedCheckLine() {
        CheckResult r = HealthChecks.apiReady(healthy().readyz(503, "").build());

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.reason()).isEqualTo(Reasons.NOT_READY);
        assertThat(r.message()).isEqualTo("The API server answers /readyz with 503.");
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void aPlainOkWithoutTheCheckListPasses() {
        CheckResult r = HealthChecks.apiReady(healthy().readyz(200, "ok").build());

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.figures()).containsEntry("passed", 0);
    }

    static Stream<Arguments> unansweredReadyz() {
        return Stream.of(
                Arguments.argumentSet(
                        "anUnservedReadyzIsNotServed",
                        Fetch.failed(Failure.NOT_SERVED, "404 Not Found", 5),
                        Reasons.NOT_SERVED,
                        "Could not read /readyz: 404 Not Found."),
                Arguments.argumentSet(
                        "aFailedReadyzIsNotRun",
                        Fetch.failed(Failure.TIMEOUT, "no answer in 5 s", 5000),
                        Reasons.NOT_RUN,
                        "Could not read /readyz: no answer in 5 s."),
                Arguments.argumentSet(
                        "aSkippedReadyzIsNotRunAndSaysWhy",
                        Fetch.skipped("the API did not answer /version"),
                        Reasons.NOT_RUN,
                        "Not run: the API did not answer /version"));
    }

    @ParameterizedTest
    @MethodSource("unansweredReadyz")
    void aReadyzThatGaveNothingIsUnknown(Fetch<ApiAnswer> readyz, String reason, String message) {
        CheckResult r = HealthChecks.apiReady(healthy().readyz(readyz).build());

        assertThat(r).isEqualTo(CheckResult.unknown(CheckId.API_READY, reason, message));
    }

    @Test
    void anApiThatIsNotUpWhileTheClusterProvisionsIsUnknownNotAFailure() {
        CheckResult r = HealthChecks.apiReachable(
                apiDown(Fetch.Failure.UNREACHABLE).phase("Provisioning").build());
        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.NOT_PROVISIONED);
        assertThat(r.message()).contains("still provisioning");
    }
}
