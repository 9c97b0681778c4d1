package dev.kubeyard.addons.control;

import dev.kubeyard.addons.catalog.AddonDefinition;
import dev.kubeyard.addons.catalog.AddonVersion;
import dev.kubeyard.addons.plan.Condition;
import dev.kubeyard.addons.record.AddonStore;
import dev.kubeyard.addons.record.InstallationRecord;
import dev.kubeyard.addons.record.RolloutRecord;
import dev.kubeyard.addons.rollout.ClusterState;
import dev.kubeyard.addons.rollout.Rollout;
import dev.kubeyard.addons.rollout.RolloutPhase;
import dev.kubeyard.addons.rollout.RolloutPlanner;
import dev.kubeyard.addons.rollout.RolloutSettings;
import dev.kubeyard.inventory.cluster.ClusterPhase;
import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.inventory.cluster.ManagedClusterRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Rollouts of an addon version across many clusters: created by a request over the clusters that have the addon,
 * stepped by {@link RolloutRunner} with the pure {@link RolloutPlanner}, paused, resumed and aborted by requests. A
 * step and the version changes it asks for are stored in one transaction; the controllers carry them out.
 */
@ApplicationScoped
public class RolloutService {

    private static final Logger LOG = Logger.getLogger(RolloutService.class);

    @Inject
    AddonStore store;

    @Inject
    AddonService addons;

    @Inject
    AddonConfig config;

    @Inject
    ManagedClusterRepository clusters;

    @Inject
    AddonControllers controllers;

    @Inject
    Clock clock;

    /**
     * @param clusters the clusters in order (the first {@code canaries} go first); empty: every cluster that has the
     *     addon, by name
     */
    public record Request(
            String addon,
            String version,
            List<String> clusters,
            Optional<Integer> canaries,
            Optional<Integer> maxConcurrent,
            Optional<java.time.Duration> soak,
            Optional<Integer> failureBudget,
            Optional<Boolean> healthGate,
            Optional<java.time.Duration> progressDeadline) {}

