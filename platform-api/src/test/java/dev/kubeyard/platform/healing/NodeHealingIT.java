package dev.kubeyard.platform.healing;

import static dev.kubeyard.platform.healing.HealingScenario.assertNoReplacement;
import static dev.kubeyard.platform.healing.HealingScenario.faults;
import static dev.kubeyard.platform.healing.HealingScenario.reasonsFor;
import static dev.kubeyard.platform.healing.HealingScenario.replaced;
import static dev.kubeyard.platform.healing.HealingScenario.workersAndControlPlane;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.nodepool.control.HealingService;
import dev.kubeyard.nodepool.healing.HealingReasons;
import dev.kubeyard.platform.testing.DirectoryResource;
import dev.kubeyard.platform.testing.EmbeddedPostgresResource;
import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import dev.kubeyard.rancher.sim.faults.SimFaults;
import io.fabric8.kubernetes.api.model.Event;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each healing rule against rancher-sim with injected faults, through the API: the on-demand evaluation runs the same
 * cycle as the sweep (the shared test application runs no background sweep; its timeouts are seconds, see
 * application.properties). Each cluster has a fleet of its own, so budgets spent elsewhere never reach it.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = RancherSimResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DirectoryResource.class, scope = TestResourceScope.GLOBAL)
class NodeHealingIT {

    static final Duration HEAL = Duration.ofSeconds(40);

    @Inject
    HealingService healing;

