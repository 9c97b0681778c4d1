package dev.kubeyard.health.check;

import static dev.kubeyard.health.check.CheckStatus.FAIL;
import static dev.kubeyard.health.check.CheckStatus.PASS;
import static dev.kubeyard.health.check.CheckStatus.UNKNOWN;
import static dev.kubeyard.health.check.CheckStatus.WARN;

import dev.kubeyard.health.check.Observation.ApiAnswer;
import dev.kubeyard.health.check.Observation.Cond;
import dev.kubeyard.health.check.Observation.MachineFacts;
import dev.kubeyard.health.check.Observation.NodeFacts;
import dev.kubeyard.health.check.Observation.NodeUsage;
import dev.kubeyard.health.check.Observation.RancherCluster;
import dev.kubeyard.health.check.PromText.Sample;
import dev.kubeyard.health.check.ProvisioningErrors.ErrorClass;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every check, as pure functions of what a probe observed: {@code evaluate(observation, previous, thresholds)} gives
 * one result per check that had something to judge. A call that failed or was not made gives {@code Unknown} with
 * the reason, never {@code Pass}. The advanced checks are left out when the observation did not make their calls.
 */
public final class HealthChecks {

    private static final Set<String> PRESSURE_CONDITIONS =
            Set.of("MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable");
    private static final List<String> NODE_CONDITIONS =
            List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable");
    private static final Set<String> SETTLED_PHASES = Set.of("Ready", "Degraded");
    private static final Set<String> PROVISIONING_PHASES = Set.of("Pending", "Provisioning");
    private static final Set<String> MACHINE_PROVISIONING_PHASES = Set.of("Pending", "Provisioning", "Provisioned");
    private static final Pattern READYZ_LINE = Pattern.compile("^\\[([+-])]([^ ]+)\\s*(.*)$");
    private static final Set<String> LONG_RUNNING_VERBS = Set.of("WATCH", "CONNECT");
    /** The fewest requests a window between two scrapes must hold for its error rate and latency to count. */
    static final double MIN_WINDOW_REQUESTS = 100;

    private HealthChecks() {}

    public static List<CheckResult> evaluate(Observation o, Observation.Previous previous, Thresholds t) {
        List<CheckResult> results = new ArrayList<>();
        results.add(apiReachable(o));
        results.add(apiReady(o));
        results.add(rancherAgent(o));
        results.add(nodeAgents(o));
        results.add(nodeConditions(o));
        results.add(components(o));
        results.add(clusterConditions(o));
        results.add(provisioning(o, t));
        results.add(certificates(o, t));
        if (o.advanced()) {
            results.add(nodeResources(o, t));
            Optional<List<Sample>> metrics = o.metrics().get().flatMap(HealthChecks::parseQuietly);
            results.add(etcd(o, t, metrics));
            results.add(apiServer(o, previous, t, metrics));
        }
        return results;
    }

    // ---- the API ------------------------------------------------------------------------------------------------

    static CheckResult apiReachable(Observation o) {
        CheckId id = CheckId.API_REACHABLE;
        return switch (o.version()) {
            case Fetch.Ok<ApiAnswer> ok -> {
                String version = gitVersion(ok.value().body());
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("latencyMillis", ok.millis());
                figures.put("version", version);
                yield passed(
                        id,
                        Reasons.ANSWERED,
                        "The API answered in " + ok.millis() + " ms (Kubernetes " + version + ").",
                        figures,
                        ok.millis());
            }
            case Fetch.Failed<ApiAnswer> failed
            when PROVISIONING_PHASES.contains(o.cluster().phase()) ->
                CheckResult.unknown(
                        id,
                        Reasons.NOT_PROVISIONED,
                        "The cluster is still provisioning: its API is not up yet (" + failed.message() + ").");
            case Fetch.Failed<ApiAnswer> failed ->
                new CheckResult(
                        id,
                        FAIL,
                        reasonOf(failed.failure()),
                        apiFailure(failed),
                        Map.of("latencyMillis", failed.millis()),
                        List.of(new Finding("cluster", FAIL, reasonOf(failed.failure()), apiFailure(failed))),
                        failed.millis());
            case Fetch.Skipped<ApiAnswer> skipped -> CheckResult.unknown(id, Reasons.NOT_PROVISIONED, skipped.why());
        };
    }

    private static String apiFailure(Fetch.Failed<?> failed) {
        return switch (failed.failure()) {
            case AGENT_DISCONNECTED ->
                "Rancher reports the cluster agent disconnected: the API cannot be reached (" + failed.message() + ").";
            case UNREACHABLE -> "Rancher could not reach the cluster's API: " + failed.message() + ".";
            case TIMEOUT -> "The API did not answer within " + failed.millis() + " ms.";
            case UNAUTHORIZED -> "The API refused Kubeyard's credentials: " + failed.message() + ".";
            default -> "The API answered with an error: " + failed.message() + ".";
        };
    }

