package dev.kubeyard.addons.record;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.addons.plan.InstallationStatus;
import dev.kubeyard.addons.plan.ObjectRef;
import dev.kubeyard.addons.rollout.Rollout;
import dev.kubeyard.addons.rollout.RolloutPhase;
import dev.kubeyard.addons.rollout.RolloutPlanner;
import dev.kubeyard.addons.rollout.RolloutSettings;
import dev.kubeyard.addons.rollout.RolloutTarget;
import dev.kubeyard.inventory.json.InventoryJsonFormatMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The addon manager's memory in PostgreSQL: installations (desired and reported), the controllers' per-cluster
 * leases, default sets and rollouts. Status writes are their own statements, so that a controller never overwrites
 * what a request changed, nor the other way round.
 */
@ApplicationScoped
public class AddonStore {

    private static final ObjectMapper JSON = InventoryJsonFormatMapper.objectMapper();

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<InstallationRecord> installations(String cluster) {
        return em.createQuery(
                        "from InstallationRecord i where i.cluster = :c order by i.addon", InstallationRecord.class)
                .setParameter("c", cluster)
                .getResultList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<InstallationRecord> installationsOf(String addon) {
        return em.createQuery(
                        "from InstallationRecord i where i.addon = :a order by i.cluster", InstallationRecord.class)
                .setParameter("a", addon)
                .getResultList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<InstallationRecord> installation(String cluster, String addon) {
        return em.createQuery(
                        "from InstallationRecord i where i.cluster = :c and i.addon = :a", InstallationRecord.class)
                .setParameter("c", cluster)
                .setParameter("a", addon)
                .getResultStream()
                .findFirst();
    }

    /** For a change in a request's transaction: the row locked until commit. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<InstallationRecord> installationForUpdate(String cluster, String addon) {
        return em.createQuery(
                        "from InstallationRecord i where i.cluster = :c and i.addon = :a", InstallationRecord.class)
                .setParameter("c", cluster)
                .setParameter("a", addon)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream()
                .findFirst();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void add(InstallationRecord record) {
        em.persist(record);
    }

    /** The clusters that have at least one installation: those that need a controller. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> clustersWithInstallations() {
        return em.createQuery("select distinct i.cluster from InstallationRecord i order by 1", String.class)
                .getResultList();
    }

    /**
     * Writes the controller's report, for the generation it worked from. A status of an older generation than the one
     * stored is dropped (a slow pass finishing after a newer one).
     */
    @Transactional
    public boolean writeStatus(UUID id, InstallationStatus status, Instant now) {
        return em.createNativeQuery("UPDATE addon_installations SET status = CAST(?1 AS jsonb), status_updated_at = ?2"
                                + " WHERE id = ?3 AND COALESCE((status->>'observedGeneration')::bigint, 0) <= ?4")
                        .setParameter(1, json(status))
                        .setParameter(2, now)
                        .setParameter(3, id)
                        .setParameter(4, status.observedGeneration())
                        .executeUpdate()
                == 1;
    }

    /** Records the objects a pass is about to apply (with those applied before) ahead of the writes. */
    @Transactional
    public void remember(UUID id, List<ObjectRef> objects) {
        em.createNativeQuery("UPDATE addon_installations SET status = jsonb_set(status, '{objects}', CAST(?1 AS jsonb))"
                        + " WHERE id = ?2")
                .setParameter(1, json(objects))
                .setParameter(2, id)
                .executeUpdate();
    }

    /** Removes an installation whose objects are gone, unless it was asked for again meanwhile. */
    @Transactional
    public boolean removeInstallation(UUID id, long generation) {
        return em.createNativeQuery("DELETE FROM addon_installations WHERE id = ?1 AND generation = ?2"
                                + " AND removal_requested_at IS NOT NULL")
                        .setParameter(1, id)
                        .setParameter(2, generation)
                        .executeUpdate()
                == 1;
    }

    /**
     * Takes or renews the cluster's controller lease: true when {@code holder} has it until {@code now + lease}. A
     * lease another replica holds and has not let lapse is left alone.
     */
    @Transactional
    public boolean lease(String cluster, String holder, Instant now, Duration lease) {
        return em.createNativeQuery("INSERT INTO addon_cluster_state (cluster_name, lease_holder, lease_until)"
                                + " VALUES (?1, ?2, ?3) ON CONFLICT (cluster_name) DO UPDATE"
                                + " SET lease_holder = EXCLUDED.lease_holder, lease_until = EXCLUDED.lease_until"
                                + " WHERE addon_cluster_state.lease_holder = EXCLUDED.lease_holder"
                                + " OR addon_cluster_state.lease_holder IS NULL"
                                + " OR addon_cluster_state.lease_until < ?4")
                        .setParameter(1, cluster)
                        .setParameter(2, holder)
                        .setParameter(3, now.plus(lease))
                        .setParameter(4, now)
                        .executeUpdate()
                == 1;
    }

    /** Gives the lease back (a stopping replica), so that another takes the cluster at once. */
    @Transactional
    public void release(String cluster, String holder) {
        em.createNativeQuery("UPDATE addon_cluster_state SET lease_holder = NULL, lease_until = NULL"
                        + " WHERE cluster_name = ?1 AND lease_holder = ?2")
                .setParameter(1, cluster)
                .setParameter(2, holder)
                .executeUpdate();
    }

    /** Gives back every lease of a stopping replica. */
    @Transactional
    public int releaseAll(String holder) {
        return em.createNativeQuery("UPDATE addon_cluster_state SET lease_holder = NULL, lease_until = NULL"
                        + " WHERE lease_holder = ?1")
                .setParameter(1, holder)
                .executeUpdate();
    }

    /** What the controller last found of the cluster itself. */
    @Transactional
    public void clusterReport(String cluster, boolean reachable, String message, Instant now) {
        em.createNativeQuery("UPDATE addon_cluster_state SET reconciled_at = ?2, reachable = ?3, message = ?4"
                        + " WHERE cluster_name = ?1")
                .setParameter(1, cluster)
                .setParameter(2, now)
                .setParameter(3, reachable)
                .setParameter(4, message)
                .executeUpdate();
    }

    /** Whether each cluster's API answered the controller's last pass (clusters never seen are absent). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, String> unreachableClusters() {
        Map<String, String> out = new HashMap<>();
        for (Object row : em.createNativeQuery(
                        "SELECT cluster_name, message FROM addon_cluster_state WHERE reachable = false")
                .getResultList()) {
            Object[] r = (Object[]) row;
            out.put((String) r[0], r[1] == null ? "" : (String) r[1]);
        }
        return out;
    }

    // Default sets.

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<DefaultSetRecord> defaultSets() {
        return em.createQuery("from DefaultSetRecord d order by d.name", DefaultSetRecord.class)
                .getResultList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<DefaultSetRecord> defaultSet(String name) {
        return Optional.ofNullable(em.find(DefaultSetRecord.class, name));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void save(DefaultSetRecord set) {
        if (!em.contains(set)) {
            em.persist(set);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void delete(DefaultSetRecord set) {
        em.remove(set);
    }

    // Rollouts.

    @Transactional(Transactional.TxType.MANDATORY)
    public RolloutRecord create(Rollout rollout, String by, Instant now) {
        RolloutRecord record = new RolloutRecord(
                rollout.id(),
                rollout.addon(),
                rollout.targetVersion(),
                rollout.phase().wireName(),
                settingsMap(rollout.settings()),
                by,
                now);
        for (RolloutTarget t : rollout.targets()) {
            record.getTargets().add(new RolloutTargetRecord(record, t));
        }
        em.persist(record);
        return record;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<RolloutRecord> rollout(UUID id) {
        return Optional.ofNullable(em.find(RolloutRecord.class, id));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<RolloutRecord> rollouts(int limit) {
        return em.createQuery("from RolloutRecord r order by r.createdAt desc", RolloutRecord.class)
                .setMaxResults(limit)
                .getResultList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UUID> activeRollouts() {
        return em.createQuery(
                        "select r.id from RolloutRecord r where r.phase in ('Running', 'Paused', 'RollingBack')"
                                + " order by r.createdAt",
                        UUID.class)
                .getResultList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<RolloutRecord> activeRollout(String addon) {
        return em.createQuery(
                        "from RolloutRecord r where r.addon = :a and r.phase in ('Running', 'Paused', 'RollingBack')",
                        RolloutRecord.class)
                .setParameter("a", addon)
                .getResultStream()
                .findFirst();
    }

    /** Stores a step's targets and phase onto the record (in the caller's transaction). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(RolloutRecord record, RolloutPlanner.Step step, Instant now) {
        Map<String, RolloutTarget> byCluster = new HashMap<>();
        step.targets().forEach(t -> byCluster.put(t.cluster(), t));
        for (RolloutTargetRecord t : record.getTargets()) {
            RolloutTarget next = byCluster.get(t.getCluster());
            if (next != null && !next.equals(t.toTarget())) {
                t.set(next);
            }
        }
        boolean finished = !step.phase().active();
        record.update(step.phase().wireName(), step.message(), now, finished);
    }

    public static Rollout toRollout(RolloutRecord r) {
        return new Rollout(
                r.getId(),
                r.getAddon(),
                r.getTargetVersion(),
                settings(r.getSettings()),
                RolloutPhase.fromWireName(r.getPhase()),
                r.getMessage(),
                r.getTargets().stream().map(RolloutTargetRecord::toTarget).toList(),
                r.getCreatedAt());
    }

    public static Map<String, Object> settingsMap(RolloutSettings s) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("canaries", s.canaries());
        m.put("maxConcurrent", s.maxConcurrent());
        m.put("soakSeconds", s.soak().toSeconds());
        m.put("failureBudget", s.failureBudget());
        m.put("healthGate", s.healthGate());
        m.put("progressDeadlineSeconds", s.progressDeadline().toSeconds());
        return m;
    }

    public static RolloutSettings settings(Map<String, Object> m) {
        return new RolloutSettings(
                ((Number) m.get("canaries")).intValue(),
                ((Number) m.get("maxConcurrent")).intValue(),
                Duration.ofSeconds(((Number) m.get("soakSeconds")).longValue()),
                ((Number) m.get("failureBudget")).intValue(),
                (Boolean) m.get("healthGate"),
                Duration.ofSeconds(((Number) m.get("progressDeadlineSeconds")).longValue()));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
