package dev.kubeyard.health.check;

import static dev.kubeyard.health.check.CheckStatus.FAIL;
import static dev.kubeyard.health.check.CheckStatus.PASS;
import static dev.kubeyard.health.check.CheckStatus.UNKNOWN;
import static dev.kubeyard.health.check.CheckStatus.WARN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kubeyard.health.check.HealthTracker.Tracked;
import dev.kubeyard.health.check.TrackedCheck.TrackedFinding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Status-since tracking: since moves only when a status flips, each flip is one transition, Unknown hides nothing. */
class HealthTrackerTest {

    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    static final Duration RETENTION = Duration.ofMinutes(10);

    static CheckResult result(CheckId id, CheckStatus status, Finding... findings) {
        return new CheckResult(id, status, "Reason", status + " now", Map.of("n", 1), List.of(findings), 7);
    }

    static Finding finding(String subject, CheckStatus status) {
        return new Finding(subject, status, "NotReady", subject + " is " + status, Map.of("node", "w-1"));
    }

    static TrackedFinding tracked(String subject, CheckStatus status, Instant since) {
        return new TrackedFinding(
                subject, status, "NotReady", subject + " was " + status, Map.of("node", "w-1"), since);
    }

    static TrackedCheck tracked(CheckId id, CheckStatus status, Instant since, TrackedFinding... findings) {
        return new TrackedCheck(id, status, "Before", status + " before", Map.of(), List.of(findings), since, since, 3);
    }

    static Tracked track(List<TrackedCheck> previous, CheckResult... results) {
        return HealthTracker.track(previous, List.of(results), NOW, RETENTION);
    }

    static TrackedCheck only(Tracked t) {
        assertThat(t.checks()).hasSize(1);
        return t.checks().get(0);
    }

    @Test
    void aFirstResultIsTrackedSinceNowWithItsTransition() {
        Tracked t = track(List.of(), result(CheckId.API_REACHABLE, PASS));

        TrackedCheck c = only(t);
        assertThat(c.status()).isEqualTo(PASS);
        assertThat(c.since()).isEqualTo(NOW);
        assertThat(c.observedAt()).isEqualTo(NOW);
        assertThat(c.message()).isEqualTo("PASS now");
        assertThat(c.figures()).containsEntry("n", 1);
        assertThat(c.millis()).isEqualTo(7);
        assertThat(t.transitions())
                .containsExactly(new Transition(CheckId.API_REACHABLE, "", null, PASS, "Reason", "PASS now", NOW));
    }

    @Test
    void anUnchangedStatusKeepsItsSinceAndRecordsNoTransition() {
        Tracked t = track(List.of(tracked(CheckId.API_REACHABLE, FAIL, T0)), result(CheckId.API_REACHABLE, FAIL));

        TrackedCheck c = only(t);
        assertThat(c.since()).isEqualTo(T0);
        assertThat(c.observedAt()).isEqualTo(NOW);
        assertThat(c.message()).isEqualTo("FAIL now");
        assertThat(t.transitions()).isEmpty();
    }

    @Test
    void aFlippedStatusRestartsSinceAndRecordsItsTransition() {
        Tracked t = track(List.of(tracked(CheckId.API_REACHABLE, FAIL, T0)), result(CheckId.API_REACHABLE, PASS));

        assertThat(only(t).since()).isEqualTo(NOW);
        assertThat(t.transitions())
                .containsExactly(new Transition(CheckId.API_REACHABLE, "", FAIL, PASS, "Reason", "PASS now", NOW));
    }

    @Test
    void aFindingKeepsItsSinceWhileItsStatusHolds() {
        Tracked t = track(
                List.of(tracked(CheckId.NODE_CONDITIONS, FAIL, T0, tracked("node/w-1/Ready", FAIL, T0))),
                result(CheckId.NODE_CONDITIONS, FAIL, finding("node/w-1/Ready", FAIL)));

        assertThat(only(t).findings())
                .containsExactly(new TrackedFinding(
                        "node/w-1/Ready", FAIL, "NotReady", "node/w-1/Ready is FAIL", Map.of("node", "w-1"), T0));
        assertThat(t.transitions()).isEmpty();
    }

    @Test
    void aNewFindingIsTrackedSinceNowWithItsTransition() {
        Tracked t = track(
                List.of(tracked(CheckId.NODE_CONDITIONS, FAIL, T0, tracked("node/w-1/Ready", FAIL, T0))),
                result(
                        CheckId.NODE_CONDITIONS,
                        FAIL,
                        finding("node/w-1/Ready", FAIL),
                        finding("node/w-2/Ready", FAIL)));

        assertThat(only(t).findings())
                .extracting(TrackedFinding::subject, TrackedFinding::since)
                .containsExactly(tuple("node/w-1/Ready", T0), tuple("node/w-2/Ready", NOW));
        assertThat(t.transitions())
                .containsExactly(new Transition(
                        CheckId.NODE_CONDITIONS,
                        "node/w-2/Ready",
                        null,
                        FAIL,
                        "NotReady",
                        "node/w-2/Ready is FAIL",
                        NOW));
    }

