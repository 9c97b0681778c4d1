package dev.kubeyard.health.check;

import static dev.kubeyard.health.check.Observations.CPU_MILLIS;
import static dev.kubeyard.health.check.Observations.DEFAULTS;
import static dev.kubeyard.health.check.Observations.MEMORY_BYTES;
import static dev.kubeyard.health.check.Observations.cond;
import static dev.kubeyard.health.check.Observations.healthy;
import static dev.kubeyard.health.check.Observations.node;
import static dev.kubeyard.health.check.Observations.unreachable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.kubeyard.health.check.Observation.ComponentFacts;
import dev.kubeyard.health.check.Observation.Cond;
import dev.kubeyard.health.check.Observation.NodeFacts;
import dev.kubeyard.health.check.Observation.NodeUsage;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** node-conditions, components and node-resources: what the nodes and the control plane report of themselves. */
class NodeChecksTest {

    static final Instant SINCE = Instant.parse("2026-03-02T09:45:00Z");

    // ---- node-conditions

    static Stream<Arguments> nodeConditions() {
        return Stream.of(
                Arguments.argumentSet("readyTrueIsHealthy", cond("Ready", "True"), null),
                Arguments.argumentSet("readyFalseIsNotReady", cond("Ready", "False"), Reasons.NOT_READY),
                Arguments.argumentSet("readyUnknownIsNotReady", cond("Ready", "Unknown"), Reasons.NOT_READY),
                Arguments.argumentSet("memoryPressureTrueIsPressure", cond("MemoryPressure", "True"), Reasons.PRESSURE),
                Arguments.argumentSet("diskPressureTrueIsPressure", cond("DiskPressure", "True"), Reasons.PRESSURE),
                Arguments.argumentSet("pidPressureTrueIsPressure", cond("PIDPressure", "True"), Reasons.PRESSURE),
                Arguments.argumentSet(
                        "networkUnavailableTrueIsPressure", cond("NetworkUnavailable", "True"), Reasons.PRESSURE),
                Arguments.argumentSet("memoryPressureFalseIsHealthy", cond("MemoryPressure", "False"), null),
                Arguments.argumentSet("diskPressureUnknownIsNoPressure", cond("DiskPressure", "Unknown"), null),
                Arguments.argumentSet("aConditionOutsideTheListIsNotJudged", cond("KernelDeadlock", "True"), null));
    }

    @ParameterizedTest
    @MethodSource("nodeConditions")
    void aNodeFailsOnlyWhenNotReadyOrUnderPressure(Cond condition, String reason) {
        CheckResult r = HealthChecks.nodeConditions(
                healthy().nodes(node("cp-0"), node("w-0", condition)).build());

        if (reason == null) {
            assertThat(r.status()).isEqualTo(CheckStatus.PASS);
            assertThat(r.findings()).isEmpty();
        } else {
            assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
            assertThat(r.reason()).isEqualTo(Reasons.UNHEALTHY);
            assertThat(r.findings()).singleElement().satisfies(f -> {
                assertThat(f.subject()).isEqualTo("node/w-0/" + condition.type());
                assertThat(f.status()).isEqualTo(CheckStatus.FAIL);
                assertThat(f.reason()).isEqualTo(reason);
                assertThat(f.labels()).containsOnly(entry("node", "w-0"), entry("condition", condition.type()));
            });
        }
    }

