package dev.kubeyard.platform.testing;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Cluster specs as a client sends them (plain JSON maps), and the waits the lifecycle tests share. */
public final class Specs {

    /** The versions application.properties supports by default, oldest first. */
    public static final String OLD_VERSION = "v1.32.9+rke2r1";

    public static final String VERSION = "v1.33.5+rke2r1";
    public static final String NEXT_VERSION = "v1.34.2+rke2r1";

    private Specs() {}

    /** One etcd+control-plane node and {@code workers} workers. */
    public static Map<String, Object> small(String team, int workers) {
        return spec(
                team,
                VERSION,
                List.of(
                        pool("control-plane", List.of("etcd", "controlplane"), 1),
                        pool("workers", List.of("worker"), workers)));
    }

    public static Map<String, Object> spec(String team, String version, List<Map<String, Object>> pools) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("team", team);
        spec.put("kubernetesVersion", version);
        spec.put("labels", Map.of("env", "test"));
        spec.put("nodePools", new ArrayList<>(pools));
        return spec;
    }

    public static Map<String, Object> pool(String name, List<String> roles, int quantity) {
        Map<String, Object> pool = new LinkedHashMap<>();
        pool.put("name", name);
        pool.put("roles", roles);
        pool.put("quantity", quantity);
        pool.put("nodeSpec", Map.of("image", "ubuntu-24.04", "flavor", "m1.large", "network", "private"));
        return pool;
    }

    /** PUTs the spec and returns the answer's body (an operation when 202). */
    public static JsonPath put(String name, Map<String, Object> spec, int expectedStatus) {
        return given().contentType(ContentType.JSON)
                .body(spec)
                .when()
                .put("/api/v1/clusters/" + name)
                .then()
                .statusCode(expectedStatus)
                .extract()
                .jsonPath();
    }

    public static JsonPath cluster(String name) {
        return given().when()
                .get("/api/v1/clusters/" + name)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** Waits until the cluster shows the phase (the reconciler runs every second in tests). */
    public static JsonPath awaitPhase(String name, String phase, Duration atMost) {
        return await().atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> cluster(name), c -> phase.equals(c.getString("status.phase")));
    }

    /** Waits until the operation is final and returns it. */
    public static JsonPath awaitOperation(String id, Duration atMost) {
        return await().atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> given().when()
                                .get("/api/v1/operations/" + id)
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath(),
                        op -> List.of("Succeeded", "Failed", "Cancelled").contains(op.getString("state")));
    }
}