    private static String reasonOf(Fetch.Failure failure) {
        return switch (failure) {
            case AGENT_DISCONNECTED -> Reasons.AGENT_DISCONNECTED;
            case UNREACHABLE -> Reasons.UNREACHABLE;
            case TIMEOUT -> Reasons.TIMEOUT;
            case UNAUTHORIZED -> Reasons.UNAUTHORIZED;
            case NOT_SERVED -> Reasons.NOT_SERVED;
            case BAD_ANSWER -> Reasons.BAD_ANSWER;
            case ERROR -> Reasons.ERROR;
        };
    }

    private static final Pattern GIT_VERSION = Pattern.compile("\"gitVersion\"\\s*:\\s*\"([^\"]+)\"");

    private static String gitVersion(String body) {
        Matcher m = GIT_VERSION.matcher(body == null ? "" : body);
        return m.find() ? m.group(1) : "unknown";
    }

    /** A check that needs the API while the API did not answer. */
    private static CheckResult notRun(CheckId id, Fetch<?> fetch, String what) {
        if (fetch instanceof Fetch.Skipped<?> skipped) {
            return CheckResult.unknown(id, Reasons.NOT_RUN, "Not run: " + skipped.why());
        }
        Fetch.Failed<?> failed = (Fetch.Failed<?>) fetch;
        String reason = failed.failure() == Fetch.Failure.NOT_SERVED ? Reasons.NOT_SERVED : Reasons.NOT_RUN;
        return CheckResult.unknown(id, reason, "Could not read " + what + ": " + failed.message() + ".");
    }

    static CheckResult apiReady(Observation o) {
        CheckId id = CheckId.API_READY;
        if (!(o.readyz() instanceof Fetch.Ok<ApiAnswer> ok)) {
            return notRun(id, o.readyz(), "/readyz");
        }
        List<Finding> findings = new ArrayList<>();
        int passed = 0;
        for (String line : ok.value().body().split("\n")) {
            Matcher m = READYZ_LINE.matcher(line.strip());
            if (!m.matches()) {
                continue;
            }
            if (m.group(1).equals("+")) {
                passed++;
            } else {
                findings.add(new Finding(
                        "readyz/" + m.group(2),
                        FAIL,
                        Reasons.CHECK_FAILED,
                        "The API server's readiness check " + m.group(2) + " " + readyzDetail(m.group(3)) + ".",
                        Map.of("component", "kube-apiserver")));
            }
        }
        Map<String, Object> figures = Map.of("passed", passed, "failed", findings.size());
        if (!findings.isEmpty() || ok.value().status() >= 300) {
            String names = String.join(
                    ", ",
                    findings.stream()
                            .map(f -> f.subject().substring("readyz/".length()))
                            .toList());
            String message = findings.isEmpty()
                    ? "The API server answers /readyz with " + ok.value().status() + "."
                    : "The API server is not ready: " + findings.size() + " of " + (passed + findings.size())
                            + " readiness checks fail (" + names + ").";
            return new CheckResult(id, FAIL, Reasons.NOT_READY, message, figures, findings, ok.millis());
        }
        return passed(
                id,
                Reasons.READY,
                "The API server is ready: " + passed + " readiness checks pass.",
                figures,
                ok.millis());
    }

    // ---- Rancher's agents -----------------------------------------------------------------------------------------

    static CheckResult rancherAgent(Observation o) {
        CheckId id = CheckId.RANCHER_AGENT;
        if (!(o.rancher() instanceof Fetch.Ok<RancherCluster> ok)) {
            return rancherUnavailable(id, o);
        }
        Optional<Cond> connected = ok.value().condition("Connected");
        if (connected.isEmpty()) {
            return CheckResult.unknown(
                    id, Reasons.NOT_REPORTED, "Rancher does not report the cluster agent's connection yet.");
        }
        if (connected.get().isTrue()) {
            return passed(
                    id,
                    Reasons.CONNECTED,
                    "Rancher reports the cluster agent connected" + since(connected.get()) + ".",
                    Map.of(),
                    ok.millis());
        }
        String message = "Rancher reports the cluster agent disconnected" + since(connected.get())
                + (connected.get().text().isBlank()
                        ? ""
                        : ": " + connected.get().text()) + ".";
        return new CheckResult(
                id,
                FAIL,
                Reasons.AGENT_DISCONNECTED,
                message,
                Map.of(),
                List.of(new Finding("condition/Connected", FAIL, Reasons.AGENT_DISCONNECTED, message)),
                ok.millis());
    }

    private static CheckResult passed(
            CheckId id, String reason, String message, Map<String, Object> figures, long millis) {
        return new CheckResult(id, PASS, reason, message, figures, List.of(), millis);
    }

    private static CheckResult rancherUnavailable(CheckId id, Observation o) {
        return CheckResult.unknown(
                id,
                o.rancher() instanceof Fetch.Skipped ? Reasons.NOT_PROVISIONED : Reasons.RANCHER_UNANSWERED,
                "Rancher's view of the cluster is not available: " + o.rancher().problem());
    }

    private static CheckResult machinesUnavailable(CheckId id, Observation o) {
        return CheckResult.unknown(
                id,
                Reasons.RANCHER_UNANSWERED,
                "Rancher's machines are not available: " + o.machines().problem());
    }

    private static String since(Cond c) {
        return c.lastTransition() == null ? "" : " since " + c.lastTransition();
    }

