package dev.kubeyard.health.alert;

import static dev.kubeyard.health.check.CheckStatus.FAIL;
import static dev.kubeyard.health.check.CheckStatus.PASS;
import static dev.kubeyard.health.check.CheckStatus.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kubeyard.health.check.CheckId;
import dev.kubeyard.health.check.CheckResult;
import dev.kubeyard.health.check.CheckStatus;
import dev.kubeyard.health.check.Finding;
import dev.kubeyard.health.check.HealthTracker;
import dev.kubeyard.health.check.Reasons;
import dev.kubeyard.health.check.TrackedCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sweep after sweep, every 30 s, as the sweep runs them: results tracked with their times, then planned against the
 * shipped rules and the alerts the previous sweeps opened. Each test tells a cluster's story and reads the alerts'.
 */
class AlertTimelineTest {

    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    static final Duration INTERVAL = Duration.ofSeconds(30);
    static final Duration CLEARED_RETENTION = Duration.ofMinutes(10);
    static final AlertPlanner.Subject ALPHA = new AlertPlanner.Subject("alpha", "team-a");

    /** The cluster's tracked checks and firing alerts between sweeps, and what happened to the alerts. */
    static final class Cluster {
        List<TrackedCheck> tracked = List.of();
        final Map<String, OpenAlert> firing = new LinkedHashMap<>();
        final List<String> events = new ArrayList<>();
        long nextId = 1;
        int sweep;

        /** One sweep: these results, at T0 + sweep * 30 s. */
        void sweep(CheckResult... results) {
            Instant now = T0.plus(INTERVAL.multipliedBy(sweep));
            tracked = HealthTracker.track(tracked, List.of(results), now, CLEARED_RETENTION)
                    .checks();
            for (AlertAction action :
                    AlertPlanner.plan(ALPHA, tracked, AlertRules.defaults(), List.copyOf(firing.values()), now)) {
                switch (action) {
                    case AlertAction.Open open -> {
                        firing.put(
                                open.fingerprint(),
                                new OpenAlert(
                                        nextId++,
                                        open.fingerprint(),
                                        open.rule().name(),
                                        open.summary(),
                                        open.description()));
                        events.add(seconds(now) + " open " + open.fingerprint());
                    }
                    case AlertAction.Resolve resolve -> {
                        OpenAlert alert = firing.values().stream()
                                .filter(a -> a.id() == resolve.alertId())
                                .findFirst()
                                .orElseThrow();
                        firing.remove(alert.fingerprint());
                        events.add(seconds(now) + " resolve " + alert.fingerprint());
                    }
                    case AlertAction.Describe describe -> {
                        OpenAlert alert = firing.values().stream()
                                .filter(a -> a.id() == describe.alertId())
                                .findFirst()
                                .orElseThrow();
                        firing.put(
                                alert.fingerprint(),
                                new OpenAlert(
                                        alert.id(),
                                        alert.fingerprint(),
                                        alert.rule(),
                                        alert.summary(),
                                        describe.description()));
                        events.add(seconds(now) + " describe " + alert.fingerprint());
                    }
                }
            }
            sweep++;
        }

        /** {@code count} sweeps with the same results. */
        void sweeps(int count, CheckResult... results) {
            for (int i = 0; i < count; i++) {
                sweep(results);
            }
        }

        static String seconds(Instant t) {
            return "t+" + Duration.between(T0, t).toSeconds();
        }
    }

    static final String NODE_ALERT = "NodeConditionUnhealthy/alpha/node/w-1/Ready";
    static final String UNREACHABLE_ALERT = "ClusterUnreachable/alpha";

    static CheckResult nodes(CheckStatus status, Finding... findings) {
        return new CheckResult(CheckId.NODE_CONDITIONS, status, "R", "nodes " + status, Map.of(), List.of(findings), 5);
    }

    static final CheckResult W1_NOT_READY = nodes(
            FAIL,
            new Finding("node/w-1/Ready", FAIL, Reasons.NOT_READY, "Node w-1: Ready is False.", Map.of("node", "w-1")));
    static final CheckResult NODES_HEALTHY = nodes(PASS);
    static final CheckResult NODES_UNREAD =
            CheckResult.unknown(CheckId.NODE_CONDITIONS, Reasons.NOT_RUN, "Could not read the nodes: 502 Bad Gateway.");

