package dev.kubeyard.platform.healing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kubeyard.platform.testing.RancherSimResource;
import dev.kubeyard.platform.testing.Specs;
import dev.kubeyard.rancher.client.machine.Machine;
import dev.kubeyard.rancher.client.machine.MachinePhase;
import dev.kubeyard.rancher.sim.faults.SimFaults;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * One cluster of a healing test, in a fleet of its own (so that the fleet budget other tests spend never reaches
 * it), with the calls the tests make: faults through the simulator, evaluations and status through the API.
 */
final class HealingScenario {

    final String name;
    final String fleet;

    private HealingScenario(String name, String fleet) {
        this.name = name;
        this.fleet = fleet;
    }

    /** A Ready cluster of the given pools, in its own fleet (or the one named). */
    static HealingScenario ready(String prefix, String fleet, List<Map<String, Object>> pools) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        put(name, fleet == null ? "fleet-" + name : fleet, pools);
        Specs.awaitPhase(name, "Ready", Duration.ofSeconds(90));
        return new HealingScenario(name, fleet == null ? "fleet-" + name : fleet);
    }

    /** Creates without waiting: for several clusters made at once. */
    static HealingScenario create(String prefix, String fleet, List<Map<String, Object>> pools) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        put(name, fleet, pools);
        return new HealingScenario(name, fleet);
    }

    HealingScenario awaitReady() {
        Specs.awaitPhase(name, "Ready", Duration.ofSeconds(90));
        return this;
    }

    private static void put(String name, String fleet, List<Map<String, Object>> pools) {
        Map<String, Object> spec = Specs.spec("healers", Specs.VERSION, pools);
        spec.put("labels", Map.of("env", "test", "kubeyard.dev/fleet", fleet));
        Specs.put(name, spec, 202);
    }

    static List<Map<String, Object>> workersAndControlPlane(int workers) {
        return List.of(
                Specs.pool("control-plane", List.of("etcd", "controlplane"), 1),
                Specs.pool("workers", List.of("worker"), workers));
    }

    static SimFaults faults() {
        return RancherSimResource.sim().faults();
    }

    List<Machine> machines(String pool) {
        return RancherSimResource.client().machines().list(name, pool);
    }

    List<String> machineNames(String pool) {
        return machines(pool).stream().map(Machine::name).sorted().toList();
    }

    /** Machines of the pool that run, with a node, and are not being deleted. */
    List<Machine> running(String pool) {
        return machines(pool).stream()
                .filter(m -> m.phase() == MachinePhase.RUNNING && !m.isDeleting())
                .toList();
    }

    int deletions(String machine) {
        return faults().machineDeletions(machine);
    }

    /** POST .../healing/evaluations; the answer's body. */
    JsonPath evaluate() {
        return given().when()
                .post("/api/v1/clusters/" + name + "/healing/evaluations")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** Evaluates every 300 ms until {@code done} holds of the answer (and returns it). */
    JsonPath evaluateUntil(Duration atMost, Predicate<JsonPath> done) {
        return await().atMost(atMost).pollInterval(Duration.ofMillis(300)).until(this::evaluate, done::test);
    }

    /** Evaluates every 300 ms until the pool has {@code count} running machines, none of them {@code gone}. */
    List<JsonPath> evaluateUntilHealed(String pool, int count, String gone, Duration atMost) {
        List<JsonPath> answers = new ArrayList<>();
        await().atMost(atMost).pollInterval(Duration.ofMillis(300)).until(() -> {
            answers.add(evaluate());
            List<Machine> running = running(pool);
            return running.size() == count
                    && running.stream().noneMatch(m -> m.name().equals(gone))
                    && machines(pool).stream().noneMatch(m -> m.name().equals(gone));
        });
        return answers;
    }

    JsonPath status() {
        return given().when()
                .get("/api/v1/clusters/" + name + "/healing")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The cluster's decision records, newest first, filtered by the query parameters given. */
    List<Map<String, Object>> decisions(Map<String, String> query) {
        Map<String, Object> params = new LinkedHashMap<>(query);
        params.putIfAbsent("limit", "500");
        return given().queryParams(params)
                .when()
                .get("/api/v1/clusters/" + name + "/healing/decisions")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    void pause(String pool, String reason) {
        given().contentType(ContentType.JSON)
                .body(Map.of("reason", reason))
                .when()
                .put("/api/v1/clusters/" + name + "/healing" + (pool == null ? "" : "/pools/" + pool) + "/pause")
                .then()
                .statusCode(200);
    }

    void resume(String pool) {
        given().when()
                .delete("/api/v1/clusters/" + name + "/healing" + (pool == null ? "" : "/pools/" + pool) + "/pause")
                .then()
                .statusCode(200);
    }

    static List<String> replaced(JsonPath evaluation) {
        return evaluation.getList("replacementsRequested");
    }

    /** The reasons of the evaluation's decisions about one machine. */
    static List<String> reasonsFor(JsonPath evaluation, String machine) {
        List<Map<String, Object>> decisions = evaluation.getList("decisions");
        return decisions.stream()
                .filter(d -> machine.equals(d.get("machine")))
                .map(d -> (String) d.get("reason"))
                .toList();
    }

    static void assertNoReplacement(JsonPath evaluation) {
        assertThat(replaced(evaluation)).as(evaluation.prettify()).isEmpty();
    }
}