    static CheckResult nodeAgents(Observation o) {
        CheckId id = CheckId.NODE_AGENTS;
        if (!(o.machines() instanceof Fetch.Ok<List<MachineFacts>> ok)) {
            return machinesUnavailable(id, o);
        }
        List<Finding> findings = new ArrayList<>();
        int connected = 0;
        int withNode = 0;
        for (MachineFacts m : ok.value()) {
            if (m.nodeName().isEmpty() || !"Running".equals(m.phase())) {
                continue;
            }
            withNode++;
            Optional<Cond> reconciled = m.condition("Reconciled");
            if (reconciled.isEmpty() || reconciled.get().isTrue()) {
                connected++;
                continue;
            }
            String node = m.nodeName().get();
            findings.add(new Finding(
                    "node/" + node + "/Agent",
                    FAIL,
                    Reasons.AGENT_DISCONNECTED,
                    "The agent of node " + node + " has not checked in" + since(reconciled.get()) + ": "
                            + reconciled.get().text() + ".",
                    Map.of("node", node, "pool", m.pool())));
        }
        Map<String, Object> figures = Map.of("connected", connected, "nodes", withNode);
        if (!findings.isEmpty()) {
            return new CheckResult(
                    id,
                    FAIL,
                    Reasons.AGENT_DISCONNECTED,
                    findings.size() + " of " + withNode + " node agents have not checked in.",
                    figures,
                    findings,
                    ok.millis());
        }
        return passed(
                id, Reasons.CONNECTED, connected + " of " + withNode + " node agents connected.", figures, ok.millis());
    }

    // ---- nodes and components ---------------------------------------------------------------------------------

    static CheckResult nodeConditions(Observation o) {
        CheckId id = CheckId.NODE_CONDITIONS;
        if (!(o.nodes() instanceof Fetch.Ok<List<NodeFacts>> ok)) {
            return notRun(id, o.nodes(), "the nodes");
        }
        List<Finding> findings = new ArrayList<>();
        int ready = 0;
        for (NodeFacts node : ok.value()) {
            for (String type : NODE_CONDITIONS) {
                Optional<Cond> cond = node.condition(type);
                if (cond.isEmpty()) {
                    continue;
                }
                Cond c = cond.get();
                boolean bad = type.equals("Ready") ? !c.isTrue() : c.isTrue();
                if (type.equals("Ready") && c.isTrue()) {
                    ready++;
                }
                if (!bad) {
                    continue;
                }
                String reason = type.equals("Ready") ? Reasons.NOT_READY : Reasons.PRESSURE;
                String state = type.equals("Ready") ? "Ready is " + c.status() : type + " is " + c.status();
                findings.add(new Finding(
                        "node/" + node.name() + "/" + type,
                        FAIL,
                        reason,
                        "Node " + node.name() + ": " + state + since(c)
                                + (c.text().isBlank() ? "" : " (" + c.text() + ")") + ".",
                        Map.of("node", node.name(), "condition", type)));
            }
        }
        Map<String, Object> figures = Map.of("nodes", ok.value().size(), "ready", ready);
        if (ok.value().isEmpty()) {
            return new CheckResult(
                    id,
                    UNKNOWN,
                    Reasons.NOT_REPORTED,
                    "The cluster has no nodes yet.",
                    figures,
                    List.of(),
                    ok.millis());
        }
        if (!findings.isEmpty()) {
            long nodes = findings.stream()
                    .map(f -> f.labels().get("node"))
                    .distinct()
                    .count();
            return new CheckResult(
                    id,
                    FAIL,
                    Reasons.UNHEALTHY,
                    nodes + " of " + ok.value().size() + " nodes unhealthy; " + ready + " Ready.",
                    figures,
                    findings,
                    ok.millis());
        }
        return passed(
                id, Reasons.HEALTHY, "All " + ok.value().size() + " nodes Ready, no pressure.", figures, ok.millis());
    }

    static CheckResult components(Observation o) {
        CheckId id = CheckId.COMPONENTS;
        if (!(o.components() instanceof Fetch.Ok<List<Observation.ComponentFacts>> ok)) {
            return notRun(id, o.components(), "the component statuses");
        }
        List<Finding> findings = new ArrayList<>();
        for (Observation.ComponentFacts c : ok.value()) {
            if (!c.healthy()) {
                findings.add(new Finding(
                        "component/" + c.name(),
                        FAIL,
                        Reasons.UNHEALTHY,
                        "Component " + c.name() + " is unhealthy: " + c.message() + ".",
                        Map.of("component", c.name())));
            }
        }
        Map<String, Object> figures = Map.of("components", ok.value().size(), "unhealthy", findings.size());
        if (ok.value().isEmpty()) {
            return new CheckResult(
                    id,
                    UNKNOWN,
                    Reasons.NOT_REPORTED,
                    "The API server reports no component statuses.",
                    figures,
                    List.of(),
                    ok.millis());
        }
        if (!findings.isEmpty()) {
            return new CheckResult(
                    id,
                    FAIL,
                    Reasons.UNHEALTHY,
                    findings.size() + " of " + ok.value().size() + " control-plane components unhealthy: "
                            + String.join(
                                    ", ",
                                    findings.stream()
                                            .map(f -> f.labels().get("component"))
                                            .toList())
                            + ".",
                    figures,
                    findings,
                    ok.millis());
        }
        return passed(
                id,
                Reasons.HEALTHY,
                "All " + ok.value().size() + " control-plane components healthy.",
                figures,
                ok.millis());
    }

