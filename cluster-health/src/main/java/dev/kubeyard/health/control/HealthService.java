package dev.kubeyard.health.control;

import dev.kubeyard.health.alert.AlertAction;
import dev.kubeyard.health.alert.AlertPlanner;
import dev.kubeyard.health.alert.AlertRule;
import dev.kubeyard.health.alert.AlertRules;
import dev.kubeyard.health.check.CheckId;
import dev.kubeyard.health.check.CheckResult;
import dev.kubeyard.health.check.CheckStatus;
import dev.kubeyard.health.check.Fetch;
import dev.kubeyard.health.check.HealthChecks;
import dev.kubeyard.health.check.HealthTracker;
import dev.kubeyard.health.check.Observation;
import dev.kubeyard.health.check.Observation.ClusterFacts;
import dev.kubeyard.health.check.Thresholds;
import dev.kubeyard.health.check.TrackedCheck;
import dev.kubeyard.health.notify.AlertRefresher;
import dev.kubeyard.health.probe.ClusterProbe;
import dev.kubeyard.health.probe.HealthClients;
import dev.kubeyard.health.record.AlertRecord;
import dev.kubeyard.health.record.HealthStore;
import dev.kubeyard.inventory.cluster.ClusterPhase;
import dev.kubeyard.inventory.kube.ClusterClients;
import dev.kubeyard.rancher.client.RancherClient;
import dev.kubeyard.rancher.client.RancherClientConfig;
import dev.kubeyard.rancher.client.RancherException;
import dev.kubeyard.rancher.client.provisioning.ProvisioningCluster;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Cluster health in the application: the sweep over every managed cluster ({@link HealthSweep}) and the on-demand
 * check of one. Each cluster is probed on a virtual thread (at most {@code parallelism} at once; a slow or dead
 * cluster costs its own call timeouts only), then recorded in one transaction under the cluster's lock: its checks
 * judged against the previous ones, the history, and the alerts opened or resolved with their notifications queued.
 */
@ApplicationScoped
public class HealthService {

    private static final Logger LOG = Logger.getLogger(HealthService.class);

    /** How long a finding that went away is kept as Cleared, so that an alert can wait for it to stay cleared. */
    private static final Duration CLEARED_RETENTION = Duration.ofHours(1);

    @Inject
    HealthConfig config;

    @Inject
    RancherClient rancher;

    @Inject
    Vertx vertx;

    @Inject
    HealthStore store;

    @Inject
    HealthMetrics metrics;

    @Inject
    EntityManager em;

    @Inject
    AlertRefresher refresher;

    private final Clock clock = Clock.systemUTC();
    private volatile ClusterClients clients;
    /** Rancher with the call timeout and no retries, for the probes (the shared client waits 30 s and retries 3 times). */
    private volatile RancherClient healthRancher;

    private volatile ClusterProbe probe;
    private volatile List<AlertRule> rules;

    /** Fails the start on a rule setting that names no rule or severity. */
    void onStart(@Observes StartupEvent event) {
        rules();
    }

    public List<AlertRule> rules() {
        List<AlertRule> r = rules;
        if (r == null) {
            Map<String, AlertRules.Change> changes = new LinkedHashMap<>();
            config.rules()
                    .forEach((name, s) -> changes.put(
                            name,
                            new AlertRules.Change(s.forDuration(), s.keepFiringFor(), s.severity(), s.enabled())));
            r = AlertRules.configured(changes);
            rules = r;
        }
        return r;
    }

