package dev.kubeyard.platform.cluster;

import dev.kubeyard.addons.control.AddonService;
import dev.kubeyard.inventory.audit.AuditEvent;
import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.cluster.ManagedClusterRepository;
import dev.kubeyard.inventory.cluster.NodePool;
import dev.kubeyard.inventory.cluster.NodeRoles;
import dev.kubeyard.inventory.cluster.Taint;
import dev.kubeyard.inventory.operation.Operation;
import dev.kubeyard.inventory.operation.OperationRepository;
import dev.kubeyard.inventory.team.Team;
import dev.kubeyard.inventory.team.TeamRepository;
import dev.kubeyard.platform.access.AccessPolicy;
import dev.kubeyard.platform.access.Authorizer;
import dev.kubeyard.platform.access.Decision;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.access.Principal;
import dev.kubeyard.platform.audit.AuditLog;
import dev.kubeyard.platform.cluster.ClusterSpec.NodePoolSpec;
import dev.kubeyard.platform.config.PlatformConfig;
import dev.kubeyard.platform.lifecycle.OperationKind;
import dev.kubeyard.platform.problem.Problem;
import dev.kubeyard.platform.problem.ProblemException;
import dev.kubeyard.platform.request.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The inventory side of every change a user asks for: validate, store the desired state, open an operation, write the
 * audit event, all in one transaction (so a rejected request changes nothing). Rancher is not called here: the
 * reconciler carries the change out.
 */
@ApplicationScoped
public class ClusterService {

    @Inject
    ManagedClusterRepository clusters;

    @Inject
    TeamRepository teams;

    @Inject
    OperationRepository operations;

    @Inject
    ClusterSpecValidator validator;

    @Inject
    AuditLog audit;

    @Inject
    Clock clock;

    @Inject
    Authorizer authorizer;

    @Inject
    PlatformConfig config;

    @Inject
    AddonService addons;

    /** Who asks (with the roles they hold), the correlation id of the request, and where it came from. */
    public record Caller(String actor, String correlationId, Principal principal, String sourceAddress) {

        /** The caller of the request being served. */
        public static Caller of(RequestContext request) {
            return new Caller(request.actor(), request.correlationId(), request.principal(), request.sourceAddress());
        }

        /** The platform acting on its own account: allowed everything. */
        public static Caller system(String correlationId) {
            return new Caller(AuditLog.SYSTEM_ACTOR, correlationId, Principal.SYSTEM, null);
        }

        Authorizer.Subject subject() {
            return new Authorizer.Subject(principal, correlationId, sourceAddress);
        }
    }

    /**
     * The answer to an apply: the operation that carries it out, or none when the spec was already the desired one.
     */
    public record Applied(Optional<Operation> operation, ManagedCluster cluster, boolean created) {}

