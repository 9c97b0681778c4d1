package dev.kubeyard.health.check;

import static dev.kubeyard.health.check.Observations.DEFAULTS;
import static dev.kubeyard.health.check.Observations.ETCD_FAILED;
import static dev.kubeyard.health.check.Observations.cond;
import static dev.kubeyard.health.check.Observations.healthy;
import static dev.kubeyard.health.check.Observations.node;
import static dev.kubeyard.health.check.Observations.thresholds;
import static dev.kubeyard.health.check.Observations.unreachable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.kubeyard.health.check.Observation.NodeFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** etcd: the API server's view of it, its quorum from the etcd nodes' readiness, its database against its quota. */
class EtcdCheckTest {

    static final String REQUESTS = "apiserver_request_total{code=\"200\",verb=\"GET\"} 10\n";

    @Test
    void aHealthyEtcdPassesWithItsMembersDatabaseAndLatency() {
        CheckResult r = HealthChecks.etcd(healthy().build(), DEFAULTS);

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.reason()).isEqualTo(Reasons.HEALTHY);
        assertThat(r.message()).isEqualTo("etcd is healthy: 3 of 3 members Ready, database 256 MiB (12.5% of quota).");
        assertThat(r.figures())
                .containsOnly(
                        entry("members", 3L),
                        entry("membersReady", 3L),
                        entry("dbSizeBytes", 268_435_456L),
                        entry("dbQuotaPercent", 12.5),
                        entry("requestP99Seconds", 0.046));
    }

    /** {@code members} etcd nodes of which the first {@code ready} are Ready; the others' Ready is False. */
    static List<NodeFacts> etcdNodes(int members, int ready) {
        List<NodeFacts> nodes = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            nodes.add(i < ready ? node("cp-" + i) : node("cp-" + i, cond("Ready", i % 2 == 0 ? "False" : "Unknown")));
        }
        nodes.add(node("w-0"));
        return nodes;
    }

    static Stream<Arguments> quorums() {
        return Stream.of(
                Arguments.argumentSet("theOnlyMemberReadyIsHealthy", 1, 1, CheckStatus.PASS, Reasons.HEALTHY),
                Arguments.argumentSet("theOnlyMemberDownLosesQuorum", 1, 0, CheckStatus.FAIL, Reasons.QUORUM_LOST),
                Arguments.argumentSet("threeOfThreeIsHealthy", 3, 3, CheckStatus.PASS, Reasons.HEALTHY),
                Arguments.argumentSet("twoOfThreeKeepsQuorumAndWarns", 3, 2, CheckStatus.WARN, Reasons.NOT_READY),
                Arguments.argumentSet("oneOfThreeLosesQuorum", 3, 1, CheckStatus.FAIL, Reasons.QUORUM_LOST),
                Arguments.argumentSet("noneOfThreeLosesQuorum", 3, 0, CheckStatus.FAIL, Reasons.QUORUM_LOST),
                Arguments.argumentSet("twoOfFourLosesQuorum", 4, 2, CheckStatus.FAIL, Reasons.QUORUM_LOST),
                Arguments.argumentSet("threeOfFiveKeepsQuorumAndWarns", 5, 3, CheckStatus.WARN, Reasons.NOT_READY),
                Arguments.argumentSet("twoOfFiveLosesQuorum", 5, 2, CheckStatus.FAIL, Reasons.QUORUM_LOST));
    }

    @ParameterizedTest
    @MethodSource("quorums")
    void etcdFailsOnlyOnceFewerThanAQuorumOfItsMembersAreReady(
            int members, int ready, CheckStatus status, String reason) {
        CheckResult r = HealthChecks.etcd(
                healthy().nodes(Observations.ok(etcdNodes(members, ready))).build(), DEFAULTS);

        assertThat(r.status()).isEqualTo(status);
        assertThat(r.reason()).isEqualTo(reason);
        assertThat(r.figures()).containsEntry("members", (long) members).containsEntry("membersReady", (long) ready);
        if (status != CheckStatus.PASS) {
            assertThat(r.findings()).singleElement().satisfies(f -> {
                assertThat(f.subject()).isEqualTo("etcd/quorum");
                assertThat(f.labels()).containsOnly(entry("component", "etcd"));
            });
        }
    }

    @Test
    void theQuorumMessagesCarryTheCounts() {
        assertThat(HealthChecks.etcd(
                                healthy()
                                        .nodes(Observations.ok(etcdNodes(3, 1)))
                                        .build(),
                                DEFAULTS)
                        .message())
                .isEqualTo("etcd has 1 of 3 members on Ready nodes, below its quorum of 2.");
        assertThat(HealthChecks.etcd(
                                healthy()
                                        .nodes(Observations.ok(etcdNodes(5, 4)))
                                        .build(),
                                DEFAULTS)
                        .message())
                .isEqualTo("etcd has 4 of 5 members on Ready nodes; 1 more may fail before quorum is lost.");
    }

    @Test
    void anApiServerThatCannotUseEtcdFailsItOnce() {
        CheckResult r = HealthChecks.etcd(healthy().readyz(500, ETCD_FAILED).build(), DEFAULTS);

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.reason()).isEqualTo(Reasons.UNHEALTHY);
        assertThat(r.findings())
                .singleElement()
                .isEqualTo(new Finding(
                        "component/etcd",
                        CheckStatus.FAIL,
                        Reasons.UNHEALTHY,
                        "The API server cannot use etcd: its check etcd fails (failed: reason withheld).",
                        Map.of("component", "etcd")));
    }

    @Test
    void aFailedReadyzCheckOtherThanEtcdIsNotEtcds() {
        CheckResult r = HealthChecks.etcd(
                healthy()
                        .readyz(500, "[+]etcd ok\n[-]informer-sync failed: reason withheld\n")
                        .build(),
                DEFAULTS);

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
    }

    static String size(String metric, String... values) {
        StringBuilder text = new StringBuilder(REQUESTS);
        for (int i = 0; i < values.length; i++) {
            text.append(metric)
                    .append("{endpoint=\"https://10.0.0.")
                    .append(i + 1)
                    .append(":2379\"} ")
                    .append(values[i])
                    .append('\n');
        }
        return text.toString();
    }

    static Stream<Arguments> databaseSizes() {
        return Stream.of(
                Arguments.argumentSet("underItsWarningPasses", "7.99e+08", CheckStatus.PASS),
                Arguments.argumentSet("atItsWarningWarns", "8e+08", CheckStatus.WARN),
                Arguments.argumentSet("atItsFailureFails", "9.5e+08", CheckStatus.FAIL),
                Arguments.argumentSet("overItsQuotaFails", "1.2e+09", CheckStatus.FAIL));
    }

    @ParameterizedTest
    @MethodSource("databaseSizes")
    void aDatabaseNearItsQuotaWarnsThenFails(String bytes, CheckStatus status) {
        CheckResult r = HealthChecks.etcd(
                healthy().metrics(size("apiserver_storage_size_bytes", bytes)).build(), thresholds(1_000_000_000L));

        assertThat(r.status()).isEqualTo(status);
        if (status == CheckStatus.PASS) {
            assertThat(r.findings()).isEmpty();
        } else {
            assertThat(r.reason()).isEqualTo(Reasons.DATABASE_FULL);
            assertThat(r.findings()).singleElement().satisfies(f -> {
                assertThat(f.subject()).isEqualTo("etcd/database");
                assertThat(f.status()).isEqualTo(status);
                assertThat(f.message()).endsWith("quota: compact and defragment it.");
            });
        }
    }

    @Test
    void theLargestMemberOfTheOlderSizeMetricCounts() {
        CheckResult r = HealthChecks.etcd(
                healthy()
                        .metrics(size("etcd_db_total_size_in_bytes", "1.048576e+08", "1.9e+09", "2.097152e+08"))
                        .build(),
                DEFAULTS);

        assertThat(r.figures()).containsEntry("dbSizeBytes", 1_900_000_000L);
        assertThat(r.status()).isEqualTo(CheckStatus.WARN);
        assertThat(r.message())
                .isEqualTo("etcd's database is 1812 MiB, 88.5% of its 2048 MiB quota: compact and" + " defragment it.");
    }

    @Test
    void metricsWithoutEtcdFiguresLeaveTheOthersToJudge() {
        CheckResult r = HealthChecks.etcd(healthy().metrics(REQUESTS).build(), DEFAULTS);

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.figures()).containsOnlyKeys("members", "membersReady");
        assertThat(r.message()).isEqualTo("etcd is healthy: 3 of 3 members Ready.");
    }

    @Test
    void aFullDatabaseLeadsOverAQuorumWarning() {
        CheckResult r = HealthChecks.etcd(
                healthy()
                        .nodes(Observations.ok(etcdNodes(3, 2)))
                        .metrics(size("apiserver_storage_size_bytes", "9.9e+08"))
                        .build(),
                thresholds(1_000_000_000L));

        assertThat(r.findings()).extracting(Finding::subject).containsExactly("etcd/quorum", "etcd/database");
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.reason()).isEqualTo(Reasons.DATABASE_FULL);
        assertThat(r.message()).startsWith("etcd's database is");
    }

    @Test
    void aClusterWithoutEtcdNodesIsJudgedByWhatTheApiServerSays() {
        CheckResult r =
                HealthChecks.etcd(healthy().nodes(node("w-0"), node("w-1")).build(), DEFAULTS);

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.figures()).doesNotContainKeys("members", "membersReady");
    }

    @Test
    void nothingReadableAboutEtcdIsUnknown() {
        CheckResult r = HealthChecks.etcd(
                healthy()
                        .readyz(unreachable())
                        .nodes(unreachable())
                        .metrics(unreachable())
                        .build(),
                DEFAULTS);

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.NOT_RUN);
        assertThat(r.message()).isEqualTo("Nothing about etcd could be read: 502 Bad Gateway");
    }

    @Test
    void unreadableMetricsAreNoMeasurement() {
        CheckResult r = HealthChecks.etcd(
                healthy()
                        .readyz(unreachable())
                        .nodes(unreachable())
                        .metrics("<html>oops</html>")
                        .build(),
                DEFAULTS);

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
    }
}