    public Thresholds thresholds() {
        HealthConfig.Thresholds t = config.thresholds();
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
                t.etcdQuotaBytes(),
                t.etcdDbWarnPercent(),
                t.etcdDbFailPercent());
    }

    private ClusterProbe probe() {
        ClusterProbe p = probe;
        if (p == null) {
            synchronized (this) {
                if (probe == null) {
                    healthRancher = RancherClient.create(forHealth(rancher.config(), config.callTimeout()));
                    clients = HealthClients.create(healthRancher::kubernetesConfig, config.callTimeout(), vertx);
                    probe = new ClusterProbe(healthRancher, clients::forCluster, config.callTimeout(), clock);
                }
                p = probe;
            }
        }
        return p;
    }

    @PreDestroy
    void close() {
        ClusterClients c = clients;
        if (c != null) {
            c.close();
        }
        RancherClient r = healthRancher;
        if (r != null) {
            r.close();
        }
    }

    /**
     * The shared Rancher settings with every read bounded by the call timeout and not retried: a slow or failing
     * Rancher costs a probe one call timeout, and the next sweep is the retry.
     */
    static RancherClientConfig forHealth(RancherClientConfig shared, Duration callTimeout) {
        Duration connect = shared.connectTimeout().compareTo(callTimeout) < 0 ? shared.connectTimeout() : callTimeout;
        return new RancherClientConfig(
                shared.baseUrl(),
                shared.token(),
                shared.namespace(),
                connect,
                callTimeout,
                callTimeout,
                0,
                shared.retryDelay(),
                shared.retryMaxDelay(),
                shared.pageSize(),
                shared.insecureSkipTlsVerify());
    }

    /** A cluster of the inventory as the sweep sees it. */
    record Member(ClusterFacts facts, String rancherName) {}

    /** What one sweep did. */
    public record SweepOutcome(int clusters, int failed, int opened, int resolved, Duration took) {}

    /** One sweep over every managed cluster. */
    public SweepOutcome sweep() {
        return sweep(name -> true);
    }

    /**
     * One sweep over the managed clusters the filter lets through (all of them for the scheduled sweep); clusters
     * gone from the inventory are forgotten only by a sweep over all.
     */
    @ActivateRequestContext
    public SweepOutcome sweep(java.util.function.Predicate<String> only) {
        Instant start = clock.instant();
        List<Member> all = members(Optional.empty());
        List<Member> members =
                all.stream().filter(m -> only.test(m.facts().name())).toList();
        Optional<Map<String, Fetch<ProvisioningCluster>>> listed = listRancherClusters();
        Map<String, Instant> advancedAt = store.advancedTimes();
        Map<String, CheckStatus> statuses = new ConcurrentHashMap<>();
        int[] counts = new int[3]; // failed, opened, resolved
        Semaphore permits = new Semaphore(Math.max(1, config.parallelism()));
        try (ExecutorService executor = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("kubeyard-health-", 0).factory())) {
            for (Member member : members) {
                if (member.facts().deletionRequested()) {
                    continue;
                }
                executor.submit(() -> {
                    try {
                        permits.acquire();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    try {
                        boolean advanced = advancedDue(
                                member.facts().name(),
                                advancedAt.get(member.facts().name()),
                                started,
                                config.advancedInterval(),
                                clock.instant());
                        Optional<Fetch<ProvisioningCluster>> fromList = member.rancherName() == null
                                ? Optional.empty()
                                : listed.map(byName -> byName.getOrDefault(
                                        member.rancherName(),
                                        Fetch.failed(
                                                Fetch.Failure.NOT_SERVED, "Rancher does not list the cluster", 0)));
                        Recorded r = checkOne(member, fromList, advanced);
                        statuses.put(member.facts().name(), r.status());
                        synchronized (counts) {
                            counts[1] += r.opened();
                            counts[2] += r.resolved();
                        }
                    } catch (RuntimeException e) {
                        synchronized (counts) {
                            counts[0]++;
                        }
                        LOG.warnf(
                                e,
                                "Health check of cluster %s failed; the next sweep tries again",
                                member.facts().name());
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        Set<String> live = new HashSet<>();
        all.forEach(m -> live.add(m.facts().name()));
        Set<String> gone = new HashSet<>();
        for (String tracked : store.trackedClusters()) {
            if (!live.contains(tracked) && only.test(tracked)) {
                gone.add(tracked);
                counts[2] += forget(tracked);
            }
        }
        if (clients != null) {
            Set<String> ids = new HashSet<>();
            all.forEach(m -> m.facts().managementId().ifPresent(ids::add));
            clients.retainOnly(ids);
        }
        store.purge(clock.instant().minus(config.historyRetention()));
        refresher.refreshDue(clock.instant());
        Duration took = Duration.between(start, clock.instant());
        metrics.swept(store.statuses(), gone, store.firingCounts(), took);
        return new SweepOutcome(statuses.size(), counts[0], counts[1], counts[2], took);
    }

    private final Instant started = Clock.systemUTC().instant();

    /**
     * Whether a cluster's advanced checks are due: an advanced interval after they last ran. A cluster whose advanced
     * checks never ran gets its first within the first interval after this replica started, at an offset from its
     * name, so that the advanced checks of a whole fleet are spread over the interval rather than all due in one
     * sweep (and again in every fifth).
     */
    static boolean advancedDue(String cluster, Instant last, Instant started, Duration advancedInterval, Instant now) {
        long interval = advancedInterval.toMillis();
        if (last != null) {
            return !Duration.between(last, now).minusMillis(interval).isNegative();
        }
        // names of one fleet are alike ("payments-eu-1", "-2", ...) and so are their hash codes: mix them first
        long mixed = cluster.hashCode() * 0x9E3779B97F4A7C15L;
        mixed ^= mixed >>> 29;
        long offset = interval <= 0 ? 0 : Math.floorMod(mixed, interval);
        return Duration.between(started, now).toMillis() >= offset;
    }

    /** Checks one cluster now, the advanced checks included, and records the result. */
    public Optional<HealthStore.ClusterState> checkNow(String clusterName) {
        Optional<Member> member = members(Optional.of(clusterName)).stream().findFirst();
        if (member.isEmpty()) {
            return Optional.empty();
        }
        checkOne(member.get(), Optional.empty(), true);
        return store.state(clusterName);
    }

    record Recorded(CheckStatus status, int opened, int resolved) {}

    private Recorded checkOne(Member member, Optional<Fetch<ProvisioningCluster>> listed, boolean advanced) {
        String name = member.facts().name();
        MDC.put("cluster", name);
        try {
            long start = System.nanoTime();
            Observation observation =
                    probe().observe(new ClusterProbe.Target(member.facts(), member.rancherName(), listed), advanced);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return record(member.facts(), observation, took);
        } finally {
            MDC.remove("cluster");
        }
    }

    /** Judges and records one observation: the checks, the history and the alerts, in one transaction. */
    @Transactional
    Recorded record(ClusterFacts facts, Observation observation, long probeMillis) {
        String name = facts.name();
        store.lock(name);
        Instant now = clock.instant();
        List<TrackedCheck> previous =
                store.state(name).map(HealthStore.ClusterState::checks).orElse(List.of());
        Map<CheckId, Map<String, Object>> figures = new HashMap<>();
        previous.forEach(c -> figures.put(c.check(), c.figures()));
        List<CheckResult> results = HealthChecks.evaluate(observation, new Observation.Previous(figures), thresholds());
        HealthTracker.Tracked tracked = HealthTracker.track(previous, results, now, CLEARED_RETENTION);
        store.write(name, tracked.status(), tracked.checks(), now, observation.advanced(), probeMillis);
        store.addTransitions(name, tracked.transitions());
        List<AlertRecord> firing = store.firing(name);
        List<AlertAction> actions = AlertPlanner.plan(
                new AlertPlanner.Subject(name, facts.team()), tracked.checks(), rules(), HealthStore.open(firing), now);
        HealthStore.Applied applied = store.apply(name, facts.team(), actions, now);
        for (AlertRecord a : applied.opened()) {
            LOG.infof("Alert %s opened on cluster %s: %s", a.getRule(), name, a.getDescription());
        }
        for (AlertRecord a : applied.resolved()) {
            LOG.infof("Alert %s resolved on cluster %s", a.getRule(), name);
        }
        metrics.recorded(name, tracked.status(), results, tracked.transitions());
        return new Recorded(
                tracked.status(), applied.opened().size(), applied.resolved().size());
    }

    /** A cluster that left the inventory: its alerts resolve and its state goes; its history stays until purged. */
    @Transactional
    int forget(String cluster) {
        store.lock(cluster);
        List<AlertAction> actions = AlertPlanner.clusterGone(HealthStore.open(store.firing(cluster)));
        HealthStore.Applied applied = store.apply(cluster, null, actions, clock.instant());
        store.forget(cluster);
        return applied.resolved().size();
    }

    /** The inventory's clusters, or the one named. */
    @Transactional(Transactional.TxType.SUPPORTS)
    List<Member> members(Optional<String> only) {
        var query = em.createQuery(
                "select c.name, t.name, c.phase, c.createdAt, c.rancherManagementId, c.rancherName,"
                        + " c.deletionRequestedAt from ManagedCluster c join c.team t"
                        + (only.isPresent() ? " where c.name = :name" : "") + " order by c.name",
                Object[].class);
        only.ifPresent(name -> query.setParameter("name", name));
        List<Member> out = new ArrayList<>();
        for (Object[] r : query.getResultList()) {
            ClusterPhase phase = (ClusterPhase) r[2];
            out.add(new Member(
                    new ClusterFacts(
                            (String) r[0],
                            (String) r[1],
                            phase.wireName(),
                            (Instant) r[3],
                            Optional.ofNullable((String) r[4]),
                            r[6] != null),
                    (String) r[5]));
        }
        return out;
    }

    /** Rancher's clusters in one call per sweep, rather than one per cluster; empty: each probe asks on its own. */
    private Optional<Map<String, Fetch<ProvisioningCluster>>> listRancherClusters() {
        long start = System.nanoTime();
        try {
            Map<String, Fetch<ProvisioningCluster>> out = new HashMap<>();
            probe();
            List<ProvisioningCluster> all = healthRancher.clusters().list();
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            for (ProvisioningCluster c : all) {
                out.put(c.name(), Fetch.ok(c, took));
            }
            return Optional.of(out);
        } catch (RancherException e) {
            LOG.warnf(
                    "Rancher's clusters could not be listed (%s); each cluster is asked on its own",
                    e.getClass().getSimpleName());
            return Optional.empty();
        }
    }
}