    @Test
    void aNodeWhoseKubeletStoppedPostingIsOneNotReadyFindingNotFourPressures() {
        String stopped = "Kubelet stopped posting node status.";
        NodeFacts down = node(
                "w-1",
                cond("Ready", "Unknown", "NodeStatusUnknown", stopped, SINCE),
                cond("MemoryPressure", "Unknown", "NodeStatusUnknown", stopped, SINCE),
                cond("DiskPressure", "Unknown", "NodeStatusUnknown", stopped, SINCE),
                cond("PIDPressure", "Unknown", "NodeStatusUnknown", stopped, SINCE));

        CheckResult r =
                HealthChecks.nodeConditions(healthy().nodes(node("w-0"), down).build());

        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("node/w-1/Ready");
            assertThat(f.reason()).isEqualTo(Reasons.NOT_READY);
            assertThat(f.message())
                    .isEqualTo("Node w-1: Ready is Unknown since 2026-03-02T09:45:00Z"
                            + " (Kubelet stopped posting node status.).");
        });
    }

    @Test
    void theMessageCountsUnhealthyNodesNotFindings() {
        CheckResult r = HealthChecks.nodeConditions(healthy()
                .nodes(
                        node("cp-0"),
                        node("w-0", cond("Ready", "False"), cond("DiskPressure", "True")),
                        node("w-1", cond("MemoryPressure", "True")))
                .build());

        assertThat(r.message()).isEqualTo("2 of 3 nodes unhealthy; 2 Ready.");
        assertThat(r.figures()).containsOnly(entry("nodes", 3), entry("ready", 2));
        assertThat(r.findings())
                .extracting(Finding::subject)
                .containsExactly("node/w-0/Ready", "node/w-0/DiskPressure", "node/w-1/MemoryPressure");
    }

    @Test
    void healthyNodesPass() {
        CheckResult r = HealthChecks.nodeConditions(healthy().build());

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.message()).isEqualTo("All 5 nodes Ready, no pressure.");
    }

    @Test
    void aClusterWithoutNodesIsUnknownNotHealthy() {
        CheckResult r = HealthChecks.nodeConditions(healthy().nodes().build());

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.NOT_REPORTED);
    }

    @Test
    void unreadNodesAreUnknown() {
        CheckResult r =
                HealthChecks.nodeConditions(healthy().nodes(unreachable()).build());

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.NOT_RUN);
        assertThat(r.message()).isEqualTo("Could not read the nodes: 502 Bad Gateway.");
    }

    // ---- components

    @Test
    void healthyComponentsPass() {
        CheckResult r = HealthChecks.components(healthy().build());

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.message()).isEqualTo("All 3 control-plane components healthy.");
    }

    @Test
    void anUnhealthyComponentFailsWithItsMessage() {
        CheckResult r = HealthChecks.components(healthy()
                .components(
                        new ComponentFacts("scheduler", true, "ok"),
                        new ComponentFacts(
                                "controller-manager",
                                false,
                                "Get \"https://127.0.0.1:10257/healthz\": dial tcp 127.0.0.1:10257: connect: connection"
                                        + " refused"),
                        new ComponentFacts("etcd-0", true, "ok"))
                .build());

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.message()).isEqualTo("1 of 3 control-plane components unhealthy: controller-manager.");
        assertThat(r.figures()).containsOnly(entry("components", 3), entry("unhealthy", 1));
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("component/controller-manager");
            assertThat(f.reason()).isEqualTo(Reasons.UNHEALTHY);
            assertThat(f.message()).startsWith("Component controller-manager is unhealthy: Get ");
            assertThat(f.labels()).containsOnly(entry("component", "controller-manager"));
        });
    }

    @Test
    void noComponentStatusesIsUnknownNotHealthy() {
        CheckResult r = HealthChecks.components(healthy().components().build());

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.NOT_REPORTED);
    }

    @Test
    void unservedComponentStatusesAreUnknownNotServed() {
        CheckResult r = HealthChecks.components(healthy()
                .components(Fetch.failed(Fetch.Failure.NOT_SERVED, "404 Not Found", 3))
                .build());

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.NOT_SERVED);
    }

    // ---- node-resources

    static Stream<Arguments> usage() {
        return Stream.of(
                Arguments.argumentSet("cpuBelowItsWarningPasses", 3360L, 0L, CheckStatus.PASS, null),
                Arguments.argumentSet("cpuAtItsWarningWarns", 3400L, 0L, CheckStatus.WARN, "cpu"),
                Arguments.argumentSet("cpuAtItsFailureFails", 3800L, 0L, CheckStatus.FAIL, "cpu"),
                Arguments.argumentSet("memoryBelowItsWarningPasses", 0L, 890_000_000L, CheckStatus.PASS, null),
                Arguments.argumentSet("memoryAtItsWarningWarns", 0L, 900_000_000L, CheckStatus.WARN, "memory"),
                Arguments.argumentSet("memoryAtItsFailureFails", 0L, 970_000_000L, CheckStatus.FAIL, "memory"),
                Arguments.argumentSet("memoryOverItsAllocatableFails", 0L, 1_200_000_000L, CheckStatus.FAIL, "memory"));
    }

    @ParameterizedTest
    @MethodSource("usage")
    void aNodeUsingMoreThanItsThresholdWarnsThenFails(
            long cpuMillis, long memoryBytes, CheckStatus status, String resource) {
        CheckResult r = HealthChecks.nodeResources(
                healthy().usage(new NodeUsage("w-0", cpuMillis, memoryBytes)).build(), DEFAULTS);

        assertThat(r.status()).isEqualTo(status);
        if (resource == null) {
            assertThat(r.findings()).isEmpty();
            assertThat(r.reason()).isEqualTo(Reasons.HEALTHY);
        } else {
            assertThat(r.reason()).isEqualTo(Reasons.HIGH_USAGE);
            assertThat(r.findings()).singleElement().satisfies(f -> {
                assertThat(f.subject()).isEqualTo("node/w-0/" + resource);
                assertThat(f.status()).isEqualTo(status);
                assertThat(f.labels()).containsOnly(entry("node", "w-0"), entry("resource", resource));
            });
        }
    }

    @Test
    void usageIsMeasuredAgainstEachNodesAllocatable() {
        CheckResult r = HealthChecks.nodeResources(
                healthy()
                        .usage(new NodeUsage("w-0", 3800, 100_000_000L), new NodeUsage("w-1", 400, 920_000_000L))
                        .build(),
                DEFAULTS);

        assertThat(r.figures())
                .containsOnly(entry("nodesMeasured", 2), entry("maxCpuPercent", 95.0), entry("maxMemoryPercent", 92.0));
        assertThat(r.message()).isEqualTo("Busiest node: CPU 95.0%, memory 92.0% of allocatable (2 nodes).");
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.findings())
                .extracting(Finding::message)
                .containsExactly(
                        "Node w-0 uses 95.0% of its allocatable cpu (limit 95%).",
                        "Node w-1 uses 92.0% of its allocatable memory (limit 90%).");
    }

    @Test
    void usageOfNodesTheClusterDoesNotListIsNotMeasured() {
        CheckResult r = HealthChecks.nodeResources(
                healthy()
                        .usage(new NodeUsage("gone-7", CPU_MILLIS, MEMORY_BYTES))
                        .build(),
                DEFAULTS);

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.NOT_REPORTED);
    }

    @Test
    void aNodeWithoutAllocatableIsNotMeasured() {
        CheckResult r = HealthChecks.nodeResources(
                healthy()
                        .nodes(new NodeFacts("w-0", Set.of("worker"), List.of(cond("Ready", "True")), 0, 0))
                        .usage(new NodeUsage("w-0", 100, 100))
                        .build(),
                DEFAULTS);

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
    }

    @Test
    void aClusterWithoutMetricsServerIsUnknownAndSaysWhatToInstall() {
        CheckResult r = HealthChecks.nodeResources(
                healthy()
                        .usage(Fetch.failed(Fetch.Failure.NOT_SERVED, "404 Not Found", 4))
                        .build(),
                DEFAULTS);

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.NOT_SERVED);
        assertThat(r.message()).contains("install metrics-server");
    }

    @Test
    void anUnreadMetricsApiIsUnknown() {
        CheckResult r =
                HealthChecks.nodeResources(healthy().usage(unreachable()).build(), DEFAULTS);

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.NOT_RUN);
    }
}
