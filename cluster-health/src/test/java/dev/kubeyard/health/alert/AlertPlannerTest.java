package dev.kubeyard.health.alert;

import static dev.kubeyard.health.check.CheckStatus.FAIL;
import static dev.kubeyard.health.check.CheckStatus.PASS;
import static dev.kubeyard.health.check.CheckStatus.UNKNOWN;
import static dev.kubeyard.health.check.CheckStatus.WARN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.kubeyard.health.alert.AlertAction.Describe;
import dev.kubeyard.health.alert.AlertAction.Open;
import dev.kubeyard.health.alert.AlertAction.Resolve;
import dev.kubeyard.health.alert.AlertPlanner.Subject;
import dev.kubeyard.health.check.CheckId;
import dev.kubeyard.health.check.CheckStatus;
import dev.kubeyard.health.check.Reasons;
import dev.kubeyard.health.check.TrackedCheck;
import dev.kubeyard.health.check.TrackedCheck.TrackedFinding;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which alerts open, stay, are described anew or resolve, from tracked checks, rules and the firing alerts. */
class AlertPlannerTest {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    static final Subject ALPHA = new Subject("alpha", "team-a");
    static final List<AlertRule> RULES = AlertRules.defaults();

    static final String UNREACHABLE_FP = "ClusterUnreachable/alpha";
    static final String NODE_FP = "NodeConditionUnhealthy/alpha/node/w-1/Ready";

    static Instant ago(Duration d) {
        return NOW.minus(d);
    }

    static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    static TrackedCheck check(CheckId id, CheckStatus status, Instant since, TrackedFinding... findings) {
        return new TrackedCheck(
                id, status, "Reason", id.wireName() + " is " + status, Map.of(), List.of(findings), since, NOW, 5);
    }

    static TrackedFinding finding(String subject, CheckStatus status, Instant since) {
        return new TrackedFinding(
                subject,
                status,
                "NotReady",
                subject + " is " + status,
                Map.of("node", "w-1", "condition", "Ready"),
                since);
    }

    static TrackedFinding cleared(String subject, Instant since) {
        return new TrackedFinding(subject, PASS, Reasons.CLEARED, "No longer found: " + subject, Map.of(), since);
    }

    static OpenAlert firing(long id, String fingerprint, String rule, String description) {
        return new OpenAlert(id, fingerprint, rule, "summary of " + rule, description);
    }

    static List<AlertAction> plan(List<TrackedCheck> checks, List<OpenAlert> open) {
        return AlertPlanner.plan(ALPHA, checks, RULES, open, NOW);
    }

    static List<AlertAction> plan(TrackedCheck check, OpenAlert... open) {
        return plan(List.of(check), List.of(open));
    }

    // ---- opening

    @Test
    void aCheckFailingForItsRulesDurationOpensItsAlert() {
        List<AlertAction> actions = plan(check(CheckId.API_REACHABLE, FAIL, ago(s(30))));

        assertThat(actions).singleElement().isInstanceOfSatisfying(Open.class, open -> {
            assertThat(open.fingerprint()).isEqualTo(UNREACHABLE_FP);
            assertThat(open.rule().name()).isEqualTo(AlertRules.CLUSTER_UNREACHABLE);
            assertThat(open.check()).isEqualTo(CheckId.API_REACHABLE);
            assertThat(open.subject()).isEmpty();
            assertThat(open.activeSince()).isEqualTo(ago(s(30)));
            assertThat(open.summary()).isEqualTo("The cluster's API does not answer (alpha)");
            assertThat(open.description()).isEqualTo("api-reachable is FAIL");
            assertThat(open.labels())
                    .containsExactly(
                            entry("alertname", "ClusterUnreachable"),
                            entry("cluster", "alpha"),
                            entry("severity", "critical"),
                            entry("check", "api-reachable"),
                            entry("team", "team-a"));
        });
    }

