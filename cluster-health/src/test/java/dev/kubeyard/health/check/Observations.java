package dev.kubeyard.health.check;

import dev.kubeyard.health.check.Observation.ApiAnswer;
import dev.kubeyard.health.check.Observation.ClusterFacts;
import dev.kubeyard.health.check.Observation.ComponentFacts;
import dev.kubeyard.health.check.Observation.Cond;
import dev.kubeyard.health.check.Observation.MachineFacts;
import dev.kubeyard.health.check.Observation.NodeFacts;
import dev.kubeyard.health.check.Observation.NodeUsage;
import dev.kubeyard.health.check.Observation.RancherCluster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Observations built for the tests, all relative to {@link #NOW}: a healthy cluster {@code alpha} of three etcd and
 * control-plane nodes and two workers, every call answered, which each test then spoils in the one way it is about.
 */
final class Observations {

    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    static final Thresholds DEFAULTS = Thresholds.defaults();
    static final long CPU_MILLIS = 4000;
    static final long MEMORY_BYTES = 1_000_000_000L;
    static final Set<String> CONTROL_PLANE = Set.of("etcd", "controlplane");
    static final Set<String> WORKER = Set.of("worker");
    static final List<String> NODE_NAMES = List.of("cp-0", "cp-1", "cp-2", "w-0", "w-1");
    static final String VERSION_BODY = """
            {"major":"1","minor":"30","gitVersion":"v1.30.4+rke2r1","gitCommit":"a51b3b711150f57ffc1f526a640ec058514ed596",\
            "buildDate":"2024-08-14T19:33:45Z","goVersion":"go1.22.5 X:boringcrypto","compiler":"gc","platform":"linux/amd64"}""";
    static final String READY = fixture("readyz-verbose-ready.txt");
    static final String ETCD_FAILED = fixture("readyz-verbose-etcd-failed.txt");
    static final String METRICS = fixture("apiserver-metrics.txt");

    private Observations() {}

    static String fixture(String name) {
        try (InputStream in = Observations.class.getResourceAsStream("/fixtures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Duration min(long minutes) {
        return Duration.ofMinutes(minutes);
    }

    static <T> Fetch<T> ok(T value) {
        return Fetch.ok(value, 12);
    }

    static <T> Fetch<T> unreachable() {
        return Fetch.failed(Fetch.Failure.UNREACHABLE, "502 Bad Gateway", 40);
    }

    static <T> Fetch<T> failed(Fetch.Failure failure) {
        return Fetch.failed(failure, "the call failed (" + failure + ")", 40);
    }

    static Cond cond(String type, String status) {
        return new Cond(type, status, "", "", NOW.minus(Duration.ofDays(3)));
    }

    static Cond cond(String type, String status, String reason, String message, Instant since) {
        return new Cond(type, status, reason, message, since);
    }

    /** The kubelet's conditions of a healthy node. */
    static List<Cond> healthyNodeConditions() {
        return List.of(
                cond("Ready", "True"),
                cond("MemoryPressure", "False"),
                cond("DiskPressure", "False"),
                cond("PIDPressure", "False"),
                cond("NetworkUnavailable", "False"));
    }

    static NodeFacts node(String name, Cond... changed) {
        List<Cond> conditions = new ArrayList<>(healthyNodeConditions());
        for (Cond c : changed) {
            conditions.removeIf(x -> x.type().equals(c.type()));
            conditions.add(c);
        }
        return new NodeFacts(name, rolesOf(name), conditions, CPU_MILLIS, MEMORY_BYTES);
    }

    static Set<String> rolesOf(String name) {
        return name.startsWith("cp-") ? CONTROL_PLANE : WORKER;
    }

    static List<NodeFacts> healthyNodes() {
        return NODE_NAMES.stream().map(Observations::node).toList();
    }

    /** A running machine with its node, created 40 days ago; control-plane machines report certificates for a year. */
    static MachineFacts machine(String name) {
        boolean controlPlane = name.startsWith("cp-");
        return new MachineFacts(
                name,
                controlPlane ? "cp" : "workers",
                "Running",
                Optional.of(name),
                rolesOf(name),
                List.of(cond("Ready", "True"), cond("Reconciled", "True")),
                controlPlane ? Optional.of(NOW.plus(Duration.ofDays(325))) : Optional.empty(),
                Optional.empty(),
                NOW.minus(Duration.ofDays(40)));
    }

    /** A machine still in the given phase, created {@code age} ago, without a node yet. */
    static MachineFacts provisioningMachine(String name, String phase, Duration age, Cond... conditions) {
        return new MachineFacts(
                name,
                "workers",
                phase,
                Optional.empty(),
                WORKER,
                List.of(conditions),
                Optional.empty(),
                Optional.empty(),
                NOW.minus(age));
    }

    static MachineFacts failedMachine(String name, String failureMessage) {
        return new MachineFacts(
                name,
                "workers",
                "Failed",
                Optional.empty(),
                WORKER,
                List.of(cond("Ready", "False")),
                Optional.empty(),
                Optional.of(failureMessage),
                NOW.minus(min(20)));
    }

    static MachineFacts withCertificates(MachineFacts m, Instant expiry) {
        return new MachineFacts(
                m.name(),
                m.pool(),
                m.phase(),
                m.nodeName(),
                m.roles(),
                m.conditions(),
                Optional.of(expiry),
                m.failureMessage(),
                m.createdAt());
    }

    static MachineFacts withConditions(MachineFacts m, Cond... conditions) {
        return new MachineFacts(
                m.name(),
                m.pool(),
                m.phase(),
                m.nodeName(),
                m.roles(),
                List.of(conditions),
                m.certificatesExpiry(),
                m.failureMessage(),
                m.createdAt());
    }

    static List<MachineFacts> healthyMachines() {
        return NODE_NAMES.stream().map(Observations::machine).toList();
    }

    static RancherCluster rancherCluster(Cond... conditions) {
        return new RancherCluster(List.of(conditions), false, false, "active");
    }

    static RancherCluster healthyRancherCluster() {
        return rancherCluster(
                cond("Connected", "True"),
                cond("Provisioned", "True"),
                cond("Updated", "True"),
                cond("Ready", "True"),
                cond("Stalled", "False"),
                cond("NoDiskPressure", "True"),
                cond("NoMemoryPressure", "True"));
    }

    static Thresholds thresholds(long etcdQuotaBytes) {
        Thresholds t = DEFAULTS;
        return new Thresholds(
                t.clusterProvisioning(),
                t.nodeProvisioning(),
                t.certificateWarnDays(),
                t.certificateFailDays(),
                t.nodeCpuWarnPercent(),
                t.nodeCpuFailPercent(),
                t.nodeMemoryWarnPercent(),
                t.nodeMemoryFailPercent(),
                t.apiErrorWarnPercent(),
                t.apiErrorFailPercent(),
                t.apiLatencyWarn(),
                t.apiLatencyFail(),
                etcdQuotaBytes,
                t.etcdDbWarnPercent(),
                t.etcdDbFailPercent());
    }

    static Builder healthy() {
        return new Builder();
    }

    /** Every call of a cluster that is not in Rancher yet skipped: what the probe gives a Pending cluster. */
    static Builder notInRancherYet(Duration age) {
        String why = "the cluster is not in Rancher yet";
        return new Builder()
                .cluster("Pending", NOW.minus(age), Optional.empty())
                .rancher(Fetch.skipped(why))
                .machines(Fetch.skipped(why))
                .version(Fetch.skipped(why))
                .readyz(Fetch.skipped(why))
                .components(Fetch.skipped(why))
                .nodes(Fetch.skipped(why))
                .usage(Fetch.skipped(why))
                .metrics(Fetch.skipped(why));
    }

    /** Every call of the downstream API (not Rancher's own) failed the same way. */
    static Builder apiDown(Fetch.Failure failure) {
        return healthy()
                .version(failed(failure))
                .readyz(failed(failure))
                .components(failed(failure))
                .nodes(failed(failure))
                .usage(failed(failure))
                .metrics(failed(failure));
    }

    static final class Builder {
        private ClusterFacts cluster = new ClusterFacts(
                "alpha", "team-a", "Ready", NOW.minus(Duration.ofDays(40)), Optional.of("c-m-4x7lq2vd"), false);
        private Fetch<RancherCluster> rancher = ok(healthyRancherCluster());
        private Fetch<List<MachineFacts>> machines = ok(healthyMachines());
        private Fetch<ApiAnswer> version = Fetch.ok(new ApiAnswer(200, VERSION_BODY), 42);
        private Fetch<ApiAnswer> readyz = ok(new ApiAnswer(200, READY));
        private Fetch<List<ComponentFacts>> components = ok(List.of(
                new ComponentFacts("scheduler", true, "ok"),
                new ComponentFacts("controller-manager", true, "ok"),
                new ComponentFacts("etcd-0", true, "ok")));
        private Fetch<List<NodeFacts>> nodes = ok(healthyNodes());
        private Fetch<List<NodeUsage>> usage = ok(NODE_NAMES.stream()
                .map(n -> new NodeUsage(n, 1000, 400_000_000L))
                .toList());
        private Fetch<String> metrics = ok(METRICS);
        private boolean advanced = true;
        private Instant observedAt = NOW;

        Builder cluster(String phase, Instant createdAt, Optional<String> managementId) {
            cluster = new ClusterFacts(cluster.name(), cluster.team(), phase, createdAt, managementId, false);
            return this;
        }

        Builder phase(String phase) {
            return cluster(phase, cluster.createdAt(), cluster.managementId());
        }

        /** The cluster in this phase, created {@code age} ago. */
        Builder phase(String phase, Duration age) {
            return cluster(phase, NOW.minus(age), cluster.managementId());
        }

        Builder rancher(Fetch<RancherCluster> value) {
            rancher = value;
            return this;
        }

        Builder rancher(Cond... conditions) {
            return rancher(ok(rancherCluster(conditions)));
        }

        Builder machines(Fetch<List<MachineFacts>> value) {
            machines = value;
            return this;
        }

        Builder machines(MachineFacts... value) {
            return machines(ok(List.of(value)));
        }

        Builder version(Fetch<ApiAnswer> value) {
            version = value;
            return this;
        }

        Builder readyz(Fetch<ApiAnswer> value) {
            readyz = value;
            return this;
        }

        Builder readyz(int status, String body) {
            return readyz(ok(new ApiAnswer(status, body)));
        }

        Builder components(Fetch<List<ComponentFacts>> value) {
            components = value;
            return this;
        }

        Builder components(ComponentFacts... value) {
            return components(ok(List.of(value)));
        }

        Builder nodes(Fetch<List<NodeFacts>> value) {
            nodes = value;
            return this;
        }

        Builder nodes(NodeFacts... value) {
            return nodes(ok(List.of(value)));
        }

        Builder usage(Fetch<List<NodeUsage>> value) {
            usage = value;
            return this;
        }

        Builder usage(NodeUsage... value) {
            return usage(ok(List.of(value)));
        }

        Builder metrics(Fetch<String> value) {
            metrics = value;
            return this;
        }

        Builder metrics(String text) {
            return metrics(ok(text));
        }

        Builder advanced(boolean value) {
            advanced = value;
            return this;
        }

        Builder observedAt(Instant value) {
            observedAt = value;
            return this;
        }

        Observation build() {
            return new Observation(
                    cluster,
                    rancher,
                    machines,
                    version,
                    readyz,
                    components,
                    nodes,
                    usage,
                    metrics,
                    advanced,
                    observedAt);
        }
    }
}