    @Test
    void aFindingWhoseStatusChangesRestartsItsSince() {
        Tracked t = track(
                List.of(tracked(CheckId.CERTIFICATES, WARN, T0, tracked("machine/cp-0", WARN, T0))),
                result(CheckId.CERTIFICATES, FAIL, finding("machine/cp-0", FAIL)));

        assertThat(only(t).findings()).singleElement().satisfies(f -> assertThat(f.since())
                .isEqualTo(NOW));
        assertThat(t.transitions())
                .extracting(Transition::subject, Transition::from, Transition::to)
                .containsExactly(tuple("", WARN, FAIL), tuple("machine/cp-0", WARN, FAIL));
    }

    @Test
    void aFindingThatWentAwayIsClearedAsAPassAndRecorded() {
        Tracked t = track(
                List.of(tracked(CheckId.NODE_CONDITIONS, FAIL, T0, tracked("node/w-1/Ready", FAIL, T0))),
                result(CheckId.NODE_CONDITIONS, PASS));

        TrackedFinding cleared = only(t).findings().get(0);
        assertThat(cleared)
                .isEqualTo(new TrackedFinding(
                        "node/w-1/Ready",
                        PASS,
                        Reasons.CLEARED,
                        "No longer found: node/w-1/Ready was FAIL",
                        Map.of("node", "w-1"),
                        NOW));
        assertThat(t.transitions())
                .contains(new Transition(
                        CheckId.NODE_CONDITIONS,
                        "node/w-1/Ready",
                        FAIL,
                        PASS,
                        Reasons.CLEARED,
                        "No longer found: node/w-1/Ready was FAIL",
                        NOW));
    }

    static Stream<Arguments> clearedAges() {
        return Stream.of(
                Arguments.argumentSet("justClearedIsKept", Duration.ZERO, true),
                Arguments.argumentSet("clearedJustUnderTheRetentionIsKept", RETENTION.minusSeconds(1), true),
                Arguments.argumentSet("clearedForTheRetentionIsDropped", RETENTION, false),
                Arguments.argumentSet("clearedLongAgoIsDropped", Duration.ofDays(1), false));
    }

    @ParameterizedTest
    @MethodSource("clearedAges")
    void aClearedFindingIsKeptOnlyForTheRetention(Duration clearedFor, boolean kept) {
        TrackedFinding cleared = new TrackedFinding(
                "node/w-1/Ready", PASS, Reasons.CLEARED, "No longer found", Map.of(), NOW.minus(clearedFor));

        Tracked t = track(
                List.of(tracked(CheckId.NODE_CONDITIONS, PASS, T0, cleared)), result(CheckId.NODE_CONDITIONS, PASS));

        if (kept) {
            assertThat(only(t).findings()).containsExactly(cleared);
        } else {
            assertThat(only(t).findings()).isEmpty();
        }
        assertThat(t.transitions()).isEmpty();
    }

    @Test
    void aClearedFindingThatReturnsStartsAgain() {
        TrackedFinding cleared = new TrackedFinding(
                "node/w-1/Ready", PASS, Reasons.CLEARED, "No longer found", Map.of(), NOW.minusSeconds(30));

        Tracked t = track(
                List.of(tracked(CheckId.NODE_CONDITIONS, PASS, T0, cleared)),
                result(CheckId.NODE_CONDITIONS, FAIL, finding("node/w-1/Ready", FAIL)));

        assertThat(only(t).findings()).singleElement().satisfies(f -> {
            assertThat(f.status()).isEqualTo(FAIL);
            assertThat(f.since()).isEqualTo(NOW);
        });
        assertThat(t.transitions())
                .extracting(Transition::subject, Transition::from, Transition::to)
                .contains(tuple("node/w-1/Ready", PASS, FAIL));
    }

