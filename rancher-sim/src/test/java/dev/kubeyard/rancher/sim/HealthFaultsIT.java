package dev.kubeyard.rancher.sim;

import static dev.kubeyard.rancher.sim.SimHttp.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kubeyard.rancher.sim.SimHttp.Resp;
import dev.kubeyard.rancher.sim.downstream.PromSamples;
import dev.kubeyard.rancher.sim.faults.SimFaults;
import dev.kubeyard.rancher.sim.junit.RancherSimExtension;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The health faults a cluster-health checker probes, each shown as a client sees it through
 * {@code /k8s/clusters/<mgmtId>/...} with the Rancher token, set through the admin API. Each test has a demo cluster
 * of its own; {@code SimResetIT} shows that a reset clears them.
 */
class HealthFaultsIT {

    @RegisterExtension
    static RancherSimExtension sim = RancherSimExtension.withOptions(
            SimOptions.defaults().demoClusters(9).demoPools(1, 1, 2).timing(SimTiming.fast()));

    private static final Duration WAIT = Duration.ofSeconds(10);

    private SimHttp http;
    private SimHttp admin;

    @BeforeEach
    void setUp() {
        http = new SimHttp(sim.url());
        admin = new SimHttp(sim.url(), null);
    }

    // ---- node conditions -----------------------------------------------------------------------------------

    @Test
    void injectedDiskPressureShowsOnTheNodeWithItsTaintAndWatchersSeeIt() {
        String machine = firstMachine("demo-001", "workers");
        List<String> events = new CopyOnWriteArrayList<>();
        try (KubernetesClient client = SimHttp.proxyClient(sim.url(), mgmtId("demo-001"))) {
            Watch watch = client.nodes().watch(new Watcher<Node>() {
                @Override
                public void eventReceived(Action action, Node node) {
                    if (node.getMetadata().getName().equals(machine)) {
                        events.add(action + " DiskPressure="
                                + nodeCondition(node, "DiskPressure").getStatus());
                    }
                }

                @Override
                public void onClose(WatcherException cause) {}
            });
            try {
                await().atMost(WAIT).until(() -> events.contains("ADDED DiskPressure=False"));
                Node before = client.nodes().withName(machine).get();
                assertThat(nodeCondition(before, "NetworkUnavailable").getReason())
                        .isEqualTo("CalicoIsUp");
                assertThat(nodeCondition(before, "NetworkUnavailable").getMessage())
                        .isEqualTo("Calico is running on this node");

                Resp set = admin.post(
                        "/_sim/machines/" + machine + "/node-conditions",
                        SimHttp.object().put("type", "DiskPressure").put("status", "True"));

                assertThat(set.code()).isEqualTo(200);
                assertThat(set.json()
                                .at("/faults/nodeConditions/" + machine + "/DiskPressure")
                                .asText())
                        .isEqualTo("True");
                await().atMost(WAIT).until(() -> events.contains("MODIFIED DiskPressure=True"));
                Node pressed = client.nodes().withName(machine).get();
                NodeCondition disk = nodeCondition(pressed, "DiskPressure");
                assertThat(disk.getReason()).isEqualTo("KubeletHasDiskPressure");
                assertThat(disk.getMessage()).isEqualTo("kubelet has disk pressure");
                assertThat(pressed.getSpec().getTaints()).anySatisfy(t -> assertThat(t.getKey() + ":" + t.getEffect())
                        .isEqualTo("node.kubernetes.io/disk-pressure:NoSchedule"));
                JsonNode m = machine(machine);
                assertThat(condition(m, "NodeHealthy").path("status").asText()).isEqualTo("False");
                assertThat(condition(m, "NodeHealthy").path("message").asText())
                        .isEqualTo("Node.DiskPressure: kubelet has disk pressure");
                assertThat(m.at("/metadata/state/name").asText()).isEqualTo("running");

                admin.post(
                        "/_sim/machines/" + machine + "/node-conditions",
                        SimHttp.object()
                                .put("type", "DiskPressure")
                                .put("status", "True")
                                .put("reason", "KubeletHasDiskPressure")
                                .put("message", "imagefs is 97% full"));
                Node reworded = await().atMost(WAIT)
                        .until(() -> client.nodes().withName(machine).get(), n -> nodeCondition(n, "DiskPressure")
                                .getMessage()
                                .equals("imagefs is 97% full"));
                assertThat(nodeCondition(reworded, "DiskPressure").getLastTransitionTime())
                        .as("the status did not flip")
                        .isEqualTo(disk.getLastTransitionTime());

                assertThat(admin.delete("/_sim/machines/" + machine + "/node-conditions")
                                .code())
                        .isEqualTo(200);
                await().atMost(WAIT).until(() -> events.contains("MODIFIED DiskPressure=False"));
                assertThat(client.nodes().withName(machine).get().getSpec().getTaints())
                        .noneSatisfy(t -> assertThat(t.getKey()).startsWith("node.kubernetes.io/"));
                assertThat(condition(machine(machine), "NodeHealthy")
                                .path("status")
                                .asText())
                        .isEqualTo("True");
            } finally {
                watch.close();
            }
        }
    }