    static Stream<Arguments> failingFor() {
        return Stream.of(
                Arguments.argumentSet("aSingleFailedProbeOpensNoAlertWhoseDurationIsLonger", s(0), false),
                Arguments.argumentSet("failingJustUnderTheDurationOpensNothing", s(29), false),
                Arguments.argumentSet("failingForTheDurationOpens", s(30), true),
                Arguments.argumentSet("failingLongerThanTheDurationOpens", Duration.ofHours(2), true));
    }

    @ParameterizedTest
    @MethodSource("failingFor")
    void anAlertOpensOnlyOnceItsConditionHasHeldForTheRulesDuration(Duration failingFor, boolean opens) {
        List<AlertAction> actions = plan(check(CheckId.API_REACHABLE, FAIL, ago(failingFor)));

        assertThat(actions).hasSize(opens ? 1 : 0);
    }

    @Test
    void aRuleWithoutDurationOpensOnTheFirstFailure() {
        List<AlertAction> actions = plan(check(CheckId.PROVISIONING, FAIL, NOW, finding("cluster", FAIL, NOW)));

        assertThat(actions).singleElement().isInstanceOfSatisfying(Open.class, open -> assertThat(open.fingerprint())
                .isEqualTo("ClusterProvisioningTooLong/alpha/cluster"));
    }

    @Test
    void eachFindingOpensItsOwnAlertWithItsLabels() {
        List<AlertAction> actions = plan(check(
                CheckId.NODE_CONDITIONS,
                FAIL,
                ago(s(300)),
                finding("node/w-1/Ready", FAIL, ago(s(300))),
                finding("node/w-2/DiskPressure", FAIL, ago(s(200)))));

        assertThat(actions)
                .extracting(a -> ((Open) a).fingerprint())
                .containsExactly(NODE_FP, "NodeConditionUnhealthy/alpha/node/w-2/DiskPressure");
        Open first = (Open) actions.get(0);
        assertThat(first.subject()).isEqualTo("node/w-1/Ready");
        assertThat(first.activeSince()).isEqualTo(ago(s(300)));
        assertThat(first.description()).isEqualTo("node/w-1/Ready is FAIL");
        assertThat(first.labels())
                .containsOnly(
                        entry("alertname", "NodeConditionUnhealthy"),
                        entry("cluster", "alpha"),
                        entry("severity", "warning"),
                        entry("check", "node-conditions"),
                        entry("subject", "node/w-1/Ready"),
                        entry("team", "team-a"),
                        entry("node", "w-1"),
                        entry("condition", "Ready"));
    }

    @Test
    void aFindingsDurationIsItsOwnNotItsChecks() {
        // the check has failed for an hour, but this node only for a minute
        List<AlertAction> actions = plan(check(
                CheckId.NODE_CONDITIONS, FAIL, ago(Duration.ofHours(1)), finding("node/w-1/Ready", FAIL, ago(s(60)))));

        assertThat(actions).isEmpty();
    }

    @Test
    void aFindingsLabelsNeverOverrideTheAlertsOwn() {
        TrackedFinding sneaky = new TrackedFinding(
                "node/w-1/Ready",
                FAIL,
                "NotReady",
                "m",
                Map.of("cluster", "other", "severity", "info", "node", "w-1"),
                ago(s(300)));

        List<AlertAction> actions = plan(check(CheckId.NODE_CONDITIONS, FAIL, ago(s(300)), sneaky));

        assertThat(((Open) actions.get(0)).labels())
                .containsEntry("cluster", "alpha")
                .containsEntry("severity", "warning")
                .containsEntry("node", "w-1");
    }

    @Test
    void aClusterWithoutTeamHasNoTeamLabel() {
        List<AlertAction> actions = AlertPlanner.plan(
                new Subject("alpha", null),
                List.of(check(CheckId.API_REACHABLE, FAIL, ago(s(60)))),
                RULES,
                List.of(),
                NOW);

        assertThat(((Open) actions.get(0)).labels()).doesNotContainKey("team");
    }

    @Test
    void findingsOutsideTheRulesPrefixAreNotItsBusiness() {
        List<AlertAction> actions = plan(check(
                CheckId.PROVISIONING, FAIL, NOW, finding("cluster", FAIL, NOW), finding("machine/w-3", FAIL, NOW)));

        assertThat(actions)
                .extracting(a -> ((Open) a).fingerprint())
                .containsExactly(
                        "ClusterProvisioningTooLong/alpha/cluster", "NodeProvisioningTooLong/alpha/machine/w-3");
    }