    // ---- Rancher's conditions, provisioning, certificates ----------------------------------------------------

    static CheckResult clusterConditions(Observation o) {
        CheckId id = CheckId.CLUSTER_CONDITIONS;
        if (!(o.rancher() instanceof Fetch.Ok<RancherCluster> ok)) {
            return rancherUnavailable(id, o);
        }
        boolean settled = SETTLED_PHASES.contains(o.cluster().phase());
        List<Finding> findings = new ArrayList<>();
        for (Cond c : ok.value().conditions()) {
            if (c.type().equals("Connected")) {
                continue; // the rancher-agent check's
            }
            boolean stalled = c.type().equals("Stalled") && c.isTrue();
            boolean error = "Error".equals(c.reason()) && !c.isTrue();
            boolean readiness = Set.of("Ready", "Provisioned", "Updated").contains(c.type()) && !c.isTrue();
            boolean pressure = Set.of("NoDiskPressure", "NoMemoryPressure").contains(c.type()) && c.isFalse();
            if (stalled || error || (readiness && settled)) {
                findings.add(new Finding(
                        "condition/" + c.type(),
                        FAIL,
                        stalled ? Reasons.STALLED : Reasons.CONDITION_FALSE,
                        "Rancher's condition " + c.type() + " is " + c.status() + since(c)
                                + (c.text().isBlank() ? "" : ": " + c.text()) + ".",
                        Map.of("condition", c.type())));
            } else if (pressure) {
                findings.add(new Finding(
                        "condition/" + c.type(),
                        WARN,
                        Reasons.PRESSURE,
                        "Rancher's condition " + c.type() + " is False" + since(c)
                                + (c.text().isBlank() ? "" : ": " + c.text()) + ".",
                        Map.of("condition", c.type())));
            }
        }
        CheckStatus status = findings.stream().map(Finding::status).reduce(PASS, CheckStatus::worst);
        if (status == PASS) {
            String message = settled
                    ? "Rancher's conditions are all as expected."
                    : "The cluster is " + o.cluster().phase().toLowerCase(Locale.ROOT)
                            + ": Rancher's readiness conditions are not judged until it settles.";
            return passed(
                    id,
                    settled ? Reasons.HEALTHY : Reasons.TRANSITIONING,
                    message,
                    Map.of("state", ok.value().state()),
                    ok.millis());
        }
        return new CheckResult(
                id,
                status,
                lead(findings).reason(),
                findings.size() + " of Rancher's conditions are not as expected: "
                        + String.join(
                                ", ",
                                findings.stream()
                                        .map(f -> f.labels().get("condition"))
                                        .toList())
                        + ".",
                Map.of("state", ok.value().state()),
                findings,
                ok.millis());
    }

    static CheckResult provisioning(Observation o, Thresholds t) {
        CheckId id = CheckId.PROVISIONING;
        Instant now = o.observedAt();
        List<MachineFacts> machines = o.machines().get().orElse(List.of());
        List<Finding> findings = new ArrayList<>();
        ErrorClass firstMachineError = null;
        String firstMachineMessage = null;
        for (MachineFacts m : machines) {
            boolean failed = "Failed".equals(m.phase());
            boolean provisioning = MACHINE_PROVISIONING_PHASES.contains(m.phase());
            Duration age = Duration.between(m.createdAt(), now);
            if (!failed && !(provisioning && age.compareTo(t.nodeProvisioning()) > 0)) {
                continue;
            }
            String detail = machineError(m).orElse("");
            // a machine that failed says why; one that is merely slow shows a progress message, not an error
            ErrorClass errorClass = detail.isBlank()
                    ? ProvisioningErrors.noProgress()
                    : failed ? ProvisioningErrors.classify(detail) : classifyOrNoProgress(detail);
            detail = stripPeriod(detail);
            if (firstMachineError == null) {
                firstMachineError = errorClass;
                firstMachineMessage = detail;
            }
            String what = failed
                    ? "Machine " + m.name() + " failed"
                    : "Machine " + m.name() + " is still provisioning after " + minutes(age) + " (limit "
                            + minutes(t.nodeProvisioning()) + ")";
            findings.add(new Finding(
                    "machine/" + m.name(),
                    FAIL,
                    failed ? Reasons.MACHINE_FAILED : Reasons.PROVISIONING_TOO_LONG,
                    what + (detail.isBlank() ? "" : ": " + detail) + ". " + classText(errorClass) + ".",
                    Map.of(
                            "machine",
                            m.name(),
                            "pool",
                            m.pool(),
                            "errorClass",
                            errorClass.kind().wireName(),
                            "errorReason",
                            errorClass.reason())));
        }
        boolean clusterProvisioning = PROVISIONING_PHASES.contains(o.cluster().phase());
        Duration clusterAge = Duration.between(o.cluster().createdAt(), now);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("phase", o.cluster().phase());
        if (clusterProvisioning) {
            figures.put("provisioningSeconds", clusterAge.toSeconds());
        }
        if (clusterProvisioning && clusterAge.compareTo(t.clusterProvisioning()) > 0) {
            String rancherMessage = o.rancher()
                    .get()
                    .flatMap(r -> r.condition("Ready"))
                    .filter(c -> !c.isTrue())
                    .map(Cond::text)
                    .orElse("");
            ErrorClass errorClass = firstMachineError != null
                    ? firstMachineError
                    : rancherMessage.isBlank() ? ProvisioningErrors.noProgress() : classifyOrNoProgress(rancherMessage);
            String cause = stripPeriod(
                    firstMachineMessage != null && !firstMachineMessage.isBlank()
                            ? firstMachineMessage
                            : rancherMessage);
            figures.put("errorClass", errorClass.kind().wireName());
            findings.add(
                    0,
                    new Finding(
                            "cluster",
                            FAIL,
                            Reasons.PROVISIONING_TOO_LONG,
                            "Provisioning has taken " + minutes(clusterAge) + " (limit "
                                    + minutes(t.clusterProvisioning()) + ")"
                                    + (cause.isBlank() ? "" : ": " + cause) + ". " + classText(errorClass) + ".",
                            Map.of("errorClass", errorClass.kind().wireName(), "errorReason", errorClass.reason())));
        }
        if (!findings.isEmpty()) {
            return new CheckResult(
                    id, FAIL, findings.get(0).reason(), findings.get(0).message(), figures, findings, 0);
        }
        if (o.machines() instanceof Fetch.Failed<?>) {
            return machinesUnavailable(id, o);
        }
        String message = clusterProvisioning
                ? "Provisioning for " + minutes(clusterAge) + ", within its " + minutes(t.clusterProvisioning()) + "."
                : "Provisioned; no machine failed or stuck.";
        return passed(id, clusterProvisioning ? Reasons.WITHIN_TIME : Reasons.PROVISIONED, message, figures, 0);
    }

