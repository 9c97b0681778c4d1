package dev.kubeyard.health.check;

import static dev.kubeyard.health.check.Observations.DEFAULTS;
import static dev.kubeyard.health.check.Observations.apiDown;
import static dev.kubeyard.health.check.Observations.healthy;
import static dev.kubeyard.health.check.Observations.min;
import static dev.kubeyard.health.check.Observations.notInRancherYet;
import static dev.kubeyard.health.check.Observations.unreachable;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code evaluate} as a whole: one result per check, and a call that gave nothing never passes a check. */
class HealthChecksTest {

    static Map<CheckId, CheckResult> evaluate(Observation o) {
        return HealthChecks.evaluate(o, Observation.Previous.NONE, DEFAULTS).stream()
                .collect(Collectors.toMap(CheckResult::check, Function.identity()));
    }

    static final Set<CheckId> API_CHECKS = EnumSet.of(
            CheckId.API_READY,
            CheckId.COMPONENTS,
            CheckId.NODE_CONDITIONS,
            CheckId.NODE_RESOURCES,
            CheckId.ETCD,
            CheckId.API_SERVER);

    @Test
    void aHealthyClusterPassesEveryCheck() {
        List<CheckResult> results = HealthChecks.evaluate(healthy().build(), Observation.Previous.NONE, DEFAULTS);

        assertThat(results).extracting(CheckResult::check).containsExactly(CheckId.values());
        assertThat(results)
                .allSatisfy(r -> assertThat(r.status())
                        .as(r.check() + ": " + r.message())
                        .isEqualTo(CheckStatus.PASS))
                .allSatisfy(
                        r -> assertThat(r.findings()).as(r.check().wireName()).isEmpty());
    }

    @Test
    void theAdvancedChecksAreLeftOutWhenTheirCallsWereNotMade() {
        List<CheckResult> results =
                HealthChecks.evaluate(healthy().advanced(false).build(), Observation.Previous.NONE, DEFAULTS);

        assertThat(results)
                .extracting(CheckResult::check)
                .containsExactlyElementsOf(Arrays.stream(CheckId.values())
                        .filter(c -> !c.advanced())
                        .toList());
    }

    @ParameterizedTest
    @EnumSource(
            value = Fetch.Failure.class,
            names = {"AGENT_DISCONNECTED", "UNREACHABLE", "TIMEOUT", "UNAUTHORIZED", "ERROR"})
    void anUnreachableApiMakesEveryApiCheckUnknownNotPass(Fetch.Failure failure) {
        Map<CheckId, CheckResult> results = evaluate(apiDown(failure).build());

        assertThat(results.get(CheckId.API_REACHABLE).status()).isEqualTo(CheckStatus.FAIL);
        assertThat(API_CHECKS)
                .allSatisfy(id ->
                        assertThat(results.get(id).status()).as(id.wireName()).isEqualTo(CheckStatus.UNKNOWN));
    }

    @Test
    void anUnreachableApiLeavesRancherChecksToRancher() {
        Map<CheckId, CheckResult> results =
                evaluate(apiDown(Fetch.Failure.UNREACHABLE).build());

        assertThat(Stream.of(
                        CheckId.RANCHER_AGENT,
                        CheckId.NODE_AGENTS,
                        CheckId.CLUSTER_CONDITIONS,
                        CheckId.PROVISIONING,
                        CheckId.CERTIFICATES))
                .allSatisfy(id ->
                        assertThat(results.get(id).status()).as(id.wireName()).isEqualTo(CheckStatus.PASS));
    }

    @Test
    void aRancherOutageMakesEveryRancherCheckUnknownNotPass() {
        Map<CheckId, CheckResult> results = evaluate(
                healthy().rancher(unreachable()).machines(unreachable()).build());

        assertThat(Stream.of(
                        CheckId.RANCHER_AGENT,
                        CheckId.NODE_AGENTS,
                        CheckId.CLUSTER_CONDITIONS,
                        CheckId.PROVISIONING,
                        CheckId.CERTIFICATES))
                .allSatisfy(id -> {
                    CheckResult r = results.get(id);
                    assertThat(r.status()).as(id.wireName()).isEqualTo(CheckStatus.UNKNOWN);
                    assertThat(r.reason()).as(id.wireName()).isEqualTo(Reasons.RANCHER_UNANSWERED);
                    assertThat(r.message()).as(id.wireName()).contains("502 Bad Gateway");
                });
        assertThat(results.get(CheckId.API_REACHABLE).status()).isEqualTo(CheckStatus.PASS);
    }

    @Test
    void aClusterNotInRancherYetPassesNothingButItsProvisioningClock() {
        Map<CheckId, CheckResult> results = evaluate(notInRancherYet(min(5)).build());

        assertThat(results.get(CheckId.PROVISIONING).status()).isEqualTo(CheckStatus.PASS);
        assertThat(results.get(CheckId.PROVISIONING).reason()).isEqualTo(Reasons.WITHIN_TIME);
        assertThat(results.values())
                .filteredOn(r -> r.check() != CheckId.PROVISIONING)
                .allSatisfy(r -> assertThat(r.status()).as(r.check().wireName()).isEqualTo(CheckStatus.UNKNOWN));
        assertThat(results.get(CheckId.API_REACHABLE).reason()).isEqualTo(Reasons.NOT_PROVISIONED);
        assertThat(results.get(CheckId.API_READY).message()).isEqualTo("Not run: the cluster is not in Rancher yet");
    }

    static Stream<Arguments> unansweredCalls() {
        return Stream.of(
                Arguments.argumentSet("a failed call", Observations.failed(Fetch.Failure.ERROR)),
                Arguments.argumentSet("a timed-out call", Observations.failed(Fetch.Failure.TIMEOUT)),
                Arguments.argumentSet("an unreadable answer", Observations.failed(Fetch.Failure.BAD_ANSWER)),
                Arguments.argumentSet("a skipped call", Fetch.skipped("the API did not answer /version")));
    }

    @ParameterizedTest
    @MethodSource("unansweredCalls")
    void aCallThatGaveNothingNeverPassesItsCheck(Fetch<?> nothing) {
        @SuppressWarnings("unchecked") // a Failed or Skipped fetch carries no value: it is every Fetch<T>
        Observation o = healthy()
                .readyz((Fetch<Observation.ApiAnswer>) nothing)
                .components((Fetch<List<Observation.ComponentFacts>>) nothing)
                .nodes((Fetch<List<Observation.NodeFacts>>) nothing)
                .usage((Fetch<List<Observation.NodeUsage>>) nothing)
                .metrics((Fetch<String>) nothing)
                .build();

        Map<CheckId, CheckResult> results = evaluate(o);

        assertThat(API_CHECKS).allSatisfy(id -> {
            CheckResult r = results.get(id);
            assertThat(r.status()).as(id.wireName()).isEqualTo(CheckStatus.UNKNOWN);
            assertThat(r.message()).as(id.wireName()).contains(nothing.problem());
            assertThat(r.findings()).as(id.wireName()).isEmpty();
        });
    }
}