    static Stream<Arguments> warnings() {
        return Stream.of(
                Arguments.argumentSet(
                        "aWarningOpensNoAlertOfARuleFromFail",
                        check(
                                CheckId.NODE_RESOURCES,
                                WARN,
                                ago(Duration.ofHours(1)),
                                finding("node/w-1/cpu", WARN, ago(Duration.ofHours(1)))),
                        0),
                Arguments.argumentSet(
                        "aWarningOpensAnAlertOfARuleFromWarn",
                        check(CheckId.CERTIFICATES, WARN, NOW, finding("machine/cp-0", WARN, NOW)),
                        1),
                Arguments.argumentSet(
                        "aFailureOpensAnAlertOfARuleFromWarn",
                        check(CheckId.CERTIFICATES, FAIL, NOW, finding("machine/cp-0", FAIL, NOW)),
                        1));
    }

    @ParameterizedTest
    @MethodSource("warnings")
    void anAlertOpensFromItsRulesLevelOn(TrackedCheck check, int opened) {
        assertThat(plan(check)).hasSize(opened);
    }

    // ---- firing alerts

    @Test
    void aFiringAlertIsNeverOpenedTwice() {
        List<AlertAction> actions = plan(
                check(CheckId.API_REACHABLE, FAIL, ago(s(600))),
                firing(7, UNREACHABLE_FP, AlertRules.CLUSTER_UNREACHABLE, "api-reachable is FAIL"));

        assertThat(actions).isEmpty();
    }

    @Test
    void aFiringAlertWhoseNumbersMovedIsDescribedAnewNotReopened() {
        List<AlertAction> actions = plan(
                check(CheckId.API_REACHABLE, FAIL, ago(s(600))),
                firing(7, UNREACHABLE_FP, AlertRules.CLUSTER_UNREACHABLE, "The API did not answer within 4000 ms."));

        assertThat(actions).containsExactly(new Describe(7, "summary of ClusterUnreachable", "api-reachable is FAIL"));
    }

    @Test
    void aFiringAlertStaysWhileItsConditionHolds() {
        List<AlertAction> actions = plan(
                check(CheckId.NODE_CONDITIONS, FAIL, ago(s(600)), finding("node/w-1/Ready", FAIL, ago(s(600)))),
                firing(3, NODE_FP, AlertRules.NODE_CONDITION_UNHEALTHY, "node/w-1/Ready is FAIL"));

        assertThat(actions).isEmpty();
    }

    // ---- resolving

    static Stream<Arguments> passingFor() {
        return Stream.of(
                Arguments.argumentSet("onePassingProbeResolvesNothing", s(0), false),
                Arguments.argumentSet("passingJustUnderKeepFiringForResolvesNothing", s(29), false),
                Arguments.argumentSet("passingForKeepFiringForResolves", s(30), true),
                Arguments.argumentSet("passingLongerResolves", Duration.ofHours(1), true));
    }

    @ParameterizedTest
    @MethodSource("passingFor")
    void aPassingCheckResolvesItsAlertOnlyAfterKeepFiringFor(Duration passingFor, boolean resolves) {
        List<AlertAction> actions = plan(
                check(CheckId.API_REACHABLE, PASS, ago(passingFor)),
                firing(7, UNREACHABLE_FP, AlertRules.CLUSTER_UNREACHABLE, "api-reachable is FAIL"));

        if (resolves) {
            assertThat(actions)
                    .containsExactly(new Resolve(
                            7, "no longer seen for " + passingFor.toSeconds() + " s (api-reachable is PASS)"));
        } else {
            assertThat(actions).isEmpty();
        }
    }

    static Stream<Arguments> clearedFor() {
        return Stream.of(
                Arguments.argumentSet("justCleared", s(0), false),
                Arguments.argumentSet("clearedJustUnderKeepFiringFor", s(59), false),
                Arguments.argumentSet("clearedForKeepFiringFor", s(60), true));
    }