    @Test
    void aFailedWorkerIsReplacedExactlyOnceAndThePoolIsWholeAgain() {
        HealingScenario c = HealingScenario.ready("heal-failed", null, workersAndControlPlane(3));
        String victim = c.machineNames("workers").getFirst();
        String node = c.machines("workers").getFirst().nodeName().orElseThrow();

        faults().failMachine(victim, SimFaults.MODE_ERROR);
        List<JsonPath> answers = c.evaluateUntilHealed("workers", 3, victim, HEAL);
        // and a few more evaluations once whole: nothing more to do
        for (int i = 0; i < 3; i++) {
            answers.add(c.evaluate());
        }

        assertThat(c.deletions(victim)).as("DELETEs of the failed machine").isEqualTo(1);
        assertThat(answers.stream().flatMap(a -> replaced(a).stream()).toList()).containsExactly(victim);
        assertThat(c.machineNames("workers")).hasSize(3).doesNotContain(victim);

        Map<String, Object> replace =
                c.decisions(Map.of("machine", victim, "verdict", "REPLACE")).getFirst();
        assertThat(replace.get("reason")).isEqualTo(HealingReasons.MACHINE_FAILED);
        assertThat((String) replace.get("message")).contains(victim);
        @SuppressWarnings("unchecked")
        Map<String, Object> evidence =
                (Map<String, Object>) ((Map<String, Object>) replace.get("details")).get("evidence");
        assertThat(evidence).containsEntry("phase", "FAILED").containsEntry("node", node);

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    c.evaluate();
                    return c.status().getList("recentReplacements.outcome").contains("Succeeded");
                });
        JsonPath status = c.status();
        assertThat(status.getList("inProgress")).isEmpty();
        assertThat(status.getString("lastEvaluation.reason")).isEqualTo(HealingReasons.ALL_NODES_HEALTHY);

        List<Map<String, Object>> audit = given().queryParam("cluster", c.name)
                .when()
                .get("/api/v1/audit-events")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.get("action")).isEqualTo("healing.replaceNode");
            assertThat(e.get("reason")).isEqualTo("node-healing");
        });

        List<Event> events = RancherSimResource.sim()
                .kubernetesClient(c.name)
                .v1()
                .events()
                .inNamespace("default")
                .list()
                .getItems();
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("ReplacingNode");
            assertThat(e.getInvolvedObject().getName()).isEqualTo(node);
            assertThat(e.getSource().getComponent()).isEqualTo("kubeyard-healing");
        });

        String metrics = given().accept("text/plain")
                .when()
                .get("/q/metrics")
                .then()
                .extract()
                .asString();
        assertThat(metrics)
                .contains("kubeyard_healing_replacements_total{cluster=\"" + c.name
                        + "\",pool=\"workers\",reason=\"MachineFailed\",result=\"requested\"")
                .contains("kubeyard_healing_time_to_detect_seconds_count{cluster=\"" + c.name + "\",pool=\"workers\"")
                .contains("kubeyard_healing_time_to_request_seconds_count{cluster=\"" + c.name + "\",pool=\"workers\"")
                .contains("kubeyard_healing_time_to_ready_seconds_count{cluster=\"" + c.name + "\",pool=\"workers\"")
                .contains("kubeyard_healing_unhealthy_nodes{cluster=\"" + c.name + "\"");
    }

    @Test
    void aNodeNotReadyIsReplacedOnlyOnceItsTimeoutHasPassed() {
        HealingScenario c = HealingScenario.ready("heal-notready", null, workersAndControlPlane(3));
        String victim = c.machineNames("workers").getFirst();

        // a machine younger than the provisioning timeout (6 s in tests) whose node is not Ready counts as coming up
        await().pollDelay(Duration.ofSeconds(7)).until(() -> true);
        // healing has seen the cluster's nodes before (the simulator makes a cluster's API on first use, and a node
        // made after its fault would carry its creation as the time its Ready went Unknown)
        assertNoReplacement(c.evaluate());

        faults().failMachine(victim, SimFaults.MODE_NOT_READY);
        JsonPath waiting = c.evaluateUntil(
                Duration.ofSeconds(10), a -> reasonsFor(a, victim).contains(HealingReasons.WAITING_FOR_TIMEOUT));
        assertNoReplacement(waiting);
        assertThat(c.deletions(victim)).isZero();

        c.evaluateUntilHealed("workers", 3, victim, HEAL);
        assertThat(c.deletions(victim)).isEqualTo(1);
        Map<String, Object> replace =
                c.decisions(Map.of("machine", victim, "verdict", "REPLACE")).getFirst();
        assertThat(replace.get("reason")).isEqualTo(HealingReasons.NODE_UNHEALTHY);
        assertThat((String) replace.get("message")).contains("Ready=Unknown").contains("more than its timeout of 2 s");
    }

    @Test
    void aMachineStuckInProvisioningIsReplaced() {
        HealingScenario c = HealingScenario.ready("heal-stuck", null, workersAndControlPlane(2));
        faults().newMachineFault(c.name, "workers", SimFaults.MODE_STUCK);
        List<String> before = c.machineNames("workers");
        given().contentType(ContentType.JSON)
                .body(Map.of("quantity", 3))
                .when()
                .patch("/api/v1/clusters/" + c.name + "/node-pools/workers")
                .then()
                .statusCode(202);
        String stuck = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> c.machineNames("workers").stream()
                                .filter(m -> !before.contains(m))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
        faults().newMachineFault(c.name, "workers", SimFaults.MODE_NONE);

        JsonPath waiting = c.evaluate();
        assertThat(reasonsFor(waiting, stuck)).contains(HealingReasons.STILL_PROVISIONING);
        assertNoReplacement(waiting);

        c.evaluateUntilHealed("workers", 3, stuck, HEAL);
        assertThat(c.deletions(stuck)).isEqualTo(1);
        assertThat(c.decisions(Map.of("machine", stuck, "verdict", "REPLACE")))
                .singleElement()
                .satisfies(d -> assertThat(d.get("reason")).isEqualTo(HealingReasons.STUCK_PROVISIONING));
    }

    @Test
    void halfAPoolNotReadyAtOnceIsHeldBackWithAnAlert() {
        HealingScenario c = HealingScenario.ready("heal-half", null, workersAndControlPlane(4));
        List<String> workers = c.machineNames("workers");
        faults().failMachine(workers.get(0), SimFaults.MODE_NOT_READY);
        faults().failMachine(workers.get(1), SimFaults.MODE_NOT_READY);
        try {
            JsonPath held = c.evaluateUntil(Duration.ofSeconds(15), a -> a.getList("alerts").stream()
                    .anyMatch(s -> ((String) s).startsWith(HealingReasons.TOO_MANY_UNHEALTHY)));
            assertNoReplacement(held);
            // past the timeout, still held back, every time
            await().pollDelay(Duration.ofSeconds(3)).until(() -> true);
            for (int i = 0; i < 3; i++) {
                JsonPath again = c.evaluate();
                assertNoReplacement(again);
                assertThat(reasonsFor(again, workers.get(0))).contains(HealingReasons.TOO_MANY_UNHEALTHY);
            }
            assertThat(c.deletions(workers.get(0)) + c.deletions(workers.get(1)))
                    .isZero();
            assertThat((String) c.decisions(Map.of("pool", "workers", "verdict", "HOLD_BACK")).stream()
                            .filter(d -> d.get("machine") == null)
                            .findFirst()
                            .orElseThrow()
                            .get("message"))
                    .contains("2 of 4");
        } finally {
            faults().recoverMachine(workers.get(0));
            faults().recoverMachine(workers.get(1));
        }
    }

    @Test
    void healingHoldsBackDuringAnUpgradeAndHealsOnceItIsDone() {
        HealingScenario c = HealingScenario.ready("heal-upgrade", null, workersAndControlPlane(3));
        String victim = c.machineNames("workers").getFirst();
        faults().stall(c.name);
        String operation;
        try {
            operation = given().contentType(ContentType.JSON)
                    .body(Map.of("kubernetesVersion", Specs.NEXT_VERSION))
                    .when()
                    .post("/api/v1/clusters/" + c.name + "/upgrade")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            faults().failMachine(victim, SimFaults.MODE_ERROR);
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
            for (int i = 0; i < 3; i++) {
                JsonPath held = c.evaluate();
                assertNoReplacement(held);
                assertThat(held.getString("reason")).isEqualTo(HealingReasons.UPGRADE_IN_PROGRESS);
                assertThat(reasonsFor(held, victim)).contains(HealingReasons.UPGRADE_IN_PROGRESS);
            }
            assertThat(c.deletions(victim)).isZero();
        } finally {
            // Rancher's upgrade waits for every node, so the failed one would block it: a person mends it
            faults().recoverMachine(victim);
            faults().unstall(c.name);
        }
        assertThat(Specs.awaitOperation(operation, Duration.ofSeconds(60)).getString("state"))
                .isEqualTo("Succeeded");
        faults().failMachine(victim, SimFaults.MODE_ERROR);
        c.evaluateUntilHealed("workers", 3, victim, HEAL);
        assertThat(c.deletions(victim)).isEqualTo(1);
    }

    @Test
    void aThreeMemberEtcdPoolIsHealedOneMemberAtATime() {
        HealingScenario c = HealingScenario.ready(
                "heal-etcd",
                null,
                List.of(
                        Specs.pool("etcd", List.of("etcd"), 3),
                        Specs.pool("control-plane", List.of("controlplane"), 1),
                        Specs.pool("workers", List.of("worker"), 1)));
        List<String> members = c.machineNames("etcd");
        String first = members.get(0);
        String second = members.get(1);

        // The first member's successor hangs in provisioning, so that it is still down when the second one fails.
        faults().newMachineFault(c.name, "etcd", SimFaults.MODE_STUCK);
        faults().failMachine(first, SimFaults.MODE_ERROR);
        await().atMost(HEAL).pollInterval(Duration.ofMillis(300)).until(() -> replaced(c.evaluate())
                .contains(first));
        String successor = await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> c.machineNames("etcd").stream()
                                .filter(m -> !members.contains(m))
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
        // Only once the successor exists (and hangs): cleared earlier, it could be made healthy, and the second member
        // would rightly be replaced.
        faults().newMachineFault(c.name, "etcd", SimFaults.MODE_NONE);
        faults().failMachine(second, SimFaults.MODE_ERROR);
        List<String> heldReasons = new ArrayList<>();
        List<String> alerts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            JsonPath held = c.evaluate();
            assertNoReplacement(held);
            heldReasons.addAll(reasonsFor(held, second));
            alerts.addAll(held.getList("alerts"));
            await().pollDelay(Duration.ofMillis(300)).until(() -> true);
        }
        assertThat(c.deletions(second)).isZero();
        faults().recoverMachine(successor);
        assertThat(heldReasons)
                .as("the second member waits while the first one's successor is down: one of three is up")
                .isNotEmpty()
                .containsOnly(HealingReasons.ETCD_QUORUM_LOST);
        assertThat(alerts).anyMatch(a -> a.startsWith(HealingReasons.ETCD_QUORUM_LOST));
        await().atMost(HEAL).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonPath answer = c.evaluate();
            if (replaced(answer).contains(second)) {
                // at the moment of the second deletion, every other member is up and healthy
                List<String> up = c.running("etcd").stream()
                        .map(m -> m.name())
                        .filter(m -> !m.equals(second))
                        .toList();
                assertThat(up).as("etcd members up when %s is deleted", second).hasSize(2);
                return true;
            }
            return false;
        });
        c.evaluateUntilHealed("etcd", 3, second, HEAL);
        assertThat(c.deletions(first)).isEqualTo(1);
        assertThat(c.deletions(second)).isEqualTo(1);
    }

    @Test
    void repeatedReplacementFailuresBackOffAndRaiseAnAlert() {
        HealingScenario c = HealingScenario.ready("heal-backoff", null, workersAndControlPlane(3));
        String victim = c.machineNames("workers").getFirst();
        faults().refuseMachineDeletion(c.name, true);
        try {
            faults().failMachine(victim, SimFaults.MODE_ERROR);
            List<Instant> attempts = new ArrayList<>();
            JsonPath alerted = c.evaluateUntil(Duration.ofSeconds(40), a -> {
                if (replaced(a).contains(victim)) {
                    attempts.add(Instant.parse(a.getString("at")));
                }
                return a.getList("alerts").stream()
                        .anyMatch(s -> ((String) s).startsWith(HealingReasons.REPEATED_REPLACEMENT_FAILURES));
            });
            assertThat(attempts).as("attempts before the alert").hasSize(3);
            // back-off 3 s, then 6 s (test settings), measured between attempts
            assertThat(Duration.between(attempts.get(0), attempts.get(1)))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(3));
            assertThat(Duration.between(attempts.get(1), attempts.get(2)))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(6));
            assertThat(reasonsFor(c.evaluate(), victim)).contains(HealingReasons.REPLACEMENT_BACKOFF);
            assertThat(alerted.getString("verdict")).isNotNull();
            assertThat(c.status().getList("recentReplacements.outcome")).containsOnly("Failed");
            assertThat(c.status()
                            .getList("recentReplacements.failure")
                            .getFirst()
                            .toString())
                    .contains("denied the request");
        } finally {
            faults().refuseMachineDeletion(c.name, false);
        }
    }

    @Test
    void anUnreachableClusterIsLeftAlone() {
        HealingScenario c = HealingScenario.ready("heal-unreachable", null, workersAndControlPlane(3));
        String victim = c.machineNames("workers").getFirst();
        faults().failMachine(victim, SimFaults.MODE_ERROR);
        faults().apiReachable(c.name, false);
        try {
            for (int i = 0; i < 3; i++) {
                JsonPath held = c.evaluate();
                assertNoReplacement(held);
                assertThat(held.getString("reason")).isEqualTo(HealingReasons.CLUSTER_API_UNREACHABLE);
                await().pollDelay(Duration.ofMillis(500)).until(() -> true);
            }
            assertThat(c.deletions(victim)).isZero();
            assertThat(c.status().getBoolean("lastEvaluation.observed")).isFalse();
        } finally {
            faults().apiReachable(c.name, true);
        }
        JsonPath settling = c.evaluate();
        assertNoReplacement(settling);
        assertThat(settling.getString("reason")).isEqualTo(HealingReasons.REACHABILITY_SETTLING);
        c.evaluateUntilHealed("workers", 3, victim, HEAL);
        assertThat(c.deletions(victim)).isEqualTo(1);
    }

    @Test
    void aPausedClusterOrPoolIsNotHealedUntilResumed() {
        HealingScenario c = HealingScenario.ready("heal-pause", null, workersAndControlPlane(3));
        String victim = c.machineNames("workers").getFirst();
        c.pause("workers", "investigating the image");
        faults().failMachine(victim, SimFaults.MODE_ERROR);

        JsonPath held = c.evaluate();
        assertNoReplacement(held);
        assertThat(reasonsFor(held, victim)).contains(HealingReasons.NODE_POOL_PAUSED);
        assertThat(c.status().getString("pausedPools[0].reason")).isEqualTo("investigating the image");

        c.pause(null, "maintenance window");
        c.resume("workers");
        JsonPath clusterHeld = c.evaluate();
        assertNoReplacement(clusterHeld);
        assertThat(clusterHeld.getString("reason")).isEqualTo(HealingReasons.CLUSTER_PAUSED);
        assertThat(c.status().getString("paused.pausedBy")).isNotBlank();
        assertThat(c.deletions(victim)).isZero();

        c.resume(null);
        c.evaluateUntilHealed("workers", 3, victim, HEAL);
        assertThat(c.deletions(victim)).isEqualTo(1);
    }

    @Test
    void aPauseWithoutAReasonOrOfAnUnknownPoolIsRefusedAndChangesNothing() {
        HealingScenario c = HealingScenario.ready("heal-badpause", null, workersAndControlPlane(1));
        given().contentType(ContentType.JSON)
                .body(Map.of("reason", " "))
                .when()
                .put("/api/v1/clusters/" + c.name + "/healing/pause")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("reason"));
        given().contentType(ContentType.JSON)
                .body(Map.of("reason", "x"))
                .when()
                .put("/api/v1/clusters/" + c.name + "/healing/pools/no-such-pool/pause")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().queryParam("cursor", "yesterday")
                .when()
                .get("/api/v1/clusters/" + c.name + "/healing/decisions")
                .then()
                .statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("cursor"));
        JsonPath status = c.status();
        assertThat(status.getString("paused")).isNull();
        assertThat(status.getList("pausedPools")).isEmpty();
    }

    @Test
    void theFleetBudgetStopsMassReplacementWhenManyClustersOfOneProviderFailTogether() {
        String fleet = "provider-" + java.util.UUID.randomUUID().toString().substring(0, 6);
        List<HealingScenario> clusters = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clusters.add(HealingScenario.create("heal-fleet" + i, fleet, workersAndControlPlane(2)));
        }
        clusters.forEach(HealingScenario::awaitReady);
        List<String> victims = new ArrayList<>();
        for (HealingScenario c : clusters) {
            String victim = c.machineNames("workers").getFirst();
            victims.add(victim);
            faults().failMachine(victim, SimFaults.MODE_ERROR);
        }

        healing.sweep();
        healing.sweep();

        int deleted =
                victims.stream().mapToInt(v -> faults().machineDeletions(v)).sum();
        assertThat(deleted)
                .as("replacements in fleet %s (limit 3 per hour in tests)", fleet)
                .isEqualTo(3);
        long heldByFleet = clusters.stream()
                .flatMap(c -> c.decisions(Map.of("verdict", "HOLD_BACK")).stream())
                .filter(d -> HealingReasons.FLEET_BUDGET_EXHAUSTED.equals(d.get("reason")))
                .count();
        assertThat(heldByFleet).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aPoolRancherHealsByItselfIsLeftToRancherUntilKubeyardTurnsRanchersCheckOff() {
        HealingScenario c = HealingScenario.ready("heal-mhc", null, workersAndControlPlane(3));
        String victim = c.machineNames("workers").getFirst();
        // someone turns Rancher's own machine health check on in Rancher (long enough that it does not act here)
        RancherSimResource.client().clusters().modify(c.name, pc -> {
            var pools = pc.machinePools().stream()
                    .map(p -> !p.name().equals("workers")
                            ? p
                            : new dev.kubeyard.rancher.client.provisioning.MachinePool(
                                    p.name(),
                                    p.quantity(),
                                    p.etcdRole(),
                                    p.controlPlaneRole(),
                                    p.workerRole(),
                                    p.machineConfigRef(),
                                    p.labels(),
                                    p.taints(),
                                    p.drainBeforeDelete(),
                                    "1h0m0s",
                                    p.paused(),
                                    p.extra()))
                    .toList();
            return pc.withSpec(pc.spec().withRkeConfig(pc.spec().rkeConfig().withMachinePools(pools)));
        });
        faults().failMachine(victim, SimFaults.MODE_ERROR);

        JsonPath held = c.evaluate();
        assertNoReplacement(held);
        assertThat(reasonsFor(held, victim)).contains(HealingReasons.RANCHER_REMEDIATION_ON);
        assertThat(held.getList("alerts").toString()).contains("unhealthyNodeTimeout 1 h");
        assertThat(c.deletions(victim)).isZero();

        // Kubeyard's next write of the pool (a change of its spec) turns Rancher's check off; then Kubeyard heals it
        given().contentType(ContentType.JSON)
                .body(Map.of("quantity", 4))
                .when()
                .patch("/api/v1/clusters/" + c.name + "/node-pools/workers")
                .then()
                .statusCode(202);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> RancherSimResource.client()
                                .clusters()
                                .get(c.name)
                                .pool("workers")
                                .orElseThrow()
                                .unhealthyNodeTimeout()
                        == null);
        c.evaluateUntilHealed("workers", 4, victim, HEAL);
        assertThat(c.deletions(victim)).isEqualTo(1);
    }

    @Test
    void aPoolInDryRunRecordsWhatItWouldReplaceAndReplacesNothing() {
        Map<String, Object> workers = Specs.pool("workers", List.of("worker"), 3);
        workers.put("healing", Map.of("dryRun", true, "maxConcurrent", 1));
        HealingScenario c = HealingScenario.ready(
                "heal-dry", null, List.of(Specs.pool("control-plane", List.of("etcd", "controlplane"), 1), workers));
        String victim = c.machineNames("workers").getFirst();
        faults().failMachine(victim, SimFaults.MODE_ERROR);

        JsonPath dry = c.evaluateUntil(
                Duration.ofSeconds(10), a -> a.getList("dryRunReplacements").contains(victim));
        assertNoReplacement(dry);
        for (int i = 0; i < 2; i++) {
            assertNoReplacement(c.evaluate());
        }
        assertThat(c.deletions(victim)).isZero();
        assertThat(c.decisions(Map.of("machine", victim, "verdict", "WOULD_REPLACE")))
                .isNotEmpty()
                .allSatisfy(d -> assertThat((String) d.get("message")).startsWith("Dry run, not carried out"));
        JsonPath status = c.status();
        assertThat(status.getBoolean("policy.pools.workers.dryRun")).isTrue();
        assertThat(status.getInt("policy.pools.workers.maxConcurrent")).isEqualTo(1);
        assertThat(status.getList("recentReplacements")).isEmpty();
    }
}
