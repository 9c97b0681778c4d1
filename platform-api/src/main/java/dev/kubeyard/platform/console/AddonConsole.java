package dev.kubeyard.platform.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kubeyard.addons.catalog.AddonDefinition;
import dev.kubeyard.addons.control.AddonService;
import dev.kubeyard.addons.plan.Condition;
import dev.kubeyard.inventory.cluster.ManagedCluster;
import dev.kubeyard.platform.access.Permission;
import dev.kubeyard.platform.addons.AddonResource;
import dev.kubeyard.platform.addons.AddonViews;
import dev.kubeyard.platform.cluster.ClusterService;
import dev.kubeyard.platform.cluster.ClusterService.Caller;
import dev.kubeyard.platform.request.RequestContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The console's page of one cluster's addons: every installation with its desired and applied version, its one-word
 * state and its four conditions, refreshed every few seconds from {@code .../addons/installations}. Those who may
 * change the cluster get a form that installs an addon or changes one (version, values, namespace) and a Remove
 * button; both call the addon API ({@code addons.js}), which checks again and answers refusals as problems. The page
 * reads through the same {@link ClusterService#find} as the API: another team's cluster is a 404 here too.
 */
@Path("/console/clusters/{name}/addons")
@Produces(MediaType.TEXT_HTML)
public class AddonConsole {

    /** How many of an installation's last actions the table shows; the rest are in the cell's tooltip. */
    static final int ACTIONS_SHOWN = 5;

    /** The conditions every installation reports, in the order of the table's columns. */
    static final List<String> CONDITIONS =
            List.of(Condition.APPLIED, Condition.PROGRESSING, Condition.HEALTHY, Condition.DEGRADED);

    /** The cluster as the page's heading shows it. */
    public record ClusterInfo(String name, String team, String kubernetesVersion, boolean deleting) {}

    /** One condition's cell; {@code status} is empty when the controller has not reported it yet. */
    public record ConditionCell(String type, String status, String reason, String message, String since) {}

    /** One installation's row. */
    public record InstallationRow(
            String addon,
            String version,
            String appliedVersion,
            String lastHealthyVersion,
            String namespace,
            String state,
            List<ConditionCell> conditions,
            int objects,
            String objectNames,
            long driftRepairs,
            List<String> lastActions,
            int moreActions,
            String allActions,
            String lastReconciled,
            String lastReconciledIso,
            String source,
            String rolloutId,
            String requestedBy,
            String updated,
            boolean removing,
            String valuesJson) {}

    /**
     * The part of the page that refreshes itself.
     *
     * @param canChange whether the rows get Change and Remove buttons
     * @param fleet whether rollout ids link to the rollout pages
     */
    public record Installations(
            String base,
            String cluster,
            boolean canChange,
            boolean fleet,
            List<InstallationRow> rows,
            String asOf,
            String asOfText) {}

    /** An addon of the install form's list, with the versions offered for this cluster. */
    public record AddonChoice(String name, String displayName, String namespace, List<VersionChoice> versions) {}

    /** A version of the install form; one that does not support the cluster's Kubernetes is shown, not offered. */
    public record VersionChoice(String version, String kubernetesVersions, boolean supported) {}

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance addons(
                ConsoleHeader page,
                ClusterInfo cluster,
                boolean canChange,
                List<AddonChoice> choices,
                Installations table);

        static native TemplateInstance addons$installations(Installations table);
    }

    @Inject
    ClusterService clusters;

    @Inject
    AddonResource installations;

    @Inject
    AddonService addons;

    @Inject
    ObjectMapper objectMapper;

    @Inject
    RequestContext request;

    @Inject
    ConsoleCaller caller;

    @Inject
    Clock clock;

    @GET
    @Transactional
    @Operation(hidden = true)
    public TemplateInstance page(@PathParam("name") String name) {
        ManagedCluster cluster = clusters.find(name, Caller.of(request), Permission.READ_TEAM);
        ConsoleHeader header = caller.header();
        boolean canChange = canChange(cluster);
        String kubernetes = kubernetesVersion(cluster);
        List<AddonChoice> choices = addons.catalog().addons().stream()
                .map(a -> choice(a, kubernetes))
                .toList();
        return Templates.addons(
                header,
                new ClusterInfo(name, cluster.getTeam().getName(), kubernetes, cluster.isDeletionRequested()),
                canChange,
                choices,
                table(name, header, canChange));
    }

    @GET
    @Path("/installations")
    @Transactional
    @Operation(hidden = true)
    public TemplateInstance installationTable(@PathParam("name") String name) {
        ManagedCluster cluster = clusters.find(name, Caller.of(request), Permission.READ_TEAM);
        return Templates.addons$installations(table(name, caller.header(), canChange(cluster)));
    }

    private boolean canChange(ManagedCluster cluster) {
        return caller.allows(Permission.CHANGE_CLUSTERS, cluster.getTeam().getName());
    }

    /**
     * The Kubernetes version the addon API checks versions against: the one running, else the one asked for (as
     * {@code AddonResource} does).
     */
    static String kubernetesVersion(ManagedCluster cluster) {
        return dev.kubeyard.platform.addons.AddonResource.ref(cluster).kubernetesVersion();
    }

    static AddonChoice choice(AddonDefinition addon, String kubernetesVersion) {
        return new AddonChoice(
                addon.name(),
                addon.displayName(),
                addon.namespace(),
                addon.versions().stream()
                        .map(v -> new VersionChoice(
                                v.version(), v.kubernetesVersions().expression(), v.supports(kubernetesVersion)))
                        .toList()
                        .reversed());
    }

    private Installations table(String cluster, ConsoleHeader header, boolean canChange) {
        Instant now = clock.instant();
        List<InstallationRow> rows = installations.installations(cluster).items().stream()
                .map(this::row)
                .toList();
        return new Installations(
                header.base(),
                cluster,
                canChange,
                header.fleet(),
                rows,
                ConsolePages.iso(now),
                ConsolePages.clock(now));
    }

    InstallationRow row(AddonViews.Installation i) {
        AddonViews.Status s = i.status();
        List<ConditionCell> conditions = CONDITIONS.stream()
                .map(type -> s.conditions().stream()
                        .filter(c -> c.type().equals(type))
                        .findFirst()
                        .map(c -> new ConditionCell(
                                type, c.status(), c.reason(), c.message(), ConsolePages.time(c.lastTransitionTime())))
                        .orElse(new ConditionCell(type, "", "", "", "")))
                .toList();
        List<String> actions = s.lastActions();
        String rollout = i.source() != null && i.source().startsWith(ROLLOUT_SOURCE)
                ? i.source().substring(ROLLOUT_SOURCE.length())
                : null;
        return new InstallationRow(
                i.addon(),
                i.version(),
                s.appliedVersion() == null ? "" : s.appliedVersion(),
                s.lastHealthyVersion() == null ? "" : s.lastHealthyVersion(),
                i.namespace(),
                i.state(),
                conditions,
                s.objects(),
                String.join("\n", s.objectNames()),
                s.driftRepairs(),
                actions.subList(0, Math.min(actions.size(), ACTIONS_SHOWN)),
                Math.max(0, actions.size() - ACTIONS_SHOWN),
                String.join("\n", actions),
                ConsolePages.time(s.lastReconciledAt()),
                ConsolePages.iso(s.lastReconciledAt()),
                i.source(),
                rollout,
                i.requestedBy(),
                ConsolePages.time(i.updatedAt()),
                i.removalRequested(),
                json(i.values()));
    }

    /** The source of an installation a rollout changed last: {@code rollout:<id>}. */
    static final String ROLLOUT_SOURCE = "rollout:";

    /** The values as the install form shows them when asked to change the installation: indented JSON. */
    private String json(Map<String, Object> values) {
        if (values == null || values.isEmpty()) {
            return "";
        }
        try {
            return objectMapper.writerWithDefaultPrettyPrinter().writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored values that cannot be written as JSON", e);
        }
    }
}