    @ParameterizedTest
    @MethodSource("clearedFor")
    void aClearedFindingResolvesItsAlertOnlyAfterKeepFiringFor(Duration clearedFor, boolean resolves) {
        List<AlertAction> actions = plan(
                check(CheckId.NODE_CONDITIONS, PASS, ago(clearedFor), cleared("node/w-1/Ready", ago(clearedFor))),
                firing(3, NODE_FP, AlertRules.NODE_CONDITION_UNHEALTHY, "node/w-1/Ready is FAIL"));

        assertThat(actions).hasSize(resolves ? 1 : 0);
        if (resolves) {
            assertThat(actions.get(0))
                    .isEqualTo(new Resolve(3, "no longer seen for 60 s (No longer found: node/w-1/Ready)"));
        }
    }

    @Test
    void aWarningResolvesAnAlertOfARuleFromFail() {
        List<AlertAction> actions = plan(
                check(CheckId.API_SERVER, WARN, ago(s(600)), finding("apiserver/errors", WARN, ago(s(300)))),
                firing(9, "ApiServerDegraded/alpha/apiserver/errors", AlertRules.API_SERVER_DEGRADED, "x"));

        assertThat(actions).singleElement().isInstanceOf(Resolve.class);
    }

    @Test
    void anAlertWhoseFindingIsNoLongerReportedResolves() {
        List<AlertAction> actions = plan(
                check(CheckId.NODE_CONDITIONS, PASS, ago(Duration.ofHours(1))),
                firing(3, NODE_FP, AlertRules.NODE_CONDITION_UNHEALTHY, "node/w-1/Ready is FAIL"));

        assertThat(actions).containsExactly(new Resolve(3, "its condition is no longer reported"));
    }

    // ---- Unknown

    static Stream<Arguments> unknownChecks() {
        Instant longAgo = ago(Duration.ofHours(1));
        return Stream.of(
                Arguments.argumentSet(
                        "anUnknownCheckOpensNoAlert", check(CheckId.API_REACHABLE, UNKNOWN, longAgo), List.of()),
                Arguments.argumentSet(
                        "anUnknownCheckResolvesNoAlert",
                        check(CheckId.API_REACHABLE, UNKNOWN, longAgo),
                        List.of(firing(7, UNREACHABLE_FP, AlertRules.CLUSTER_UNREACHABLE, "api-reachable is FAIL"))),
                Arguments.argumentSet(
                        "aFailedFindingKeptThroughUnknownOpensNoAlert",
                        check(CheckId.NODE_CONDITIONS, UNKNOWN, ago(s(30)), finding("node/w-1/Ready", FAIL, longAgo)),
                        List.of()),
                Arguments.argumentSet(
                        "aClearedFindingKeptThroughUnknownResolvesNoAlert",
                        check(CheckId.NODE_CONDITIONS, UNKNOWN, ago(s(30)), cleared("node/w-1/Ready", longAgo)),
                        List.of(firing(3, NODE_FP, AlertRules.NODE_CONDITION_UNHEALTHY, "node/w-1/Ready is FAIL"))),
                Arguments.argumentSet(
                        "aFindingMissingWhileItsCheckIsUnknownResolvesNoAlert",
                        check(CheckId.NODE_CONDITIONS, UNKNOWN, longAgo),
                        List.of(firing(3, NODE_FP, AlertRules.NODE_CONDITION_UNHEALTHY, "node/w-1/Ready is FAIL"))),
                Arguments.argumentSet(
                        "aFiringAlertIsNotDescribedAnewWhileUnknown",
                        check(CheckId.NODE_CONDITIONS, UNKNOWN, ago(s(30)), finding("node/w-1/Ready", FAIL, longAgo)),
                        List.of(firing(3, NODE_FP, AlertRules.NODE_CONDITION_UNHEALTHY, "older words"))));
    }

    @ParameterizedTest
    @MethodSource("unknownChecks")
    void anUnknownCheckNeitherOpensNorResolvesAlerts(TrackedCheck check, List<OpenAlert> open) {
        assertThat(plan(List.of(check), open)).isEmpty();
    }