    @Transactional
    public RolloutRecord create(Request request, String actor) {
        AddonDefinition definition = addons.definition(request.addon());
        if (request.version() == null || request.version().isBlank()) {
            throw AddonProblem.invalid("version", "is required");
        }
        AddonVersion version = definition
                .version(request.version())
                .orElseThrow(() -> AddonProblem.invalid(
                        "version", request.addon() + " has no version " + request.version() + " in the catalog"));
        store.activeRollout(request.addon()).ifPresent(r -> {
            throw AddonProblem.conflict("rollout " + r.getId() + " of " + request.addon() + " is still " + r.getPhase()
                    + ": one rollout of an addon at a time");
        });
        Map<String, InstallationRecord> installed = new HashMap<>();
        store.installationsOf(request.addon()).stream()
                .filter(i -> i.getRemovalRequestedAt().isEmpty())
                .forEach(i -> installed.put(i.getCluster(), i));
        List<String> names = request.clusters() == null || request.clusters().isEmpty()
                ? installed.keySet().stream().sorted().toList()
                : List.copyOf(new LinkedHashSet<>(request.clusters()));
        if (names.isEmpty()) {
            throw AddonProblem.invalid("clusters", "no cluster has " + request.addon() + " installed");
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!installed.containsKey(name)) {
                throw AddonProblem.invalid("clusters[" + i + "]", request.addon() + " is not installed in " + name);
            }
            Optional<ManagedCluster> cluster = clusters.findByName(name);
            String kube = cluster.map(AddonControllers::kubernetesVersion).orElse("");
            if (!version.supports(kube)) {
                throw AddonProblem.invalid(
                        "clusters[" + i + "]",
                        version.ref() + " supports Kubernetes " + version.kubernetesVersions() + ", and " + name
                                + " runs " + kube);
            }
            // The values must hold under the new version's schema too.
            addons.check(
                    new AddonService.ClusterRef(name, "", Map.of(), kube),
                    new AddonService.Request(
                            request.addon(),
                            Optional.of(version.version()),
                            Optional.of(installed.get(name).getNamespace()),
                            installed.get(name).getValues()));
        }
        AddonConfig.Rollouts d = config.rollouts();
        RolloutSettings settings;
        try {
            settings = new RolloutSettings(
                    request.canaries().orElse(d.canaries()),
                    request.maxConcurrent().orElse(d.maxConcurrent()),
                    request.soak().orElse(d.soak()),
                    request.failureBudget().orElse(d.failureBudget()),
                    request.healthGate().orElse(true),
                    request.progressDeadline().orElse(d.progressDeadline()));
        } catch (IllegalArgumentException e) {
            throw AddonProblem.invalid("settings", e.getMessage());
        }
        if (settings.canaries() > settings.maxConcurrent()) {
            throw AddonProblem.invalid(
                    "canaries",
                    "must not be more than maxConcurrent (" + settings.maxConcurrent()
                            + "): canaries change at once too");
        }
        if (settings.soak().isNegative()
                || settings.progressDeadline().isNegative()
                || settings.progressDeadline().isZero()) {
            throw AddonProblem.invalid("progressDeadlineSeconds", "must be positive, and soakSeconds not negative");
        }
        Rollout rollout = new Rollout(
                UUID.randomUUID(),
                request.addon(),
                version.version(),
                settings,
                RolloutPhase.RUNNING,
                "starting",
                Rollout.waves(names, settings),
                clock.instant());
        RolloutRecord record = store.create(rollout, actor, clock.instant());
        LOG.infof(
                "Rollout %s of %s to %s over %d clusters created by %s",
                rollout.id(), request.addon(), version.version(), names.size(), actor);
        return record;
    }

    public RolloutRecord find(UUID id) {
        return store.rollout(id).orElseThrow(() -> AddonProblem.notFound("id", "no rollout " + id));
    }

    /** Pause (no new waves), resume, or abort (every cluster it changed goes back). */
    @Transactional
    public RolloutRecord command(UUID id, String command, String actor) {
        RolloutRecord record = find(id);
        RolloutPhase phase = RolloutPhase.fromWireName(record.getPhase());
        RolloutPhase next =
                switch (command) {
                    case "pause" ->
                        phase == RolloutPhase.RUNNING || phase == RolloutPhase.PAUSED ? RolloutPhase.PAUSED : null;
                    case "resume" ->
                        phase == RolloutPhase.PAUSED || phase == RolloutPhase.RUNNING ? RolloutPhase.RUNNING : null;
                    case "abort" -> phase.active() ? RolloutPhase.ROLLING_BACK : null;
                    default -> throw AddonProblem.invalid("command", "must be pause, resume or abort");
                };
        if (next == null) {
            throw AddonProblem.conflict("rollout " + id + " is " + record.getPhase() + ": it cannot " + command);
        }
        if (next != phase) {
            String message =
                    switch (command) {
                        case "pause" -> "paused by " + actor;
                        case "resume" -> "resumed by " + actor;
                        default -> "aborted by " + actor + ": rolling back the clusters it changed";
                    };
            record.update(next.wireName(), message, clock.instant(), false);
        }
        return record;
    }

    /** Steps every active rollout once; a rollout that fails to step is tried again next time. */
    public void stepAll() {
        for (UUID id : store.activeRollouts()) {
            try {
                Set<String> touched = step(id);
                touched.forEach(controllers::nudge);
            } catch (OptimisticLockException e) {
                LOG.debugf("Rollout %s changed while stepping (a command): next step", id);
            } catch (RuntimeException e) {
                LOG.warnf("Rollout %s could not be stepped (next time): %s", id, e.toString());
            }
        }
    }

    /** One step of one rollout; returns the clusters whose version it changed. */
    @Transactional
    public Set<String> step(UUID id) {
        RolloutRecord record = find(id);
        Rollout rollout = AddonStore.toRollout(record);
        if (!rollout.phase().active()) {
            return Set.of();
        }
        Map<String, String> unreachable = store.unreachableClusters();
        Map<String, ClusterState> states = new HashMap<>();
        for (InstallationRecord i : store.installationsOf(rollout.addon())) {
            if (i.getRemovalRequestedAt().isPresent()) {
                continue;
            }
            states.put(i.getCluster(), state(i, unreachable));
        }
        Instant now = clock.instant();
        RolloutPlanner.Step step = RolloutPlanner.step(rollout, states, now);
        if (!step.changedAnything(rollout)) {
            return Set.of();
        }
        Set<String> touched = new LinkedHashSet<>();
        for (RolloutPlanner.SetVersion change : step.changes()) {
            InstallationRecord installation = store.installationForUpdate(change.cluster(), rollout.addon())
                    .orElse(null);
            if (installation != null
                    && installation.change(
                            change.version(),
                            installation.getNamespace(),
                            installation.getValues(),
                            "rollout:" + id,
                            "rollout " + id,
                            now)) {
                touched.add(change.cluster());
            }
        }
        if (step.phase() != rollout.phase()) {
            LOG.infof(
                    "Rollout %s of %s to %s: %s (%s)",
                    id, rollout.addon(), rollout.targetVersion(), step.phase().wireName(), step.message());
        }
        store.apply(record, step, now);
        return touched;
    }

    /** Whether the cluster is fit to change: ready, reachable, and none of its addons degraded. */
    private ClusterState state(InstallationRecord installation, Map<String, String> unreachable) {
        String name = installation.getCluster();
        List<String> problems = new ArrayList<>();
        Optional<ManagedCluster> cluster = clusters.findByName(name);
        if (cluster.isEmpty() || cluster.get().isDeletionRequested()) {
            problems.add("the cluster is gone or being deleted");
        } else if (cluster.get().getPhase() != ClusterPhase.READY) {
            problems.add("the cluster is " + cluster.get().getPhase().wireName());
        }
        if (unreachable.containsKey(name)) {
            problems.add("its API did not answer: " + unreachable.get(name));
        }
        for (InstallationRecord other : store.installations(name)) {
            if (other.getStatus().is(Condition.DEGRADED) && !other.getAddon().equals(installation.getAddon())) {
                problems.add(other.getAddon() + " is degraded");
            }
        }
        return new ClusterState(
                name,
                problems.isEmpty(),
                String.join("; ", problems),
                installation.getVersion(),
                installation.getGeneration(),
                installation.getStatus());
    }
}
