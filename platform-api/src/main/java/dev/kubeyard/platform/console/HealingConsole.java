package dev.kubeyard.platform.console;

import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.nodepool.record.HealingStore;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.cluster.ClusterService;
import dev.kubeyard.platform.cluster.ClusterService.Caller;
import dev.kubeyard.platform.healing.HealingResource;
import dev.kubeyard.platform.healing.HealingViews.Decision;
import dev.kubeyard.platform.healing.HealingViews.PauseView;
import dev.kubeyard.platform.healing.HealingViews.Status;
import dev.kubeyard.platform.request.RequestContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's page of one cluster's node healing: the pause switches (with who, when and why), the last evaluation,
 * the replacements, and the decision history, filterable by machine. Those who may change the cluster get the pause,
 * resume and evaluate buttons, which call the API ({@code healing.js}).
 */
@Path("/console/clusters/{name}/healing")
@Produces(MediaType.TEXT_HTML)
public class HealingConsole {

    static final int DECISIONS = 100;

    /** One node pool's row. */
    public record PoolRow(String name, String roles, int quantity, PauseView paused) {}

    /** One decision's row. */
    public record DecisionRow(String at, String pool, String machine, String verdict, String reason, String message) {
        static DecisionRow of(Decision d) {
            return new DecisionRow(
                    time(d.at()),
                    d.pool() == null ? "" : d.pool(),
                    d.machine() == null ? "" : d.machine(),
                    d.verdict(),
                    d.reason(),
                    d.message());
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance healing(
                ConsoleHeader page,
                String cluster,
                boolean canChange,
                Status status,
                String evaluatedAt,
                List<PoolRow> pools,
                String machine,
                List<DecisionRow> decisions);
    }

    @Inject
    ClusterService clusters;

    @Inject
    HealingResource healing;

    @Inject
    HealingStore store;

    @Inject
    RequestContext request;

    @Inject
    ConsoleCaller caller;

    @GET
    @Transactional
    @Operation(hidden = true)
    public TemplateInstance page(@PathParam("name") String name, @QueryParam("machine") String machine) {
        ManagedCluster cluster = clusters.find(name, Caller.of(request), Permission.READ_TEAM);
        boolean canChange =
                caller.allows(Permission.CHANGE_CLUSTERS, cluster.getTeam().getName());
        Status status = healing.statusOf(cluster);
        List<PoolRow> pools = cluster.getNodePools().stream()
                .map(p -> new PoolRow(
                        p.getName(),
                        roles(p.getRoles()),
                        p.getQuantity(),
                        status.pausedPools().stream()
                                .filter(pause -> p.getName().equals(pause.pool()))
                                .findFirst()
                                .orElse(null)))
                .toList();
        Optional<String> machineFilter =
                Optional.ofNullable(machine).map(String::trim).filter(m -> !m.isEmpty());
        List<DecisionRow> decisions = store
                .decisions(name, Optional.empty(), machineFilter, Optional.empty(), Optional.empty(), DECISIONS)
                .stream()
                .map(Decision::of)
                .map(DecisionRow::of)
                .toList();
        return Templates.healing(
                caller.header(),
                name,
                canChange,
                status,
                status.lastEvaluation() == null
                        ? null
                        : time(status.lastEvaluation().at()),
                pools,
                machineFilter.orElse(""),
                decisions);
    }

    static String roles(dev.kubeyard.inventory.cluster.NodeRoles roles) {
        List<String> out = new java.util.ArrayList<>();
        if (roles.etcd()) {
            out.add("etcd");
        }
        if (roles.controlPlane()) {
            out.add("controlplane");
        }
        if (roles.worker()) {
            out.add("worker");
        }
        return String.join(", ", out);
    }

    static String time(Instant at) {
        return ConsolePages.time(at);
    }
}
