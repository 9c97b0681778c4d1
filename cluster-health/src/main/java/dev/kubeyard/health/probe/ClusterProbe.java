package dev.kubeyard.health.probe;

import dev.kubeyard.health.check.Fetch;
import dev.kubeyard.health.check.Fetch.Failure;
import dev.kubeyard.health.check.Observation;
import dev.kubeyard.health.check.Observation.ApiAnswer;
import dev.kubeyard.health.check.Observation.ClusterFacts;
import dev.kubeyard.health.check.Observation.ComponentFacts;
import dev.kubeyard.health.check.Observation.Cond;
import dev.kubeyard.health.check.Observation.MachineFacts;
import dev.kubeyard.health.check.Observation.NodeFacts;
import dev.kubeyard.health.check.Observation.NodeUsage;
import dev.kubeyard.health.check.Observation.RancherCluster;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherException;
import dev.kubeyard.rancher.client.RancherNotFoundException;
import dev.kubeyard.rancher.client.RancherTransportException;
import dev.kubeyard.rancher.client.RancherUnauthorizedException;
import dev.kubeyard.rancher.client.machine.Machine;
import dev.kubeyard.rancher.client.model.Condition;
import dev.kubeyard.rancher.client.model.ResourceState;
import dev.kubeyard.rancher.client.provisioning.NodeRole;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import io.fabric8.kubernetes.api.model.ComponentCondition;
import io.fabric8.kubernetes.api.model.ComponentStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Observes one cluster for the checks: Rancher's view (its provisioning cluster and machines) and the cluster's API
 * through Rancher's proxy (version, readiness, component statuses, nodes, and for the advanced checks node usage and
 * the API server's metrics). Every call has the call timeout and no retry (the next sweep is the retry); once the API
 * failed to answer {@code /version}, the other API calls are not made. Nothing here decides anything.
 */
public final class ClusterProbe {

    private static final String API_UNANSWERED = "the API did not answer";

    private final RancherClient rancher;
    private final Function<String, KubernetesClient> clients;
    private final Duration callTimeout;
    private final Clock clock;

    /**
     * @param clients the cluster's client by management id; its request timeout should be the call timeout and its
     *     retries none (see {@link HealthClients})
     */
    public ClusterProbe(
            RancherClient rancher, Function<String, KubernetesClient> clients, Duration callTimeout, Clock clock) {
        this.rancher = rancher;
        this.clients = clients;
        this.callTimeout = callTimeout;
        this.clock = clock;
    }

    /** The target of one probe: what the inventory knows, and Rancher's cluster if a sweep listed it already. */
    public record Target(ClusterFacts facts, String rancherName, Optional<Fetch<ProvisioningCluster>> listed) {}

    public Observation observe(Target target, boolean advanced) {
        ClusterFacts facts = target.facts();
        Fetch<RancherCluster> rancherCluster;
        Fetch<List<MachineFacts>> machines;
        if (target.rancherName() == null) {
            rancherCluster = Fetch.skipped("Rancher has not been asked for the cluster yet");
            machines = Fetch.skipped("Rancher has not been asked for the cluster yet");
        } else {
            Fetch<ProvisioningCluster> provisioning = target.listed()
                    .orElseGet(() -> rancherCall(() -> rancher.clusters().get(target.rancherName())));
            rancherCluster = map(provisioning, ClusterProbe::rancherCluster);
            machines = map(rancherCall(() -> rancher.machines().list(target.rancherName())), list -> list.stream()
                    .filter(m -> !m.isDeleting())
                    .map(ClusterProbe::machine)
                    .toList());
        }
        if (facts.managementId().isEmpty()) {
            Fetch<ApiAnswer> none = Fetch.skipped("the cluster has no Kubernetes API yet (not provisioned)");
            return new Observation(
                    facts,
                    rancherCluster,
                    machines,
                    none,
                    Fetch.skipped(none.problem()),
                    Fetch.skipped(none.problem()),
                    Fetch.skipped(none.problem()),
                    Fetch.skipped(none.problem()),
                    Fetch.skipped(none.problem()),
                    advanced,
                    clock.instant());
        }
        KubernetesClient client = clients.apply(facts.managementId().get());
        Fetch<ApiAnswer> version = get(client, "/version");
        if (!(version instanceof Fetch.Ok<ApiAnswer>)) {
            return new Observation(
                    facts,
                    rancherCluster,
                    machines,
                    version,
                    Fetch.skipped(API_UNANSWERED),
                    Fetch.skipped(API_UNANSWERED),
                    Fetch.skipped(API_UNANSWERED),
                    Fetch.skipped(API_UNANSWERED),
                    Fetch.skipped(API_UNANSWERED),
                    advanced,
                    clock.instant());
        }
        Fetch<ApiAnswer> readyz = get(client, "/readyz?verbose");
        Fetch<List<ComponentFacts>> components = kubeCall(() -> client.componentstatuses().list().getItems().stream()
                .map(ClusterProbe::component)
                .toList());
        Fetch<List<NodeFacts>> nodes = kubeCall(() -> client.nodes().list().getItems().stream()
                .map(ClusterProbe::node)
                .toList());
        Fetch<List<NodeUsage>> usage = Fetch.skipped("advanced checks not due");
        Fetch<String> metrics = Fetch.skipped("advanced checks not due");
        if (advanced) {
            usage = kubeCall(() -> client.top().nodes().metrics().getItems().stream()
                    .map(ClusterProbe::usage)
                    .toList());
            metrics = map(get(client, "/metrics"), ApiAnswer::body);
        }
        return new Observation(
                facts,
                rancherCluster,
                machines,
                version,
                readyz,
                components,
                nodes,
                usage,
                metrics,
                advanced,
                clock.instant());
    }

