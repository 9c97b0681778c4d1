package dev.kubeyard.health.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubeyard.health.alert.AlertRules.Change;
import dev.kubeyard.health.check.CheckId;
import dev.kubeyard.health.check.CheckStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped rules (the README's table), their configured changes, and what a rule's level means. */
class AlertRulesTest {

    static final Change NO_CHANGE = new Change(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    static Map<String, AlertRule> byName(List<AlertRule> rules) {
        return rules.stream().collect(Collectors.toMap(AlertRule::name, Function.identity()));
    }

    static Stream<Arguments> defaults() {
        return Stream.of(
                Arguments.argumentSet(
                        AlertRules.CLUSTER_UNREACHABLE,
                        AlertRules.CLUSTER_UNREACHABLE,
                        Severity.CRITICAL,
                        false,
                        "",
                        CheckStatus.FAIL,
                        30,
                        30),
                Arguments.argumentSet(
                        AlertRules.CLUSTER_PROVISIONING_TOO_LONG,
                        AlertRules.CLUSTER_PROVISIONING_TOO_LONG,
                        Severity.WARNING,
                        true,
                        "cluster",
                        CheckStatus.FAIL,
                        0,
                        0),
                Arguments.argumentSet(
                        AlertRules.NODE_PROVISIONING_TOO_LONG,
                        AlertRules.NODE_PROVISIONING_TOO_LONG,
                        Severity.WARNING,
                        true,
                        "machine/",
                        CheckStatus.FAIL,
                        0,
                        0),
                Arguments.argumentSet(
                        AlertRules.COMPONENT_UNHEALTHY,
                        AlertRules.COMPONENT_UNHEALTHY,
                        Severity.CRITICAL,
                        true,
                        "",
                        CheckStatus.FAIL,
                        120,
                        60),
                Arguments.argumentSet(
                        AlertRules.NODE_CONDITION_UNHEALTHY,
                        AlertRules.NODE_CONDITION_UNHEALTHY,
                        Severity.WARNING,
                        true,
                        "node/",
                        CheckStatus.FAIL,
                        120,
                        60),
                Arguments.argumentSet(
                        AlertRules.CLUSTER_CONDITION_UNHEALTHY,
                        AlertRules.CLUSTER_CONDITION_UNHEALTHY,
                        Severity.WARNING,
                        true,
                        "condition/",
                        CheckStatus.FAIL,
                        300,
                        60),
                Arguments.argumentSet(
                        AlertRules.CERTIFICATE_EXPIRING_SOON,
                        AlertRules.CERTIFICATE_EXPIRING_SOON,
                        Severity.WARNING,
                        true,
                        "machine/",
                        CheckStatus.WARN,
                        0,
                        0),
                Arguments.argumentSet(
                        AlertRules.NODE_RESOURCES_HIGH,
                        AlertRules.NODE_RESOURCES_HIGH,
                        Severity.WARNING,
                        true,
                        "node/",
                        CheckStatus.FAIL,
                        600,
                        300),
                Arguments.argumentSet(
                        AlertRules.API_SERVER_DEGRADED,
                        AlertRules.API_SERVER_DEGRADED,
                        Severity.WARNING,
                        true,
                        "apiserver/",
                        CheckStatus.FAIL,
                        300,
                        300));
    }

    @ParameterizedTest
    @MethodSource("defaults")
    void eachShippedRuleHasItsDocumentedLevelAndDurations(
            String name,
            Severity severity,
            boolean perFinding,
            String prefix,
            CheckStatus from,
            long forSeconds,
            long keepSeconds) {
        AlertRule rule = byName(AlertRules.defaults()).get(name);

        assertThat(rule.severity()).isEqualTo(severity);
        assertThat(rule.perFinding()).isEqualTo(perFinding);
        assertThat(rule.subjectPrefix()).isEqualTo(prefix);
        assertThat(rule.from()).isEqualTo(from);
        assertThat(rule.forDuration()).isEqualTo(Duration.ofSeconds(forSeconds));
        assertThat(rule.keepFiringFor()).isEqualTo(Duration.ofSeconds(keepSeconds));
        assertThat(rule.enabled()).isTrue();
        assertThat(rule.summary()).isNotBlank();
    }

    @Test
    void theShippedRulesHaveUniqueNames() {
        List<AlertRule> rules = AlertRules.defaults();

        assertThat(rules).extracting(AlertRule::name).doesNotHaveDuplicates().hasSize(9);
    }

    @Test
    void everyCheckIsWatchedByAShippedRule() {
        Set<CheckId> watched =
                AlertRules.defaults().stream().flatMap(r -> r.checks().stream()).collect(Collectors.toSet());

        assertThat(watched).containsExactlyInAnyOrder(CheckId.values());
    }

    @Test
    void noConfiguredChangeKeepsTheDefaults() {
        assertThat(AlertRules.configured(Map.of())).isEqualTo(AlertRules.defaults());
        assertThat(AlertRules.configured(Map.of(AlertRules.CLUSTER_UNREACHABLE, NO_CHANGE)))
                .isEqualTo(AlertRules.defaults());
    }

    @Test
    void aConfiguredChangeReplacesOnlyTheFieldsItSets() {
        Map<String, AlertRule> rules = byName(AlertRules.configured(Map.of(
                AlertRules.NODE_CONDITION_UNHEALTHY,
                new Change(
                        Optional.of(Duration.ofMinutes(10)),
                        Optional.empty(),
                        Optional.of("Critical"),
                        Optional.empty()),
                AlertRules.API_SERVER_DEGRADED,
                new Change(
                        Optional.empty(), Optional.of(Duration.ofMinutes(15)), Optional.empty(), Optional.of(false)))));
        Map<String, AlertRule> defaults = byName(AlertRules.defaults());

        AlertRule node = rules.get(AlertRules.NODE_CONDITION_UNHEALTHY);
        assertThat(node.forDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(node.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(node.keepFiringFor()).isEqualTo(Duration.ofMinutes(1));
        assertThat(node.enabled()).isTrue();
        assertThat(node.checks())
                .isEqualTo(defaults.get(AlertRules.NODE_CONDITION_UNHEALTHY).checks());
        assertThat(node.subjectPrefix()).isEqualTo("node/");

        AlertRule api = rules.get(AlertRules.API_SERVER_DEGRADED);
        assertThat(api.keepFiringFor()).isEqualTo(Duration.ofMinutes(15));
        assertThat(api.forDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(api.enabled()).isFalse();

        assertThat(rules.get(AlertRules.CLUSTER_UNREACHABLE)).isEqualTo(defaults.get(AlertRules.CLUSTER_UNREACHABLE));
        assertThat(AlertRules.configured(Map.of()))
                .extracting(AlertRule::name)
                .containsExactlyElementsOf(
                        AlertRules.defaults().stream().map(AlertRule::name).toList());
    }

    @Test
    void anUnknownRuleNameStopsTheStartNamingTheKnownOnes() {
        assertThatThrownBy(() -> AlertRules.configured(Map.of("ClusterUnreachible", NO_CHANGE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "kubeyard.health.rules: unknown rule 'ClusterUnreachible' (known: ClusterUnreachable,")
                .hasMessageContaining(AlertRules.API_SERVER_DEGRADED);
    }

    @Test
    void anUnknownSeverityStopsTheStart() {
        assertThatThrownBy(() -> AlertRules.configured(Map.of(
                        AlertRules.CLUSTER_UNREACHABLE,
                        new Change(Optional.empty(), Optional.empty(), Optional.of("page"), Optional.empty()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown severity 'page' (info, warning or critical)");
    }

    @Test
    void aNegativeDurationStopsTheStart() {
        assertThatThrownBy(() -> AlertRules.configured(Map.of(
                        AlertRules.CLUSTER_UNREACHABLE,
                        new Change(
                                Optional.of(Duration.ofSeconds(-30)),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty()))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rule ClusterUnreachable: durations must not be negative");
    }

    // ---- a rule's level

    static AlertRule from(CheckStatus from) {
        return new AlertRule(
                "R", Severity.INFO, Set.of(CheckId.ETCD), true, "etcd/", from, Duration.ZERO, Duration.ZERO, true, "s");
    }

    static Stream<Arguments> levels() {
        return Stream.of(
                Arguments.argumentSet("aRuleFromFailHoldsOnFail", CheckStatus.FAIL, CheckStatus.FAIL, true),
                Arguments.argumentSet("aRuleFromFailDoesNotHoldOnWarn", CheckStatus.FAIL, CheckStatus.WARN, false),
                Arguments.argumentSet("aRuleFromFailDoesNotHoldOnPass", CheckStatus.FAIL, CheckStatus.PASS, false),
                Arguments.argumentSet("aRuleFromFailNeverHoldsOnUnknown", CheckStatus.FAIL, CheckStatus.UNKNOWN, false),
                Arguments.argumentSet("aRuleFromWarnHoldsOnFail", CheckStatus.WARN, CheckStatus.FAIL, true),
                Arguments.argumentSet("aRuleFromWarnHoldsOnWarn", CheckStatus.WARN, CheckStatus.WARN, true),
                Arguments.argumentSet("aRuleFromWarnDoesNotHoldOnPass", CheckStatus.WARN, CheckStatus.PASS, false),
                Arguments.argumentSet(
                        "aRuleFromWarnNeverHoldsOnUnknown", CheckStatus.WARN, CheckStatus.UNKNOWN, false));
    }

    @ParameterizedTest
    @MethodSource("levels")
    void aRuleHoldsFromItsLevelOnButNeverOnUnknown(CheckStatus level, CheckStatus status, boolean holds) {
        assertThat(from(level).holds(status)).isEqualTo(holds);
    }

    static Stream<Arguments> badLevels() {
        return Stream.of(
                Arguments.argumentSet("aRuleCannotFireFromPass", CheckStatus.PASS),
                Arguments.argumentSet("aRuleCannotFireFromUnknown", CheckStatus.UNKNOWN));
    }

    @ParameterizedTest
    @MethodSource("badLevels")
    void aRuleFiresFromWarnOrFailOnly(CheckStatus level) {
        assertThatThrownBy(() -> from(level))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a rule fires from Warn or Fail, not " + level);
    }

    @Test
    void aRuleWithoutPrefixJudgesEveryFinding() {
        AlertRule rule = new AlertRule(
                "R",
                Severity.INFO,
                Set.of(CheckId.ETCD),
                true,
                null,
                CheckStatus.FAIL,
                Duration.ZERO,
                Duration.ZERO,
                true,
                "s");

        assertThat(rule.subjectPrefix()).isEmpty();
    }

    // ---- names on the wire

    @Test
    void severitiesAreReadWhateverTheirCase() {
        assertThat(Stream.of(Severity.values()).map(Severity::wireName)).containsExactly("info", "warning", "critical");
        assertThat(Severity.fromWireName("WARNING")).isEqualTo(Severity.WARNING);
    }

    @Test
    void alertStatesAreReadBackFromTheirWireNames() {
        assertThat(Stream.of(AlertState.values()).map(AlertState::wireName)).containsExactly("Firing", "Resolved");
        assertThat(Stream.of(AlertState.values()).map(s -> AlertState.fromWireName(s.wireName())))
                .containsExactly(AlertState.values());
        assertThatThrownBy(() -> AlertState.fromWireName("Silenced")).isInstanceOf(IllegalArgumentException.class);
    }
}
