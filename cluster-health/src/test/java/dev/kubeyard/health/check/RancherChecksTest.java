package dev.kubeyard.health.check;

import static dev.kubeyard.health.check.Observations.NOW;
import static dev.kubeyard.health.check.Observations.cond;
import static dev.kubeyard.health.check.Observations.healthy;
import static dev.kubeyard.health.check.Observations.machine;
import static dev.kubeyard.health.check.Observations.min;
import static dev.kubeyard.health.check.Observations.provisioningMachine;
import static dev.kubeyard.health.check.Observations.unreachable;
import static dev.kubeyard.health.check.Observations.withConditions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.kubeyard.health.check.Observation.Cond;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What Rancher says of the cluster: rancher-agent, node-agents and cluster-conditions. */
class RancherChecksTest {

    static final Instant SINCE = Instant.parse("2026-03-02T09:50:00Z");

    // ---- rancher-agent

    @Test
    void aConnectedAgentPasses() {
        CheckResult r = HealthChecks.rancherAgent(healthy().build());

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.reason()).isEqualTo(Reasons.CONNECTED);
    }

    @Test
    void aDisconnectedAgentFailsSayingSinceWhenAndWhy() {
        CheckResult r = HealthChecks.rancherAgent(healthy()
                .rancher(cond("Connected", "False", "Disconnected", "cluster agent is not connected", SINCE))
                .build());

        String message =
                "Rancher reports the cluster agent disconnected since 2026-03-02T09:50:00Z: cluster agent is not"
                        + " connected.";
        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.reason()).isEqualTo(Reasons.AGENT_DISCONNECTED);
        assertThat(r.message()).isEqualTo(message);
        assertThat(r.findings())
                .containsExactly(
                        new Finding("condition/Connected", CheckStatus.FAIL, Reasons.AGENT_DISCONNECTED, message));
    }

    @Test
    void anAgentRancherDoesNotReportYetIsUnknown() {
        CheckResult r = HealthChecks.rancherAgent(
                healthy().rancher(cond("Ready", "True")).build());

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.NOT_REPORTED);
    }

    @Test
    void anUnansweredRancherMakesTheAgentUnknownNotDisconnected() {
        CheckResult r =
                HealthChecks.rancherAgent(healthy().rancher(unreachable()).build());

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.RANCHER_UNANSWERED);
        assertThat(r.findings()).isEmpty();
    }

    // ---- node-agents

    @Test
    void everyRunningMachinesAgentCheckedInPasses() {
        CheckResult r = HealthChecks.nodeAgents(healthy().build());

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.message()).isEqualTo("5 of 5 node agents connected.");
        assertThat(r.figures()).containsOnly(entry("connected", 5), entry("nodes", 5));
    }

    @Test
    void anAgentThatHasNotCheckedInFailsItsNode() {
        CheckResult r = HealthChecks.nodeAgents(healthy()
                .machines(
                        machine("cp-0"),
                        withConditions(
                                machine("w-1"),
                                cond("Ready", "True"),
                                cond("Reconciled", "False", "Waiting", "waiting for plan to be applied", SINCE)))
                .build());

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.message()).isEqualTo("1 of 2 node agents have not checked in.");
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.subject()).isEqualTo("node/w-1/Agent");
            assertThat(f.reason()).isEqualTo(Reasons.AGENT_DISCONNECTED);
            assertThat(f.message())
                    .isEqualTo("The agent of node w-1 has not checked in since 2026-03-02T09:50:00Z:"
                            + " waiting for plan to be applied.");
            assertThat(f.labels()).containsOnly(entry("node", "w-1"), entry("pool", "workers"));
        });
    }

    @Test
    void machinesWithoutARunningNodeAreNotCountedAsAgents() {
        CheckResult r = HealthChecks.nodeAgents(healthy()
                .machines(
                        machine("cp-0"),
                        provisioningMachine("w-9", "Provisioning", min(3), cond("Reconciled", "False")),
                        withConditions(machine("w-0"))) // no Reconciled condition reported yet
                .build());

        assertThat(r.status()).isEqualTo(CheckStatus.PASS);
        assertThat(r.figures()).containsOnly(entry("connected", 2), entry("nodes", 2));
    }

    @Test
    void unansweredMachinesMakeTheAgentsUnknown() {
        CheckResult r =
                HealthChecks.nodeAgents(healthy().machines(unreachable()).build());

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.RANCHER_UNANSWERED);
    }

    // ---- cluster-conditions

    static Stream<Arguments> clusterConditions() {
        return Stream.of(
                Arguments.argumentSet(
                        "aSettledClusterNotReadyFails",
                        "Ready",
                        cond("Ready", "False", "", "waiting for cluster agent", SINCE),
                        CheckStatus.FAIL,
                        Reasons.CONDITION_FALSE),
                Arguments.argumentSet(
                        "aDegradedClusterWithReadyUnknownFails",
                        "Degraded",
                        cond("Ready", "Unknown"),
                        CheckStatus.FAIL,
                        Reasons.CONDITION_FALSE),
                Arguments.argumentSet(
                        "aSettledClusterNotUpdatedFails",
                        "Ready",
                        cond("Updated", "False"),
                        CheckStatus.FAIL,
                        Reasons.CONDITION_FALSE),
                Arguments.argumentSet(
                        "aProvisioningClusterNotReadyIsNotJudgedYet",
                        "Provisioning",
                        cond("Ready", "False", "", "waiting for viable init node", SINCE),
                        CheckStatus.PASS,
                        Reasons.TRANSITIONING),
                Arguments.argumentSet(
                        "aPendingClusterNotProvisionedIsNotJudgedYet",
                        "Pending",
                        cond("Provisioned", "Unknown"),
                        CheckStatus.PASS,
                        Reasons.TRANSITIONING),
                Arguments.argumentSet(
                        "anUpdatingClusterNotUpdatedIsNotJudgedYet",
                        "Updating",
                        cond("Updated", "False", "", "rolling out new plan", SINCE),
                        CheckStatus.PASS,
                        Reasons.TRANSITIONING),
                Arguments.argumentSet(
                        "aStalledClusterFailsEvenWhileProvisioning",
                        "Provisioning",
                        cond("Stalled", "True", "", "machine creation failed", SINCE),
                        CheckStatus.FAIL,
                        Reasons.STALLED),
                Arguments.argumentSet(
                        "anErrorReasonFailsEvenWhileProvisioning",
                        "Provisioning",
                        cond("Provisioned", "False", "Error", "failed to create etcd snapshot", SINCE),
                        CheckStatus.FAIL,
                        Reasons.CONDITION_FALSE),
                Arguments.argumentSet(
                        "stalledFalseIsFine", "Ready", cond("Stalled", "False"), CheckStatus.PASS, Reasons.HEALTHY),
                Arguments.argumentSet(
                        "diskPressureWarns",
                        "Ready",
                        cond("NoDiskPressure", "False"),
                        CheckStatus.WARN,
                        Reasons.PRESSURE),
                Arguments.argumentSet(
                        "memoryPressureWarnsEvenWhileProvisioning",
                        "Provisioning",
                        cond("NoMemoryPressure", "False"),
                        CheckStatus.WARN,
                        Reasons.PRESSURE),
                Arguments.argumentSet(
                        "aDisconnectedAgentIsLeftToTheAgentCheck",
                        "Ready",
                        cond("Connected", "False", "Error", "cluster agent disconnected", SINCE),
                        CheckStatus.PASS,
                        Reasons.HEALTHY),
                Arguments.argumentSet(
                        "anInformativeConditionFalseIsFine",
                        "Ready",
                        cond("BackingNamespaceCreated", "False"),
                        CheckStatus.PASS,
                        Reasons.HEALTHY));
    }

    @ParameterizedTest
    @MethodSource("clusterConditions")
    void clusterConditionsAreJudgedOnlyOnceTheClusterIsSettled(
            String phase, Cond condition, CheckStatus status, String reason) {
        CheckResult r = HealthChecks.clusterConditions(
                healthy().phase(phase).rancher(condition).build());

        assertThat(r.status()).isEqualTo(status);
        assertThat(r.reason()).isEqualTo(reason);
        if (status == CheckStatus.PASS) {
            assertThat(r.findings()).isEmpty();
        } else {
            assertThat(r.findings()).singleElement().satisfies(f -> {
                assertThat(f.subject()).isEqualTo("condition/" + condition.type());
                assertThat(f.status()).isEqualTo(status);
                assertThat(f.labels()).containsOnly(entry("condition", condition.type()));
            });
        }
    }

    @Test
    void aFailedConditionSaysItsStatusSinceAndMessage() {
        CheckResult r = HealthChecks.clusterConditions(healthy()
                .rancher(
                        cond("Ready", "False", "", "waiting for cluster agent", SINCE),
                        cond("Updated", "False", "", "", null))
                .build());

        assertThat(r.message()).isEqualTo("2 of Rancher's conditions are not as expected: Ready, Updated.");
        assertThat(r.findings())
                .extracting(Finding::message)
                .containsExactly(
                        "Rancher's condition Ready is False since 2026-03-02T09:50:00Z: waiting for cluster agent.",
                        "Rancher's condition Updated is False.");
        assertThat(r.figures()).containsOnly(entry("state", "active"));
    }

    @Test
    void aTransitioningClusterSaysItsConditionsWaitUntilItSettles() {
        CheckResult r = HealthChecks.clusterConditions(healthy()
                .phase("Provisioning", min(3))
                .rancher(cond("Ready", "False"))
                .build());

        assertThat(r.message())
                .isEqualTo(
                        "The cluster is provisioning: Rancher's readiness conditions are not judged until it settles.");
    }

    @Test
    void aFailingConditionLeadsOverAPressureWarning() {
        CheckResult r = HealthChecks.clusterConditions(healthy()
                .rancher(cond("NoDiskPressure", "False"), cond("Stalled", "True", "", "machine creation failed", NOW))
                .build());

        assertThat(r.status()).isEqualTo(CheckStatus.FAIL);
        assertThat(r.reason()).isEqualTo(Reasons.STALLED);
    }

    @Test
    void anUnansweredRancherMakesTheConditionsUnknown() {
        CheckResult r =
                HealthChecks.clusterConditions(healthy().rancher(unreachable()).build());

        assertThat(r.status()).isEqualTo(CheckStatus.UNKNOWN);
        assertThat(r.reason()).isEqualTo(Reasons.RANCHER_UNANSWERED);
    }
}