    /** kube-apiserver writes "failed: reason withheld" after a failing check's name. */
    private static String readyzDetail(String rest) {
        String r = stripPeriod(rest);
        return r.isEmpty() ? "fails" : r.startsWith("failed") ? r : "fails: " + r;
    }

    private static String stripPeriod(String text) {
        String t = text.strip();
        while (t.endsWith(".")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static ErrorClass classifyOrNoProgress(String message) {
        ErrorClass c = ProvisioningErrors.classify(message);
        return c.kind() == ProvisioningErrors.Kind.UNKNOWN ? ProvisioningErrors.noProgress() : c;
    }

    private static String classText(ErrorClass c) {
        String whose =
                switch (c.kind()) {
                    case USER -> "The request's mistake (" + c.reason() + ")";
                    case PLATFORM -> "The platform's failure (" + c.reason() + ")";
                    case UNKNOWN -> "Cause unknown (" + c.reason() + ")";
                };
        return whose + ": " + c.advice();
    }

    private static Optional<String> machineError(MachineFacts m) {
        if (m.failureMessage().isPresent() && !m.failureMessage().get().isBlank()) {
            return m.failureMessage();
        }
        for (String type : List.of("InfrastructureReady", "BootstrapConfigReady", "Ready")) {
            Optional<Cond> c = m.condition(type);
            if (c.isPresent() && !c.get().isTrue() && !c.get().text().isBlank()) {
                return Optional.of(c.get().text());
            }
        }
        return Optional.empty();
    }

    private static String minutes(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 120) {
            return seconds + " s";
        }
        return (seconds / 60) + " min";
    }

    static CheckResult certificates(Observation o, Thresholds t) {
        CheckId id = CheckId.CERTIFICATES;
        if (!(o.machines() instanceof Fetch.Ok<List<MachineFacts>> ok)) {
            return machinesUnavailable(id, o);
        }
        List<Finding> findings = new ArrayList<>();
        Instant earliest = null;
        int reported = 0;
        for (MachineFacts m : ok.value()) {
            if (m.certificatesExpiry().isEmpty()) {
                continue;
            }
            reported++;
            Instant expiry = m.certificatesExpiry().get();
            earliest = earliest == null || expiry.isBefore(earliest) ? expiry : earliest;
            long days = Duration.between(o.observedAt(), expiry).toDays();
            CheckStatus status = expiry.isBefore(o.observedAt())
                    ? FAIL
                    : days < t.certificateFailDays() ? FAIL : days < t.certificateWarnDays() ? WARN : PASS;
            if (status == PASS) {
                continue;
            }
            String message = expiry.isBefore(o.observedAt())
                    ? "The certificates of " + m.name() + " expired on " + expiry + "."
                    : "The certificates of " + m.name() + " expire in " + days + " days (" + expiry
                            + "); rotate them (POST /api/v1/clusters/"
                            + o.cluster().name()
                            + "/certificate-rotations).";
            findings.add(new Finding(
                    "machine/" + m.name(),
                    status,
                    expiry.isBefore(o.observedAt()) ? Reasons.EXPIRED : Reasons.EXPIRING,
                    message,
                    Map.of("machine", m.name(), "daysLeft", Long.toString(days))));
        }
        if (reported == 0) {
            return CheckResult.unknown(
                    id, Reasons.NOT_REPORTED, "No control-plane machine reports when its certificates expire.");
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("earliestExpiry", earliest.toString());
        figures.put("daysLeft", Duration.between(o.observedAt(), earliest).toDays());
        if (!findings.isEmpty()) {
            CheckStatus status = findings.stream().map(Finding::status).reduce(PASS, CheckStatus::worst);
            return new CheckResult(
                    id, status, lead(findings).reason(), lead(findings).message(), figures, findings, ok.millis());
        }
        return passed(
                id,
                Reasons.VALID,
                "The certificates are valid for " + figures.get("daysLeft") + " more days (until " + earliest + ").",
                figures,
                ok.millis());
    }

    // ---- advanced -----------------------------------------------------------------------------------------------

    static CheckResult nodeResources(Observation o, Thresholds t) {
        CheckId id = CheckId.NODE_RESOURCES;
        if (!(o.usage() instanceof Fetch.Ok<List<NodeUsage>> ok)) {
            if (o.usage() instanceof Fetch.Failed<?> f && f.failure() == Fetch.Failure.NOT_SERVED) {
                return CheckResult.unknown(
                        id,
                        Reasons.NOT_SERVED,
                        "The metrics API is not served (metrics.k8s.io): install metrics-server to measure node use.");
            }
            return notRun(id, o.usage(), "the metrics API");
        }
        Map<String, NodeFacts> nodes = new LinkedHashMap<>();
        o.nodes().get().orElse(List.of()).forEach(n -> nodes.put(n.name(), n));
        List<Finding> findings = new ArrayList<>();
        double maxCpu = 0;
        double maxMemory = 0;
        int measured = 0;
        for (NodeUsage u : ok.value()) {
            NodeFacts node = nodes.get(u.name());
            if (node == null || node.cpuMillis() <= 0 || node.memoryBytes() <= 0) {
                continue;
            }
            measured++;
            double cpu = 100.0 * u.cpuMillis() / node.cpuMillis();
            double memory = 100.0 * u.memoryBytes() / node.memoryBytes();
            maxCpu = Math.max(maxCpu, cpu);
            maxMemory = Math.max(maxMemory, memory);
            usageFinding(findings, u.name(), "cpu", cpu, t.nodeCpuWarnPercent(), t.nodeCpuFailPercent());
            usageFinding(findings, u.name(), "memory", memory, t.nodeMemoryWarnPercent(), t.nodeMemoryFailPercent());
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("nodesMeasured", measured);
        figures.put("maxCpuPercent", round(maxCpu));
        figures.put("maxMemoryPercent", round(maxMemory));
        if (measured == 0) {
            return new CheckResult(
                    id,
                    UNKNOWN,
                    Reasons.NOT_REPORTED,
                    "The metrics API reports no node that the cluster lists.",
                    figures,
                    List.of(),
                    ok.millis());
        }
        CheckStatus status = findings.stream().map(Finding::status).reduce(PASS, CheckStatus::worst);
        String message = "Busiest node: CPU " + round(maxCpu) + "%, memory " + round(maxMemory) + "% of allocatable ("
                + measured + " nodes).";
        return new CheckResult(
                id,
                status,
                status == PASS ? Reasons.HEALTHY : Reasons.HIGH_USAGE,
                message,
                figures,
                findings,
                ok.millis());
    }

    private static void usageFinding(
            List<Finding> findings, String node, String resource, double percent, int warn, int fail) {
        CheckStatus status = percent >= fail ? FAIL : percent >= warn ? WARN : PASS;
        if (status != PASS) {
            findings.add(new Finding(
                    "node/" + node + "/" + resource,
                    status,
                    Reasons.HIGH_USAGE,
                    "Node " + node + " uses " + round(percent) + "% of its allocatable " + resource + " (limit "
                            + (status == FAIL ? fail : warn) + "%).",
                    Map.of("node", node, "resource", resource)));
        }
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    static CheckResult etcd(Observation o, Thresholds t) {
        return etcd(o, t, o.metrics().get().flatMap(HealthChecks::parseQuietly));
    }

    /** @param metrics the API server's metrics, parsed once for this check and {@link #apiServer} */
    static CheckResult etcd(Observation o, Thresholds t, Optional<List<Sample>> metrics) {
        CheckId id = CheckId.ETCD;
        List<Finding> findings = new ArrayList<>();
        Map<String, Object> figures = new LinkedHashMap<>();
        boolean measured = false;
        // the API server's own view of etcd
        if (o.readyz() instanceof Fetch.Ok<ApiAnswer> readyz) {
            measured = true;
            for (String line : readyz.value().body().split("\n")) {
                Matcher m = READYZ_LINE.matcher(line.strip());
                if (m.matches() && m.group(1).equals("-") && m.group(2).startsWith("etcd")) {
                    findings.add(new Finding(
                            "component/etcd",
                            FAIL,
                            Reasons.UNHEALTHY,
                            "The API server cannot use etcd: its check " + m.group(2) + " fails ("
                                    + m.group(3).strip() + ").",
                            Map.of("component", "etcd")));
                    break;
                }
            }
        }
        // quorum, from the etcd nodes' readiness
        List<NodeFacts> nodes = o.nodes().get().orElse(List.of());
        long members = nodes.stream().filter(n -> n.roles().contains("etcd")).count();
        long ready = nodes.stream()
                .filter(n -> n.roles().contains("etcd"))
                .filter(n -> n.condition("Ready").map(Cond::isTrue).orElse(false))
                .count();
        if (members > 0) {
            measured = true;
            figures.put("members", members);
            figures.put("membersReady", ready);
            long quorum = members / 2 + 1;
            if (ready < quorum) {
                findings.add(new Finding(
                        "etcd/quorum",
                        FAIL,
                        Reasons.QUORUM_LOST,
                        "etcd has " + ready + " of " + members + " members on Ready nodes, below its quorum of "
                                + quorum + ".",
                        Map.of("component", "etcd")));
            } else if (ready < members) {
                findings.add(new Finding(
                        "etcd/quorum",
                        WARN,
                        Reasons.NOT_READY,
                        "etcd has " + ready + " of " + members + " members on Ready nodes; " + (ready - quorum)
                                + " more may fail before quorum is lost.",
                        Map.of("component", "etcd")));
            }
        }
        // the database size and request latency, from the API server's metrics
        Optional<List<Sample>> samples = metrics;
        if (samples.isPresent()) {
            measured = true;
            List<Sample> s = samples.get();
            String sizeMetric = PromText.has(s, "apiserver_storage_size_bytes")
                    ? "apiserver_storage_size_bytes"
                    : "etcd_db_total_size_in_bytes";
            if (PromText.has(s, sizeMetric)) {
                double size = s.stream()
                        .filter(x -> x.name().equals(sizeMetric))
                        .mapToDouble(Sample::value)
                        .max()
                        .orElse(0);
                double percent = 100.0 * size / t.etcdQuotaBytes();
                figures.put("dbSizeBytes", (long) size);
                figures.put("dbQuotaPercent", round(percent));
                CheckStatus status =
                        percent >= t.etcdDbFailPercent() ? FAIL : percent >= t.etcdDbWarnPercent() ? WARN : PASS;
                if (status != PASS) {
                    findings.add(new Finding(
                            "etcd/database",
                            status,
                            Reasons.DATABASE_FULL,
                            "etcd's database is " + mib(size) + " MiB, " + round(percent) + "% of its "
                                    + mib(t.etcdQuotaBytes()) + " MiB quota: compact and defragment it.",
                            Map.of("component", "etcd")));
                }
            }
            NavigableMap<Double, Double> latency = PromText.buckets(s, "etcd_request_duration_seconds", l -> true);
            double p99 = PromText.quantile(0.99, latency);
            if (!Double.isNaN(p99)) {
                figures.put("requestP99Seconds", round3(p99));
            }
        }
        if (!measured) {
            return CheckResult.unknown(
                    id,
                    Reasons.NOT_RUN,
                    "Nothing about etcd could be read: " + firstProblem(o.readyz(), o.nodes(), o.metrics()));
        }
        CheckStatus status = findings.stream().map(Finding::status).reduce(PASS, CheckStatus::worst);
        String message = status == PASS
                ? "etcd is healthy" + (members > 0 ? ": " + ready + " of " + members + " members Ready" : "")
                        + (figures.containsKey("dbSizeBytes")
                                ? ", database " + mib((long) figures.get("dbSizeBytes")) + " MiB ("
                                        + figures.get("dbQuotaPercent") + "% of quota)"
                                : "")
                        + "."
                : lead(findings).message();
        return new CheckResult(
                id,
                status,
                status == PASS ? Reasons.HEALTHY : lead(findings).reason(),
                message,
                figures,
                findings,
                o.metrics().millis());
    }

    /** The finding a check's reason and message come from: the first of its worst status. */
    private static Finding lead(List<Finding> findings) {
        Finding lead = findings.get(0);
        for (Finding f : findings) {
            if (f.status().isWorseThan(lead.status())) {
                lead = f;
            }
        }
        return lead;
    }

    private static String firstProblem(Fetch<?>... fetches) {
        for (Fetch<?> f : fetches) {
            if (!f.problem().isBlank()) {
                return f.problem();
            }
        }
        return "no answer";
    }

    private static long mib(double bytes) {
        return Math.round(bytes / (1024 * 1024));
    }

    private static double round3(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    private static Optional<List<Sample>> parseQuietly(String text) {
        try {
            return Optional.of(PromText.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static CheckResult apiServer(Observation o, Observation.Previous previous, Thresholds t) {
        return apiServer(o, previous, t, o.metrics().get().flatMap(HealthChecks::parseQuietly));
    }

    static CheckResult apiServer(
            Observation o, Observation.Previous previous, Thresholds t, Optional<List<Sample>> metrics) {
        CheckId id = CheckId.API_SERVER;
        if (!(o.metrics() instanceof Fetch.Ok<String> ok)) {
            return notRun(id, o.metrics(), "the API server's metrics");
        }
        Optional<List<Sample>> parsed = metrics;
        if (parsed.isEmpty() || !PromText.has(parsed.get(), "apiserver_request_total")) {
            return CheckResult.unknown(
                    id, Reasons.BAD_ANSWER, "The API server's /metrics has no apiserver_request_total.");
        }
        List<Sample> s = parsed.get();
        Predicate<Map<String, String>> shortRequests = l -> !LONG_RUNNING_VERBS.contains(l.getOrDefault("verb", ""));
        double total = PromText.sum(s, "apiserver_request_total", shortRequests);
        double errors = PromText.sum(s, "apiserver_request_total", shortRequests.and(l -> l.getOrDefault("code", "")
                .startsWith("5")));
        NavigableMap<Double, Double> buckets = PromText.buckets(s, "apiserver_request_duration_seconds", shortRequests);

        Map<String, Object> before = previous.figures().getOrDefault(id, Map.of());
        double totalBefore = number(before.get("requestsTotal"));
        double errorsBefore = number(before.get("errorsTotal"));
        NavigableMap<Double, Double> bucketsBefore = bucketsOf(before.get("buckets"));
        boolean window = !before.isEmpty() && total >= totalBefore && errors >= errorsBefore && total > totalBefore;
        double requests = window ? total - totalBefore : total;
        double failed = window ? errors - errorsBefore : errors;
        NavigableMap<Double, Double> latency = window ? PromText.delta(buckets, bucketsBefore) : buckets;
        if (latency.isEmpty()) {
            latency = buckets;
        }
        double errorPercent = requests <= 0 ? 0 : 100.0 * failed / requests;
        double p99 = PromText.quantile(0.99, latency);
        // A window of a few requests says nothing (one error in three is not a 33 % error rate): until it holds
        // enough, the last full window's figures stand and the window keeps its start.
        boolean filling = window && requests < MIN_WINDOW_REQUESTS && before.containsKey("errorPercent");
        if (filling) {
            errorPercent = number(before.get("errorPercent"));
            p99 = before.containsKey("latencyP99Seconds") ? number(before.get("latencyP99Seconds")) : Double.NaN;
        }

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put(
                "window",
                filling
                        ? "the last full window (" + (long) requests + " requests since)"
                        : window ? "since the last scrape" : "since the API server started");
        figures.put("requests", filling ? (long) number(before.get("requests")) : (long) requests);
        figures.put("errorPercent", round3(errorPercent));
        if (!Double.isNaN(p99)) {
            figures.put("latencyP99Seconds", round3(p99));
        }
        figures.put("requestsTotal", filling ? (Object) totalBefore : (Object) total);
        figures.put("errorsTotal", filling ? (Object) errorsBefore : (Object) errors);
        figures.put("buckets", filling ? before.get("buckets") : bucketsFigure(buckets));
        if (filling) {
            requests = number(before.get("requests"));
        }

        List<Finding> findings = new ArrayList<>();
        CheckStatus errorStatus =
                errorPercent >= t.apiErrorFailPercent() ? FAIL : errorPercent >= t.apiErrorWarnPercent() ? WARN : PASS;
        if (errorStatus != PASS) {
            findings.add(new Finding(
                    "apiserver/errors",
                    errorStatus,
                    Reasons.ERROR_RATE,
                    "The API server answered " + round3(errorPercent) + "% of " + (long) requests
                            + " requests with 5xx (limit "
                            + (errorStatus == FAIL ? t.apiErrorFailPercent() : t.apiErrorWarnPercent()) + "%).",
                    Map.of("component", "kube-apiserver")));
        }
        if (!Double.isNaN(p99)) {
            double warn = t.apiLatencyWarn().toMillis() / 1000.0;
            double fail = t.apiLatencyFail().toMillis() / 1000.0;
            CheckStatus latencyStatus = p99 >= fail ? FAIL : p99 >= warn ? WARN : PASS;
            if (latencyStatus != PASS) {
                findings.add(new Finding(
                        "apiserver/latency",
                        latencyStatus,
                        Reasons.LATENCY,
                        "The API server's p99 request latency is " + round3(p99) + " s (limit "
                                + (latencyStatus == FAIL ? fail : warn) + " s).",
                        Map.of("component", "kube-apiserver")));
            }
        }
        CheckStatus status = findings.stream().map(Finding::status).reduce(PASS, CheckStatus::worst);
        String message = status == PASS
                ? "Errors " + round3(errorPercent) + "% of " + (long) requests + " requests, p99 latency "
                        + (Double.isNaN(p99) ? "unknown" : round3(p99) + " s") + " (" + figures.get("window") + ")."
                : lead(findings).message();
        return new CheckResult(
                id,
                status,
                status == PASS ? Reasons.HEALTHY : lead(findings).reason(),
                message,
                figures,
                findings,
                ok.millis());
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    private static Map<String, Double> bucketsFigure(NavigableMap<Double, Double> buckets) {
        Map<String, Double> out = new LinkedHashMap<>();
        buckets.forEach((le, count) -> out.put(le.isInfinite() ? "+Inf" : Double.toString(le), count));
        return out;
    }

    private static NavigableMap<Double, Double> bucketsOf(Object figure) {
        NavigableMap<Double, Double> out = new TreeMap<>();
        if (figure instanceof Map<?, ?> map) {
            map.forEach((k, v) ->
                    out.put("+Inf".equals(k) ? Double.POSITIVE_INFINITY : Double.parseDouble(k.toString()), number(v)));
        }
        return out;
    }
}