    @Test
    void networkUnavailableTrueShowsCalicoDown() {
        String machine = firstMachine("demo-001", "control-plane");

        admin.post(
                "/_sim/machines/" + machine + "/node-conditions",
                SimHttp.object().put("type", "NetworkUnavailable").put("status", "True"));

        JsonNode node = http.get("/k8s/clusters/" + mgmtId("demo-001") + "/api/v1/nodes/" + machine)
                .json();
        assertThat(nodeCondition(node, "NetworkUnavailable").path("status").asText())
                .isEqualTo("True");
        assertThat(nodeCondition(node, "NetworkUnavailable").path("reason").asText())
                .isEqualTo("CalicoIsDown");
        assertThat(condition(machine(machine), "NodeHealthy").path("status").asText())
                .as("CAPI does not count NetworkUnavailable")
                .isEqualTo("True");
        sim.sim().faults().clearNodeConditions(machine);
    }

    @Test
    void badNodeConditionsAreRejectedAndUnknownMachinesNotFound() {
        String machine = firstMachine("demo-001", "workers");
        String path = "/_sim/machines/" + machine + "/node-conditions";

        assertThat(admin.post(path, SimHttp.object().put("type", "Ready").put("status", "False"))
                        .code())
                .isEqualTo(400);
        assertThat(admin.post(
                                path,
                                SimHttp.object().put("type", "MemoryPressure").put("status", "Yes"))
                        .code())
                .isEqualTo(400);
        assertThat(admin.post(
                                path,
                                SimHttp.object()
                                        .put("type", "MemoryPressure")
                                        .put("status", "True")
                                        .put("reason", "not camel case"))
                        .code())
                .isEqualTo(400);
        assertThat(admin.post(
                                "/_sim/machines/nope/node-conditions",
                                SimHttp.object().put("type", "MemoryPressure").put("status", "True"))
                        .code())
                .isEqualTo(404);
        assertThat(admin.delete("/_sim/machines/nope/node-conditions").code()).isEqualTo(404);
    }

    // ---- control plane: components, etcd, readyz ------------------------------------------------------------

    @Test
    void unhealthySchedulerShowsInComponentStatuses() {
        String base = "/k8s/clusters/" + mgmtId("demo-002");
        assertThat(http.get(base + "/api/v1/componentstatuses").json().path("items"))
                .extracting(i -> i.at("/metadata/name").asText() + "="
                        + i.at("/conditions/0/status").asText())
                .containsExactly("scheduler=True", "controller-manager=True", "etcd-0=True");

        Resp set = admin.post(
                "/_sim/clusters/demo-002/components/scheduler",
                SimHttp.object().put("healthy", false).put("message", "leader election lost"));

        assertThat(set.code()).isEqualTo(200);
        assertThat(set.json().at("/faults/components/demo-002/scheduler").asText())
                .isEqualTo("leader election lost");
        Resp scheduler = http.get(base + "/api/v1/componentstatuses/scheduler");
        assertThat(scheduler.code()).isEqualTo(200);
        assertThat(scheduler.headers().get("Warning")).contains("ComponentStatus is deprecated");
        JsonNode healthy = scheduler.json().at("/conditions/0");
        assertThat(healthy.path("type").asText()).isEqualTo("Healthy");
        assertThat(healthy.path("status").asText()).isEqualTo("False");
        assertThat(healthy.path("error").asText()).isEqualTo("leader election lost");

        sim.sim().faults().componentHealthy("demo-002", "scheduler", true, null);
        assertThat(http.get(base + "/api/v1/componentstatuses/scheduler")
                        .json()
                        .at("/conditions/0/status")
                        .asText())
                .isEqualTo("True");
        assertThat(admin.post(
                                "/_sim/clusters/demo-002/components/kubelet",
                                SimHttp.object().put("healthy", false))
                        .code())
                .isEqualTo(400);
        assertThat(admin.post(
                                "/_sim/clusters/nope/components/scheduler",
                                SimHttp.object().put("healthy", false))
                        .code())
                .isEqualTo(404);
    }