    @Test
    void anUnknownCheckKeepsItsFindingsAsTheyWere() {
        TrackedFinding notReady = tracked("node/w-1/Ready", FAIL, T0);
        TrackedFinding cleared = tracked("node/w-2/Ready", PASS, T0); // older than the retention, yet not dropped

        Tracked t = track(
                List.of(tracked(CheckId.NODE_CONDITIONS, FAIL, T0, notReady, cleared)),
                CheckResult.unknown(CheckId.NODE_CONDITIONS, Reasons.NOT_RUN, "Could not read the nodes: 502."));

        TrackedCheck c = only(t);
        assertThat(c.status()).isEqualTo(UNKNOWN);
        assertThat(c.since()).isEqualTo(NOW);
        assertThat(c.findings()).containsExactly(notReady, cleared);
        assertThat(t.transitions())
                .containsExactly(new Transition(
                        CheckId.NODE_CONDITIONS,
                        "",
                        FAIL,
                        UNKNOWN,
                        Reasons.NOT_RUN,
                        "Could not read the nodes: 502.",
                        NOW));
    }

    @Test
    void aCheckThatRunsAgainAfterUnknownJudgesItsFindingsAgain() {
        TrackedFinding notReady = tracked("node/w-1/Ready", FAIL, T0);

        Tracked t = track(
                List.of(tracked(CheckId.NODE_CONDITIONS, UNKNOWN, NOW.minusSeconds(60), notReady)),
                result(CheckId.NODE_CONDITIONS, FAIL, finding("node/w-1/Ready", FAIL)));

        assertThat(only(t).findings()).singleElement().satisfies(f -> assertThat(f.since())
                .isEqualTo(T0));
    }

    @Test
    void aCheckTheProbeDidNotRunIsCarriedOverUntouched() {
        TrackedCheck etcd = tracked(CheckId.ETCD, WARN, T0, tracked("etcd/quorum", WARN, T0));

        Tracked t = track(List.of(etcd), result(CheckId.API_REACHABLE, PASS));

        assertThat(t.checks()).extracting(TrackedCheck::check).containsExactly(CheckId.API_REACHABLE, CheckId.ETCD);
        assertThat(t.checks().get(1)).isSameAs(etcd);
        assertThat(t.transitions()).extracting(Transition::check).containsOnly(CheckId.API_REACHABLE);
    }

    @Test
    void checksAreKeptInTheOrderOfCheckId() {
        Tracked t = track(
                List.of(),
                result(CheckId.API_SERVER, PASS),
                result(CheckId.API_REACHABLE, PASS),
                result(CheckId.CERTIFICATES, PASS));

        assertThat(t.checks())
                .extracting(TrackedCheck::check)
                .containsExactly(CheckId.API_REACHABLE, CheckId.CERTIFICATES, CheckId.API_SERVER);
    }

    // ---- the cluster's status

    static Stream<Arguments> overall() {
        return Stream.of(
                Arguments.argumentSet("everyCheckPassingPasses", List.of(PASS, PASS, PASS), List.of(), PASS),
                Arguments.argumentSet("aWarningWarns", List.of(PASS, WARN, PASS), List.of(), WARN),
                Arguments.argumentSet(
                        "anUnknownSimpleCheckIsUnknown", List.of(PASS, UNKNOWN, WARN), List.of(), UNKNOWN),
                Arguments.argumentSet("aFailureBeatsUnknown", List.of(UNKNOWN, FAIL, WARN), List.of(), FAIL),
                Arguments.argumentSet(
                        "anUnknownAdvancedCheckDoesNotMakeTheClusterUnknown", List.of(PASS), List.of(UNKNOWN), PASS),
                Arguments.argumentSet("aFailingAdvancedCheckFails", List.of(PASS), List.of(FAIL), FAIL),
                Arguments.argumentSet("aWarningAdvancedCheckWarns", List.of(PASS), List.of(WARN), WARN),
                Arguments.argumentSet("nothingTrackedIsUnknown", List.of(), List.of(), UNKNOWN));
    }

    @ParameterizedTest
    @MethodSource("overall")
    void theClustersStatusIsItsWorstCheck(List<CheckStatus> simple, List<CheckStatus> advanced, CheckStatus expected) {
        List<CheckId> simpleIds =
                Stream.of(CheckId.values()).filter(c -> !c.advanced()).toList();
        List<CheckId> advancedIds =
                Stream.of(CheckId.values()).filter(CheckId::advanced).toList();
        List<TrackedCheck> checks = new ArrayList<>();
        for (int i = 0; i < simple.size(); i++) {
            checks.add(tracked(simpleIds.get(i), simple.get(i), T0));
        }
        for (int i = 0; i < advanced.size(); i++) {
            checks.add(tracked(advancedIds.get(i), advanced.get(i), T0));
        }

        assertThat(HealthTracker.overall(checks)).isEqualTo(expected);
    }

    @Test
    void trackingGivesTheClustersStatus() {
        Tracked t = track(List.of(), result(CheckId.API_REACHABLE, PASS), result(CheckId.COMPONENTS, WARN));

        assertThat(t.status()).isEqualTo(WARN);
    }
}