    // ---- calls ------------------------------------------------------------------------------------------------

    /**
     * A plain GET on the API server. /readyz answers 500 when a check fails, with the checks in the body: that is an
     * answer, not a failure; other statuses are failures.
     */
    private Fetch<ApiAnswer> get(KubernetesClient client, String path) {
        long start = System.nanoTime();
        try {
            HttpClient http = client.getHttpClient();
            String base = client.getMasterUrl().toString();
            URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
            HttpRequest request = http.newHttpRequestBuilder().uri(uri).build();
            HttpResponse<String> response =
                    http.sendAsync(request, String.class).get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
            long took = millisSince(start);
            int code = response.code();
            String body = response.body() == null ? "" : response.body();
            if (code < 300 || (path.startsWith("/readyz") && code == 500 && body.contains("[-]"))) {
                return Fetch.ok(new ApiAnswer(code, body), took);
            }
            return Fetch.failed(failureOf(code, body), statusText(code, body), took);
        } catch (TimeoutException e) {
            return Fetch.failed(
                    Failure.TIMEOUT, "no answer within " + callTimeout.toMillis() + " ms", millisSince(start));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Fetch.failed(Failure.TIMEOUT, "interrupted", millisSince(start));
        } catch (ExecutionException | RuntimeException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return Fetch.failed(failureOf(cause), describe(cause), millisSince(start));
        }
    }

    private <T> Fetch<T> kubeCall(Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return Fetch.ok(call.get(), millisSince(start));
        } catch (KubernetesClientException e) {
            long took = millisSince(start);
            if (e.getCode() > 0) {
                String body = e.getStatus() != null && e.getStatus().getMessage() != null
                        ? e.getStatus().getMessage()
                        : String.valueOf(e.getMessage());
                return Fetch.failed(failureOf(e.getCode(), body), statusText(e.getCode(), body), took);
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Fetch.failed(failureOf(cause), describe(cause), took);
        } catch (RuntimeException e) {
            return Fetch.failed(Failure.BAD_ANSWER, describe(e), millisSince(start));
        }
    }