    @Test
    void unhealthyEtcdFailsReadyzAndLivezAndEtcdComponent() {
        String base = "/k8s/clusters/" + mgmtId("demo-003");
        Resp ready = http.get(base + "/readyz");
        assertThat(ready.code()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ok");
        assertThat(http.get(base + "/readyz?verbose").body())
                .contains("[+]etcd ok\n")
                .endsWith("readyz check passed\n");

        Resp set = admin.post(
                "/_sim/clusters/demo-003/etcd",
                SimHttp.object().put("healthy", false).put("dbSizeBytes", 987_654_321L));

        assertThat(set.json().at("/faults/etcd/demo-003/healthy").asBoolean(true))
                .isFalse();
        Resp readyz = http.get(base + "/readyz");
        assertThat(readyz.code()).isEqualTo(500);
        assertThat(readyz.contentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(readyz.body())
                .contains("[-]etcd failed: reason withheld\n[-]etcd-readiness failed: reason withheld\n")
                .endsWith("readyz check failed\n");
        Resp livez = http.get(base + "/livez?verbose=1");
        assertThat(livez.code()).isEqualTo(500);
        assertThat(livez.body()).contains("[-]etcd failed: reason withheld\n").endsWith("livez check failed\n");
        Resp single = http.get(base + "/readyz/etcd");
        assertThat(single.code()).isEqualTo(500);
        assertThat(single.body()).isEqualTo("internal server error: etcd check failed\n");
        assertThat(http.get(base + "/api/v1/componentstatuses/etcd-0")
                        .json()
                        .at("/conditions/0/status")
                        .asText())
                .isEqualTo("False");
        PromSamples metrics = PromSamples.parse(http.get(base + "/metrics").body());
        assertThat(metrics.get("apiserver_storage_size_bytes{storage_cluster_id=\"etcd-0\"}"))
                .isEqualTo(987_654_321);

        sim.sim().faults().etcd("demo-003", true, 0);
        assertThat(http.get(base + "/readyz").body()).isEqualTo("ok");
        assertThat(PromSamples.parse(http.get(base + "/metrics").body())
                        .get("apiserver_storage_size_bytes{storage_cluster_id=\"etcd-0\"}"))
                .isEqualTo(40 * 1024 * 1024);
    }

    @Test
    void aFailingReadinessCheckFailsReadyzButNotLivez() {
        String base = "/k8s/clusters/" + mgmtId("demo-004");

        Resp set = admin.post(
                "/_sim/clusters/demo-004/readyz",
                SimHttp.object().put("check", "informer-sync").put("ok", false));

        assertThat(set.json().at("/faults/readyzChecks/demo-004/0").asText()).isEqualTo("informer-sync");
        assertThat(http.get(base + "/readyz").body()).contains("[-]informer-sync failed: reason withheld\n");
        assertThat(http.get(base + "/livez").body()).isEqualTo("ok");
        assertThat(http.get(base + "/readyz/informer-sync").code()).isEqualTo(500);
        assertThat(http.get(base + "/readyz/no-such-check").code()).isEqualTo(404);

        sim.sim().faults().readyzCheck("demo-004", "informer-sync", true);
        assertThat(http.get(base + "/readyz").code()).isEqualTo(200);
        assertThat(admin.post(
                                "/_sim/clusters/demo-004/readyz",
                                SimHttp.object().put("check", "no-such-check").put("ok", false))
                        .code())
                .isEqualTo(400);
    }

    // ---- API server metrics ---------------------------------------------------------------------------------

    @Test
    void apiServerTrafficFaultShowsInTheRatesOfMetrics() {
        String metricsPath = "/k8s/clusters/" + mgmtId("demo-005") + "/metrics";
        Resp first = http.get(metricsPath);
        assertThat(first.code()).isEqualTo(200);
        assertThat(first.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(first.body())
                .contains("# TYPE apiserver_request_total counter\n")
                .contains("# TYPE apiserver_request_duration_seconds histogram\n");

        Resp set = admin.post(
                "/_sim/clusters/demo-005/apiserver",
                SimHttp.object().put("errorRatio", 1.0).put("p99LatencyMillis", 2000));

        assertThat(set.json().at("/faults/apiServerTraffic/demo-005/errorRatio").asDouble())
                .isEqualTo(1.0);
        PromSamples a = PromSamples.parse(http.get(metricsPath).body());
        PromSamples b = await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> PromSamples.parse(http.get(metricsPath).body()), s -> errors(s) >= errors(a) + 10);
        assertThat(answered(b)).as("every non-watch request failed").isEqualTo(answered(a));
        String leaseGets = "component=\"apiserver\",dry_run=\"\",group=\"coordination.k8s.io\",resource=\"leases\","
                + "scope=\"namespace\",subresource=\"\",verb=\"GET\",version=\"v1\"";
        String fast = "apiserver_request_duration_seconds_bucket{" + leaseGets + ",le=\"0.2\"}";
        String count = "apiserver_request_duration_seconds_count{" + leaseGets + "}";
        assertThat(b.get(fast) - a.get(fast))
                .as("nothing as fast as 200 ms any more")
                .isZero();
        assertThat(b.get(count)).isGreaterThan(a.get(count));

        assertThat(admin.post(
                                "/_sim/clusters/demo-005/apiserver",
                                SimHttp.object().put("errorRatio", 1.5))
                        .code())
                .isEqualTo(400);
        assertThat(admin.post(
                                "/_sim/clusters/demo-005/apiserver",
                                SimHttp.object().put("p99LatencyMillis", -1))
                        .code())
                .isEqualTo(400);
        sim.sim().faults().apiServerTraffic("demo-005", 0, 0);
        PromSamples c = PromSamples.parse(http.get(metricsPath).body());
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> answered(PromSamples.parse(http.get(metricsPath).body())) >= answered(c) + 10);
        assertThat(errors(PromSamples.parse(http.get(metricsPath).body()))).isEqualTo(errors(c));
    }

    private static double errors(PromSamples s) {
        return s.sum("apiserver_request_total", k -> k.contains("code=\"5"));
    }

    private static double answered(PromSamples s) {
        return s.sum("apiserver_request_total", k -> !k.contains("code=\"5") && !k.contains("verb=\"WATCH\""));
    }

    // ---- metrics-server -------------------------------------------------------------------------------------

    @Test
    void metricsApiReportsReadyNodesAndCanBeTakenAway() {
        String base = "/k8s/clusters/" + mgmtId("demo-006");
        String busy = firstMachine("demo-006", "workers");
        String silent = firstMachine("demo-006", "etcd");
        sim.sim().faults().failMachine(silent, SimFaults.MODE_NOT_READY);

        Resp usage = admin.post(
                "/_sim/machines/" + busy + "/usage",
                SimHttp.object().put("cpuMillis", 3500).put("memoryBytes", 12L * 1024 * 1024 * 1024));

        assertThat(usage.json().at("/faults/nodeUsage/" + busy + "/cpuMillis").asLong())
                .isEqualTo(3500);
        JsonNode list = http.get(base + "/apis/metrics.k8s.io/v1beta1/nodes").json();
        assertThat(list.path("kind").asText()).isEqualTo("NodeMetricsList");
        assertThat(list.path("items")).hasSize(3);
        assertThat(list.at("/items/0/window").asText()).isEqualTo("10.5s");
        assertThat(list.path("items"))
                .noneSatisfy(i -> assertThat(i.at("/metadata/name").asText()).isEqualTo(silent));
        try (KubernetesClient client = SimHttp.proxyClient(sim.url(), mgmtId("demo-006"))) {
            NodeMetrics metrics = client.top().nodes().metrics(busy);
            assertThat(metrics.getUsage().get("cpu").toString()).isEqualTo("3500m");
            assertThat(metrics.getUsage().get("memory").toString()).isEqualTo("12Gi");
        }
        assertThat(http.get(base + "/apis/metrics.k8s.io/v1beta1/nodes/" + silent)
                        .code())
                .isEqualTo(404);

        admin.post("/_sim/clusters/demo-006/metrics-api", SimHttp.object().put("available", false));

        Resp gone = http.get(base + "/apis/metrics.k8s.io/v1beta1/nodes");
        assertThat(gone.code()).isEqualTo(404);
        assertThat(gone.json().path("kind").asText()).isEqualTo("Status");
        assertThat(gone.json().path("reason").asText()).isEqualTo("NotFound");
        assertThat(gone.json().path("message").asText()).isEqualTo("the server could not find the requested resource");
        sim.sim().faults().metricsApi("demo-006", true);
        assertThat(http.get(base + "/apis/metrics.k8s.io/v1beta1/nodes").code()).isEqualTo(200);
        assertThat(admin.post(
                                "/_sim/machines/" + busy + "/usage",
                                SimHttp.object().put("cpuMillis", -1).put("memoryBytes", 0))
                        .code())
                .isEqualTo(400);
        sim.sim().faults().recoverMachine(silent);
    }

    // ---- certificates and node agents -----------------------------------------------------------------------

    @Test
    void certificatesExpiryOfControlPlaneMachinesCanBeMovedAndPutBack() {
        String controlPlane = firstMachine("demo-007", "control-plane");
        String worker = firstMachine("demo-007", "workers");
        String byDefault =
                machine(controlPlane).at("/status/certificatesExpiryDate").asText();
        assertThat(Instant.parse(byDefault)).isAfter(Instant.now().plus(Duration.ofDays(360)));

        Resp set = admin.post(
                "/_sim/clusters/demo-007/certificates", SimHttp.object().put("expiresAt", "2027-01-01T00:00:00Z"));

        assertThat(set.json().at("/faults/certificatesExpireAt/demo-007").asText())
                .isEqualTo("2027-01-01T00:00:00Z");
        assertThat(machine(controlPlane).at("/status/certificatesExpiryDate").asText())
                .isEqualTo("2027-01-01T00:00:00Z");
        assertThat(machine(worker).at("/status/certificatesExpiryDate").isMissingNode())
                .isTrue();

        admin.post("/_sim/clusters/demo-007/certificates", SimHttp.object().putNull("expiresAt"));
        assertThat(machine(controlPlane).at("/status/certificatesExpiryDate").asText())
                .isEqualTo(byDefault);
        assertThat(admin.post(
                                "/_sim/clusters/demo-007/certificates",
                                SimHttp.object().put("expiresAt", "next tuesday"))
                        .code())
                .isEqualTo(400);
    }

    @Test
    void finishedCertificateRotationRenewsAnInjectedExpiry() {
        String controlPlane = firstMachine("demo-007", "control-plane");
        sim.sim().faults().certificatesExpireAt("demo-007", Instant.parse("2026-01-01T00:00:00Z"));
        Instant rotationRequested = Instant.now().minusSeconds(1);

        http.updateSpec("demo-007", spec -> spec.withObjectProperty("rkeConfig")
                .putObject("rotateCertificates")
                .put("generation", 1));

        await().atMost(WAIT)
                .until(() -> http.controlPlane("demo-007")
                                .at("/status/certificateRotationGeneration")
                                .asLong()
                        == 1);
        Instant renewed = Instant.parse(
                machine(controlPlane).at("/status/certificatesExpiryDate").asText());
        assertThat(renewed).isAfter(rotationRequested.plus(Duration.ofDays(365)));
        assertThat(admin.get("/_sim/state").json().at("/faults/certificatesExpireAt"))
                .isEmpty();
    }

    @Test
    void disconnectedNodeAgentMakesTheMachineReconcilingUntilItChecksInAgain() {
        String machine = firstMachine("demo-008", "workers");
        assertThat(condition(machine(machine), "Reconciled").path("status").asText())
                .isEqualTo("True");

        Resp set = admin.post(
                "/_sim/machines/" + machine + "/agent", SimHttp.object().put("connected", false));

        assertThat(set.json().at("/faults/nodeAgentDisconnected/0").asText()).isEqualTo(machine);
        JsonNode m = machine(machine);
        JsonNode reconciled = condition(m, "Reconciled");
        assertThat(reconciled.path("status").asText()).isEqualTo("False");
        assertThat(reconciled.path("reason").asText()).isEqualTo("Waiting");
        assertThat(reconciled.path("message").asText())
                .startsWith("rancher-system-agent on " + machine + " has not checked in since ");
        assertThat(m.at("/metadata/state/name").asText()).isEqualTo("reconciling");
        JsonNode node = http.get("/k8s/clusters/" + mgmtId("demo-008") + "/api/v1/nodes/" + machine)
                .json();
        assertThat(nodeCondition(node, "Ready").path("status").asText())
                .as("the kubelet still reports")
                .isEqualTo("True");

        admin.post("/_sim/machines/" + machine + "/agent", SimHttp.object().put("connected", true));
        assertThat(condition(machine(machine), "Reconciled").path("status").asText())
                .isEqualTo("True");
        assertThat(machine(machine).at("/metadata/state/name").asText()).isEqualTo("running");
        assertThat(admin.post("/_sim/machines/nope/agent", SimHttp.object().put("connected", false))
                        .code())
                .isEqualTo(404);
    }

    // ---- provisioning error classes -------------------------------------------------------------------------

    @Test
    void newMachinesFailWithTheDriversQuotaImageOrInfrastructureError() {
        String prefix = "Error creating machine: Error in driver during machine creation: ";
        List<List<String>> cases = List.of(
                List.of(
                        "quota",
                        prefix + "Quota exceeded for instances: Requested 1, but already used 20 of 20 instances"),
                List.of("image", prefix + "Unable to find image: ubuntu-24.04"),
                List.of("infrastructure", prefix + "No valid host was found. There are not enough hosts available."));
        for (List<String> c : cases) {
            String mode = c.get(0);
            String driverMessage = c.get(1);
            List<String> before = names("demo-009", "workers");
            Resp set = admin.post(
                    "/_sim/clusters/demo-009/pools/workers/new-machines",
                    SimHttp.object().put("mode", mode));
            assertThat(set.json().at("/faults/newMachines/demo-009/workers").asText())
                    .isEqualTo(mode);

            assertThat(http.delete("/v1/cluster.x-k8s.io.machines/fleet-default/" + before.get(0))
                            .code())
                    .isEqualTo(200);

            String replacement = await().atMost(WAIT)
                    .until(
                            () -> names("demo-009", "workers").stream()
                                    .filter(n -> !before.contains(n))
                                    .findFirst()
                                    .orElse(null),
                            n -> n != null);
            await().atMost(WAIT)
                    .until(() ->
                            machine(replacement).at("/status/phase").asText().equals("Failed"));
            JsonNode m = machine(replacement);
            JsonNode infra = condition(m, "InfrastructureReady");
            assertThat(infra.path("status").asText()).isEqualTo("False");
            assertThat(infra.path("message").asText()).endsWith(": " + driverMessage);
            assertThat(m.at("/status/deprecated/v1beta1/failureReason").asText())
                    .isEqualTo("CreateError");
            assertThat(m.at("/status/deprecated/v1beta1/failureMessage").asText())
                    .startsWith(
                            "failure detected from referenced resource rke-machine.cattle.io/v1, Kind=OpenstackMachine")
                    .endsWith(driverMessage);
            assertThat(m.at("/metadata/state/name").asText()).isEqualTo("error");
            assertThat(admin.get("/_sim/state")
                            .json()
                            .at("/faults/machines/" + replacement)
                            .asText())
                    .isEqualTo(mode);
        }
        assertThat(admin.post(
                                "/_sim/clusters/demo-009/pools/workers/new-machines",
                                SimHttp.object().put("mode", "none"))
                        .code())
                .isEqualTo(200);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private static String mgmtId(String cluster) {
        return sim.sim().managementId(cluster);
    }

    private String firstMachine(String cluster, String pool) {
        return names(cluster, pool).get(0);
    }

    /** Names of the pool's machines not being deleted. */
    private List<String> names(String cluster, String pool) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : http.get("/v1/cluster.x-k8s.io.machines/fleet-default?filter=spec.clusterName=" + cluster
                        + "&filter=metadata.labels[rke.cattle.io/rke-machine-pool-name]=" + pool)
                .json()
                .path("data")) {
            if (m.at("/metadata/deletionTimestamp").isMissingNode()) {
                out.add(m.at("/metadata/name").asText());
            }
        }
        return out;
    }

    private JsonNode machine(String name) {
        return http.get("/v1/cluster.x-k8s.io.machines/fleet-default/" + name).json();
    }

    private static NodeCondition nodeCondition(Node node, String type) {
        return node.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no condition " + type));
    }

    private static JsonNode nodeCondition(JsonNode node, String type) {
        return condition(node, type);
    }
}