    // ---- rules turned off, clusters gone

    @Test
    void firingAlertsOfATurnedOffRuleResolve() {
        List<AlertRule> rules = AlertRules.configured(Map.of(
                AlertRules.CLUSTER_UNREACHABLE,
                new AlertRules.Change(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(false))));

        List<AlertAction> actions = AlertPlanner.plan(
                ALPHA,
                List.of(check(CheckId.API_REACHABLE, FAIL, ago(s(600)))),
                rules,
                List.of(firing(7, UNREACHABLE_FP, AlertRules.CLUSTER_UNREACHABLE, "api-reachable is FAIL")),
                NOW);

        assertThat(actions).containsExactly(new Resolve(7, "the rule ClusterUnreachable is turned off"));
    }

    @Test
    void firingAlertsOfATurnedOffRuleResolveEvenWhileTheirCheckIsUnknown() {
        List<AlertRule> rules = AlertRules.configured(Map.of(
                AlertRules.CLUSTER_UNREACHABLE,
                new AlertRules.Change(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(false))));

        List<AlertAction> actions = AlertPlanner.plan(
                ALPHA,
                List.of(check(CheckId.API_REACHABLE, UNKNOWN, ago(s(600)))),
                rules,
                List.of(firing(7, UNREACHABLE_FP, AlertRules.CLUSTER_UNREACHABLE, "api-reachable is FAIL")),
                NOW);

        assertThat(actions).containsExactly(new Resolve(7, "the rule ClusterUnreachable is turned off"));
    }

    @Test
    void firingAlertsOfARuleNoLongerShippedResolve() {
        List<AlertAction> actions = plan(List.of(), List.of(firing(4, "EtcdSlow/alpha", "EtcdSlow", "etcd is slow")));

        assertThat(actions).containsExactly(new Resolve(4, "the rule EtcdSlow is turned off"));
    }

    @Test
    void aTurnedOffRuleOpensNothing() {
        List<AlertRule> rules = RULES.stream()
                .map(r -> r.with(r.forDuration(), r.keepFiringFor(), r.severity(), false))
                .toList();

        List<AlertAction> actions = AlertPlanner.plan(
                ALPHA, List.of(check(CheckId.API_REACHABLE, FAIL, ago(s(600)))), rules, List.of(), NOW);

        assertThat(actions).isEmpty();
    }

    @Test
    void aClusterThatIsGoneResolvesEveryFiringAlert() {
        List<AlertAction> actions = AlertPlanner.clusterGone(List.of(
                firing(3, NODE_FP, AlertRules.NODE_CONDITION_UNHEALTHY, "x"),
                firing(7, UNREACHABLE_FP, AlertRules.CLUSTER_UNREACHABLE, "y")));

        assertThat(actions)
                .containsExactly(
                        new Resolve(3, "the cluster no longer exists"), new Resolve(7, "the cluster no longer exists"));
    }

    @Test
    void aFingerprintIsTheRuleTheClusterAndTheSubject() {
        assertThat(AlertPlanner.fingerprint("ClusterUnreachable", "alpha", "")).isEqualTo(UNREACHABLE_FP);
        assertThat(AlertPlanner.fingerprint("NodeConditionUnhealthy", "alpha", "node/w-1/Ready"))
                .isEqualTo(NODE_FP);
    }

    @Test
    void theSameInputsGiveTheSameActions() {
        List<TrackedCheck> checks = List.of(
                check(CheckId.API_REACHABLE, FAIL, ago(s(600))),
                check(CheckId.NODE_CONDITIONS, FAIL, ago(s(600)), finding("node/w-1/Ready", FAIL, ago(s(600)))),
                check(CheckId.CERTIFICATES, WARN, NOW, finding("machine/cp-0", WARN, NOW)));
        List<OpenAlert> open = List.of(firing(3, NODE_FP, AlertRules.NODE_CONDITION_UNHEALTHY, "older words"));

        assertThat(plan(checks, open)).isEqualTo(plan(checks, open)).hasSize(3);
    }
}