    /** Declarative apply: creates the cluster or replaces its spec. The same spec twice changes nothing. */
    @Transactional
    public Applied apply(String name, ClusterSpec spec, Caller caller) {
        Optional<ManagedCluster> existing = clusters.findByName(name);
        // Who may ask comes before what they ask: a caller without the right learns nothing from validation.
        if (existing.isPresent()) {
            authorizeChange(existing.get(), caller);
        } else if (spec.team() != null) {
            authorizeCreate(spec.team(), caller);
        }
        Optional<ClusterSpec> current = existing.map(c -> SpecJson.fromMap(c.getSpec()));
        List<Problem.FieldError> errors = validator.validate(name, spec, current);
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields("The cluster spec is invalid: " + summary(errors), errors);
        }
        if (existing.isEmpty()) {
            return create(name, spec, caller);
        }
        ManagedCluster cluster = existing.get();
        requireNotDeleting(cluster);
        if (!cluster.getTeam().getName().equals(spec.team())) {
            throw ProblemException.conflict(
                    "team",
                    "a cluster cannot move between teams (it belongs to "
                            + cluster.getTeam().getName() + ")");
        }
        if (!Objects.equals(cluster.getTimeToLive().map(Duration::toSeconds).orElse(null), spec.timeToLiveSeconds())) {
            cluster.setTimeToLive(
                    spec.timeToLiveSeconds() == null ? null : Duration.ofSeconds(spec.timeToLiveSeconds()),
                    clock.instant());
        }
        if (nodes(spec) > nodes(current.get())) {
            // Growing: hold the team row until commit, so that concurrent requests cannot both fit under the quota.
            teams.findByNameForUpdate(cluster.getTeam().getName());
        }
        checkNodeQuota(cluster.getTeam(), nodes(current.get()), nodes(spec));
        applySpecAddons(cluster, spec, caller, true);
        // After the spec's own addons: their new versions count, and the ones still running too.
        if (!Objects.equals(spec.kubernetesVersion(), current.get().kubernetesVersion())) {
            requireAddonsSupport(name, spec.kubernetesVersion());
        }
        long before = cluster.getGeneration();
        storeSpec(cluster, spec);
        if (cluster.getGeneration() == before) {
            return new Applied(Optional.empty(), cluster, false);
        }
        cluster.setCorrelationId(caller.correlationId());
        Operation op = open(cluster, OperationKind.UPDATE, Map.of("generation", cluster.getGeneration()), caller, null);
        recordRequest(
                caller,
                "cluster.update",
                name,
                Map.of(
                        "generation",
                        cluster.getGeneration(),
                        "operation",
                        op.getId().toString()));
        return new Applied(Optional.of(op), cluster, false);
    }

    private void authorizeChange(ManagedCluster cluster, Caller caller) {
        String owner = cluster.getTeam().getName();
        Decision decision = AccessPolicy.decide(caller.principal(), Permission.CHANGE_CLUSTERS, owner);
        if (decision == Decision.HIDDEN) {
            // Names are unique across the platform: say it is taken without saying whose it is.
            authorizer.recordDenial(
                    caller.subject(), Permission.CHANGE_CLUSTERS, "cluster", cluster.getName(), decision);
            throw ProblemException.conflict(
                    "name", "cluster name " + cluster.getName() + " is not available; choose another");
        }
        authorizer.require(
                caller.subject(),
                Permission.CHANGE_CLUSTERS,
                owner,
                "cluster",
                cluster.getName(),
                notFound(cluster.getName()));
    }

    private void authorizeCreate(String team, Caller caller) {
        Decision decision = AccessPolicy.decide(caller.principal(), Permission.CHANGE_CLUSTERS, team);
        if (decision != Decision.ALLOWED) {
            authorizer.recordDenial(caller.subject(), Permission.CHANGE_CLUSTERS, "team", team, decision);
            throw ProblemException.forbidden(
                    "team", "you may not create clusters in team " + team + " (that takes its team-admin role)");
        }
    }

    private Applied create(String name, ClusterSpec spec, Caller caller) {
        Optional<Team> locked = teams.findByNameForUpdate(spec.team());
        if (locked.isPresent()) {
            checkClusterQuota(locked.get());
            checkNodeQuota(locked.get(), 0, nodes(spec));
        }
        Team team = locked.orElseGet(() -> {
            Team created = new Team(spec.team(), spec.team());
            teams.persist(created);
            return created;
        });
        ManagedCluster cluster = new ManagedCluster(
                name, team, spec.kubernetesVersion(), SpecJson.toMap(spec.withoutAddons()), spec.labels());
        if (spec.timeToLiveSeconds() != null) {
            cluster.setTimeToLive(Duration.ofSeconds(spec.timeToLiveSeconds()), clock.instant());
        }
        storeSpec(cluster, spec);
        cluster.setCorrelationId(caller.correlationId());
        clusters.persist(cluster);
        Operation op = open(cluster, OperationKind.CREATE, Map.of("generation", cluster.getGeneration()), caller, null);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("team", spec.team());
        details.put("kubernetesVersion", spec.kubernetesVersion());
        details.put("operation", op.getId().toString());
        List<String> specAddons = applySpecAddons(cluster, spec, caller, false);
        if (!specAddons.isEmpty()) {
            details.put("specAddons", specAddons);
        }
        // The default addon sets that match the new cluster: installed with it, in this transaction.
        List<String> defaultAddons = addons.applyDefaults(
                new AddonService.ClusterRef(name, team.getName(), spec.labels(), spec.kubernetesVersion()),
                caller.actor());
        if (!defaultAddons.isEmpty()) {
            details.put("addons", defaultAddons);
        }
        recordRequest(caller, "cluster.create", name, details);
        return new Applied(Optional.of(op), cluster, true);
    }

    /** Changes one node pool (quantity, node spec, labels, taints, healing): the rest of the spec stays as it is. */
    @Transactional
    public Applied changePool(String name, String poolName, NodePoolPatch patch, Caller caller) {
        ManagedCluster cluster = find(name, caller, Permission.CHANGE_CLUSTERS);
        ClusterSpec spec = SpecJson.fromMap(cluster.getSpec());
        int index = -1;
        for (int i = 0; i < spec.nodePools().size(); i++) {
            if (spec.nodePools().get(i).name().equals(poolName)) {
                index = i;
            }
        }
        if (index < 0) {
            throw ProblemException.notFound("Cluster " + name + " has no node pool " + poolName);
        }
        NodePoolSpec pool = spec.nodePools().get(index);
        NodePoolSpec changed = new NodePoolSpec(
                pool.name(),
                pool.roles(),
                patch.quantity() == null ? pool.quantity() : patch.quantity(),
                patch.nodeSpec() == null ? pool.nodeSpec() : patch.nodeSpec(),
                patch.labels() == null ? pool.labels() : patch.labels(),
                patch.taints() == null ? pool.taints() : patch.taints(),
                patch.healing() == null ? pool.healing() : patch.healing());
        List<NodePoolSpec> pools = new ArrayList<>(spec.nodePools());
        pools.set(index, changed);
        ClusterSpec next = spec.withNodePools(pools);
        List<Problem.FieldError> errors = validator.validate(name, next, Optional.of(spec));
        if (!errors.isEmpty()) {
            String prefix = "nodePools[" + index + "].";
            List<Problem.FieldError> mapped = errors.stream()
                    .map(e -> e.field().startsWith(prefix)
                            ? new Problem.FieldError(e.field().substring(prefix.length()), e.detail())
                            : e.field().equals("nodePools") ? new Problem.FieldError("quantity", e.detail()) : e)
                    .toList();
            throw ProblemException.invalidFields("The node pool change is invalid: " + summary(mapped), mapped);
        }
        return apply(name, next, caller);
    }

    /** Upgrades Kubernetes: forward, one minor version at a time. A repeated request returns the open operation. */
    @Transactional
    public Operation upgrade(String name, String version, String idempotencyKey, Caller caller) {
        ManagedCluster cluster = find(name, caller, Permission.CHANGE_CLUSTERS);
        Map<String, Object> parameters = Map.of("kubernetesVersion", version == null ? "" : version);
        Optional<Operation> replay = replay(idempotencyKey, caller, cluster, OperationKind.UPGRADE, parameters);
        if (replay.isPresent()) {
            return replay.get();
        }
        requireNotDeleting(cluster);
        ClusterSpec spec = SpecJson.fromMap(cluster.getSpec());
        if (version == null || version.isBlank()) {
            throw ProblemException.invalidField("kubernetesVersion", "is required");
        }
        for (Operation open : operations.listOpen(name)) {
            if (open.getKind().equals(OperationKind.UPGRADE.wireName())) {
                if (version.equals(open.getParameters().get("kubernetesVersion"))) {
                    return open;
                }
                throw ProblemException.conflict(
                        "An upgrade to " + open.getParameters().get("kubernetesVersion")
                                + " is still running (operation " + open.getId() + ")");
            }
        }
        if (version.equals(spec.kubernetesVersion())) {
            throw ProblemException.invalidField("kubernetesVersion", "the cluster is already at " + version);
        }
        requireAddonsSupport(name, version);
        ClusterSpec next = spec.withKubernetesVersion(version);
        List<Problem.FieldError> errors = validator.validate(name, next, Optional.of(spec));
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields("The upgrade is invalid: " + summary(errors), errors);
        }
        storeSpec(cluster, next);
        cluster.setCorrelationId(caller.correlationId());
        Map<String, Object> recorded = Map.of("kubernetesVersion", version, "from", spec.kubernetesVersion());
        Operation op = open(cluster, OperationKind.UPGRADE, recorded, caller, idempotencyKey);
        auditOperation(caller, name, op);
        return op;
    }

    /**
     * Opens a day-two operation (certificate rotation, etcd snapshot, restore, node replacement) that the reconciler
     * carries out when the cluster is settled, one at a time.
     */
    @Transactional
    public Operation dayTwo(
            String name, OperationKind kind, Map<String, Object> parameters, String idempotencyKey, Caller caller) {
        ManagedCluster cluster = find(name, caller, Permission.CHANGE_CLUSTERS);
        Optional<Operation> replay = replay(idempotencyKey, caller, cluster, kind, parameters);
        if (replay.isPresent()) {
            return replay.get();
        }
        requireNotDeleting(cluster);
        for (Operation open : operations.listOpen(name)) {
            if (open.getKind().equals(kind.wireName()) && open.getParameters().equals(parameters)) {
                throw ProblemException.conflict("The same " + kind.wireName() + " is already open (operation "
                        + open.getId() + "); poll it instead of asking again");
            }
        }
        Operation op = open(cluster, kind, parameters, caller, idempotencyKey);
        auditOperation(caller, name, op);
        return op;
    }

    /** The spec's addons (when it names any), installed, changed or removed with the spec, audited. */
    private List<String> applySpecAddons(ManagedCluster cluster, ClusterSpec spec, Caller caller, boolean audit) {
        if (spec.addons() == null) {
            return List.of();
        }
        List<AddonService.Request> declared = spec.addons().stream()
                .map(a -> a == null
                        ? new AddonService.Request(null, Optional.empty(), Optional.empty(), Map.of())
                        : new AddonService.Request(
                                a.name(),
                                Optional.ofNullable(a.version()),
                                Optional.ofNullable(a.namespace()),
                                a.values() == null ? Map.of() : a.values()))
                .toList();
        List<String> changes = addons.applySpec(
                new AddonService.ClusterRef(
                        cluster.getName(),
                        cluster.getTeam().getName(),
                        spec.labels(),
                        cluster.getObservedKubernetesVersion().orElse(cluster.getKubernetesVersion())),
                declared,
                caller.actor());
        if (!changes.isEmpty() && audit) {
            recordRequest(caller, "cluster.addons", cluster.getName(), Map.of("changes", changes));
        }
        return changes;
    }

    /**
     * The addon gate: a Kubernetes version an installed addon version does not support is refused, naming each such
     * addon (move the addon first).
     */
    private void requireAddonsSupport(String name, String version) {
        List<String> blockers = addons.upgradeBlockers(name, version);
        if (!blockers.isEmpty()) {
            throw ProblemException.unprocessable(
                    "kubernetesVersion",
                    "an installed addon does not support " + version + ": " + String.join("; ", blockers));
        }
    }

    /** Asks for deletion; a repeated request returns the open deletion. */
    @Transactional
    public Operation delete(String name, Caller caller) {
        ManagedCluster cluster = find(name, caller, Permission.CHANGE_CLUSTERS);
        if (cluster.isDeletionRequested()) {
            return operations.listOpen(name).stream()
                    .filter(o -> o.getKind().equals(OperationKind.DELETE.wireName()))
                    .findFirst()
                    .orElseGet(() -> open(cluster, OperationKind.DELETE, Map.of(), caller, null));
        }
        cluster.requestDeletion(clock.instant());
        cluster.setCorrelationId(caller.correlationId());
        Operation op = open(cluster, OperationKind.DELETE, Map.of(), caller, null);
        auditOperation(caller, name, op);
        return op;
    }

    /** Records that someone fetched a secret of the cluster (kubeconfig, registration command). */
    @Transactional
    public void auditAccess(String name, String action, Caller caller) {
        recordRequest(caller, action, name, Map.of());
    }

    /** The cluster, unchecked: for the platform's own use. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public ManagedCluster find(String name) {
        return clusters.findByName(name).orElseThrow(() -> ProblemException.notFound(notFound(name)));
    }

    /**
     * The cluster, when the caller holds the permission on its team: else 403, or a 404 that reads like the one for a
     * cluster that does not exist when the caller has no business with the team.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public ManagedCluster find(String name, Caller caller, Permission permission) {
        ManagedCluster cluster = find(name);
        authorizer.require(caller.subject(), permission, cluster.getTeam().getName(), "cluster", name, notFound(name));
        return cluster;
    }

    private static String notFound(String name) {
        return "Cluster " + name + " does not exist";
    }

    private void checkClusterQuota(Team team) {
        Optional<Integer> max = team.getMaxClusters().or(() -> config.access().defaultMaxClusters());
        if (max.isEmpty()) {
            return;
        }
        int used = teams.usage(team).clusters();
        if (used + 1 > max.get()) {
            throw ProblemException.quotaExceeded(
                    "team",
                    new Problem.QuotaExceeded(team.getName(), "clusters", max.get(), used, 1, used + 1 - max.get()));
        }
    }

    /**
     * Refuses a change that raises the team's nodes over its quota; lowering is always allowed. The caller holds the
     * team row's lock.
     */
    private void checkNodeQuota(Team team, int nodesBefore, int nodesAfter) {
        if (nodesAfter <= nodesBefore) {
            return;
        }
        Optional<Integer> max = team.getMaxNodes().or(() -> config.access().defaultMaxNodes());
        if (max.isEmpty()) {
            return;
        }
        int used = teams.usage(team).nodes();
        int requested = nodesAfter - nodesBefore;
        int total = used + requested;
        if (total > max.get()) {
            throw ProblemException.quotaExceeded(
                    "nodePools",
                    new Problem.QuotaExceeded(team.getName(), "nodes", max.get(), used, requested, total - max.get()));
        }
    }

    private static int nodes(ClusterSpec spec) {
        return spec.nodePools() == null
                ? 0
                : spec.nodePools().stream()
                        .mapToInt(NodePoolSpec::quantityOrZero)
                        .sum();
    }

    private Optional<Operation> replay(
            String idempotencyKey,
            Caller caller,
            ManagedCluster cluster,
            OperationKind kind,
            Map<String, Object> parameters) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        if (idempotencyKey.isBlank() || idempotencyKey.length() > 255) {
            throw ProblemException.invalidField("Idempotency-Key", "must be 1 to 255 characters");
        }
        Optional<Operation> earlier = operations.findByIdempotencyKey(caller.actor(), idempotencyKey);
        if (earlier.isEmpty()) {
            return Optional.empty();
        }
        Operation op = earlier.get();
        boolean same = op.getClusterName().equals(cluster.getName())
                && op.getKind().equals(kind.wireName())
                && sameParameters(op.getParameters(), parameters);
        if (!same) {
            throw ProblemException.unprocessable(
                    "Idempotency-Key",
                    "was used for a different request (" + op.getKind() + " on " + op.getClusterName()
                            + "); use a new key for a new request");
        }
        return Optional.of(op);
    }

    /** Stored parameters may hold more than the request (an upgrade records where it came from). */
    private static boolean sameParameters(Map<String, Object> stored, Map<String, Object> requested) {
        return requested.entrySet().stream()
                .allMatch(e -> Objects.equals(String.valueOf(stored.get(e.getKey())), String.valueOf(e.getValue())));
    }

    private Operation open(
            ManagedCluster cluster,
            OperationKind kind,
            Map<String, Object> parameters,
            Caller caller,
            String idempotencyKey) {
        Operation op = new Operation(
                UUID.randomUUID(),
                cluster,
                kind.wireName(),
                parameters,
                caller.actor(),
                caller.correlationId(),
                idempotencyKey);
        operations.persist(op);
        return op;
    }

    private void auditOperation(Caller caller, String name, Operation op) {
        Map<String, Object> details = new LinkedHashMap<>(op.getParameters());
        details.put("operation", op.getId().toString());
        recordRequest(
                caller,
                "cluster." + Character.toLowerCase(op.getKind().charAt(0))
                        + op.getKind().substring(1),
                name,
                details);
    }

    private void recordRequest(Caller caller, String action, String name, Map<String, Object> details) {
        audit.record(
                caller.actor(),
                action,
                "cluster",
                name,
                AuditLog.REASON_USER_REQUEST,
                caller.correlationId(),
                details,
                AuditEvent.SUCCESS,
                caller.sourceAddress());
    }

    private static void requireNotDeleting(ManagedCluster cluster) {
        if (cluster.isDeletionRequested()) {
            throw ProblemException.conflict("Cluster " + cluster.getName() + " is being deleted");
        }
    }

    /** Stores the spec and mirrors its pools into node_pools rows (desired roles and quantities, observed counts). */
    private void storeSpec(ManagedCluster cluster, ClusterSpec spec) {
        cluster.applySpec(SpecJson.toMap(spec.withoutAddons()), spec.kubernetesVersion(), spec.labels());
        List<String> wanted = spec.nodePools().stream().map(NodePoolSpec::name).toList();
        for (NodePool pool : cluster.getNodePools()) {
            if (!wanted.contains(pool.getName())) {
                cluster.removeNodePool(pool.getName());
            }
        }
        for (NodePoolSpec poolSpec : spec.nodePools()) {
            NodeRoles roles = new NodeRoles(
                    poolSpec.hasRole(ClusterSpec.ROLE_ETCD),
                    poolSpec.hasRole(ClusterSpec.ROLE_CONTROL_PLANE),
                    poolSpec.hasRole(ClusterSpec.ROLE_WORKER));
            NodePool pool = cluster.nodePool(poolSpec.name())
                    .orElseGet(() -> cluster.addNodePool(poolSpec.name(), roles, poolSpec.quantityOrZero()));
            pool.setRoles(roles);
            pool.setQuantity(poolSpec.quantityOrZero());
            pool.setNodeSpec(nodeSpecMap(poolSpec));
            pool.setLabels(poolSpec.labels());
            pool.setTaints(poolSpec.taints().stream()
                    .map(t -> new Taint(t.key(), t.value(), t.effect()))
                    .toList());
        }
    }

    private static Map<String, Object> nodeSpecMap(NodePoolSpec pool) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (pool.nodeSpec() != null) {
            map.put("image", pool.nodeSpec().image());
            map.put("flavor", pool.nodeSpec().flavor());
            map.put("network", pool.nodeSpec().network());
            map.put("settings", pool.nodeSpec().settings());
        }
        return map;
    }

    private static String summary(List<Problem.FieldError> errors) {
        return errors.size() == 1
                ? errors.getFirst().field() + " " + errors.getFirst().detail()
                : errors.size() + " fields are invalid";
    }

    /** The parts of a node pool a PATCH may change; absent fields stay as they are. */
    public record NodePoolPatch(
            Integer quantity,
            ClusterSpec.NodeSpec nodeSpec,
            Map<String, String> labels,
            List<ClusterSpec.TaintSpec> taints,
            ClusterSpec.HealingSpec healing) {}
}