    static CheckResult api(CheckStatus status) {
        return new CheckResult(CheckId.API_REACHABLE, status, "R", "api " + status, Map.of(), List.of(), 5);
    }

    @Test
    void aNodeDownForTwoMinutesOpensOneAlertThatResolvesAMinuteAfterItRecovers() {
        Cluster c = new Cluster();

        c.sweeps(10, W1_NOT_READY); // t+0 .. t+270
        c.sweeps(6, NODES_HEALTHY); // t+300 .. t+450

        assertThat(c.events).containsExactly("t+120 open " + NODE_ALERT, "t+360 resolve " + NODE_ALERT);
        assertThat(c.firing).isEmpty();
    }

    @Test
    void aSingleFailedProbeOpensNoAlertWhoseDurationIsLonger() {
        Cluster c = new Cluster();

        c.sweeps(3, api(PASS));
        c.sweep(api(CheckStatus.FAIL));
        c.sweeps(3, api(PASS));

        assertThat(c.events).isEmpty();
    }

    @Test
    void twoFailedProbesInARowOpenClusterUnreachableAndTwoGoodOnesResolveIt() {
        Cluster c = new Cluster();

        c.sweep(api(PASS)); // t+0
        c.sweeps(2, api(FAIL)); // t+30, t+60
        c.sweeps(3, api(PASS)); // t+90 .. t+150

        assertThat(c.events).containsExactly("t+60 open " + UNREACHABLE_ALERT, "t+120 resolve " + UNREACHABLE_ALERT);
    }

    @Test
    void anApiOutageNeitherResolvesNorReopensANodeAlert() {
        Cluster c = new Cluster();

        c.sweeps(5, W1_NOT_READY); // opens at t+120
        c.sweeps(10, NODES_UNREAD); // five minutes without the nodes
        c.sweeps(3, W1_NOT_READY);

        assertThat(c.events).containsExactly("t+120 open " + NODE_ALERT);
        assertThat(c.firing).containsOnlyKeys(NODE_ALERT);
    }

    @Test
    void aNodeThatRecoveredDuringAnOutageResolvesAMinuteAfterItIsSeenAgain() {
        Cluster c = new Cluster();

        c.sweeps(5, W1_NOT_READY); // t+0 .. t+120, opens at t+120
        c.sweeps(10, NODES_UNREAD); // t+150 .. t+420
        c.sweeps(4, NODES_HEALTHY); // t+450 .. t+540: seen healthy from t+450

        assertThat(c.events).containsExactly("t+120 open " + NODE_ALERT, "t+510 resolve " + NODE_ALERT);
    }

    @Test
    void aFindingThatFlapsKeepsItsAlertFiring() {
        Cluster c = new Cluster();

        c.sweeps(5, W1_NOT_READY); // opens at t+120
        for (int i = 0; i < 4; i++) {
            c.sweep(NODES_HEALTHY); // cleared for 30 s, less than keep-firing's minute
            c.sweep(W1_NOT_READY);
        }

        assertThat(c.events).containsExactly("t+120 open " + NODE_ALERT);
    }

    @Test
    void aFindingThatReturnsAfterItsAlertResolvedWaitsItsDurationAgain() {
        Cluster c = new Cluster();

        c.sweeps(5, W1_NOT_READY); // t+0 .. t+120, opens at t+120
        c.sweeps(3, NODES_HEALTHY); // t+150 .. t+210, resolves at t+210
        c.sweeps(5, W1_NOT_READY); // t+240 .. t+360, opens again at t+360

        assertThat(c.events)
                .containsExactly("t+120 open " + NODE_ALERT, "t+210 resolve " + NODE_ALERT, "t+360 open " + NODE_ALERT);
    }

    @Test
    void anUnknownCheckNeverCountsTowardsAnAlertsDuration() {
        Cluster c = new Cluster();

        c.sweeps(10, NODES_UNREAD);
        c.sweep(W1_NOT_READY); // t+300: the first time the node is seen down

        assertThat(c.events).isEmpty();
        assertThat(c.tracked)
                .singleElement()
                .satisfies(t -> assertThat(t.findings().get(0).since()).isEqualTo(T0.plusSeconds(300)));
        assertThat(c.tracked.get(0).status()).isEqualTo(FAIL);
        assertThat(HealthTracker.overall(c.tracked)).isNotEqualTo(UNKNOWN);
    }
}