    private static <T> Fetch<T> rancherCall(Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return Fetch.ok(call.get(), millisSince(start));
        } catch (RancherNotFoundException e) {
            return Fetch.failed(Failure.NOT_SERVED, "Rancher does not know the cluster", millisSince(start));
        } catch (RancherUnauthorizedException e) {
            return Fetch.failed(Failure.UNAUTHORIZED, "Rancher refused Kubeyard's token", millisSince(start));
        } catch (RancherTransportException e) {
            return Fetch.failed(Failure.UNREACHABLE, "Rancher did not answer: " + describe(e), millisSince(start));
        } catch (RancherException e) {
            return Fetch.failed(Failure.ERROR, "Rancher answered with an error: " + describe(e), millisSince(start));
        }
    }

    private static <A, B> Fetch<B> map(Fetch<A> fetch, Function<A, B> f) {
        return switch (fetch) {
            case Fetch.Ok<A> ok -> Fetch.ok(f.apply(ok.value()), ok.millis());
            case Fetch.Failed<A> failed -> Fetch.failed(failed.failure(), failed.message(), failed.millis());
            case Fetch.Skipped<A> skipped -> Fetch.skipped(skipped.why());
        };
    }

    static Failure failureOf(int code, String body) {
        String text = body == null ? "" : body.toLowerCase(Locale.ROOT);
        if (text.contains("agent disconnected") || text.contains("impersonator")) {
            return Failure.AGENT_DISCONNECTED;
        }
        return switch (code) {
            case 401, 403 -> Failure.UNAUTHORIZED;
            case 404 -> Failure.NOT_SERVED;
            case 502, 503 -> Failure.UNREACHABLE;
            case 504 -> Failure.TIMEOUT;
            default -> Failure.ERROR;
        };
    }

    static Failure failureOf(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof InterruptedIOException) {
                return Failure.TIMEOUT;
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException) {
                return Failure.UNREACHABLE;
            }
        }
        return Failure.ERROR;
    }

    /** An error in words without anything secret: no URL (it may carry a token in a query), no header. */
    private static String describe(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.replaceAll("https?://\\S+", "<url>");
    }

    private static String statusText(int code, String body) {
        String text = body == null ? "" : body.strip();
        if (text.length() > 200) {
            text = text.substring(0, 200) + "...";
        }
        return code + (text.isEmpty() ? "" : " " + text.replaceAll("https?://\\S+", "<url>"));
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    // ---- conversions ---------------------------------------------------------------------------------------

    static RancherCluster rancherCluster(ProvisioningCluster cluster) {
        List<Cond> conditions =
                cluster.conditions().stream().map(ClusterProbe::cond).toList();
        ResourceState state = cluster.metadata() == null
                ? ResourceState.UNKNOWN
                : cluster.metadata().stateOrUnknown();
        return new RancherCluster(conditions, state.error(), state.transitioning(), state.name());
    }

    private static Cond cond(Condition c) {
        return new Cond(
                c.type(),
                c.status(),
                c.reason(),
                c.message(),
                c.lastTransition().orElse(null));
    }

    static MachineFacts machine(Machine m) {
        Set<String> roles = new LinkedHashSet<>();
        for (NodeRole role : m.roles()) {
            roles.add(
                    switch (role) {
                        case ETCD -> "etcd";
                        case CONTROL_PLANE -> "controlplane";
                        case WORKER -> "worker";
                    });
        }
        Map<String, Object> extra = m.status().extra();
        Optional<Instant> expiry = Optional.ofNullable(extra.get("certificatesExpiryDate"))
                .map(Object::toString)
                .flatMap(ClusterProbe::instant);
        Optional<String> failure = failureMessage(extra);
        Instant created = Optional.ofNullable(m.metadata().creationTimestamp())
                .flatMap(ClusterProbe::instant)
                .orElse(Instant.EPOCH);
        return new MachineFacts(
                m.name(),
                m.pool().orElse(""),
                m.status().phase() == null ? "Unknown" : m.status().phase(),
                m.nodeName(),
                roles,
                m.status().conditions().stream().map(ClusterProbe::cond).toList(),
                expiry,
                failure,
                created);
    }

    private static Optional<String> failureMessage(Map<String, Object> statusExtra) {
        if (statusExtra.get("failureMessage") instanceof String s && !s.isBlank()) {
            return Optional.of(s);
        }
        if (statusExtra.get("deprecated") instanceof Map<?, ?> deprecated
                && deprecated.get("v1beta1") instanceof Map<?, ?> v1beta1
                && v1beta1.get("failureMessage") instanceof String s
                && !s.isBlank()) {
            return Optional.of(s);
        }
        return Optional.empty();
    }

    private static Optional<Instant> instant(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    static ComponentFacts component(ComponentStatus status) {
        String name =
                status.getMetadata() == null ? "unknown" : status.getMetadata().getName();
        List<ComponentCondition> conditions = status.getConditions() == null ? List.of() : status.getConditions();
        Optional<ComponentCondition> healthy =
                conditions.stream().filter(c -> "Healthy".equals(c.getType())).findFirst();
        boolean ok = healthy.map(c -> "True".equals(c.getStatus())).orElse(false);
        String message = healthy.map(
                        c -> c.getError() != null && !c.getError().isBlank() ? c.getError() : c.getMessage())
                .orElse("no Healthy condition");
        return new ComponentFacts(name, ok, message == null ? "" : message);
    }

    static NodeFacts node(Node node) {
        Set<String> roles = new LinkedHashSet<>();
        Map<String, String> labels = node.getMetadata().getLabels() == null
                ? Map.of()
                : node.getMetadata().getLabels();
        for (String label : labels.keySet()) {
            if (label.startsWith("node-role.kubernetes.io/")) {
                String role = label.substring("node-role.kubernetes.io/".length());
                roles.add(role.equals("control-plane") || role.equals("master") ? "controlplane" : role);
            }
        }
        List<Cond> conditions = new ArrayList<>();
        List<NodeCondition> raw = node.getStatus() == null || node.getStatus().getConditions() == null
                ? List.of()
                : node.getStatus().getConditions();
        for (NodeCondition c : raw) {
            conditions.add(new Cond(
                    c.getType(),
                    c.getStatus(),
                    c.getReason(),
                    c.getMessage(),
                    instant(c.getLastTransitionTime()).orElse(null)));
        }
        Map<String, Quantity> allocatable =
                node.getStatus() == null || node.getStatus().getAllocatable() == null
                        ? Map.of()
                        : node.getStatus().getAllocatable();
        return new NodeFacts(
                node.getMetadata().getName(),
                roles,
                conditions,
                millicores(allocatable.get("cpu")),
                bytes(allocatable.get("memory")));
    }

    static NodeUsage usage(NodeMetrics metrics) {
        Map<String, Quantity> usage = metrics.getUsage() == null ? Map.of() : metrics.getUsage();
        return new NodeUsage(metrics.getMetadata().getName(), millicores(usage.get("cpu")), bytes(usage.get("memory")));
    }

    private static long millicores(Quantity q) {
        return q == null ? 0 : Quantity.getAmountInBytes(q).movePointRight(3).longValue();
    }

    private static long bytes(Quantity q) {
        return q == null ? 0 : Quantity.getAmountInBytes(q).longValue();
    }
}
