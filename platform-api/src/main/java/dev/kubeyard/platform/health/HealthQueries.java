package dev.kubeyard.platform.health;

import dev.kubeyard.health.check.CheckId;
import dev.kubeyard.health.check.CheckStatus;
import dev.kubeyard.health.record.HealthStore;
import dev.kubeyard.inventory.cluster.ClusterPhase;
import dev.kubeyard.platform.access.Principal;
import dev.kubeyard.platform.health.HealthViews.ClusterRow;
import dev.kubeyard.platform.health.HealthViews.Counts;
import dev.kubeyard.platform.health.HealthViews.Fleet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The fleet view and the visible clusters, shared by the API and the console. Reads the database only. */
@ApplicationScoped
public class HealthQueries {

    /** The status of a cluster that has not been checked yet. */
    public static final String NOT_CHECKED = "NotChecked";

    @Inject
    EntityManager em;

    @Inject
    HealthStore store;

    /** A visible cluster: its name, team and phase. */
    public record Visible(String name, String team, String phase) {}

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Visible> visibleClusters(Principal principal) {
        Optional<Set<String>> teams = principal.visibleTeams();
        List<Visible> out = new ArrayList<>();
        for (Object[] r : em.createQuery(
                        "select c.name, t.name, c.phase from ManagedCluster c join c.team t order by c.name",
                        Object[].class)
                .getResultList()) {
            String team = (String) r[1];
            if (teams.isEmpty() || teams.get().contains(team)) {
                out.add(new Visible((String) r[0], team, ((ClusterPhase) r[2]).wireName()));
            }
        }
        return out;
    }

    /**
     * Every visible cluster's health, worst first (Fail, Unknown, Warn, Pass, not checked yet), then by name.
     *
     * @param statuses only these statuses (wire names, {@code NotChecked} included); empty: all
     * @param team only this team's clusters
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Fleet fleet(Principal principal, Set<String> statuses, Optional<String> team) {
        Map<String, HealthStore.Summary> states = new HashMap<>();
        store.summaries().forEach(s -> states.put(s.cluster(), s));
        Map<String, Long> firing = store.firingByCluster();
        List<ClusterRow> rows = new ArrayList<>();
        int[] counts = new int[5];
        for (Visible v : visibleClusters(principal)) {
            if (team.isPresent() && !team.get().equals(v.team())) {
                continue;
            }
            HealthStore.Summary state = states.get(v.name());
            String status = state == null ? NOT_CHECKED : state.status().wireName();
            counts[state == null ? 4 : 3 - state.status().rank()]++;
            if (!statuses.isEmpty() && !statuses.contains(status)) {
                continue;
            }
            rows.add(new ClusterRow(
                    v.name(),
                    v.team(),
                    v.phase(),
                    status,
                    state == null ? null : state.checkedAt(),
                    state == null ? List.of() : names(state.failing()),
                    state == null ? List.of() : names(state.warning()),
                    state == null ? List.of() : names(state.unknown()),
                    firing.getOrDefault(v.name(), 0L)));
        }
        rows.sort(Comparator.comparingInt((ClusterRow r) -> order(r.status())).thenComparing(ClusterRow::cluster));
        return new Fleet(new Counts(counts[0], counts[1], counts[2], counts[3], counts[4]), rows);
    }

    private static int order(String status) {
        return NOT_CHECKED.equals(status)
                ? 4
                : 3 - CheckStatus.fromWireName(status).rank();
    }

    private static List<String> names(List<CheckId> checks) {
        return checks.stream().map(CheckId::wireName).toList();
    }
}
